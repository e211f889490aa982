/**
 * Orders the "Encrypt with …" suggestions: keys whose policy already lets CloudTrail encrypt
 * come first, and keys whose policy is known not to are left out, since pointing a trail at
 * such a key makes it stop delivering logs ("Create a KMS key" is offered instead).
 *
 * The order matters only when a fix is asked for, and judging every key's policy costs as much
 * as the key rules themselves, so it is worked out on first read of `keyCandidates`.
 */
import type { ResourceRef } from '../model/values';
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';

export function preferKeysThatGrantCloudTrail(trails: TrailFacts[], keys: KeyFacts[]): TrailFacts[] {
  let judged: Map<string, boolean> | undefined;
  /** True: its policy lets CloudTrail encrypt; false: it does not (or it has none); undefined: not judged here. */
  const grantsCloudTrail = (address: string): boolean | undefined => {
    judged ??= new Map(keys.filter((k) => k.kind === 'key' && !k.policyJudgedAt).map((k) => [k.address, !!k.policy && analyzeCloudTrailKeyPolicy(parsePolicy(k.policy.value)).encrypt.met]));
    return judged.get(address);
  };
  const rank = (key: ResourceRef): number => (grantsCloudTrail(key.address) ? 0 : 1);
  for (const trail of trails) {
    const candidates = trail.keyCandidates;
    if (candidates.length === 0) continue;
    let ordered: ResourceRef[] | undefined;
    Object.defineProperty(trail, 'keyCandidates', {
      // A key whose policy is known not to let CloudTrail encrypt is no fix: the trail would stop delivering logs.
      get: () => (ordered ??= candidates.filter((k) => grantsCloudTrail(k.address) !== false).sort((a, b) => rank(a) - rank(b))),
      enumerable: true,
      configurable: true,
    });
  }
  return trails;
}
