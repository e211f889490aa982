/**
 * Each key's policy parsed and analysed for CloudTrail once, whoever asks first: the rules,
 * the hover or the overview of the workspace's trails.
 */
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';
import type { CloudTrailKeyPolicyAnalysis } from '../policy';
import type { ParsedPolicy } from '../policy/types';
import type { KeyFacts } from './keyFacts';

export interface AnalyzedKey {
  key: KeyFacts;
  policy: ParsedPolicy;
  analysis: CloudTrailKeyPolicyAnalysis;
}

const analyses = new WeakMap<KeyFacts, AnalyzedKey>();

/** A key's policy, analysed; undefined when the key has none. */
export function analyzedKey(key: KeyFacts): AnalyzedKey | undefined {
  if (!key.policy) return undefined;
  let analyzed = analyses.get(key);
  if (!analyzed) {
    const policy = parsePolicy(key.policy.value);
    analyzed = { key, policy, analysis: analyzeCloudTrailKeyPolicy(policy, { trailArn: key.trailArn }) };
    analyses.set(key, analyzed);
  }
  return analyzed;
}

/** The keys whose policy is judged here (not those with no policy, nor those judged at a document). */
export function analyzedKeys(keys: KeyFacts[]): AnalyzedKey[] {
  return keys.map(analyzedKey).filter((k): k is AnalyzedKey => k !== undefined);
}
