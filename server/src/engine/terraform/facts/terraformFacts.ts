/**
 * Terraform → trail facts: every `aws_cloudtrail` of a module, judged with the module's own
 * defaults, and every call of a local module whose trail gets its key from the caller.
 */
import type { Expr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../../model/keyReference';
import { resourcesOfType, type TerraformModule } from '../evaluate/terraformModule';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import type { ResourceRef } from '../../model/values';
import { HclTrailFixes } from '../fixes/hclTrailFixes';
import { createdWith, isNeverCreated } from './terraformInstances';
import { terraformBucketKey } from './terraformBucketKeys';
import { terraformTrailPlacement } from './terraformPlacement';
import type { ModelAccess, TrailFacts, TrailFixes } from '../../analysis/facts';

const TRAIL_TYPE = 'aws_cloudtrail';

export function terraformTrailFacts(evaluator: TerraformEvaluator): TrailFacts[] {
  const module = evaluator.module;
  const access = accessFor(evaluator);
  const keyCandidates = kmsKeyCandidates(evaluator);
  const facts: TrailFacts[] = [];
  for (const trail of resourcesOfType(module, TRAIL_TYPE)) {
    // A trail that `count` / `for_each` does not create under these inputs has nothing to encrypt.
    if (isNeverCreated(evaluator, trail)) continue;
    const keyAttribute = findAttribute(trail.block, 'kms_key_id');
    facts.push({
      format: 'terraform',
      uri: trail.uri,
      address: trail.address,
      block: trail.block,
      keyAttribute,
      verdict: judge(evaluator, trail),
      logFileValidation: logFileValidation(evaluator, trail),
      bucketKey: terraformBucketKey(evaluator, trail),
      placement: terraformTrailPlacement(evaluator, trail),
      keyCandidates,
      access,
      fixes: new HclTrailFixes(module, trail, keyAttribute),
    });
  }
  for (const call of module.moduleCalls.values()) facts.push(...moduleCallFacts(evaluator, call, keyCandidates, access, module));
  return facts;
}

/** Keys a trail (or event data store) can point at: not `for_each` ones (which instance?), not ones `count` leaves uncreated. */
export function kmsKeyCandidates(evaluator: TerraformEvaluator): ResourceRef[] {
  return resourcesOfType(evaluator.module, 'aws_kms_key').filter((key) => {
    if (findAttribute(key.block, 'for_each')) return false;
    const count = evaluator.evaluateAttribute(key.block, 'count', key.uri);
    return !(count?.kind === 'number' && count.value < 1);
  });
}

/** The trail's key as seen from one of its instances: a key created under its condition exists. */
export function judge(evaluator: TerraformEvaluator, trail: ResourceRef): TrailKeyVerdict {
  const value = evaluator.alongside(createdWith(evaluator.module, trail)).evaluateAttribute(trail.block, 'kms_key_id', trail.uri);
  if (!value) return { kind: 'no-cmk', options: [] };
  return judgeTrailKey(resolveKeyOptions(value));
}

/**
 * A trail inside a local module whose key comes from module inputs is reported at the call
 * when the caller's arguments leave it without a key: that is where the user fixes it.
 */
function moduleCallFacts(evaluator: TerraformEvaluator, call: ResourceRef, keyCandidates: ResourceRef[], access: ModelAccess, module: TerraformModule): TrailFacts[] {
  if (isNeverCreated(evaluator, call)) return [];
  const child = evaluator.childEvaluator(call);
  if (!child) return [];
  const facts: TrailFacts[] = [];
  for (const trail of resourcesOfType(child.module, TRAIL_TYPE)) {
    if (isNeverCreated(child, trail)) continue;
    const keyAttribute = findAttribute(trail.block, 'kms_key_id');
    if (!keyAttribute) continue;
    const mentioned = inputsOf(keyAttribute.value, { module: child.module });
    if (mentioned.length === 0) continue;
    const verdict = judge(child, trail);
    if (verdict.kind !== 'no-cmk') continue;
    // Name only the inputs on the path the caller's values take, not every input the attribute mentions.
    const taken = inputsOf(keyAttribute.value, { module: child.module, evaluator: child, createdWithTrail: createdWith(child.module, trail), uri: trail.uri });
    const inputs = taken.length > 0 ? taken : mentioned;
    const fixes = new HclTrailFixes(module, call, undefined, inputs);
    facts.push({
      format: 'terraform',
      uri: call.uri,
      address: call.address,
      block: call.block,
      verdict,
      logFileValidation: {},
      keyCandidates,
      access,
      // A key passed as a true/false switch (`use_kms = aws_kms_key.k.arn`) is no fix: then only the suppression is offered.
      fixes: inputs.some((name) => isSwitch(child, name)) ? suppressionOnly(fixes) : fixes,
      throughModule: { childAddress: trail.address, childUri: trail.uri, childBlock: trail.block, inputs },
    });
  }
  return facts;
}

/** A module input declared `type = bool`, or defaulting to true or false: it turns the key on or off, it does not name one. */
function isSwitch(child: TerraformEvaluator, name: string): boolean {
  const variable = child.module.variables.get(name);
  if (!variable) return false;
  const type = findAttribute(variable.block, 'type')?.value;
  if (type?.kind === 'traversal' && type.root === 'bool' && type.steps.length === 0) return true;
  const fallback = findAttribute(variable.block, 'default');
  return fallback !== undefined && child.evaluate(fallback.value, variable.uri)?.kind === 'bool';
}

const suppressionOnly = (fixes: TrailFixes): TrailFixes => ({
  useKey: () => undefined,
  createKey: () => undefined,
  suppress: (ruleId) => fixes.suppress(ruleId),
  enableLogFileValidation: () => undefined,
});

function logFileValidation(evaluator: TerraformEvaluator, trail: ResourceRef): TrailFacts['logFileValidation'] {
  const attribute = findAttribute(trail.block, 'enable_log_file_validation');
  return { attribute, value: attribute && evaluator.evaluate(attribute.value, trail.uri) };
}

interface InputsScope {
  module: TerraformModule;
  /** When set, a conditional whose condition it can decide contributes only the branch taken. */
  evaluator?: TerraformEvaluator;
  uri?: string;
  /** Resources created with the trail: their `count` cannot leave the trail without its key. */
  createdWithTrail?: ReadonlySet<string>;
}

/** The module variables an expression depends on, directly, through locals or a resource's `count`. */
export function inputsOf(expr: Expr, scope: InputsScope, seen = new Set<string>()): string[] {
  const { module, evaluator, uri } = scope;
  const found = new Set<string>();
  const visitLocal = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const local = module.locals.get(name);
    if (local) for (const input of inputsOf(local.attribute.value, { ...scope, uri: local.uri }, seen)) found.add(input);
  };
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'traversal': {
        const first = e.steps[0];
        if (e.source) visit(e.source);
        if (first?.kind === 'attr' && e.root === 'var') found.add(first.name);
        if (first?.kind === 'attr' && e.root === 'local') visitLocal(first.name);
        // A resource's `count` decides whether `aws_kms_key.k[*].arn` is empty.
        const address = first?.kind === 'attr' && !['var', 'local', 'module', 'data', 'count', 'each', 'path'].includes(e.root) ? `${e.root}.${first.name}` : undefined;
        const counted = address && !scope.createdWithTrail?.has(address) ? module.resources.get(address) : undefined;
        const count = counted && !seen.has(address!) ? findAttribute(counted.block, 'count') : undefined;
        if (count) {
          seen.add(address!);
          for (const name of inputsOf(count.value, { ...scope, uri: counted!.uri }, seen)) found.add(name);
        }
        for (const step of e.steps) if (step.kind === 'index') visit(step.key);
        return;
      }
      case 'template': e.parts.forEach(visit); return;
      case 'tuple': e.items.forEach(visit); return;
      case 'object': e.entries.forEach((en) => visit(en.value)); return;
      case 'call': e.args.forEach(visit); return;
      case 'conditional': {
        visit(e.condition);
        const decided = evaluator && uri ? evaluator.evaluate(e.condition, uri) : undefined;
        if (decided?.kind !== 'bool' || decided.value) visit(e.then);
        if (decided?.kind !== 'bool' || !decided.value) visit(e.else);
        return;
      }
      case 'binary': visit(e.left); visit(e.right); return;
      case 'unary': visit(e.operand); return;
      default: return;
    }
  };
  visit(expr);
  return [...found];
}

export function accessFor(evaluator: TerraformEvaluator): ModelAccess {
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

