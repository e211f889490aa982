/**
 * Hover for a trail or a CloudTrail key: the resolved chain (trail → alias → key → policy)
 * and one line per requirement, so a reader sees at once what the linter concluded and why,
 * without waiting for a squiggle.
 */
import type { Position, Range } from '../types';
import { rangeContains } from '../types';
import { describeValue } from '../model/valueOps';
import type { Value } from '../model/values';
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';
import type { CloudTrailKeyPolicyAnalysis, RequirementResult } from '../policy';
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';

export function hoverAt(trails: TrailFacts[], keys: KeyFacts[], uri: string, position: Position): string | undefined {
  const at: Range = { start: position, end: position };
  const inside = (fileUri: string, range: Range): boolean => fileUri === uri && rangeContains(range, at);
  const trail = trails.find((t) => inside(t.uri, t.block.range));
  if (trail) return trailHover(trail, keys);
  const key = keys.find((k) => inside(k.uri, k.subject));
  return key && keyHover(key, keys);
}

function trailHover(trail: TrailFacts, keys: KeyFacts[]): string {
  const lines = [`**${trail.address}** (CloudTrail trail)`, ''];
  const used = keys.filter((k) => k.usedBy.some((u) => u.address === trail.address));
  const own = used.filter((k) => k.kind === 'key');
  if (trail.verdict.kind === 'no-cmk') lines.push('- ✗ encrypted with a customer-managed KMS key: no key is set (SSE-S3 only)');
  else if (trail.verdict.kind === 'unresolved') lines.push(`- ? customer-managed KMS key: depends on ${trail.verdict.input.detail}`);
  else if (own.length === 0) lines.push(`- key: ${trail.verdict.options.map((o) => describeValue(o.value)).join(' or ')} (not declared here)`);
  for (const key of own) lines.push(...keyLines(key, keys, trail.address));
  lines.push(check(isOn(trail.logFileValidation.value), 'log file validation'));
  return lines.join('\n');
}

function keyHover(key: KeyFacts, keys: KeyFacts[]): string {
  const what = key.kind === 'key' ? 'CloudTrail key' : 'CloudTrail key policy';
  const lines = [`**${key.address}** (${what})`, ''];
  for (const user of key.usedBy) lines.push(`- used by ${chainOf(user.address, user.through?.map((s) => s.address) ?? [], key.address)}`);
  if (key.usedBy.length === 0) lines.push('- no trail here uses it; its policy is written for CloudTrail');
  lines.push(...requirementLines(key, keys));
  return lines.join('\n');
}

function keyLines(key: KeyFacts, keys: KeyFacts[], trailAddress: string): string[] {
  const user = key.usedBy.find((u) => u.address === trailAddress);
  const policy = key.policyJudgedAt ?? (key.policy ? 'policy' : 'default key policy');
  return [`- chain: ${chainOf(trailAddress, user?.through?.map((s) => s.address) ?? [], key.address)} → ${policy}`, ...requirementLines(key, keys)];
}

function requirementLines(key: KeyFacts, keys: KeyFacts[]): string[] {
  const lines: string[] = [];
  const judged = key.policyJudgedAt ? keys.find((k) => k.address === key.policyJudgedAt) : key;
  const analysis = judged?.policy && analyzeCloudTrailKeyPolicy(parsePolicy(judged.policy.value), { trailArn: judged.trailArn });
  if (!judged?.policy || !analysis) {
    lines.push('- ✗ CloudTrail can encrypt (kms:GenerateDataKey*): no key policy, so KMS applies its default policy, which trusts only the account');
  } else {
    lines.push(...policyLines(analysis));
  }
  if (key.kind === 'key' && key.rotationApplies) lines.push(check(isOn(key.rotation), 'automatic key rotation'));
  return lines;
}

function policyLines(analysis: CloudTrailKeyPolicyAnalysis): string[] {
  return [
    requirement(analysis.encrypt, 'CloudTrail can encrypt (kms:GenerateDataKey*)'),
    requirement(analysis.encryptScoped, 'the grant is scoped to your trails or account'),
    requirement(analysis.describe, 'CloudTrail can describe the key (kms:DescribeKey)'),
    requirement(analysis.readers, 'someone can decrypt the logs'),
    check(analysis.decryptTooBroad.length === 0, 'kms:Decrypt is not open to every AWS account'),
  ];
}

function requirement<R extends string>(result: RequirementResult<R>, label: string): string {
  const mark = result.met ? (result.certain ? '✓' : '✓?') : '✗';
  return `- ${mark} ${label}${result.reason ? ` (${result.reason})` : ''}`;
}

const check = (ok: boolean | undefined, label: string): string => `- ${ok === undefined ? '?' : ok ? '✓' : '✗'} ${label}`;

const chainOf = (trail: string, through: string[], key: string): string => [trail, ...through, key].join(' → ');

/** true / false when known, undefined when it depends on something unknown. */
function isOn(value: Value | undefined): boolean | undefined {
  if (!value || value.kind === 'null') return false;
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'string' && !value.partial) return value.value.toLowerCase() === 'true';
  if (value.kind === 'one-of') {
    const options = value.options.map(isOn);
    return options.every((o) => o === options[0]) ? options[0] : undefined;
  }
  return undefined;
}
