/**
 * Terraform → the trails' notification topics: `aws_cloudtrail.sns_topic_name` followed to an
 * `aws_sns_topic` of the module (`.name`, `.arn`, `.id`, or its literal name or ARN), and the
 * topic's `kms_master_key_id` to `alias/aws/sns` or a key of the module.
 */
import { findAttribute } from '../../model/syntax';
import { resourcesOfType } from '../evaluate/terraformModule';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import type { TrailFacts } from '../../analysis/facts';
import { notificationTopics, type NotificationTopics } from '../../analysis/topicFacts';
import type { KeyUsage } from '../../analysis/keyUsage';
import { HclTrailFixes } from '../fixes/hclTrailFixes';
import { terraformTrailFacts } from './terraformFacts';
import { isNeverCreated } from './terraformInstances';

const KEY_SETTING = 'kms_master_key_id';

export function terraformNotificationTopics(evaluator: TerraformEvaluator, trails: TrailFacts[]): NotificationTopics {
  const module = evaluator.module;
  const access = trails.find((t) => !t.throughModule)?.access;
  const topics = resourcesOfType(module, 'aws_sns_topic');
  if (!access || topics.length === 0) return { topics: [], keyUsage: new Map() };
  return notificationTopics({
    trails,
    topics,
    aliases: resourcesOfType(module, 'aws_kms_alias'),
    access,
    names: { trailTopic: 'sns_topic_name', topicName: 'name', topicKey: KEY_SETTING, aliasName: 'name' },
    keySetting: (topic) => findAttribute(topic.block, KEY_SETTING),
    fixesFor: (topic, keySetting) => new HclTrailFixes(module, topic, keySetting, undefined, 'topic', KEY_SETTING),
  });
}

/**
 * The topic keys of this module and of the trails inside its local child modules: a call that
 * passes one of this module's keys to the child's topic (`kms_master_key_id = var.topic_key`)
 * makes that key a topic key here, followed with the caller's arguments. Its CloudTrail
 * publish grant is then the topic's (AWS writes it without a condition), as for a topic
 * declared in this module.
 */
export function terraformTopicKeyUsage(evaluator: TerraformEvaluator, own: NotificationTopics): Map<string, KeyUsage> {
  const usage = new Map(own.keyUsage);
  for (const call of evaluator.module.moduleCalls.values()) {
    if (isNeverCreated(evaluator, call)) continue;
    const child = evaluator.childEvaluator(call);
    if (!child) continue;
    for (const { key, users } of terraformNotificationTopics(child, terraformTrailFacts(child)).keyUsage.values()) {
      // Only this module's keys: the child's own are judged when the child is.
      if (evaluator.module.resources.get(key.address)?.block !== key.block) continue;
      const entry = { key, users: [...(usage.get(key.address)?.users ?? [])] };
      const inCall = (address: string): string => `${call.address}.${address}`;
      for (const user of users) {
        entry.users.push({ ...user, address: inCall(user.address), through: user.through?.map((step, i) => (i === 0 ? { ...step, address: inCall(step.address) } : step)) });
      }
      usage.set(key.address, entry);
    }
  }
  return usage;
}
