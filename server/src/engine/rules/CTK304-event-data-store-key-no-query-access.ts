/**
 * CTK304 event-data-store-key-no-query-access: nobody but CloudTrail may use the key of an
 * event data store, and the account is not delegated, so nobody can query the store or read its
 * query results: AWS ("Granting decrypt permissions for event data stores") gives the users and
 * roles that create, update and query a store `kms:Decrypt` (and `kms:GenerateDataKey` in its
 * example). The key cannot be replaced, so the policy has to be fixed in place.
 */
import type { Rule } from './rule';
import { analyzedStoreKeys, policyPhrase, reportOnKey, storePhrase } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK304',
    name: 'event-data-store-key-no-query-access',
    defaultSeverity: 'warning',
    description: 'Someone other than CloudTrail must be able to call kms:Decrypt and kms:GenerateDataKey with an event data store\'s key, or nobody can query the store.',
    fixable: true,
    messages: {
      noQueryAccess: '{policy} lets no one but CloudTrail call kms:Decrypt and kms:GenerateDataKey, and does not delegate to the account: nobody can query {store} or read its query results. The key of an event data store cannot be changed or removed, so add the grant to this policy.',
    },
  },
  check(context) {
    for (const { key, analysis } of analyzedStoreKeys(context.keys)) {
      if (analysis.query.met) continue;
      reportOnKey(context, key, undefined, {
        messageId: 'noQueryAccess',
        data: { policy: policyPhrase(key), store: storePhrase(key) },
        fixes: () => {
          const delegate = key.fixes.addStatements(['keyAdministration']);
          return [delegate && { ...delegate, title: 'Delegate the key to the account' }, key.fixes.suppress('CTK304')];
        },
      });
    }
  },
};
