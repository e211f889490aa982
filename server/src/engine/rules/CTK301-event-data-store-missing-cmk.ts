/**
 * CTK301 event-data-store-missing-cmk: a CloudTrail Lake event data store with no
 * customer-managed key. CloudTrail Lake then encrypts with a key AWS owns, so no key policy of
 * the user's controls or records who queries the events; and the choice is final: "After you
 * associate an event data store with a KMS key, the KMS key cannot be removed or changed"
 * (CloudTrail API Reference, CreateEventDataStore). Checkov CKV_AWS_293 checks the same, on the
 * attribute's presence only.
 */
import { encryptWithFixes } from '../analysis/keyCandidates';
import type { Rule } from './rule';
import { because, chain } from './CTK001-trail-missing-cmk';

const FINAL = 'once an event data store has a key it cannot be changed or removed';

export const rule: Rule = {
  meta: {
    id: 'CTK301',
    name: 'event-data-store-missing-cmk',
    defaultSeverity: 'warning',
    description: 'A CloudTrail Lake event data store should be encrypted with a customer-managed KMS key, chosen when it is created.',
    fixable: true,
    messages: {
      missing: `{store} has no customer-managed KMS key ({attribute} is not set): CloudTrail Lake encrypts its events with a key AWS owns, so no key policy of yours controls or records who queries them. Choose the key now: ${FINAL}.`,
      empty: `{store} sets {attribute} to an empty value{because}: the store gets no customer-managed key, and CloudTrail Lake encrypts its events with a key AWS owns. Choose the key now: ${FINAL}.`,
      misspelled: `{written} is not a property of AWS::CloudTrail::EventDataStore (property names are case-sensitive; the store's is KmsKeyId), so {store} gets no customer-managed key. Once an event data store has a key it cannot be changed or removed, so set the right property before the store is created.`,
    },
  },
  check(context) {
    for (const store of context.eventDataStores) {
      if (store.verdict.kind !== 'no-cmk') continue;
      const attribute = store.keyAttributeName;
      const related = chain(store);
      const fixes = () => {
        const keys = encryptWithFixes(store);
        return [...keys.usable, store.fixes.createKey(), ...keys.unusable, store.fixes.renameMisspelled?.(), store.fixes.suppress('CTK301')];
      };
      const common = { uri: store.uri, resource: store.address, subject: store.block.range, related, fixes };
      if (store.misspelledKeyAttribute && !store.keyAttribute) {
        context.report({ ...common, messageId: 'misspelled', data: { store: store.address, written: store.misspelledKeyAttribute.name, attribute }, range: store.misspelledKeyAttribute.nameRange });
      } else if (store.keyAttribute) {
        context.report({ ...common, messageId: 'empty', data: { store: store.address, attribute, because: because(store) }, range: store.keyAttribute.range });
      } else {
        context.report({ ...common, messageId: 'missing', data: { store: store.address, attribute }, range: store.block.headerRange });
      }
    }
  },
};
