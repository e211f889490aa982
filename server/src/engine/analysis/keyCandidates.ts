/**
 * Orders the "Encrypt with …" suggestions: keys whose policy already lets CloudTrail encrypt
 * come first, since pointing a trail at any other key makes it stop delivering logs.
 *
 * The order matters only when a fix is asked for, and judging every key's policy costs as much
 * as the key rules themselves, so it is worked out on first read of `keyCandidates`.
 */
import type { ResourceRef } from '../model/values';
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';

export function preferKeysThatGrantCloudTrail(trails: TrailFacts[], keys: KeyFacts[]): TrailFacts[] {
  let ready: Set<string> | undefined;
  const grantsCloudTrail = (address: string): boolean => {
    ready ??= new Set(keys.filter((k) => k.kind === 'key' && k.policy && analyzeCloudTrailKeyPolicy(parsePolicy(k.policy.value)).encrypt.met).map((k) => k.address));
    return ready.has(address);
  };
  for (const trail of trails) {
    const candidates = trail.keyCandidates;
    if (candidates.length < 2) continue;
    let ordered: ResourceRef[] | undefined;
    Object.defineProperty(trail, 'keyCandidates', {
      get: () => (ordered ??= [...candidates].sort((a, b) => Number(grantsCloudTrail(b.address)) - Number(grantsCloudTrail(a.address)))),
      enumerable: true,
      configurable: true,
    });
  }
  return trails;
}
