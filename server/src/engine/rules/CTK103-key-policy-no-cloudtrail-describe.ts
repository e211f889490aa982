/**
 * CTK103 key-policy-no-cloudtrail-describe: CloudTrail may not call `kms:DescribeKey`. The
 * common trap: DescribeKey granted in the encrypt statement, under an encryption-context
 * condition that a DescribeKey request (which carries no encryption context) never meets.
 */
import type { Rule } from './rule';
import { analyzedKeys, keyPhrase, metOnlyWithoutNamingCloudTrail, policyPhrase, reportOnKey, statementOrigin, trailKeys } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK103',
    name: 'key-policy-no-cloudtrail-describe',
    defaultSeverity: 'warning',
    description: 'The key policy of a CloudTrail key must let cloudtrail.amazonaws.com call kms:DescribeKey.',
    fixable: true,
    messages: {
      missing: "{policy} does not let cloudtrail.amazonaws.com call kms:DescribeKey, which AWS lists among the statements a CloudTrail key needs: CloudTrail cannot read {key}'s properties when a trail is set up with it.",
      onlyUnderEncryptionContext: 'kms:DescribeKey is granted to CloudTrail here only under an encryption-context condition, which a DescribeKey request never carries: the grant never applies. Grant DescribeKey in a statement of its own.',
      denied: 'This Deny statement stops cloudtrail.amazonaws.com from calling kms:DescribeKey on {key}.',
      notNamed: 'Only statements for {"AWS": "*"} could cover kms:DescribeKey on {key}; none names cloudtrail.amazonaws.com, so CloudTrail cannot read the key\'s properties when a trail is set up with it.',
      conditionsNeverMatch: "This statement's conditions never match CloudTrail's kms:DescribeKey request: it grants CloudTrail nothing on {key}.",
    },
  },
  check(context) {
    for (const { key, analysis } of analyzedKeys(trailKeys(context.keys))) {
      const { describe } = analysis;
      const data = { key: keyPhrase(key), policy: policyPhrase(key) };
      if (metOnlyWithoutNamingCloudTrail(describe)) {
        reportOnKey(context, key, undefined, { messageId: 'notNamed', data, fixes: () => [key.fixes.addStatements(['describe']), key.fixes.suppress('CTK103')] });
        continue;
      }
      if (describe.met) continue;
      const fixes = () => [describe.reason === 'denied' ? undefined : key.fixes.addStatements(['describe']), key.fixes.suppress('CTK103')];
      if (describe.statements.length === 0) {
        reportOnKey(context, key, undefined, { messageId: describe.reason ?? 'missing', data, fixes });
        continue;
      }
      for (const statement of describe.statements) {
        reportOnKey(context, key, statementOrigin(statement), { messageId: describe.reason ?? 'missing', data, fixes });
      }
    }
  },
};
