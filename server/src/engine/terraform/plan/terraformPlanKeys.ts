/**
 * Terraform plan → key facts: the keys of a plan that are CloudTrail keys, judged on their
 * planned policy and rotation. As in a configuration (terraformKeys.ts), a key is a
 * CloudTrail key when a trail's key reference leads to it (terraformPlanValues.ts follows it)
 * or when its policy is written for CloudTrail; never by name.
 *
 * The policy is the planned `policy` of the `aws_kms_key_policy` whose `key_id` leads to the
 * key, else the key's own. KMS gives every key a policy, and the provider computes one when
 * none is set, so a plan either writes the policy or marks it known after apply: a policy the
 * plan does not write is unknown (nothing that depends on it is reported), never "no policy".
 * The policy is JSON text inside a JSON string of the plan, so a finding about any part of
 * it is shown at the `policy` attribute.
 */
import type { Location } from '../../types';
import { KEY_TYPES, resolveKeyOptions } from '../../model/keyReference';
import { unknownRuntime } from '../../model/valueOps';
import type { Value } from '../../model/values';
import { isWrittenForCloudTrail, parsePolicy } from '../../policy';
import type { PlannedResource } from './terraformPlan';
import { NO_KEY_FIXES } from '../../analysis/noFixes';
import type { TrailFacts } from '../../analysis/facts';
import type { KeyFacts, KeyPolicyFacts } from '../../analysis/keyFacts';
import { keysUsedByTrails, trailArnOf, trailArnsOf, type KeyFactsScope } from '../../analysis/keyUsage';
import { parsePolicyText } from '../../analysis/policyJson';
import { SourcedText } from '../../analysis/sourcedText';
import { KEY_RESOURCE_TYPES } from '../facts/terraformKeys';
import type { PlannedValues } from './terraformPlanValues';

const POLICY_TYPE = 'aws_kms_key_policy';

/** `resources`: those the apply leaves in place. */
export function planKeyFacts(values: PlannedValues, resources: PlannedResource[], trails: TrailFacts[], scope: KeyFactsScope = {}): KeyFacts[] {
  const usage = scope.usage ?? keysUsedByTrails(trails);
  const storeUsage = keysUsedByTrails(scope.stores ?? []);
  const attached = attachedPolicies(values, resources);
  const facts: KeyFacts[] = [];
  for (const key of resources.filter((r) => KEY_RESOURCE_TYPES.includes(r.type))) {
    const policy = plannedPolicy(values, attached.get(key.address) ?? key);
    const users = usage.get(key.address)?.users ?? [];
    // An asymmetric or HMAC key cannot serve a store at all (CTK302 says so): its policy is not judged for one.
    const storeUsers = isSymmetric(values, key) ? storeUsage.get(key.address)?.users ?? [] : [];
    const written = !scope.usage && !scope.otherwiseUsed?.has(key.address) && isWrittenForCloudTrail(parsePolicy(policy.value));
    if (users.length === 0 && storeUsers.length === 0 && !written) continue;
    const rotation = values.attribute(key, 'enable_key_rotation');
    facts.push({
      format: values.format, kind: 'key', uri: values.uri, address: key.address,
      headerRange: key.block.headerRange, subject: key.block.range, usedBy: users, storeUsers,
      policy,
      rotationApplies: key.type === 'aws_kms_key' && isSymmetric(values, key),
      rotation: rotation.value,
      rotationAttributeRange: rotation.value && rotation.attribute?.range,
      trailArn: trailArnOf(users, trails, 'name'),
      trails: trailArnsOf(users, trails, 'name'),
      fixes: NO_KEY_FIXES,
    });
  }
  // A policy for a key this plan does not hold (`key_id` is an existing key's id) is judged on its own when written for CloudTrail.
  const ownedPolicies = new Set(attached.values());
  for (const resource of scope.usage ? [] : resources.filter((r) => r.type === POLICY_TYPE && !ownedPolicies.has(r))) {
    const policy = plannedPolicy(values, resource);
    if (!isWrittenForCloudTrail(parsePolicy(policy.value))) continue;
    facts.push({
      format: values.format, kind: 'document', uri: values.uri, address: resource.address,
      headerRange: resource.block.headerRange, subject: resource.block.range, usedBy: [],
      policy, rotationApplies: false, fixes: NO_KEY_FIXES,
    });
  }
  return facts;
}

/** `aws_kms_key_policy` resources by the address of the key their `key_id` leads to. */
function attachedPolicies(values: PlannedValues, resources: PlannedResource[]): Map<string, PlannedResource> {
  const result = new Map<string, PlannedResource>();
  for (const policy of resources.filter((r) => r.type === POLICY_TYPE)) {
    const keyId = values.keyReference(policy, 'key_id').value;
    if (!keyId) continue;
    for (const option of resolveKeyOptions(keyId).options) {
      if (option.kind === 'key' && option.resource.mode === 'resource' && KEY_TYPES.has(option.resource.type)) result.set(option.resource.address, policy);
    }
  }
  return result;
}

/** The planned `policy` of a key or key policy resource, parsed, with findings shown at the attribute. */
function plannedPolicy(values: PlannedValues, owner: PlannedResource): KeyPolicyFacts {
  const { attribute, value } = values.attribute(owner, 'policy');
  const location: Location = { uri: values.uri, range: attribute?.range ?? owner.block.range };
  const summary: Location = { uri: values.uri, range: attribute?.nameRange ?? owner.block.headerRange };
  return { value: policyValue(values, value, summary), location, summary, anchor: () => summary };
}

function policyValue(values: PlannedValues, planned: Value | undefined, summary: Location): Value {
  if (!planned) return unknownRuntime('a key policy the plan does not write', summary);
  if (planned.kind !== 'string') return planned;
  const text = new SourcedText();
  text.appendMapped(planned.value, planned.origin, values.lines);
  const parsed = parsePolicyText(text);
  // The provider rejects a policy that is not JSON before a plan is made: such text is not a plan's.
  if (!parsed.value || parsed.errors.length > 0) return unknownRuntime('a key policy that is not valid JSON', planned.origin);
  return parsed.value;
}

function isSymmetric(values: PlannedValues, key: PlannedResource): boolean {
  for (const name of ['customer_master_key_spec', 'key_spec']) {
    const spec = values.attribute(key, name).value;
    if (spec?.kind === 'string' && spec.value !== 'SYMMETRIC_DEFAULT') return false;
  }
  return true;
}
