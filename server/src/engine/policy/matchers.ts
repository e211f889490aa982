/**
 * Does a statement's Action / Principal / Resource cover a request? Three-valued: `maybe` when
 * the answer depends on an unknown (see `wildcards.ts`); something present under only one
 * branch of a conditional can at most say `maybe`.
 *
 * Condition evaluation lives in `conditions.ts` and is re-exported here, so the whole matching
 * vocabulary comes from one module.
 */
import type { PolicyString, PrincipalItem, Tri } from './types';
import { matchArn, matchText, splitArn, triCapped } from './wildcards';

export { evaluateCondition, evaluateConditions, parseConditionOperator, CONDITION_OPERATOR_NAMES } from './conditions';
export type { ConditionOperator, ContextEntry, ContextLookup } from './conditions';

/** Who makes a request: a service principal (`cloudtrail.amazonaws.com`) or an AWS identity. */
export interface RequestPrincipal {
  type: 'Service' | 'AWS';
  /**
   * Service: the service principal name. AWS: an ARN (`arn:aws:iam::111122223333:root`,
   * `…:role/reader`, `arn:aws:sts::…:assumed-role/…`) or a bare account id. May contain `${…}`.
   */
  id: string;
}

/**
 * Action patterns: `*`, `kms:*`, `kms:Generate*`, `kms:GenerateDataKey?…`; IAM action names
 * are case-insensitive, service prefix included.
 */
export function matchAction(pattern: PolicyString, action: string): Tri {
  if (pattern.unknown) return 'maybe';
  return triCapped(matchText(pattern.value, action, { wildcards: true, foldCase: true }), pattern.conditional);
}

/** Resource patterns, matched as ARNs part by part; `*` is every resource. */
export function matchResource(pattern: PolicyString, resource: string): Tri {
  if (pattern.unknown) return 'maybe';
  return triCapped(matchArn(pattern.value, resource, { wildcards: true }), pattern.conditional);
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account a principal belongs to: a bare account id, or the account part of an IAM/STS
 * ARN. May itself contain `${…}`; undefined when the text is neither.
 */
export function accountOfPrincipal(id: string): string | undefined {
  if (ACCOUNT_ID.test(id)) return id;
  const parts = splitArn(id);
  if (parts.length === 6 && parts[0] === 'arn' && (parts[2] === 'iam' || parts[2] === 'sts') && parts[4] !== '') return parts[4];
  return undefined;
}

/**
 * When an `AWS` principal names a whole account (`111122223333`, `arn:aws:iam::111122223333:root`,
 * `arn:${partition}:iam::${account}:root`), the account part; otherwise undefined. In a key
 * policy such a principal delegates to the account's IAM policies: any identity of that
 * account can be allowed by them.
 */
export function accountPrincipal(text: string): string | undefined {
  if (ACCOUNT_ID.test(text)) return text;
  const parts = splitArn(text);
  if (parts.length === 6 && parts[0] === 'arn' && parts[2] === 'iam' && parts[3] === '' && parts[5] === 'root') return parts[4];
  return undefined;
}

/** `"Principal": "*"` or an `AWS` principal `"*"`: anybody. */
export const isWildcardPrincipal = (item: PrincipalItem): boolean =>
  item.type === '*' || (item.type === 'AWS' && item.value === '*' && !item.unknown);

/**
 * Does one principal item name the requester?
 * - `"Principal": "*"` names everybody, AWS services included (that is why data-perimeter Deny
 *   statements exempt services with `aws:PrincipalIsAWSService`).
 * - `{"AWS": "*"}` names every AWS identity; whether it also names service principals differs
 *   between services (the AWS CDK documents the difference), so for a service it is `maybe`.
 * - An account (`123456789012`, `arn:aws:iam::123456789012:root`) names every identity of it.
 * - Other AWS ARNs name exactly that identity; service principals are compared ignoring case.
 * - `Federated` and `CanonicalUser` never name a Service or AWS requester.
 */
export function matchPrincipal(item: PrincipalItem, principal: RequestPrincipal): Tri {
  return triCapped(matchPrincipalItem(item, principal), item.conditional);
}

function matchPrincipalItem(item: PrincipalItem, principal: RequestPrincipal): Tri {
  if (item.type === '*') return 'yes';
  if (item.type === 'unknown') return 'maybe';
  if (item.type === 'Service') {
    if (principal.type !== 'Service') return 'no';
    return item.unknown ? 'maybe' : matchText(item.value, principal.id, { wildcards: false, foldCase: true });
  }
  if (item.type !== 'AWS' || (principal.type === 'Service' && item.value !== '*')) return 'no';
  if (item.unknown) return 'maybe';
  if (item.value === '*') return principal.type === 'AWS' ? 'yes' : 'maybe';
  const account = accountPrincipal(item.value);
  if (account !== undefined) {
    const requesterAccount = accountOfPrincipal(principal.id);
    return requesterAccount === undefined ? 'maybe' : matchText(account, requesterAccount, { wildcards: false });
  }
  return matchText(item.value, principal.id, { wildcards: false });
}
