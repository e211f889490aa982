/**
 * Terraform → event data store facts: every `aws_cloudtrail_event_data_store` of a module that
 * its `count` / `for_each` creates, its `kms_key_id` judged as a trail's is (variables, locals,
 * aliases, module outputs). Stores inside called modules are not followed.
 */
import { findAttribute } from '../../model/syntax';
import { resourcesOfType } from '../evaluate/terraformModule';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import { HclTrailFixes } from '../fixes/hclTrailFixes';
import { isNeverCreated } from './terraformInstances';
import { accessFor, judge, kmsKeyCandidates } from './terraformFacts';
import { isSymmetric } from './terraformKeys';
import type { EventDataStoreFacts } from '../../analysis/eventDataStoreFacts';

export const EVENT_DATA_STORE_TYPE = 'aws_cloudtrail_event_data_store';
const KEY_ATTRIBUTE = 'kms_key_id';

export function terraformEventDataStoreFacts(evaluator: TerraformEvaluator): EventDataStoreFacts[] {
  const stores = resourcesOfType(evaluator.module, EVENT_DATA_STORE_TYPE).filter((store) => !isNeverCreated(evaluator, store));
  if (stores.length === 0) return [];
  const access = accessFor(evaluator);
  // An asymmetric or HMAC key is never a choice for a store (CTK302 would report it).
  const keyCandidates = kmsKeyCandidates(evaluator).filter((key) => isSymmetric(evaluator, key));
  return stores.map((store) => {
    const keyAttribute = findAttribute(store.block, KEY_ATTRIBUTE);
    return {
      format: 'terraform',
      uri: store.uri,
      address: store.address,
      block: store.block,
      keyAttribute,
      keyAttributeName: KEY_ATTRIBUTE,
      verdict: judge(evaluator, store),
      logFileValidation: {},
      keyCandidates,
      access,
      fixes: new HclTrailFixes(evaluator.module, store, keyAttribute, undefined, 'eventDataStore'),
    };
  });
}
