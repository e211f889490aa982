/**
 * CTK302 event-data-store-key-not-cmk: an event data store's key setting is there but cannot
 * be a customer-managed key CloudTrail Lake can use: an AWS-managed alias (its policy is AWS's
 * and cannot admit CloudTrail), a string that is not a KMS key or alias ARN, or an asymmetric,
 * HMAC or signing key (no data keys). The store is not created, and a created store's key
 * cannot be changed later.
 *
 * The checks are CTK003's, minus its Terraform ARN check: a store's `kms_key_id` accepts every
 * form `CreateEventDataStore` does (alias name, alias ARN, key ARN, key id).
 */
import { encryptWithFixes } from '../analysis/keyCandidates';
import type { RelatedInformation } from '../types';
import type { Rule } from './rule';
import { inspect } from './CTK003-trail-key-not-cmk';

const FINAL = 'once an event data store has a key it cannot be changed or removed';

export const rule: Rule = {
  meta: {
    id: 'CTK302',
    name: 'event-data-store-key-not-cmk',
    defaultSeverity: 'error',
    description: 'An event data store\'s key must be a symmetric customer-managed KMS key, not an AWS-managed alias or a malformed id.',
    fixable: true,
    messages: {
      awsManaged: `{store} uses {key}, an AWS-managed key: its key policy belongs to AWS and cannot be changed to let CloudTrail generate data keys, so the event data store cannot be created with it. Use a customer-managed key, and choose it carefully: ${FINAL}.`,
      malformed: `{store} sets {attribute} to {key}, which is not a KMS key id, key ARN, alias name or alias ARN, so the event data store cannot be created with it. Once an event data store has a key it cannot be changed or removed.`,
      unsuitableKey: `{store} uses {key}, whose {setting} is {actual}: CloudTrail Lake needs a symmetric encryption key ({expected}) to generate data keys, so the event data store cannot be created with it. Once an event data store has a key it cannot be changed or removed.`,
    },
  },
  check(context) {
    for (const store of context.eventDataStores) {
      if (store.verdict.kind === 'no-cmk') continue;
      for (const option of store.verdict.options) {
        const problem = inspect(option, store.access);
        if (!problem) continue;
        const related: RelatedInformation[] = [...(option.value.trace ?? [])];
        if (problem.at) related.push({ location: problem.at, message: 'set here' });
        context.report({
          messageId: problem.messageId,
          data: { store: store.address, attribute: store.keyAttributeName, ...problem.data },
          uri: store.uri,
          range: store.keyAttribute?.range ?? store.block.headerRange,
          resource: store.address,
          subject: store.block.range,
          related,
          fixes: () => {
            const keys = encryptWithFixes(store, problem.keyAddress);
            return [...keys.usable, store.fixes.createKey(), ...keys.unusable, store.fixes.suppress('CTK302')];
          },
        });
        break;
      }
    }
  },
};
