/**
 * What the key policy of a CloudTrail Lake event data store's key must allow, checked the way
 * KMS would check it. The needs differ from a trail's:
 *
 * AWS CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html),
 * "Granting encrypt permissions for event data stores": CloudTrail calls `kms:GenerateDataKey`
 * and `kms:Decrypt` as `cloudtrail.amazonaws.com`, and a policy for such a key "cannot use the
 * condition keys aws:SourceArn or aws:SourceAccount"; "Granting decrypt permissions for event
 * data stores": the users and roles that create, update or query the store need `kms:Decrypt`
 * (AWS's example adds `kms:GenerateDataKey`).
 *
 * So CloudTrail's requests here carry neither source key: a grant that needs one does not apply.
 * AWS does not document the encryption context CloudTrail Lake sends, so every other condition
 * key is unknown (a condition on it may hold): when the engine cannot know, it says nothing.
 */
import type { ParsedPolicy, Statement } from './types';
import type { PolicyDecision, PolicyRequest } from './evaluate';
import { isAllowed } from './evaluate';
import { accountPrincipal, isWildcardPrincipal, matchAction } from './matchers';
import { CLOUDTRAIL_SERVICE_PRINCIPAL } from './cloudtrailRequests';
import { statementsWithMisspelledAction, type RequirementResult } from './cloudtrailRequirements';
import { triAny } from './wildcards';

/** The two actions CloudTrail Lake calls on a store's key, in the order messages list them. */
export const EVENT_DATA_STORE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

export type StoreGrantReason = 'missing' | 'denied' | 'sourceCondition' | 'misspelledAction';

export interface EventDataStoreKeyPolicyAnalysis {
  /** CTK303: CloudTrail may call each action (same order as `EVENT_DATA_STORE_ACTIONS`). */
  cloudTrail: { action: string; result: RequirementResult<StoreGrantReason> }[];
  /** Whether CloudTrail may call `kms:DescribeKey` (not a finding for stores; the fixes add it when absent). */
  describe: boolean;
  /** CTK304: someone other than CloudTrail may call both actions (directly, or through the account's IAM policies). */
  query: RequirementResult<'missing'>;
}

const UNKNOWN_ACCOUNT = '${account}';
const UNKNOWN_PARTITION = '${partition}';
const SOURCE_KEYS = ['aws:SourceArn', 'aws:SourceAccount'];

/** A request CloudTrail Lake makes for a store: the source keys are absent, everything else unknown. */
function storeServiceRequest(action: string, withSourceKeys = false): PolicyRequest {
  return {
    principal: { type: 'Service', id: CLOUDTRAIL_SERVICE_PRINCIPAL },
    action,
    context: {
      'aws:SourceArn': withSourceKeys ? `arn:${UNKNOWN_PARTITION}:cloudtrail:\${region}:${UNKNOWN_ACCOUNT}:eventdatastore/\${store}` : undefined,
      'aws:SourceAccount': withSourceKeys ? UNKNOWN_ACCOUNT : undefined,
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': CLOUDTRAIL_SERVICE_PRINCIPAL,
    },
    unlistedKeys: 'unknown',
  };
}

/** Someone querying the store: a person calling KMS sends no source keys (services do). */
function queryRequest(principalId: string, action: string): PolicyRequest {
  const account = accountPrincipal(principalId) ?? UNKNOWN_ACCOUNT;
  return {
    principal: { type: 'AWS', id: principalId },
    action,
    context: {
      'kms:CallerAccount': account,
      'aws:PrincipalAccount': account,
      'aws:PrincipalArn': principalId,
      'aws:PrincipalIsAWSService': 'false',
    },
    unlistedKeys: (key) => (key.startsWith('aws:source') ? 'absent' : 'unknown'),
  };
}

export function analyzeEventDataStoreKeyPolicy(policy: ParsedPolicy): EventDataStoreKeyPolicyAnalysis {
  return {
    cloudTrail: EVENT_DATA_STORE_ACTIONS.map((action) => ({ action, result: analyzeGrant(policy, action) })),
    describe: isMet(policy, isAllowed(policy, storeServiceRequest('kms:DescribeKey'))),
    query: analyzeQuery(policy),
  };
}

/** Whether a policy gives CloudTrail everything a store needs (the order of "Encrypt with …"). */
export const grantsEventDataStore = (policy: ParsedPolicy): boolean =>
  analyzeEventDataStoreKeyPolicy(policy).cloudTrail.every((c) => c.result.met);

/** Met when allowed, or when unseen statements could allow it. */
const isMet = (policy: ParsedPolicy, decision: PolicyDecision): boolean =>
  decision.decision === 'allow' || (decision.decision === 'implicit-deny' && policy.hasUnknownStatements);

function analyzeGrant(policy: ParsedPolicy, action: string): RequirementResult<StoreGrantReason> {
  const decision = isAllowed(policy, storeServiceRequest(action));
  const certain = decision.certain;
  if (isMet(policy, decision)) return { met: true, certain, statements: decision.allowedBy };
  if (decision.deniedBy.length > 0) return { met: false, certain, reason: 'denied', statements: decision.deniedBy };
  const misspelled = statementsWithMisspelledAction(policy, storeServiceRequest(action));
  if (misspelled.length > 0) return { met: false, certain, reason: 'misspelledAction', statements: misspelled };
  // The same request as if it carried the source keys: the grants that need them.
  const withSource = isAllowed(policy, storeServiceRequest(action, true));
  const conditioned = withSource.allowedBy.filter((s) => s.effect === 'Allow' && needsSourceKey(s));
  if (conditioned.length > 0) return { met: false, certain, reason: 'sourceCondition', statements: conditioned };
  return { met: false, certain, reason: 'missing', statements: [] };
}

/** A condition of the statement tests `aws:SourceArn` / `aws:SourceAccount` (any letter case). */
export function sourceConditionOf(statement: Statement): { operator: string; key: string } | undefined {
  const found = statement.conditions.find((c) => !c.unknown && SOURCE_KEYS.some((k) => k.toLowerCase() === c.key.toLowerCase()));
  return found && { operator: found.operator, key: found.key };
}

const needsSourceKey = (statement: Statement): boolean => sourceConditionOf(statement) !== undefined;

/**
 * Who may query: every AWS identity or account an Allow statement covering `kms:Decrypt` names
 * (someone of the account when it names everybody). The account root stands for delegation to
 * IAM policies. Met when one of them may call both actions.
 */
function analyzeQuery(policy: ParsedPolicy): RequirementResult<'missing'> {
  const candidates = new Set<string>();
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !coversDecrypt(statement)) continue;
    if (statement.notPrincipal) candidates.add(someoneInAccount());
    for (const item of statement.principal?.items ?? []) {
      if (isWildcardPrincipal(item) || item.type === 'unknown') candidates.add(someoneInAccount());
      else if (item.type === 'AWS') {
        const account = accountPrincipal(item.value);
        candidates.add(account !== undefined && !item.value.startsWith('arn:') ? `arn:${UNKNOWN_PARTITION}:iam::${account}:root` : item.value);
      }
    }
  }
  let certain = !policy.hasUnknownStatements;
  for (const id of candidates) {
    const decisions = EVENT_DATA_STORE_ACTIONS.map((action) => isAllowed(policy, queryRequest(id, action)));
    if (decisions.every((d) => d.decision === 'allow')) {
      return { met: true, certain: decisions.every((d) => d.certain), statements: [...new Set(decisions.flatMap((d) => d.allowedBy))] };
    }
    certain &&= decisions.every((d) => d.certain);
  }
  // Statements that cannot be seen may grant it.
  if (policy.hasUnknownStatements) return { met: true, certain: false, statements: [] };
  return { met: false, certain, reason: 'missing', statements: [] };
}

const coversDecrypt = (s: Statement): boolean => {
  const decrypt = (items: Statement['actions']): boolean => triAny(items?.items ?? [], (p) => matchAction(p, 'kms:Decrypt')) !== 'no';
  if (s.actions) return decrypt(s.actions);
  if (s.notActions) return triAny(s.notActions.items, (p) => matchAction(p, 'kms:Decrypt')) !== 'yes';
  return false;
};

const someoneInAccount = (): string => `arn:${UNKNOWN_PARTITION}:iam::${UNKNOWN_ACCOUNT}:role/\${querier}`;
