/**
 * A trail's notification topic and the key it is encrypted with, format-neutral: the trail's
 * `sns_topic_name` / `SnsTopicName` followed to a topic declared alongside (by reference, or by
 * its literal name or ARN), and the topic's `kms_master_key_id` / `KmsMasterKeyId` followed to
 * the AWS-managed `alias/aws/sns` or to a key declared alongside (directly, through an alias
 * resource, or by the alias's literal name). What cannot be followed is left out: the rule says
 * nothing about it.
 */
import type { Fix, Location, RuleId } from '../types';
import type { Attribute, Block, SourceFormat } from '../model/syntax';
import type { ResourceRef, Value } from '../model/values';
import { resolveKeyOptions, type KeyOption } from '../model/keyReference';
import { isEmpty } from '../model/valueOps';
import type { ModelAccess, TrailFacts } from './facts';
import type { KeyUser } from './keyFacts';
import { keysOfOption, type KeyUsage } from './keyUsage';

/** Fix builders bound to the topic's syntax. Each returns undefined when no safe edit exists. */
export interface TopicFixes {
  /** A customer-managed key with CloudTrail's publish statement, and the topic pointed at it. */
  createKey(): Fix | undefined;
  suppress(ruleId: RuleId): Fix | undefined;
}

export interface TopicFacts {
  format: SourceFormat;
  uri: string;
  /** `aws_sns_topic.notifications`, `NotificationsTopic`. */
  address: string;
  block: Block;
  /** `kms_master_key_id` / `KmsMasterKeyId` as written (a plan does not write one known only after apply). */
  keySetting?: Attribute;
  /** The trails that send their notifications here. */
  notifiedBy: { address: string; location: Location; block: Block }[];
  /** The AWS-managed key the topic names (`alias/aws/sns` or its ARN), when it names nothing else. */
  awsManagedKey?: string;
  fixes: TopicFixes;
}

/** A format's names and accessors for topics. */
export interface TopicModel {
  trails: TrailFacts[];
  /** The `aws_sns_topic` / `AWS::SNS::Topic` resources declared alongside. */
  topics: ResourceRef[];
  /** The alias resources declared alongside, to follow a literal alias name. */
  aliases: ResourceRef[];
  access: ModelAccess;
  names: { trailTopic: string; topicName: string; topicKey: string; aliasName: string };
  /** The topic's key setting as written. */
  keySetting(topic: ResourceRef): Attribute | undefined;
  fixesFor(topic: ResourceRef, keySetting: Attribute | undefined): TopicFixes;
}

export interface NotificationTopics {
  topics: TopicFacts[];
  /** The keys of those topics, used by the trails that notify them (through the topic, and an alias). */
  keyUsage: Map<string, KeyUsage>;
}

const AWS_MANAGED_SNS_KEY = /^(?:arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\/sns$/;

export function notificationTopics(model: TopicModel): NotificationTopics {
  const byTopic = new Map<string, { topic: ResourceRef; trails: TrailFacts[] }>();
  for (const trail of model.trails) {
    if (trail.throughModule) continue;
    const ref: ResourceRef = { uri: trail.uri, mode: 'resource', type: '', name: '', address: trail.address, block: trail.block };
    const setting = model.access.attribute(ref, model.names.trailTopic);
    for (const topic of setting ? topicsNamedBy(setting, model) : []) {
      const entry = byTopic.get(topic.address) ?? { topic, trails: [] };
      if (!entry.trails.includes(trail)) entry.trails.push(trail);
      byTopic.set(topic.address, entry);
    }
  }
  const topics: TopicFacts[] = [];
  const keyUsage = new Map<string, KeyUsage>();
  for (const { topic, trails } of byTopic.values()) {
    const keySetting = model.keySetting(topic);
    const value = model.access.attribute(topic, model.names.topicKey);
    if (!value) continue;
    const options = resolveKeyOptions(value).options.filter((o) => !isEmpty(o.value));
    if (options.length === 0) continue;
    const topicStep = { address: topic.address, location: { uri: topic.uri, range: topic.block.headerRange }, relation: 'is encrypted with' };
    const notifiedBy = trails.map((t) => ({ address: t.address, location: { uri: t.uri, range: t.block.headerRange }, block: t.block }));
    const managed = options.map((o) => (o.kind === 'literal' && AWS_MANAGED_SNS_KEY.test(o.text) ? o.text : undefined));
    topics.push({
      format: trails[0].format, uri: topic.uri, address: topic.address, block: topic.block, keySetting, notifiedBy,
      awsManagedKey: managed.every((m) => m !== undefined) ? managed[0] : undefined,
      fixes: model.fixesFor(topic, keySetting),
    });
    for (const option of options) {
      for (const found of keysOfTopicOption(option, model)) {
        const entry = keyUsage.get(found.key.address) ?? { key: found.key, users: [] };
        for (const trail of notifiedBy) {
          const user: KeyUser = { address: trail.address, location: trail.location, relation: 'sends its notifications to', through: [topicStep, ...(found.through ?? [])] };
          if (!entry.users.some((u) => u.address === user.address && u.through?.[0]?.address === topic.address)) entry.users.push(user);
        }
        keyUsage.set(found.key.address, entry);
      }
    }
  }
  return { topics, keyUsage };
}

/** The topics declared here a trail's topic setting names: by reference, or by literal name or ARN. */
function topicsNamedBy(setting: Value, model: TopicModel): ResourceRef[] {
  if (setting.kind === 'one-of') return setting.options.flatMap((o) => topicsNamedBy(o, model));
  if (setting.kind === 'resource-attribute') return model.topics.filter((t) => t.address === setting.resource.address);
  if (setting.kind !== 'string' || setting.partial || setting.value === '') return [];
  // A topic ARN ends with the topic's name; a name alone is a topic of the trail's own account and Region.
  const name = setting.value.startsWith('arn:') ? setting.value.split(':')[5] : setting.value;
  return model.topics.filter((topic) => {
    const written = model.access.attribute(topic, model.names.topicName);
    return written?.kind === 'string' && !written.partial && written.value === name;
  });
}

/** The keys a topic's key setting names: a key or alias resource, or the literal name of an alias declared here. */
function keysOfTopicOption(option: KeyOption, model: TopicModel): ReturnType<typeof keysOfOption> {
  if (option.kind !== 'literal' || !option.text.startsWith('alias/')) return keysOfOption(option, model.access);
  const aliases = model.aliases.filter((alias) => {
    const name = model.access.attribute(alias, model.names.aliasName);
    return name?.kind === 'string' && !name.partial && name.value === option.text;
  });
  return aliases.length === 1 ? keysOfOption({ kind: 'alias', resource: aliases[0], value: option.value }, model.access) : [];
}
