/**
 * CloudFormation → event data store facts: every `AWS::CloudTrail::EventDataStore` of a
 * template, its `KmsKeyId` judged as a trail's `KMSKeyId` is (parameter defaults, conditions,
 * `Ref` / `GetAtt` to keys and aliases). Property names are case-sensitive and the two resources
 * differ: a store's `KMSKeyId` (the trail's spelling) sets no key, and is reported as misspelled.
 */
import { propertiesOf, type CloudFormationEvaluator, type CloudFormationTemplate } from './cloudformationEvaluator';
import { CfnTrailFixes } from '../fixes/cfnTrailFixes';
import { accessFor, isMisspelledKeyProperty, judge, kmsKeyCandidates, toAttribute } from './cloudformationFacts';
import type { EventDataStoreFacts } from '../../analysis/eventDataStoreFacts';

export const EVENT_DATA_STORE_TYPE = 'AWS::CloudTrail::EventDataStore';
const KEY_PROPERTY = 'KmsKeyId';

export function cloudformationEventDataStoreFacts(template: CloudFormationTemplate, evaluator: CloudFormationEvaluator): EventDataStoreFacts[] {
  const stores = [...template.resources.values()].filter((r) => r.type === EVENT_DATA_STORE_TYPE);
  if (stores.length === 0) return [];
  const access = accessFor(evaluator);
  const keyCandidates = kmsKeyCandidates(template);
  return stores.map((store) => {
    const entries = propertiesOf(store)?.entries ?? [];
    const keyEntry = entries.find((e) => e.key === KEY_PROPERTY);
    const misspelled = keyEntry ? undefined : entries.find((e) => e.key !== undefined && isMisspelledKeyProperty(e.key, KEY_PROPERTY));
    const keyAttribute = keyEntry && toAttribute(keyEntry);
    const misspelledKeyAttribute = misspelled && toAttribute(misspelled);
    return {
      format: 'cloudformation',
      uri: store.uri,
      address: store.address,
      block: store.block,
      keyAttribute,
      keyAttributeName: KEY_PROPERTY,
      misspelledKeyAttribute,
      verdict: judge(evaluator, keyEntry),
      logFileValidation: {},
      keyCandidates,
      access,
      fixes: new CfnTrailFixes(template, store, keyAttribute, misspelledKeyAttribute, 'eventDataStore', 'KmsKeyId'),
    };
  });
}
