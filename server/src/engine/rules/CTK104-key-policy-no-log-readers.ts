/**
 * CTK104 key-policy-no-log-readers: nobody may decrypt the logs: no `kms:Decrypt` grant for
 * CloudTrail's encryption context and no delegation to the account's IAM policies. The logs
 * are written, and nobody can ever read them.
 */
import type { Rule } from './rule';
import { analyzedKeys, keyPhrase, policyPhrase, reportOnKey, statementOrigin, trailPhrase, trailKeys } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK104',
    name: 'key-policy-no-log-readers',
    defaultSeverity: 'warning',
    description: 'The key policy of a CloudTrail key must let someone decrypt the logs.',
    fixable: true,
    messages: {
      missing: '{policy} lets nobody call kms:Decrypt for CloudTrail log files and does not delegate to the account: the logs {trail} writes with {key} cannot be read by anyone.',
      denied: 'This Deny statement stops every reader from decrypting the log files encrypted with {key}: the logs cannot be read by anyone.',
    },
  },
  check(context) {
    for (const { key, analysis } of analyzedKeys(trailKeys(context.keys))) {
      const { readers } = analysis;
      if (readers.met) continue;
      const data = { key: keyPhrase(key), policy: policyPhrase(key), trail: trailPhrase(key) };
      if (readers.reason !== 'denied' || readers.statements.length === 0) {
        reportOnKey(context, key, undefined, { messageId: 'missing', data, fixes: () => [key.fixes.addStatements(['readers']), key.fixes.suppress('CTK104')] });
        continue;
      }
      for (const statement of readers.statements) {
        reportOnKey(context, key, statementOrigin(statement), { messageId: 'denied', data, fixes: () => [key.fixes.suppress('CTK104')] });
      }
    }
  },
};
