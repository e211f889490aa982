/**
 * Terraform plan JSON (`terraform show -json plan.out`) → trail and key facts: every
 * `aws_cloudtrail` the plan leaves in place, root module and child modules alike, judged on
 * its planned values, and the keys those trails use or whose policy is written for CloudTrail
 * (terraformPlanKeys.ts).
 *
 * Nothing is left to evaluate in a plan (terraformPlanValues.ts says how its values read), so
 * CTK002 never applies. `null` reads as "not set" (reported on the resource, as an absent
 * attribute is). An unknown `kms_key_id` is a key created or looked up in the same apply,
 * i.e. set: the key of the plan it refers to, when the configuration says which.
 *
 * A state is read the same way (`readTerraformOutputFacts` with the state's reader): its values
 * are all known, and it lists no changes.
 */
import type { SourceFile } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../../model/keyReference';
import type { Value } from '../../model/values';
import { parseTerraformPlan, type PlannedResource, type TerraformPlan } from './terraformPlan';
import { NO_TRAIL_FIXES } from '../../analysis/noFixes';
import type { TrailFacts } from '../../analysis/facts';
import type { KeyFacts } from '../../analysis/keyFacts';
import { notificationTopics, type TopicFacts } from '../../analysis/topicFacts';
import { KEY_RESOURCE_TYPES } from '../facts/terraformKeys';
import { EVENT_DATA_STORE_TYPE } from '../facts/terraformEventDataStores';
import type { EventDataStoreFacts } from '../../analysis/eventDataStoreFacts';
import { planKeyFacts } from './terraformPlanKeys';
import { PlannedValues } from './terraformPlanValues';
import { BUCKET_TYPE, planTrailPlacement } from './terraformPlanPlacement';

const TRAIL_TYPE = 'aws_cloudtrail';
const TOPIC_TYPE = 'aws_sns_topic';
const KEY_ATTRIBUTE = 'kms_key_id';
const VALIDATION_ATTRIBUTE = 'enable_log_file_validation';
/** The trails, and what their key references can lead to or set a key's policy. */
const TYPES_READ: ReadonlySet<string> = new Set([TRAIL_TYPE, EVENT_DATA_STORE_TYPE, ...KEY_RESOURCE_TYPES, 'aws_kms_alias', 'aws_kms_key_policy', TOPIC_TYPE, BUCKET_TYPE]);

export interface PlanFacts {
  file: SourceFile;
  trails: TrailFacts[];
  keys: KeyFacts[];
  eventDataStores: EventDataStoreFacts[];
  topics: TopicFacts[];
  topicKeys: KeyFacts[];
}

/** Reads one kind of Terraform JSON output (a plan, a state); undefined when `text` is not one. */
export type TerraformOutputParser = (uri: string, text: string, types: ReadonlySet<string>) => TerraformPlan | undefined;

/** The last output read: the server asks for diagnostics, then hovers, over the same text. */
let lastRead: { uri: string; text: string; parse: TerraformOutputParser; facts: PlanFacts } | undefined;

/** Undefined when `text` is not a Terraform plan (decided by content, not name). */
export const readTerraformPlan = (uri: string, text: string): PlanFacts | undefined => readTerraformOutputFacts(uri, text, parseTerraformPlan);

/** The trails and keys of Terraform's JSON output as `parse` reads it; undefined when it is not that output. */
export function readTerraformOutputFacts(uri: string, text: string, parse: TerraformOutputParser): PlanFacts | undefined {
  if (lastRead?.uri === uri && lastRead.text === text && lastRead.parse === parse) return lastRead.facts;
  const plan = parse(uri, text, TYPES_READ);
  if (!plan) return undefined;
  const resources = plan.resources.filter(staysAfterApply);
  const values = new PlannedValues(uri, plan, resources);
  const trails = resources.filter((r) => r.type === TRAIL_TYPE).map((resource): TrailFacts => ({ ...trailFacts(values, resource), placement: planTrailPlacement(values, resource, resources) }));
  // A store is read as a trail is: its planned `kms_key_id`, nothing to fix in a plan.
  const eventDataStores = resources.filter((r) => r.type === EVENT_DATA_STORE_TYPE)
    .map((resource): EventDataStoreFacts => ({ ...trailFacts(values, resource), logFileValidation: {}, keyAttributeName: KEY_ATTRIBUTE }));
  // A plan knows a topic's name but rarely its ARN: a trail's topic is linked by name.
  const topics = notificationTopics({
    trails,
    topics: resources.filter((r) => r.type === TOPIC_TYPE).map((r) => values.resourceRef(r)),
    aliases: resources.filter((r) => r.type === 'aws_kms_alias').map((r) => values.resourceRef(r)),
    access: values.access,
    names: { trailTopic: 'sns_topic_name', topicName: 'name', topicKey: 'kms_master_key_id', aliasName: 'name' },
    keySetting: (topic) => findAttribute(topic.block, 'kms_master_key_id'),
    fixesFor: () => NO_TRAIL_FIXES,
  });
  const keys = planKeyFacts(values, resources, trails, { otherwiseUsed: new Set(topics.keyUsage.keys()), stores: eventDataStores });
  const topicKeys = topics.keyUsage.size > 0 ? planKeyFacts(values, resources, trails, { usage: topics.keyUsage }) : [];
  lastRead = { uri, text, parse, facts: { file: plan.file, trails, keys, eventDataStores, topics: topics.topics, topicKeys } };
  return lastRead.facts;
}

/** Not a resource this apply destroys (`["delete"]`) or stops managing (`["forget"]`); replaced ones stay. */
function staysAfterApply(resource: PlannedResource): boolean {
  if (resource.mode !== 'managed') return false;
  const actions = resource.actions ?? [];
  return actions.length === 0 || !actions.every((a) => a === 'delete' || a === 'forget');
}

function trailFacts(values: PlannedValues, resource: PlannedResource): TrailFacts {
  const key = values.keyReference(resource, KEY_ATTRIBUTE);
  return {
    format: values.format,
    uri: values.uri,
    address: resource.address,
    block: resource.block,
    keyAttribute: key.attribute,
    verdict: judge(key.value),
    logFileValidation: values.attribute(resource, VALIDATION_ATTRIBUTE),
    // "Encrypt with …" edits the trail: nothing to offer in a generated plan.
    keyCandidates: [],
    access: values.access,
    fixes: NO_TRAIL_FIXES,
  };
}

function judge(key: Value | undefined): TrailKeyVerdict {
  return key ? judgeTrailKey(resolveKeyOptions(key)) : { kind: 'no-cmk', options: [] };
}
