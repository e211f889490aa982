/**
 * Orders the "Encrypt with …" suggestions: keys whose policy already lets CloudTrail encrypt
 * come first, and keys whose policy is known not to come after "Create a KMS key", saying so,
 * since pointing a trail at such a key makes it stop delivering logs.
 *
 * The order matters only when a fix is asked for, and judging every key's policy costs as much
 * as the key rules themselves, so it is worked out when the fixes are listed (`encryptWithFixes`).
 */
import type { Fix } from '../types';
import type { ResourceRef, Value } from '../model/values';
import type { TrailFacts } from './facts';
import type { KeyFacts } from './keyFacts';
import { analyzeCloudTrailKeyPolicy, parsePolicy } from '../policy';
import type { ParsedPolicy } from '../policy/types';

/**
 * `policyOf` gives the evaluated policy of a key that is no CloudTrail key yet (so has no key
 * facts): null when it has none, undefined when the format cannot tell here.
 */
export function preferKeysThatGrantCloudTrail<T extends TrailFacts>(
  trails: T[], keys: KeyFacts[], policyOf?: (key: ResourceRef) => Value | null | undefined,
  /** What "grants CloudTrail" means for these resources: a trail's encrypt grant by default, an event data store's needs for stores. */
  grants: (policy: ParsedPolicy) => boolean = (policy) => analyzeCloudTrailKeyPolicy(policy).encrypt.met,
): T[] {
  let judged: Map<string, boolean> | undefined;
  const encrypts = (policy: Value | null): boolean => policy !== null && grants(parsePolicy(policy));
  /** True: its policy lets CloudTrail encrypt; false: it does not (or it has none); undefined: not judged here. */
  const grantsCloudTrail = (key: ResourceRef): boolean | undefined => {
    judged ??= new Map(keys.filter((k) => k.kind === 'key' && !k.policyJudgedAt).map((k) => [k.address, encrypts(k.policy?.value ?? null)]));
    if (!judged.has(key.address) && policyOf) {
      const policy = policyOf(key);
      if (policy !== undefined) judged.set(key.address, encrypts(policy));
    }
    return judged.get(key.address);
  };
  // Read when fixes are listed (`encryptWithFixes`), which orders the candidates by it. (Redefining
  // each trail's `keyCandidates` as a sorting getter turned every trail into a slow dictionary
  // object at every keystroke.)
  for (const trail of trails) trail.keyGrantsCloudTrail = grantsCloudTrail;
  return trails;
}

/** A trail's candidate keys, those whose policy lets CloudTrail encrypt first and those known not to last. */
function orderedCandidates(trail: TrailFacts): ResourceRef[] {
  const grants = trail.keyGrantsCloudTrail;
  if (!grants || trail.keyCandidates.length < 2) return trail.keyCandidates;
  const rank = (key: ResourceRef): number => [true, undefined, false].indexOf(grants(key));
  return [...trail.keyCandidates].sort((a, b) => rank(a) - rank(b));
}

/**
 * "Encrypt with …" for each candidate key but `except`: `usable` ones go before "Create a KMS
 * key"; a key whose policy is known not to let CloudTrail encrypt goes after it, its title
 * saying so, since choosing it makes the trail stop delivering logs until the policy is fixed.
 */
export function encryptWithFixes(trail: TrailFacts, except?: string): { usable: (Fix | undefined)[]; unusable: (Fix | undefined)[] } {
  const usable: (Fix | undefined)[] = [];
  const unusable: (Fix | undefined)[] = [];
  for (const key of orderedCandidates(trail)) {
    if (key.address === except) continue;
    const fix = trail.fixes.useKey(key);
    if (trail.keyGrantsCloudTrail?.(key) !== false) usable.push(fix);
    else unusable.push(fix && { ...fix, title: `${fix.title}, ${UNUSABLE_NOTE}` });
  }
  return { usable, unusable };
}

export const UNUSABLE_NOTE = 'though its key policy does not let CloudTrail encrypt yet';
