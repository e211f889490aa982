/**
 * Orders the "Encrypt with …" suggestions: keys whose policy already lets CloudTrail encrypt
 * come first, and keys whose policy is known not to are left out, since pointing a trail at
 * such a key makes it stop delivering logs ("Create a KMS key" is offered instead).
 *
 * The order matters only when a fix is asked for, and judging every key's policy costs as much
 * as the key rules themselves, so it is worked out on first read of `keyCandidates`.
 */
import type { ResourceRef, Value } from '../model/values';
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';

/**
 * `policyOf` gives the evaluated policy of a key that is no CloudTrail key yet (so has no key
 * facts): null when it has none, undefined when the format cannot tell here.
 */
export function preferKeysThatGrantCloudTrail(trails: TrailFacts[], keys: KeyFacts[], policyOf?: (key: ResourceRef) => Value | null | undefined): TrailFacts[] {
  let judged: Map<string, boolean> | undefined;
  const encrypts = (policy: Value | null): boolean => policy !== null && analyzeCloudTrailKeyPolicy(parsePolicy(policy)).encrypt.met;
  /** True: its policy lets CloudTrail encrypt; false: it does not (or it has none); undefined: not judged here. */
  const grantsCloudTrail = (key: ResourceRef): boolean | undefined => {
    judged ??= new Map(keys.filter((k) => k.kind === 'key' && !k.policyJudgedAt).map((k) => [k.address, encrypts(k.policy?.value ?? null)]));
    if (!judged.has(key.address) && policyOf) {
      const policy = policyOf(key);
      if (policy !== undefined) judged.set(key.address, encrypts(policy));
    }
    return judged.get(key.address);
  };
  const rank = (key: ResourceRef): number => (grantsCloudTrail(key) ? 0 : 1);
  for (const trail of trails) {
    const candidates = trail.keyCandidates;
    if (candidates.length === 0) continue;
    let ordered: ResourceRef[] | undefined;
    Object.defineProperty(trail, 'keyCandidates', {
      // A key whose policy is known not to let CloudTrail encrypt is no fix: the trail would stop delivering logs.
      get: () => (ordered ??= candidates.filter((k) => grantsCloudTrail(k) !== false).sort((a, b) => rank(a) - rank(b))),
      enumerable: true,
      configurable: true,
    });
  }
  return trails;
}
