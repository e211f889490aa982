/**
 * Terraform plan JSON (`terraform show -json plan.out`) → trail facts: every `aws_cloudtrail`
 * the plan leaves in place, root module and child modules alike, judged on its planned values.
 *
 * A plan has already resolved every variable, module input, `count` and `for_each`, so there
 * is nothing to evaluate and no input left open (CTK002 never applies): a value is either
 * written in the plan or known only after apply. Terraform writes an unset attribute as `null`,
 * so `null` reads as "not set" (reported on the resource, as an absent attribute is), and an
 * unknown planned value is written as `null` too: `after_unknown` tells them apart. An unknown
 * `kms_key_id` is a key created or looked up in the same apply, i.e. set.
 */
import type { SourceFile } from '../model/syntax';
import { findAttribute, type Attribute, type Expr } from '../model/syntax';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../model/keyReference';
import { unknownRuntime, literalValue } from '../model/valueOps';
import type { Value } from '../model/values';
import { parseTerraformPlan, type PlannedResource } from '../parse/terraformPlan';
import type { ModelAccess, TrailFacts, TrailFixes } from './facts';

const TRAIL_TYPE = 'aws_cloudtrail';
const KEY_ATTRIBUTE = 'kms_key_id';
const VALIDATION_ATTRIBUTE = 'enable_log_file_validation';

export interface PlanFacts {
  file: SourceFile;
  trails: TrailFacts[];
}

/**
 * No key resources are read from a plan, so nothing asks for an attribute; the names are
 * Terraform's, as in a configuration.
 */
const PLAN_ACCESS: ModelAccess = {
  attribute: () => undefined,
  names: { keySpec: ['customer_master_key_spec', 'key_spec'], keyUsage: 'key_usage', aliasTarget: 'target_key_id', dataAliasName: 'name', dataKeyId: 'key_id' },
};

/**
 * A plan is generated: editing it changes nothing Terraform will apply (applying a saved plan
 * reads the binary `plan.out`, not this JSON), and the next `terraform show -json` overwrites
 * it. The fix belongs in the configuration the plan came from, so every builder declines.
 */
const NO_FIXES_IN_A_PLAN: TrailFixes = {
  useKey: () => undefined,
  createKey: () => undefined,
  suppress: () => undefined,
  enableLogFileValidation: () => undefined,
};

/** The last plan read: the server asks for diagnostics, then hovers, over the same text. */
let lastRead: { uri: string; text: string; facts: PlanFacts } | undefined;

/** Undefined when `text` is not a Terraform plan (decided by content, not name). */
export function readTerraformPlan(uri: string, text: string): PlanFacts | undefined {
  if (lastRead?.uri === uri && lastRead.text === text) return lastRead.facts;
  const plan = parseTerraformPlan(uri, text, new Set([TRAIL_TYPE]));
  if (!plan) return undefined;
  const trails = plan.resources.filter(staysAfterApply).map((resource) => trailFacts(uri, resource));
  lastRead = { uri, text, facts: { file: plan.file, trails } };
  return lastRead.facts;
}

/** Not a trail this apply destroys (`["delete"]`) or stops managing (`["forget"]`); replaced ones stay. */
function staysAfterApply(resource: PlannedResource): boolean {
  if (resource.mode !== 'managed') return false;
  const actions = resource.actions ?? [];
  return actions.length === 0 || !actions.every((a) => a === 'delete' || a === 'forget');
}

function trailFacts(uri: string, resource: PlannedResource): TrailFacts {
  const key = plannedAttribute(uri, resource, KEY_ATTRIBUTE);
  const validation = plannedAttribute(uri, resource, VALIDATION_ATTRIBUTE);
  return {
    format: 'terraform-plan',
    uri,
    address: resource.address,
    block: resource.block,
    keyAttribute: key.attribute,
    verdict: judge(key.value),
    logFileValidation: validation,
    keyCandidates: [],
    access: PLAN_ACCESS,
    fixes: NO_FIXES_IN_A_PLAN,
  };
}

/** A planned value: unknown when known only after apply; no attribute and no value when `null` or absent. */
function plannedAttribute(uri: string, resource: PlannedResource, name: string): { attribute?: Attribute; value?: Value } {
  const attribute = findAttribute(resource.block, name);
  const value = attribute && planValue(uri, attribute.value);
  if (resource.knownAfterApply.has(name) && (!value || value.kind === 'null')) {
    return { attribute, value: unknownRuntime('known after apply', attribute && { uri, range: attribute.value.range }) };
  }
  return !value || value.kind === 'null' ? {} : { attribute, value };
}

function judge(key: Value | undefined): TrailKeyVerdict {
  return key ? judgeTrailKey(resolveKeyOptions(key)) : { kind: 'no-cmk', options: [] };
}

function planValue(uri: string, expr: Expr): Value {
  const origin = { uri, range: expr.range };
  switch (expr.kind) {
    case 'literal':
      return literalValue(expr, origin);
    case 'tuple':
      return { kind: 'list', items: expr.items.map((item) => planValue(uri, item)), origin };
    case 'object': {
      const entries = new Map(expr.entries.filter((e) => e.key !== undefined).map((e) => [e.key as string, planValue(uri, e.value)]));
      const keyOrigins = new Map(expr.entries.filter((e) => e.key !== undefined).map((e) => [e.key as string, { uri, range: e.keyRange }]));
      return { kind: 'object', entries, keyOrigins, origin };
    }
    default:
      return unknownRuntime('a value the plan does not spell out', origin);
  }
}
