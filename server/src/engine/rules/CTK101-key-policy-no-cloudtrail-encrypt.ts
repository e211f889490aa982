/**
 * CTK101 key-policy-no-cloudtrail-encrypt: CloudTrail may not call `kms:GenerateDataKey*`
 * with a key a trail uses (or a policy written for CloudTrail): the grant is missing, its
 * action is misspelled, a Deny overrides it, its conditions never match, or the key has no
 * policy at all (KMS's default policy trusts only the account). CloudTrail then refuses the
 * trail configuration or stops delivering: `InsufficientEncryptionPolicyException`.
 */
import { analyzeTrailEncrypt, explainConditionMismatch, matchText } from '../policy';
import type { ConditionMismatch, Statement } from '../policy';
import type { KeyTrail } from '../analysis/keyFacts';
import type { Fix } from '../types';
import type { Rule, RuleContext } from './rule';
import { analyzedKeys, keyPhrase, metOnlyWithoutNamingCloudTrail, policyPhrase, reportOnKey, statementOrigin, trailPhrase, trailKeys, type AnalyzedKey } from './keyPolicySupport';

const CONSEQUENCE = 'so {trail} cannot deliver log files (InsufficientEncryptionPolicyException)';

export const rule: Rule = {
  meta: {
    id: 'CTK101',
    name: 'key-policy-no-cloudtrail-encrypt',
    defaultSeverity: 'error',
    description: 'The key policy of a CloudTrail key must let cloudtrail.amazonaws.com call kms:GenerateDataKey*.',
    fixable: true,
    messages: {
      noPolicy: `{key} has no key policy, so KMS gives it the default policy, which trusts only the account: CloudTrail cannot encrypt with it, ${CONSEQUENCE}.`,
      missing: `{policy} does not let cloudtrail.amazonaws.com call kms:GenerateDataKey*: CloudTrail cannot encrypt with {key}, ${CONSEQUENCE}.`,
      misspelledAction: `"{action}" is not a KMS action, so this statement does not let CloudTrail call kms:GenerateDataKey* on {key}, ${CONSEQUENCE}.`,
      denied: `This Deny statement stops cloudtrail.amazonaws.com from calling kms:GenerateDataKey* on {key} (an explicit Deny beats every Allow), ${CONSEQUENCE}.`,
      notNamed: `Only statements for {"AWS": "*"} could cover kms:GenerateDataKey* on {key}; none names cloudtrail.amazonaws.com, which CloudTrail needs: CloudTrail cannot encrypt with it, ${CONSEQUENCE}.`,
      conditionsNeverMatch: `This statement names CloudTrail and kms:GenerateDataKey*, but its conditions never match CloudTrail's request: CloudTrail cannot encrypt with {key}, ${CONSEQUENCE}.`,
      conditionNamesOther: `CloudTrail cannot encrypt with {key}, ${CONSEQUENCE}: the {condition} condition names {written}, but {trail} {actual}, and CloudTrail's request carries the trail's own ARN and account.`,
      literalStar: `CloudTrail cannot encrypt with {key}, ${CONSEQUENCE}: the {condition} condition is written under {operator}, where "*" is a literal star, so "{written}" never matches a real trail's ARN (patterns need StringLike or ArnLike).`,
    },
  },
  check(context) {
    for (const key of trailKeys(context.keys)) {
      if (key.kind !== 'key' || key.policy || key.policyJudgedAt) continue;
      reportOnKey(context, key, undefined, {
        messageId: 'noPolicy',
        data: { key: key.address, trail: trailPhrase(key) },
        fixes: () => [key.fixes.addPolicy(), key.fixes.suppress('CTK101')],
      });
    }
    for (const { key, policy, analysis } of analyzedKeys(trailKeys(context.keys))) {
      const { encrypt } = analysis;
      const data = { key: keyPhrase(key), policy: policyPhrase(key), trail: trailPhrase(key) };
      const suppress = (): Fix | undefined => key.fixes.suppress('CTK101');
      if (metOnlyWithoutNamingCloudTrail(encrypt)) {
        reportOnKey(context, key, undefined, { messageId: 'notNamed', data, fixes: () => [key.fixes.addStatements(['encrypt']), suppress()] });
        continue;
      }
      if (encrypt.met) continue;
      if (encrypt.reason === 'missing') {
        reportOnKey(context, key, undefined, { messageId: 'missing', data, fixes: () => [key.fixes.addStatements(['encrypt']), suppress()] });
        continue;
      }
      for (const statement of encrypt.statements) {
        if (encrypt.reason === 'misspelledAction') {
          const problem = policy.problems.find((p) => p.statementIndex === statement.index && p.suggestion !== undefined &&
            matchText(p.suggestion, 'kms:GenerateDataKey', { wildcards: true, foldCase: true }) !== 'no');
          reportOnKey(context, key, problem?.origin ?? statementOrigin(statement), {
            messageId: 'misspelledAction',
            data: { ...data, action: problem?.data.action ?? '' },
            fixes: () => [problem && key.fixes.correct(problem), suppress()],
          });
        } else if (encrypt.reason === 'conditionsNeverMatch' && key.trails?.length === 1) {
          reportNeverMatching(context, { key, policy, analysis }, statement, key.trails[0]);
        } else {
          reportOnKey(context, key, statementOrigin(statement), { messageId: encrypt.reason ?? 'missing', data, fixes: () => [suppress()] });
        }
      }
    }
    // A key several trails share: the requests above did not know which trail; each trail's own request may still fail.
    for (const analyzed of analyzedKeys(trailKeys(context.keys))) {
      const { key, policy, analysis } = analyzed;
      if (!analysis.encrypt.met || metOnlyWithoutNamingCloudTrail(analysis.encrypt) || (key.trails?.length ?? 0) < 2 || key.usedBy.length < 2) continue;
      for (const trail of key.trails ?? []) {
        const { result } = analyzeTrailEncrypt(policy, { trailArn: trail.arn });
        if (result.met || result.reason !== 'conditionsNeverMatch') continue;
        for (const statement of result.statements) reportNeverMatching(context, analyzed, statement, trail);
      }
    }
  },
};

/** A statement whose conditions never match this trail's request: say which part of the trail they name otherwise, when that is known. */
function reportNeverMatching(context: RuleContext, { key, policy }: AnalyzedKey, statement: Statement, trail: KeyTrail): void {
  const { request } = analyzeTrailEncrypt(policy, { trailArn: trail.arn });
  const mismatch = explainConditionMismatch(statement, request);
  const data = { key: keyPhrase(key), policy: policyPhrase(key), trail: trail.address };
  const fixes = (): (Fix | undefined)[] => [key.fixes.suppress('CTK101')];
  if (!mismatch) {
    reportOnKey(context, key, statementOrigin(statement), { messageId: 'conditionsNeverMatch', data, fixes });
    return;
  }
  reportOnKey(context, key, statementOrigin(statement), {
    messageId: mismatch.literalStar ? 'literalStar' : 'conditionNamesOther',
    data: { ...data, ...mismatchData(mismatch, trail) },
    fixes,
  });
}

const PART_WORDS = { partition: 'partition', region: 'Region', account: 'account', trail: 'trail' } as const;

function mismatchData(mismatch: ConditionMismatch, trail: KeyTrail): Record<string, string> {
  const data: Record<string, string> = { condition: mismatch.key, operator: mismatch.operator, written: mismatch.written };
  if (!mismatch.part) return data;
  data.written = `${PART_WORDS[mismatch.part]} ${mismatch.written}`;
  const actual = mismatch.actual ?? '';
  data.actual = {
    partition: `is in partition ${actual}`,
    region: `is in Region ${actual}`,
    account: trail.organization ? `is an organization trail, which belongs to the management account ${actual}` : `is in account ${actual}`,
    trail: `is named ${actual}`,
  }[mismatch.part];
  return data;
}
