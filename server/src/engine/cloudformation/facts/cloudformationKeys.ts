/**
 * CloudFormation → key facts: the template's `AWS::KMS::Key` / `AWS::KMS::ReplicaKey`
 * resources that a trail's `KMSKeyId` resolves to (directly or through an `AWS::KMS::Alias`)
 * or whose `KeyPolicy` is written for CloudTrail, with the policy evaluated under the
 * parameter defaults (`!Sub`, `!Join`, `!If` with `AWS::NoValue` items).
 *
 * "Written for CloudTrail" is asked of the policy with every `Fn::If` left open: a statement
 * for CloudTrail that the defaults switch off still says what the key is for, and the
 * defaults then decide whether CloudTrail actually gets it.
 */
import type { Location } from '../../types';
import { CloudFormationEvaluator, propertiesOf, type CloudFormationTemplate } from './cloudformationEvaluator';
import type { ResourceRef, Value } from '../../model/values';
import { LineIndex } from '../../model/text';
import { isWrittenForCloudTrail, parsePolicy } from '../../policy';
import type { TrailFacts } from '../../analysis/facts';
import type { KeyFacts } from '../../analysis/keyFacts';
import { CloudFormationKeyFixes } from '../fixes/cloudformationKeyFixes';
import { fixTrailOf, keysUsedByTrails, trailArnOf, trailArnsOf, type KeyFactsScope } from '../../analysis/keyUsage';
import { policyAnchor } from '../../analysis/policyAnchors';
import { PolicyText, parsePolicyText } from '../../analysis/policyJson';

const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'];

export function cloudformationKeyFacts(template: CloudFormationTemplate, evaluator: CloudFormationEvaluator, trails: TrailFacts[], scope: KeyFactsScope = {}): KeyFacts[] {
  const usage = scope.usage ?? keysUsedByTrails(trails);
  const storeUsage = keysUsedByTrails(scope.stores ?? []);
  // The same template with no Conditions declared: every Fn::If keeps both branches.
  const open = new CloudFormationEvaluator({ ...template, conditions: new Map() });
  const lines = new LineIndex(template.file.text);
  let context: string | undefined | null;
  const facts: KeyFacts[] = [];
  for (const key of template.resources.values()) {
    if (!KEY_TYPES.includes(key.type)) continue;
    const entry = propertiesOf(key)?.entries.find((e) => e.key === 'KeyPolicy');
    const users = usage.get(key.address)?.users ?? [];
    // An asymmetric or HMAC key cannot serve a store at all (CTK302 says so): its policy is not judged for one.
    const storeUsers = isSymmetric(evaluator, key) ? storeUsage.get(key.address)?.users ?? [] : [];
    // Asked only of a key nothing uses: reading the policy with every branch open costs as much again.
    const written = (): boolean => entry !== undefined && !scope.usage && !scope.otherwiseUsed?.has(key.address) &&
      writtenForCloudTrail(lines.slice(entry.range), context ??= writtenContext(template, lines), () => isWrittenForCloudTrail(parsePolicy(policyValue(open.evaluate(entry.value), lines))));
    if (users.length === 0 && storeUsers.length === 0 && !written()) continue;
    const value = entry && policyValue(evaluator.evaluate(entry.value), lines);
    const rotation = propertiesOf(key)?.entries.find((e) => e.key === 'EnableKeyRotation');
    const summary: Location = { uri: key.uri, range: entry?.keyRange ?? key.block.headerRange };
    facts.push({
      format: 'cloudformation', kind: 'key', uri: key.uri, address: key.address,
      headerRange: key.block.headerRange, subject: key.block.range, usedBy: users, storeUsers,
      policy: entry && value && value.kind !== 'novalue'
        ? { value, location: { uri: key.uri, range: entry.range }, summary, anchor: policyAnchor({ summary, isShownIn: (u) => u === key.uri, lines: () => lines }) }
        : undefined,
      rotationApplies: key.type === 'AWS::KMS::Key' && isSymmetric(evaluator, key),
      rotation: rotation && evaluator.evaluate(rotation.value),
      rotationAttributeRange: rotation?.range,
      trailArn: trailArnOf(users, trails, 'TrailName'),
      trails: trailArnsOf(users, trails, 'TrailName'),
      fixes: new CloudFormationKeyFixes(template.file, key, entry && value && value.kind !== 'novalue' ? value : undefined, fixTrailOf(users, trails, 'TrailName')),
    });
  }
  return facts;
}

/**
 * Whether a key's policy is written for CloudTrail, remembered between keystrokes: in a large
 * template every key nothing uses is asked at each one, and its policy read with every branch
 * open costs as much as judging it. What the answer depends on: the policy's text, and what
 * the evaluator reads from elsewhere (parameter defaults, mappings, which resources exist).
 */
const writtenMemo = new Map<string, boolean>();
const WRITTEN_MEMO_LIMIT = 1024;
/** Each context seen, by a short id: the memo's keys hold the id, not the context's text. */
const contextIds = new Map<string, number>();
const CONTEXT_LIMIT = 64;
/** A YAML anchor, whose alias could bring text from anywhere into a policy: then nothing is remembered. */
const YAML_ANCHOR = /(?:^|[\s[{,:-])&[^\s,[\]{}]/m;

/** The id of what a policy's evaluation can read outside it; null when the policy's text alone cannot tell (an anchor). */
function writtenContext(template: CloudFormationTemplate, lines: LineIndex): string | null {
  if (template.file.text.includes('&') && YAML_ANCHOR.test(template.file.text)) return null;
  const declared = (blocks: Iterable<{ range: Location['range'] }>): string => [...blocks].map((b) => lines.slice(b.range)).join('\u0000');
  const resources = [...template.resources.values()].map((r) => `${r.name}:${r.type}`).join(',');
  const context = `${declared(template.parameters.values())}\u0001${declared(template.mappings.values())}\u0001${resources}`;
  let id = contextIds.get(context);
  if (id === undefined) {
    if (contextIds.size >= CONTEXT_LIMIT) {
      contextIds.clear();
      writtenMemo.clear();
    }
    id = contextIds.size;
    contextIds.set(context, id);
  }
  return String(id);
}

function writtenForCloudTrail(policyText: string, context: string | null, judge: () => boolean): boolean {
  if (context === null) return judge();
  const memoKey = `${context}\u0002${policyText}`;
  const known = writtenMemo.get(memoKey);
  if (known !== undefined) return known;
  const answer = judge();
  if (writtenMemo.size >= WRITTEN_MEMO_LIMIT) writtenMemo.clear();
  writtenMemo.set(memoKey, answer);
  return answer;
}

/** A key's `KeyPolicy` under the template's defaults; null when it has none. */
export function keyPolicyOf(evaluator: CloudFormationEvaluator, key: ResourceRef, lines: LineIndex): Value | null {
  const entry = propertiesOf(key)?.entries.find((e) => e.key === 'KeyPolicy');
  if (!entry) return null;
  const value = policyValue(evaluator.evaluate(entry.value), lines);
  return value.kind === 'novalue' ? null : value;
}

/** A `KeyPolicy` given as a JSON string (allowed, and seen in older templates) is read as JSON. */
function policyValue(value: Value, lines: LineIndex): Value {
  if (value.kind !== 'string' || value.partial) return value;
  const text = new PolicyText();
  text.appendMapped(value.value, value.origin, lines);
  const parsed = parsePolicyText(text);
  return parsed.value && parsed.errors.length === 0 ? parsed.value : { kind: 'unknown', cause: 'runtime', detail: 'a KeyPolicy string that is not JSON', origin: value.origin };
}

function isSymmetric(evaluator: CloudFormationEvaluator, key: ResourceRef): boolean {
  const spec = evaluator.property(key, 'KeySpec');
  return !(spec?.kind === 'string' && !spec.partial && spec.value !== 'SYMMETRIC_DEFAULT');
}
