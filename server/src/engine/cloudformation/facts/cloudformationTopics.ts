/**
 * CloudFormation → the trails' notification topics: `SnsTopicName` followed to an
 * `AWS::SNS::Topic` of the template (`!Ref` gives its ARN, `!GetAtt Topic.TopicName` its name,
 * or its literal name or ARN), and the topic's `KmsMasterKeyId` to `alias/aws/sns` or a key of
 * the template.
 */
import { propertiesOf, type CloudFormationTemplate } from './cloudformationEvaluator';
import type { TrailFacts } from '../../analysis/facts';
import { notificationTopics, type NotificationTopics } from '../../analysis/topicFacts';
import { CfnTrailFixes } from '../fixes/cfnTrailFixes';
import { toAttribute } from './cloudformationFacts';

const KEY_SETTING = 'KmsMasterKeyId';

export function cloudformationNotificationTopics(template: CloudFormationTemplate, trails: TrailFacts[]): NotificationTopics {
  const resources = [...template.resources.values()];
  const topics = resources.filter((r) => r.type === 'AWS::SNS::Topic');
  const access = trails[0]?.access;
  if (!access || topics.length === 0) return { topics: [], keyUsage: new Map() };
  return notificationTopics({
    trails,
    topics,
    aliases: resources.filter((r) => r.type === 'AWS::KMS::Alias'),
    access,
    names: { trailTopic: 'SnsTopicName', topicName: 'TopicName', topicKey: KEY_SETTING, aliasName: 'AliasName' },
    keySetting: (topic) => {
      const entry = propertiesOf(topic)?.entries.find((e) => e.key === KEY_SETTING);
      return entry && toAttribute(entry);
    },
    fixesFor: (topic, keySetting) => new CfnTrailFixes(template, topic, keySetting, undefined, 'topic', KEY_SETTING),
  });
}
