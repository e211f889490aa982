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
import { HclTrailFixes } from '../fixes/hclTrailFixes';

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
