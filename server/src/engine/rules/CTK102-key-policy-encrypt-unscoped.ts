/**
 * CTK102 key-policy-encrypt-unscoped: CloudTrail may encrypt with the key, but the grant says
 * nothing about whose trails (no `kms:EncryptionContext:aws:cloudtrail:arn`, `aws:SourceArn`
 * or `aws:SourceAccount` condition): any account's trail can use the key (confused deputy).
 *
 * A grant scoped only by `aws:SourceAccount` is reported one severity lower: it keeps other
 * accounts out, but lets every trail of the account encrypt with the key, and AWS recommends
 * the trail-specific encryption-context or `aws:SourceArn` condition instead
 * ("Configure AWS KMS key policies for CloudTrail").
 */
import { matchAction } from '../policy';
import type { Statement } from '../policy/types';
import type { Rule } from './rule';
import { analyzedKeys, keyPhrase, namesCloudTrail, reportOnKey, statementOrigin, trailKeys } from './keyPolicySupport';
import { topicPublishGrants } from '../analysis/analyzedTopicKeys';

export const rule: Rule = {
  meta: {
    id: 'CTK102',
    name: 'key-policy-encrypt-unscoped',
    defaultSeverity: 'warning',
    description: "CloudTrail's grant on a CloudTrail key must be limited to your trails or account.",
    fixable: true,
    messages: {
      unscoped: "This statement lets cloudtrail.amazonaws.com encrypt with {key} for any trail of any AWS account: with no kms:EncryptionContext:aws:cloudtrail:arn, aws:SourceArn or aws:SourceAccount condition, anyone can point their trail at this key.",
      accountOnly: "This statement limits cloudtrail.amazonaws.com's use of {key} only by aws:SourceAccount: every trail of that account may encrypt with it, whatever the trail. AWS recommends a kms:EncryptionContext:aws:cloudtrail:arn (or aws:SourceArn) condition naming your trails.",
    },
  },
  check(context) {
    for (const { key, analysis } of analyzedKeys(trailKeys(context.keys))) {
      // The grant that lets CloudTrail publish to a topic encrypted with this key is left alone (CTK401's).
      const publishing = topicPublishGrants(context.topicKeys, key.address);
      const judged = (s: Statement): boolean => !publishing.has(s.index);
      // A statement that also grants DescribeKey cannot take the encryption-context condition
      // (DescribeKey requests carry none), so the account is the scope it can have there.
      for (const statement of analysis.encryptAccountOnly.filter((s) => judged(s) && !grantsDescribeKey(s))) {
        reportOnKey(context, key, statementOrigin(statement), {
          messageId: 'accountOnly',
          data: { key: keyPhrase(key) },
          weaker: true,
          fixes: () => [key.fixes.addCondition(statement, 'encryptionContext'), key.fixes.suppress('CTK102')],
        });
      }
      if (analysis.encryptScoped.met) continue;
      // A grant to {"AWS": "*"} is not CloudTrail's grant (CTK101 says so); CTK105 judges it.
      for (const statement of analysis.encryptScoped.statements.filter((s) => judged(s) && namesCloudTrail(s))) {
        reportOnKey(context, key, statementOrigin(statement), {
          messageId: 'unscoped',
          data: { key: keyPhrase(key) },
          fixes: () => [key.fixes.addCondition(statement, grantsDescribeKey(statement) ? 'sourceAccount' : 'encryptionContext'), key.fixes.suppress('CTK102')],
        });
      }
    }
  },
};

/** DescribeKey requests carry no encryption context: a statement granting it is scoped by account instead. */
function grantsDescribeKey(statement: Statement): boolean {
  return (statement.actions?.items ?? []).some((a) => matchAction(a, 'kms:DescribeKey') !== 'no');
}
