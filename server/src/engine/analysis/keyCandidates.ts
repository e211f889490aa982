/**
 * Orders the "Encrypt with …" suggestions: keys whose policy already lets CloudTrail encrypt
 * come first, since pointing a trail at any other key makes it stop delivering logs.
 */
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';

export function preferKeysThatGrantCloudTrail(trails: TrailFacts[], keys: KeyFacts[]): TrailFacts[] {
  const ready = new Set(keys.filter((k) => k.kind === 'key' && k.policy && analyzeCloudTrailKeyPolicy(parsePolicy(k.policy.value)).encrypt.met).map((k) => k.address));
  if (ready.size === 0) return trails;
  for (const trail of trails) {
    trail.keyCandidates = [...trail.keyCandidates].sort((a, b) => Number(ready.has(b.address)) - Number(ready.has(a.address)));
  }
  return trails;
}
