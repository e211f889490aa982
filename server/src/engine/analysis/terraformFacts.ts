/**
 * Terraform → trail facts: every `aws_cloudtrail` of a module, judged with the module's own
 * defaults, and every call of a local module whose trail gets its key from the caller.
 */
import type { Expr } from '../model/syntax';
import { findAttribute } from '../model/syntax';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../model/keyReference';
import { resourcesOfType, type TerraformModule } from '../model/terraformModule';
import type { TerraformEvaluator } from '../model/terraformEvaluator';
import type { ResourceRef } from '../model/values';
import { HclTrailFixes } from '../fixes/hclTrailFixes';
import type { ModelAccess, TrailFacts } from './facts';

const TRAIL_TYPE = 'aws_cloudtrail';

export function terraformTrailFacts(evaluator: TerraformEvaluator): TrailFacts[] {
  const module = evaluator.module;
  const access = accessFor(evaluator);
  // Keys a trail can point at: not `for_each` ones (which instance?), not ones `count` leaves uncreated.
  const keyCandidates = resourcesOfType(module, 'aws_kms_key').filter((key) => {
    if (findAttribute(key.block, 'for_each')) return false;
    const count = evaluator.evaluateAttribute(key.block, 'count', key.uri);
    return !(count?.kind === 'number' && count.value < 1);
  });
  const facts: TrailFacts[] = [];
  for (const trail of resourcesOfType(module, TRAIL_TYPE)) {
    const keyAttribute = findAttribute(trail.block, 'kms_key_id');
    facts.push({
      format: 'terraform',
      uri: trail.uri,
      address: trail.address,
      block: trail.block,
      keyAttribute,
      verdict: judge(evaluator, trail),
      logFileValidation: logFileValidation(evaluator, trail),
      keyCandidates,
      access,
      fixes: new HclTrailFixes(module, trail, keyAttribute),
    });
  }
  for (const call of module.moduleCalls.values()) facts.push(...moduleCallFacts(evaluator, call, keyCandidates, access, module));
  return facts;
}

function judge(evaluator: TerraformEvaluator, trail: ResourceRef): TrailKeyVerdict {
  const value = evaluator.evaluateAttribute(trail.block, 'kms_key_id', trail.uri);
  if (!value) return { kind: 'no-cmk', options: [] };
  return judgeTrailKey(resolveKeyOptions(value));
}

/**
 * A trail inside a local module whose key comes from module inputs is reported at the call
 * when the caller's arguments leave it without a key: that is where the user fixes it.
 */
function moduleCallFacts(evaluator: TerraformEvaluator, call: ResourceRef, keyCandidates: ResourceRef[], access: ModelAccess, module: TerraformModule): TrailFacts[] {
  const child = evaluator.childEvaluator(call);
  if (!child) return [];
  const facts: TrailFacts[] = [];
  for (const trail of resourcesOfType(child.module, TRAIL_TYPE)) {
    const keyAttribute = findAttribute(trail.block, 'kms_key_id');
    if (!keyAttribute) continue;
    const inputs = inputsOf(keyAttribute.value, child.module);
    if (inputs.length === 0) continue;
    const verdict = judge(child, trail);
    if (verdict.kind !== 'no-cmk') continue;
    facts.push({
      format: 'terraform',
      uri: call.uri,
      address: call.address,
      block: call.block,
      verdict,
      logFileValidation: {},
      keyCandidates,
      access,
      fixes: new HclTrailFixes(module, call, undefined, inputs),
      throughModule: { childAddress: trail.address, childUri: trail.uri, childBlock: trail.block, inputs },
    });
  }
  return facts;
}

function logFileValidation(evaluator: TerraformEvaluator, trail: ResourceRef): TrailFacts['logFileValidation'] {
  const attribute = findAttribute(trail.block, 'enable_log_file_validation');
  return { attribute, value: attribute && evaluator.evaluate(attribute.value, trail.uri) };
}

/** The module variables an expression depends on, directly or through locals. */
export function inputsOf(expr: Expr, module: TerraformModule, seen = new Set<string>()): string[] {
  const found = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'traversal': {
        const first = e.steps[0];
        if (e.source) visit(e.source);
        if (first?.kind === 'attr' && e.root === 'var') found.add(first.name);
        if (first?.kind === 'attr' && e.root === 'local' && !seen.has(first.name)) {
          seen.add(first.name);
          const local = module.locals.get(first.name);
          if (local) for (const name of inputsOf(local.attribute.value, module, seen)) found.add(name);
        }
        // A resource's `count` decides whether `aws_kms_key.k[*].arn` is empty.
        const address = first?.kind === 'attr' && !['var', 'local', 'module', 'data', 'count', 'each', 'path'].includes(e.root) ? `${e.root}.${first.name}` : undefined;
        const counted = address ? module.resources.get(address) : undefined;
        const count = counted && !seen.has(address!) ? findAttribute(counted.block, 'count') : undefined;
        if (count) {
          seen.add(address!);
          for (const name of inputsOf(count.value, module, seen)) found.add(name);
        }
        for (const step of e.steps) if (step.kind === 'index') visit(step.key);
        return;
      }
      case 'template': e.parts.forEach(visit); return;
      case 'tuple': e.items.forEach(visit); return;
      case 'object': e.entries.forEach((en) => visit(en.value)); return;
      case 'call': e.args.forEach(visit); return;
      case 'conditional': visit(e.condition); visit(e.then); visit(e.else); return;
      case 'binary': visit(e.left); visit(e.right); return;
      case 'unary': visit(e.operand); return;
      default: return;
    }
  };
  visit(expr);
  return [...found];
}

function accessFor(evaluator: TerraformEvaluator): ModelAccess {
  return {
    attribute: (resource, name) => evaluator.evaluateAttribute(resource.block, name, resource.uri),
    names: {
      keySpec: ['customer_master_key_spec', 'key_spec'],
      keyUsage: 'key_usage',
      aliasTarget: 'target_key_id',
      dataAliasName: 'name',
      dataKeyId: 'key_id',
    },
  };
}

