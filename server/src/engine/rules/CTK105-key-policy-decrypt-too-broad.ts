/**
 * CTK105 key-policy-decrypt-too-broad: `kms:Decrypt` on a CloudTrail key for `*` /
 * `{"AWS": "*"}` with no account or organization condition: anyone, in any account, who can
 * read a log object can decrypt it, and the key no longer protects anything.
 */
import type { Rule } from './rule';
import { analyzedKeys, keyPhrase, reportOnKey, statementOrigin, trailKeys } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK105',
    name: 'key-policy-decrypt-too-broad',
    defaultSeverity: 'warning',
    description: 'kms:Decrypt on a CloudTrail key must not be granted to every AWS principal without an account or organization condition.',
    fixable: true,
    messages: {
      tooBroad: 'This statement lets any AWS principal, in any account, call kms:Decrypt with {key}: whoever can read the log objects can decrypt them. Limit it with a kms:CallerAccount or aws:PrincipalOrgID condition.',
    },
  },
  check(context) {
    for (const { key, analysis } of analyzedKeys(trailKeys(context.keys))) {
      for (const statement of analysis.decryptTooBroad) {
        reportOnKey(context, key, statementOrigin(statement), {
          messageId: 'tooBroad',
          data: { key: keyPhrase(key) },
          fixes: () => [key.fixes.addCondition(statement, 'callerAccount'), key.fixes.suppress('CTK105')],
        });
      }
    }
  },
};
