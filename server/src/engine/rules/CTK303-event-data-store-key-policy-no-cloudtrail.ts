/**
 * CTK303 event-data-store-key-policy-no-cloudtrail: the key of an event data store does not
 * let `cloudtrail.amazonaws.com` call `kms:GenerateDataKey` and `kms:Decrypt`: missing, denied,
 * misspelled, or granted only under `aws:SourceArn` / `aws:SourceAccount`, which AWS says cannot
 * be used in the key policy of an event data store (the trail recommendation, reused for a store,
 * is the usual way this breaks). CloudTrail then cannot create the store or stops delivering
 * events to it, and the key cannot be swapped for another.
 *
 * A missing `kms:DescribeKey` is not reported: the policy the CloudTrail console itself creates
 * for a store has none. The fixes add it, as AWS lists it.
 */
import { EVENT_DATA_STORE_ACTIONS, matchText, sourceConditionOf, type StoreGrantReason } from '../policy';
import type { Statement } from '../policy/types';
import type { RequiredStatementPurpose } from '../policy/requiredStatements';
import type { Fix } from '../types';
import type { Rule } from './rule';
import { analyzedStoreKeys, keyPhrase, policyPhrase, reportOnKey, statementOrigin, storePhrase } from './keyPolicySupport';

const FIX_IN_PLACE = 'Once an event data store has a key it cannot be changed or removed: fix the policy, not the store.';
const CANNOT = 'CloudTrail cannot write or query {store}.';

export const rule: Rule = {
  meta: {
    id: 'CTK303',
    name: 'event-data-store-key-policy-no-cloudtrail',
    defaultSeverity: 'error',
    description: 'The key policy of an event data store\'s key must let cloudtrail.amazonaws.com call kms:GenerateDataKey and kms:Decrypt, without aws:SourceArn / aws:SourceAccount conditions.',
    fixable: true,
    messages: {
      noPolicy: `{key} has no key policy, so KMS gives it the default policy, which trusts only the account: CloudTrail cannot generate data keys for {store} or decrypt them, so the event data store cannot be created or stops receiving events. ${FIX_IN_PLACE}`,
      missing: `{policy} does not let cloudtrail.amazonaws.com call {actions}, which CloudTrail Lake needs to write and query {store}: the event data store cannot be created or stops receiving events. ${FIX_IN_PLACE}`,
      sourceCondition: 'This statement lets CloudTrail call {actions} only when {condition} matches, but AWS does not support aws:SourceArn or aws:SourceAccount in key policies for event data stores: the grant does not apply to {store}, so CloudTrail cannot write or query it. Once an event data store has a key it cannot be changed or removed: give CloudTrail a statement without this condition.',
      denied: `This Deny statement stops cloudtrail.amazonaws.com from calling {actions} on {key} (an explicit Deny beats every Allow): ${CANNOT} ${FIX_IN_PLACE}`,
      misspelledAction: `"{action}" is not a KMS action, so this statement does not give CloudTrail {actions} on {key}: ${CANNOT} ${FIX_IN_PLACE}`,
    },
  },
  check(context) {
    for (const key of context.keys) {
      if ((key.storeUsers ?? []).length === 0 || key.kind !== 'key' || key.policy || key.policyJudgedAt) continue;
      reportOnKey(context, key, undefined, {
        messageId: 'noPolicy',
        data: { key: key.address, store: storePhrase(key) },
        fixes: () => [key.fixes.addPolicy('eventDataStore'), key.fixes.suppress('CTK303')],
      });
    }
    for (const { key, policy, analysis } of analyzedStoreKeys(context.keys)) {
      const data = { key: keyPhrase(key), policy: policyPhrase(key), store: storePhrase(key) };
      const suppress = (): Fix | undefined => key.fixes.suppress('CTK303');
      // AWS's statement, and DescribeKey when the policy has none for CloudTrail.
      const purposes: RequiredStatementPurpose[] = analysis.describe ? ['eventDataStore'] : ['eventDataStore', 'describe'];
      const addStatement = (): Fix | undefined => key.fixes.addStatements(purposes);
      for (const reason of REASONS) {
        const failing = analysis.cloudTrail.filter((c) => !c.result.met && c.result.reason === reason);
        if (failing.length === 0) continue;
        if (reason === 'missing') {
          reportOnKey(context, key, undefined, { messageId: 'missing', data: { ...data, actions: phrase(failing.map((c) => c.action)) }, fixes: () => [addStatement(), suppress()] });
          continue;
        }
        for (const [statement, actions] of byStatement(failing)) {
          const found = { ...data, actions: phrase(actions) };
          if (reason === 'sourceCondition') {
            const condition = sourceConditionOf(statement);
            reportOnKey(context, key, statementOrigin(statement), {
              messageId: 'sourceCondition',
              data: { ...found, condition: condition ? `${condition.operator} ${condition.key}` : 'its condition' },
              // Never an edit of the statement: a trail sharing the key may rely on it as written.
              fixes: () => [addStatement(), suppress()],
            });
          } else if (reason === 'misspelledAction') {
            const problem = policy.problems.find((p) => p.statementIndex === statement.index && p.suggestion !== undefined &&
              actions.some((a) => matchText(p.suggestion!, a, { wildcards: true, foldCase: true }) !== 'no'));
            reportOnKey(context, key, problem?.origin ?? statementOrigin(statement), {
              messageId: 'misspelledAction',
              data: { ...found, action: problem?.data.action ?? '' },
              fixes: () => [problem && key.fixes.correct(problem), suppress()],
            });
          } else {
            reportOnKey(context, key, statementOrigin(statement), { messageId: 'denied', data: found, fixes: () => [suppress()] });
          }
        }
      }
    }
  },
};

/** The order findings are looked for: a Deny is final, a typo is the likeliest cause, then the condition. */
const REASONS: StoreGrantReason[] = ['denied', 'misspelledAction', 'sourceCondition', 'missing'];

/** `kms:GenerateDataKey and kms:Decrypt`, in the order CloudTrail's needs are listed. */
const phrase = (actions: string[]): string =>
  EVENT_DATA_STORE_ACTIONS.filter((a) => actions.includes(a)).join(' and ');

/** Each statement at fault, with the actions it is at fault for. */
function byStatement(failing: { action: string; result: { statements: Statement[] } }[]): Map<Statement, string[]> {
  const result = new Map<Statement, string[]>();
  for (const { action, result: r } of failing) for (const s of r.statements) result.set(s, [...(result.get(s) ?? []), action]);
  return result;
}
