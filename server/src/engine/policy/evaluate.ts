/**
 * `isAllowed`: would this key policy let this request through?
 *
 * IAM's order for a single resource policy: an explicit Deny wins, then any Allow, otherwise
 * the request is implicitly denied. The evaluator is three-valued (see `wildcards.ts`) and
 * leans the way that avoids false alarms:
 * - an Allow statement that may match (`maybe`) counts as allowing: the author wrote something
 *   we cannot see (an unknown condition value is assumed to match);
 * - a Deny statement only denies when it certainly matches; one that may match is reported in
 *   `possiblyDeniedBy`, and the decision is then not `certain`;
 * - a statement whose Effect is unknown may do either.
 * `certain` is false whenever the decision rests on such a guess, or when some statements of
 * the policy could not be seen at all (`hasUnknownStatements`).
 */
import { spend } from '../analysisBudget';
import type { ParsedPolicy, PolicyElement, PrincipalItem, Statement, Tri } from './types';
import type { ContextEntry, ContextLookup, RequestPrincipal } from './matchers';
import { evaluateConditions, matchAction, matchPrincipal, matchResource } from './matchers';
import { triAnd, triAny, triCapped, triNot } from './wildcards';

/**
 * Request context values by condition key (case-insensitive). A string may contain `${…}` for
 * parts the caller does not know; a list is a multi-valued key (`kms:EncryptionContextKeys`);
 * `undefined` means the key is absent from the request.
 */
export type RequestContext = Record<string, string | readonly string[] | undefined>;

export interface PolicyRequest {
  principal: RequestPrincipal;
  /** `kms:GenerateDataKey`. */
  action: string;
  /** The key ARN; defaults to "some KMS key" (matches `*` and any key ARN pattern, as `maybe`). */
  resource?: string;
  context: RequestContext;
  /**
   * What a key not listed in `context` means: absent from the request (the default), or
   * unknown to the caller (conditions on it then `maybe` hold). A function decides per key
   * (it receives the key in lower case).
   */
  unlistedKeys?: 'absent' | 'unknown' | ((lowerCaseKey: string) => 'absent' | 'unknown');
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface PolicyDecision {
  decision: Decision;
  /** Allow statements that match (certainly or possibly). */
  allowedBy: Statement[];
  /** Deny statements that certainly match. */
  deniedBy: Statement[];
  /** Deny statements (or statements of unknown Effect) that may match. */
  possiblyDeniedBy: Statement[];
  /** No guess was involved in the decision. */
  certain: boolean;
}

export interface StatementMatch {
  principal: Tri;
  action: Tri;
  resource: Tri;
  conditions: Tri;
  /** All four, capped at `maybe` for a statement present under only one branch of a conditional. */
  overall: Tri;
}

const SOME_KMS_KEY = 'arn:${partition}:kms:${region}:${account}:key/${key_id}';

/** The request's context as a condition-key lookup. */
export function contextLookup(request: PolicyRequest): ContextLookup {
  const byKey = new Map<string, string | readonly string[] | undefined>();
  for (const [key, value] of Object.entries(request.context)) byKey.set(key.toLowerCase(), value);
  return (key: string): ContextEntry => {
    const lower = key.toLowerCase();
    if (byKey.has(lower)) {
      const value = byKey.get(lower);
      if (value === undefined) return { kind: 'absent' };
      return { kind: 'values', values: typeof value === 'string' ? [value] : [...value] };
    }
    const unlisted = request.unlistedKeys ?? 'absent';
    const meaning = typeof unlisted === 'function' ? unlisted(lower) : unlisted;
    return { kind: meaning };
  };
}

const matchPrincipals = (element: PolicyElement<PrincipalItem>, request: PolicyRequest): Tri =>
  triAny(element.items, (item) => matchPrincipal(item, request.principal));

/** How far one statement covers the request, element by element. */
export function matchStatement(statement: Statement, request: PolicyRequest, lookup = contextLookup(request)): StatementMatch {
  spend();
  let principal: Tri = 'no';
  if (statement.principal) principal = matchPrincipals(statement.principal, request);
  else if (statement.notPrincipal) principal = triNot(matchPrincipals(statement.notPrincipal, request));

  let action: Tri = 'no';
  if (statement.actions) action = triAny(statement.actions.items, (p) => matchAction(p, request.action));
  else if (statement.notActions) action = triNot(triAny(statement.notActions.items, (p) => matchAction(p, request.action)));

  const resourceArn = request.resource ?? SOME_KMS_KEY;
  // A key policy always applies to its own key; a statement without Resource is reported as
  // CTK106 and read as `*` rather than adding a second finding.
  let resource: Tri = 'yes';
  if (statement.resources) resource = triAny(statement.resources.items, (p) => matchResource(p, resourceArn));
  else if (statement.notResources) resource = triNot(triAny(statement.notResources.items, (p) => matchResource(p, resourceArn)));

  const conditions = evaluateConditions(statement.conditions, lookup);
  const overall = triCapped(triAnd(principal, action, resource, conditions), statement.conditional || statement.effectUnknown);
  return { principal, action, resource, conditions, overall };
}

export function isAllowed(policy: ParsedPolicy, request: PolicyRequest): PolicyDecision {
  const lookup = contextLookup(request);
  const allowedBy: Statement[] = [];
  const deniedBy: Statement[] = [];
  const possiblyDeniedBy: Statement[] = [];
  let certainAllow = false;
  for (const statement of policy.statements) {
    const { overall } = matchStatement(statement, request, lookup);
    if (overall === 'no') continue;
    if (statement.effectUnknown) {
      allowedBy.push(statement);
      possiblyDeniedBy.push(statement);
    } else if (statement.effect === 'Allow') {
      allowedBy.push(statement);
      if (overall === 'yes') certainAllow = true;
    } else if (overall === 'yes') deniedBy.push(statement);
    else possiblyDeniedBy.push(statement);
  }
  if (deniedBy.length > 0) return { decision: 'explicit-deny', allowedBy, deniedBy, possiblyDeniedBy, certain: true };
  const unseen = policy.hasUnknownStatements;
  if (allowedBy.length > 0) {
    return { decision: 'allow', allowedBy, deniedBy, possiblyDeniedBy, certain: certainAllow && possiblyDeniedBy.length === 0 && !unseen };
  }
  return { decision: 'implicit-deny', allowedBy, deniedBy, possiblyDeniedBy, certain: !unseen };
}
