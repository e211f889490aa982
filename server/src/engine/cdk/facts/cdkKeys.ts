/**
 * CDK keys → key facts: the `kms.Key` / `CfnKey` constructs a trail's key resolves to
 * (directly or through a `kms.Alias`), or whose synthesised policy is written for CloudTrail,
 * with that policy (cdkPolicies.ts). `kms.Key` leaves rotation off unless `enableKeyRotation`
 * is true or a `rotationPeriod` is given without it.
 */
import type { Location } from '../../types';
import type { TrailFacts } from '../../analysis/facts';
import type { KeyFacts, KeyFixes } from '../../analysis/keyFacts';
import { keysUsedByTrails, trailArnOf } from '../../analysis/keyUsage';
import { policyAnchor } from '../../analysis/policyAnchors';
import { isWrittenForCloudTrail, parsePolicy } from '../../policy';
import type { CdkConstruct, CdkConstructs } from './cdkConstructs';
import type { CdkPolicies } from './cdkPolicies';

export function cdkKeyFacts(keys: CdkConstruct[], trails: TrailFacts[], constructs: CdkConstructs, policies: CdkPolicies, fixesOf: (key: CdkConstruct) => KeyFixes): KeyFacts[] {
  const usage = keysUsedByTrails(trails);
  const facts: KeyFacts[] = [];
  for (const key of keys) {
    const users = usage.get(key.ref.address)?.users ?? [];
    const policy = policies.keyPolicy(key);
    if (users.length === 0 && !isWrittenForCloudTrail(parsePolicy(policy))) continue;
    const uri = key.module.uri;
    const block = key.ref.block;
    const summary: Location = { uri, range: block.headerRange };
    const rotationProp = key.propsByName.get('enableKeyRotation');
    const period = key.propsByName.get('rotationPeriod');
    const rotation = constructs.prop(key, 'enableKeyRotation') ??
      (period && key.kind === 'Key' ? { kind: 'bool', value: true, origin: { uri, range: block.attributes.find((a) => a.name === 'rotationPeriod')!.range } } : undefined);
    const spec = constructs.prop(key, 'keySpec');
    const symmetric = !(spec?.kind === 'string' && !spec.partial && spec.value !== 'SYMMETRIC_DEFAULT');
    facts.push({
      format: 'cdk', kind: 'key', uri, address: key.ref.address,
      headerRange: block.headerRange, subject: block.range, usedBy: users, storeUsers: [],
      policy: policy.kind === 'null' ? undefined : { value: policy, location: { uri, range: block.range }, summary, anchor: policyAnchor({ summary, isShownIn: (u) => u === uri, lines: (u) => (u === uri ? key.module.source.lines : undefined) }) },
      rotationApplies: symmetric,
      rotation,
      rotationAttributeRange: rotationProp ? block.attributes.find((a) => a.name === 'enableKeyRotation')?.range : undefined,
      rotationAttributeName: 'enableKeyRotation',
      trailArn: trailArnOf(users, trails, 'TrailName'),
      fixes: fixesOf(key),
    });
  }
  return facts;
}
