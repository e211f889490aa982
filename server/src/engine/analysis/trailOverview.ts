/**
 * What a trail's encryption comes to, as data: the chain from the trail to its key and one
 * line per requirement (CloudTrail can encrypt, the grant is scoped, CloudTrail can describe
 * the key, someone can read the logs, rotation, log file validation), each met, not met or
 * unknown, with the place it is decided. The hover renders it as Markdown; the language
 * server hands it to editors for an overview of the workspace's trails.
 */
import type { Location } from '../types';
import { describeValue } from '../model/valueOps';
import type { Value } from '../model/values';
import { analyzedKey } from './analyzedKeys';
import type { RequirementResult } from '../policy';
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';

export type RequirementId = 'encrypt' | 'scoped' | 'describe' | 'readers' | 'decrypt-open' | 'rotation' | 'validation';

/**
 * `likely`: met as far as can be seen, with a condition on something not known (the trail's
 * region or account in a plan). `unknown`: it hangs on something the engine cannot see (an
 * input, a key declared elsewhere).
 */
export type Mark = 'met' | 'likely' | 'unmet' | 'unknown';

export interface RequirementLine {
  id: RequirementId;
  mark: Mark;
  label: string;
  /** Why it is not met, or what it depends on. */
  reason?: string;
  /** Where it is decided: the policy, the rotation setting, the validation setting. */
  location?: Location;
}

export interface ChainStep {
  address: string;
  location?: Location;
}

export interface TrailOverview {
  address: string;
  location: Location;
  /** Trail → alias → key, one chain per key the trail may use; empty when no key is declared here. */
  chains: ChainStep[][];
  /** What the key reference comes to when no chain exists ("no key", "depends on var.key", an ARN). */
  keyNote?: string;
  requirements: RequirementLine[];
}

const LABELS: Record<RequirementId, string> = {
  encrypt: 'CloudTrail can encrypt (kms:GenerateDataKey*)',
  scoped: 'the grant is scoped to your trails or account',
  describe: 'CloudTrail can describe the key (kms:DescribeKey)',
  readers: 'someone can decrypt the logs',
  'decrypt-open': 'kms:Decrypt is not open to every AWS account',
  rotation: 'automatic key rotation',
  validation: 'log file validation',
};

const NOTHING_TO_SCOPE = 'no CloudTrail grant to scope';

const POLICY_IDS: RequirementId[] = ['encrypt', 'scoped', 'describe', 'readers', 'decrypt-open'];

export function trailOverview(trail: TrailFacts, keys: KeyFacts[]): TrailOverview {
  const own = keys.filter((k) => k.kind === 'key' && k.usedBy.some((u) => u.address === trail.address));
  const overview: TrailOverview = {
    address: trail.address,
    location: { uri: trail.uri, range: trail.block.headerRange },
    chains: own.map((key) => chainTo(trail, key)),
    requirements: [],
  };
  const unknownKey = (reason: string): RequirementLine[] =>
    [...POLICY_IDS, 'rotation' as const].map((id) => line(id, 'unknown', reason));
  if (trail.verdict.kind === 'no-cmk') {
    overview.keyNote = 'no KMS key: logs are encrypted with SSE-S3 only';
    overview.requirements.push(line('encrypt', 'unmet', 'no customer-managed KMS key is set'),
      ...unknownKey('no key to judge').filter((l) => l.id !== 'encrypt'));
  } else if (trail.verdict.kind === 'unresolved') {
    overview.keyNote = `depends on ${trail.verdict.input.detail}`;
    overview.requirements.push(...unknownKey(`the key depends on ${trail.verdict.input.detail}`));
  } else if (own.length === 0) {
    overview.keyNote = `${trail.verdict.options.map((o) => describeValue(o.value)).join(' or ')} (not declared here)`;
    overview.requirements.push(...unknownKey('the key is not declared in this workspace, so its policy is not visible'));
  } else {
    overview.requirements.push(...worstOf(own.map((key) => keyRequirements(key, keys))));
  }
  overview.requirements.push(line('validation', markOf(isOn(trail.logFileValidation.value)), undefined,
    { uri: trail.uri, range: trail.logFileValidation.attribute?.range ?? trail.block.headerRange }));
  return overview;
}

/** The requirements a key (or a policy document) meets for CloudTrail, as its policy and settings say. */
export function keyRequirements(key: KeyFacts, keys: KeyFacts[]): RequirementLine[] {
  const lines: RequirementLine[] = [];
  const judged = key.policyJudgedAt ? keys.find((k) => k.address === key.policyJudgedAt) : key;
  const policy = judged?.policy;
  const analysis = judged && analyzedKey(judged)?.analysis;
  if (!policy || !analysis) {
    const at = { uri: key.uri, range: key.headerRange };
    const why = 'no key policy, so KMS applies its default policy, which trusts only the account';
    lines.push(line('encrypt', 'unmet', why, at), line('scoped', 'unknown', NOTHING_TO_SCOPE, at),
      line('describe', 'unmet', 'the default key policy grants CloudTrail nothing', at), line('readers', 'unknown', 'depends on the account\'s IAM policies', at));
  } else {
    const at = policy.summary;
    // Without a grant to CloudTrail there is nothing to scope: say so rather than tick it.
    const scoped = analysis.encrypt.met ? fromResult('scoped', analysis.encryptScoped, at) : line('scoped', 'unknown', NOTHING_TO_SCOPE, at);
    lines.push(fromResult('encrypt', analysis.encrypt, at), scoped,
      fromResult('describe', analysis.describe, at), fromResult('readers', analysis.readers, at),
      line('decrypt-open', analysis.decryptTooBroad.length === 0 ? 'met' : 'unmet', undefined, at));
  }
  if (key.kind === 'key') {
    const at = { uri: key.uri, range: key.rotationAttributeRange ?? key.headerRange };
    lines.push(key.rotationApplies ? line('rotation', markOf(isOn(key.rotation)), undefined, at)
      : line('rotation', 'unknown', 'automatic rotation does not apply to this kind of key', at));
  }
  return lines;
}

function chainTo(trail: TrailFacts, key: KeyFacts): ChainStep[] {
  const user = key.usedBy.find((u) => u.address === trail.address);
  return [
    { address: trail.address, location: user?.location ?? { uri: trail.uri, range: trail.block.headerRange } },
    ...(user?.through ?? []).map((s) => ({ address: s.address, location: s.location })),
    { address: key.address, location: { uri: key.uri, range: key.headerRange } },
    policyStep(key),
  ];
}

/** The last step: the policy that is judged (a document of its own, the key's, or KMS's default). */
export function policyStep(key: KeyFacts): ChainStep {
  if (key.policyJudgedAt) return { address: key.policyJudgedAt };
  return key.policy ? { address: 'policy', location: key.policy.summary } : { address: 'default key policy' };
}

/** A trail that may use one of several keys is only as good as the worst of them. */
function worstOf(perKey: RequirementLine[][]): RequirementLine[] {
  const rank: Record<Mark, number> = { met: 0, likely: 1, unknown: 2, unmet: 3 };
  const [first, ...rest] = perKey;
  return first.map((l) => rest.flatMap((lines) => lines.filter((o) => o.id === l.id)).reduce((a, b) => (rank[b.mark] > rank[a.mark] ? b : a), l));
}

function line(id: RequirementId, mark: Mark, reason?: string, location?: Location): RequirementLine {
  return { id, mark, label: LABELS[id], reason, location };
}

function fromResult<R extends string>(id: RequirementId, result: RequirementResult<R>, location: Location): RequirementLine {
  return line(id, result.met ? (result.certain ? 'met' : 'likely') : 'unmet', result.reason, location);
}

const markOf = (ok: boolean | undefined): Mark => (ok === undefined ? 'unknown' : ok ? 'met' : 'unmet');

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
