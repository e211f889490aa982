/**
 * Terraform → key facts: the module's CloudTrail keys (a trail's `kms_key_id` resolves to
 * them, directly, through an alias, or from a local module's trail) and the policy documents
 * written for CloudTrail, each with its policy evaluated from whatever form it is written in.
 *
 * A key whose policy is an `aws_iam_policy_document` is judged at the document: findings go
 * on the document's statements (one place to fix, however many keys share it).
 */
import type { Location } from '../../types';
import type { Expr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import { KEY_TYPES, resolveKeyOptions } from '../../model/keyReference';
import { resourcesOfType } from '../evaluate/terraformModule';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import type { ResourceRef, Value } from '../../model/values';
import { isWrittenForCloudTrail, parsePolicy } from '../../policy';
import { TerraformKeyFixes } from '../fixes/terraformKeyFixes';
import type { TrailFacts } from '../../analysis/facts';
import type { KeyFacts, KeyPolicyFacts, KeyUser } from '../../analysis/keyFacts';
import { fixTrailOf, keysUsedByTrails, trailArnOf, trailArnsOf, type KeyFactsScope } from '../../analysis/keyUsage';
import { policyAnchor } from '../../analysis/policyAnchors';
import { TerraformPolicyReader, type ResolvedPolicy } from './terraformPolicies';

export const KEY_RESOURCE_TYPES = ['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key'];
const DOCUMENT_TYPE = 'aws_iam_policy_document';
const DOCUMENT_SOURCES = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'];

interface KeyPolicyOwner {
  key: ResourceRef;
  /** The resource whose `policy` applies: the key, or an `aws_kms_key_policy` for it. */
  owner: ResourceRef;
  resolved?: ResolvedPolicy;
  users: KeyUser[];
  /** The event data stores whose key this is. */
  storeUsers: KeyUser[];
  writtenForCloudTrail: boolean;
}

export function terraformKeyFacts(evaluator: TerraformEvaluator, trails: TrailFacts[], readText: (uri: string) => string | undefined, scope: KeyFactsScope = {}): KeyFacts[] {
  const module = evaluator.module;
  const reader = new TerraformPolicyReader(evaluator, readText);
  const onlyUsed = scope.usage !== undefined;
  const usage = scope.usage ?? keysUsedByTrails(trails);
  const storeUsage = keysUsedByTrails(scope.stores ?? []);
  for (const [address, users] of onlyUsed ? [] : childModuleUsers(evaluator)) {
    const key = module.resources.get(address);
    if (!key) continue;
    const entry = usage.get(address) ?? { key, users: [] };
    entry.users.push(...users);
    usage.set(address, entry);
  }
  const attached = attachedPolicies(evaluator);
  const isShownIn = (uri: string): boolean => module.files.some((f) => f.uri === uri);
  const factsContext = { evaluator, reader, isShownIn, trails };
  // An asymmetric or HMAC key cannot serve a store at all (CTK302 says so): its policy is not judged for one.
  const storeUsersOf = (key: ResourceRef): KeyUser[] => (isSymmetric(evaluator, key) ? storeUsage.get(key.address)?.users ?? [] : []);

  const keys: KeyPolicyOwner[] = resourcesOfType(module, ...KEY_RESOURCE_TYPES).map((key) => {
    const owner = attached.get(key.address) ?? key;
    const policy = findAttribute(owner.block, 'policy');
    const resolved = policy ? reader.resolve(policy.value, owner.uri) : undefined;
    const writtenForCloudTrail = !onlyUsed && !scope.otherwiseUsed?.has(key.address) && resolved !== undefined && !resolved.document && isWrittenForCloudTrail(parsePolicy(resolved.value));
    return { key, owner, resolved, users: usage.get(key.address)?.users ?? [], storeUsers: storeUsersOf(key), writtenForCloudTrail };
  });

  const facts: KeyFacts[] = [];
  const cloudTrailDocuments = new Set<string>();
  const merged = mergedDocuments(evaluator);
  for (const document of [...module.resources.values()].filter((r) => r.mode === 'data' && r.type === DOCUMENT_TYPE)) {
    const policyOf = keys.filter((k) => k.resolved?.document?.address === document.address);
    const through = (k: KeyPolicyOwner) => (u: KeyUser): KeyUser => ({ ...u, through: [...(u.through ?? []), { address: k.key.address, location: headerOf(k.key) }] });
    const users = policyOf.flatMap((k) => k.users.map(through(k)));
    const storeUsers = policyOf.flatMap((k) => k.storeUsers.map(through(k)));
    const value = reader.documentValue(document);
    const otherwiseUsed = policyOf.length > 0 && policyOf.every((k) => scope.otherwiseUsed?.has(k.key.address));
    const cloudTrail = users.length > 0 || storeUsers.length > 0 || policyOf.some((k) => k.owner !== k.key && k.users.length > 0) ||
      (!onlyUsed && !otherwiseUsed && !merged.has(document.address) && isWrittenForCloudTrail(parsePolicy(value)));
    if (!cloudTrail) continue;
    cloudTrailDocuments.add(document.address);
    facts.push({
      format: 'terraform', kind: 'document', uri: document.uri, address: document.address,
      headerRange: document.block.headerRange, subject: document.block.range, usedBy: users, storeUsers,
      usedAsPolicyOf: policyOf.map((k) => ({ address: k.key.address, location: headerOf(k.key) })),
      policy: policyFacts(factsContext, value, { uri: document.uri, range: document.block.range }, { uri: document.uri, range: document.block.headerRange }),
      rotationApplies: false,
      trailArn: trailArnOf(users, trails, 'name'),
      trails: trailArnsOf(users, trails, 'name'),
      fixes: new TerraformKeyFixes({ module, reader, target: document, policy: value, document, trail: fixTrailOf(users, trails, 'name') }),
    });
  }

  for (const { key, owner, resolved, users, storeUsers, writtenForCloudTrail } of keys) {
    const document = resolved?.document;
    if (users.length === 0 && storeUsers.length === 0 && !writtenForCloudTrail && !(document && cloudTrailDocuments.has(document.address))) continue;
    const policyAttribute = findAttribute(owner.block, 'policy');
    const hasPolicy = resolved !== undefined && resolved.value.kind !== 'null';
    const rotation = findAttribute(key.block, 'enable_key_rotation');
    facts.push({
      format: 'terraform', kind: 'key', uri: key.uri, address: key.address,
      headerRange: key.block.headerRange, subject: key.block.range, usedBy: users, storeUsers,
      policy: hasPolicy && !document && policyAttribute
        ? { ...policyFacts(factsContext, resolved.value, { uri: owner.uri, range: policyAttribute.range }, { uri: owner.uri, range: policyAttribute.nameRange }),
          owner: owner === key ? undefined : { uri: owner.uri, range: owner.block.range } }
        : undefined,
      policyJudgedAt: hasPolicy && document ? document.address : undefined,
      rotationApplies: key.type === 'aws_kms_key' && isSymmetric(evaluator, key),
      rotation: rotation && evaluator.evaluate(rotation.value, key.uri),
      rotationAttributeRange: rotation?.range,
      trailArn: trailArnOf(users, trails, 'name'),
      trails: trailArnsOf(users, trails, 'name'),
      fixes: new TerraformKeyFixes({ module, reader, target: owner, policy: hasPolicy ? resolved.value : undefined, key, trail: fixTrailOf(users, trails, 'name') }),
    });
  }

  // A policy attached to a key declared elsewhere (`key_id = var.key_id`) is judged on its own when written for CloudTrail.
  for (const policyResource of onlyUsed ? [] : resourcesOfType(module, 'aws_kms_key_policy')) {
    if ([...attached.values()].includes(policyResource)) continue;
    const policy = findAttribute(policyResource.block, 'policy');
    const resolved = policy && reader.resolve(policy.value, policyResource.uri);
    if (!policy || !resolved || resolved.document || !isWrittenForCloudTrail(parsePolicy(resolved.value))) continue;
    facts.push({
      format: 'terraform', kind: 'document', uri: policyResource.uri, address: policyResource.address,
      headerRange: policyResource.block.headerRange, subject: policyResource.block.range, usedBy: [],
      policy: policyFacts(factsContext, resolved.value, { uri: policyResource.uri, range: policy.range }, { uri: policyResource.uri, range: policy.nameRange }),
      rotationApplies: false,
      fixes: new TerraformKeyFixes({ module, reader, target: policyResource, policy: resolved.value }),
    });
  }
  return facts;
}

function policyFacts(context: { reader: TerraformPolicyReader; isShownIn: (uri: string) => boolean }, value: Value, location: Location, summary: Location): KeyPolicyFacts {
  return { value, location, summary, anchor: policyAnchor({ summary, isShownIn: context.isShownIn, lines: (uri) => context.reader.lines(uri) }) };
}

const headerOf = (resource: ResourceRef): Location => ({ uri: resource.uri, range: resource.block.headerRange });

/** `aws_kms_key_policy` resources by the address of the key they set the policy of. */
function attachedPolicies(evaluator: TerraformEvaluator): Map<string, ResourceRef> {
  const result = new Map<string, ResourceRef>();
  for (const policy of resourcesOfType(evaluator.module, 'aws_kms_key_policy')) {
    const keyId = evaluator.evaluateAttribute(policy.block, 'key_id', policy.uri);
    if (!keyId) continue;
    for (const option of resolveKeyOptions(keyId).options) {
      if (option.kind === 'key' && option.resource.mode === 'resource' && KEY_TYPES.has(option.resource.type)) result.set(option.resource.address, policy);
    }
  }
  return result;
}

/** Trails in local child modules whose key is one of this module's keys, passed in by the call. */
function childModuleUsers(evaluator: TerraformEvaluator): Map<string, KeyUser[]> {
  const result = new Map<string, KeyUser[]>();
  for (const call of evaluator.module.moduleCalls.values()) {
    const child = evaluator.childEvaluator(call);
    if (!child) continue;
    for (const trail of resourcesOfType(child.module, 'aws_cloudtrail')) {
      const value = child.evaluateAttribute(trail.block, 'kms_key_id', trail.uri);
      if (!value) continue;
      for (const option of resolveKeyOptions(value).options) {
        if (option.kind !== 'key' || evaluator.module.resources.get(option.resource.address)?.block !== option.resource.block) continue;
        const users = result.get(option.resource.address) ?? [];
        users.push({ address: `${call.address}.${trail.address}`, location: headerOf(trail), through: [{ address: call.address, location: headerOf(call) }] });
        result.set(option.resource.address, users);
      }
    }
  }
  return result;
}

/** Documents merged into another document (its sources and overrides): judged as part of that one. */
function mergedDocuments(evaluator: TerraformEvaluator): Set<string> {
  const result = new Set<string>();
  const visit = (expr: Expr): void => {
    if (expr.kind === 'traversal' && expr.root === 'data') {
      const [type, name] = expr.steps;
      if (type?.kind === 'attr' && type.name === DOCUMENT_TYPE && name?.kind === 'attr') result.add(`data.${DOCUMENT_TYPE}.${name.name}`);
    } else if (expr.kind === 'tuple') expr.items.forEach(visit);
    else if (expr.kind === 'call') expr.args.forEach(visit);
    else if (expr.kind === 'template') expr.parts.forEach(visit);
  };
  for (const resource of evaluator.module.resources.values()) {
    if (resource.type !== DOCUMENT_TYPE) continue;
    for (const name of DOCUMENT_SOURCES) {
      const attribute = findAttribute(resource.block, name);
      if (attribute) visit(attribute.value);
    }
  }
  return result;
}

export function isSymmetric(evaluator: TerraformEvaluator, key: ResourceRef): boolean {
  for (const name of ['customer_master_key_spec', 'key_spec']) {
    const spec = evaluator.evaluateAttribute(key.block, name, key.uri);
    if (spec?.kind === 'string' && !spec.partial && spec.value !== 'SYMMETRIC_DEFAULT') return false;
  }
  return true;
}
