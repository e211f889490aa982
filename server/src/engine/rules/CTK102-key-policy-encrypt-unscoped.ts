/**
 * CTK102 key-policy-encrypt-unscoped: CloudTrail may encrypt with the key, but the grant says
 * nothing about whose trails (no `kms:EncryptionContext:aws:cloudtrail:arn`, `aws:SourceArn`
 * or `aws:SourceAccount` condition): any account's trail can use the key (confused deputy).
 */
import { matchAction } from '../policy';
import type { Statement } from '../policy/types';
import type { Rule } from './rule';
import { analyzedKeys, keyPhrase, namesCloudTrail, reportOnKey, statementOrigin } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK102',
    name: 'key-policy-encrypt-unscoped',
    defaultSeverity: 'warning',
    description: "CloudTrail's grant on a CloudTrail key must be limited to your trails or account.",
    fixable: true,
    messages: {
      unscoped: "This statement lets cloudtrail.amazonaws.com encrypt with {key} for any trail of any AWS account: with no kms:EncryptionContext:aws:cloudtrail:arn, aws:SourceArn or aws:SourceAccount condition, anyone can point their trail at this key.",
    },
  },
  check(context) {
    for (const { key, analysis } of analyzedKeys(context.keys)) {
      if (analysis.encryptScoped.met) continue;
      // A grant to {"AWS": "*"} is not CloudTrail's grant (CTK101 says so); CTK105 judges it.
      for (const statement of analysis.encryptScoped.statements.filter(namesCloudTrail)) {
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
