/**
 * Each key's policy parsed and analysed for CloudTrail once, whoever asks first: the rules,
 * the hover or the overview of the workspace's trails.
 */
import { analyzeCloudTrailKeyPolicy, analyzeEventDataStoreKeyPolicy, parsePolicy } from '../policy';
import type { CloudTrailKeyPolicyAnalysis, EventDataStoreKeyPolicyAnalysis } from '../policy';
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

export interface AnalyzedStoreKey {
  key: KeyFacts;
  policy: ParsedPolicy;
  analysis: EventDataStoreKeyPolicyAnalysis;
}

const storeAnalyses = new WeakMap<KeyFacts, AnalyzedStoreKey>();

/**
 * The keys of event data stores whose policy is judged here, analysed for CloudTrail Lake's
 * needs once (CTK303 and CTK304 share it). Keys no store uses are left out.
 */
export function analyzedStoreKeys(keys: KeyFacts[]): AnalyzedStoreKey[] {
  const result: AnalyzedStoreKey[] = [];
  for (const key of keys) {
    if ((key.storeUsers ?? []).length === 0) continue;
    const analyzed = analyzedKey(key);
    if (!analyzed) continue;
    let store = storeAnalyses.get(key);
    if (!store) {
      store = { key, policy: analyzed.policy, analysis: analyzeEventDataStoreKeyPolicy(analyzed.policy) };
      storeAnalyses.set(key, store);
    }
    result.push(store);
  }
  return result;
}
