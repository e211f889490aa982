/**
 * Each notification-topic key's policy parsed and analysed for CloudTrail's publishing once,
 * whoever asks first: CTK401, or a trail-key rule that must leave the publish grant alone.
 */
import { analyzeTopicKeyPolicy, parsePolicy, type TopicKeyPolicyAnalysis } from '../policy';
import type { ParsedPolicy } from '../policy/types';
import type { KeyFacts } from './keyFacts';

export interface AnalyzedTopicKey {
  policy: ParsedPolicy;
  analysis: TopicKeyPolicyAnalysis;
}

const analyses = new WeakMap<KeyFacts, AnalyzedTopicKey>();

/** A topic key's policy, analysed; undefined when the key has none here. */
export function analyzedTopicKey(key: KeyFacts): AnalyzedTopicKey | undefined {
  if (!key.policy) return undefined;
  let analyzed = analyses.get(key);
  if (!analyzed) {
    const policy = parsePolicy(key.policy.value);
    analyzed = { policy, analysis: analyzeTopicKeyPolicy(policy, { trailArn: key.trailArn }) };
    analyses.set(key, analyzed);
  }
  return analyzed;
}

/**
 * The statements (by index) that let CloudTrail publish to a trail's topic encrypted with the
 * key or document at `address`. AWS documents that grant without a condition, and SNS's
 * requests carry no CloudTrail encryption context: scoping it like a log-file grant would
 * stop the notifications.
 */
export function topicPublishGrants(topicKeys: KeyFacts[], address: string): Set<number> {
  const grants = new Set<number>();
  for (const key of topicKeys) {
    if (key.address !== address) continue;
    for (const result of Object.values(analyzedTopicKey(key)?.analysis.actions ?? {})) {
      if (result.met) for (const statement of result.statements) grants.add(statement.index);
    }
  }
  return grants;
}
