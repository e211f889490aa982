/**
 * The values a Terraform plan gives its resources, as the rules read them, and where a key
 * reference leads.
 *
 * A plan has already resolved every variable, module input, `count` and `for_each`, so there
 * is nothing to evaluate and no input left open: a value is either written in the plan or
 * known only after apply. Terraform writes an unset attribute as `null` ("not set"), and an
 * unknown planned value is left out or written as `null` too: `after_unknown` tells them apart.
 *
 * A key reference (a trail's `kms_key_id`, an alias's `target_key_id`, a key policy's
 * `key_id`) is followed to the key or alias of the same plan it points at, the way the
 * evaluator follows `aws_kms_key.trail.arn` in a configuration, so the key rules know which
 * keys the trails use:
 * - written (a key or alias that already exists): the key whose planned `arn`, `key_id` or
 *   `id`, or the alias whose `arn` or `name`, is that text;
 * - known only after apply (created in the same apply): the resources the argument's
 *   expression refers to in the plan's `configuration`, through module inputs (`var.…`) and
 *   outputs (`module.….…`). Where `count.index` or `each.…` picks the instance, the one with
 *   the referring resource's (or module's) own key is taken when there is one.
 */
import type { Attribute, Expr, SourceFormat } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { LineIndex } from '../../model/text';
import { literalValue, unknownRuntime } from '../../model/valueOps';
import type { ResourceRef, Value } from '../../model/values';
import { parseResourceAddress, sameModuleInstance, splitAddress, type AddressStep, type ResourceAddress } from '../parse/terraformAddresses';
import type { PlanModuleConfiguration } from './terraformPlanConfiguration';
import type { PlannedResource, TerraformPlan } from './terraformPlan';
import type { ModelAccess } from '../../analysis/facts';

/** The argument of each resource type that names a key (by id, ARN or alias). */
const KEY_REFERENCE_ARGUMENTS: Record<string, string> = { aws_cloudtrail: 'kms_key_id', aws_kms_alias: 'target_key_id', aws_kms_key_policy: 'key_id', aws_sns_topic: 'kms_master_key_id' };

/** What a written key reference is compared with, by the type of the resource it may name. */
const IDENTIFYING_ATTRIBUTES: Record<string, string[]> = {
  aws_kms_key: ['arn', 'key_id', 'id'],
  aws_kms_replica_key: ['arn', 'key_id', 'id'],
  aws_kms_external_key: ['arn', 'id'],
  aws_kms_replica_external_key: ['arn', 'key_id', 'id'],
  aws_kms_alias: ['arn', 'name'],
};

/** Module inputs and outputs followed before a reference is given up on (a plan's modules do not nest deeper). */
const MAX_MODULE_HOPS = 16;

export interface PlannedAttribute {
  attribute?: Attribute;
  value?: Value;
}

interface Target {
  resource: PlannedResource;
  address: ResourceAddress;
}

interface Link {
  resource: PlannedResource;
  /** The attribute referred to: `arn` in `aws_kms_key.trail.arn`. */
  attribute: string;
}

export class PlannedValues {
  readonly access: ModelAccess;
  private readonly byAddress = new Map<string, PlannedResource>();
  private readonly refs = new Map<string, ResourceRef>();
  /** The keys and aliases the apply leaves in place: what a key reference can lead to. */
  private readonly targets: Target[] = [];

  /** `resources`: those of `plan` the apply leaves in place. */
  constructor(readonly uri: string, private readonly plan: TerraformPlan, resources: PlannedResource[]) {
    for (const resource of resources) {
      this.byAddress.set(resource.address, resource);
      const address = IDENTIFYING_ATTRIBUTES[resource.type] && parseResourceAddress(resource.address);
      if (address) this.targets.push({ resource, address });
    }
    this.access = {
      attribute: (ref, name) => {
        const resource = this.byAddress.get(ref.address);
        if (!resource) return undefined;
        return (KEY_REFERENCE_ARGUMENTS[resource.type] === name ? this.keyReference(resource, name) : this.attribute(resource, name)).value;
      },
      names: { keySpec: ['customer_master_key_spec', 'key_spec'], keyUsage: 'key_usage', aliasTarget: 'target_key_id', dataAliasName: 'name', dataKeyId: 'key_id' },
    };
  }

  get lines(): LineIndex {
    return this.plan.lines;
  }

  /** The file's format: a plan's, or a state's (read the same way). */
  get format(): SourceFormat {
    return this.plan.file.format;
  }

  /** The planned resource at this address, if the plan leaves one there. */
  plannedResource(address: string): PlannedResource | undefined {
    return this.byAddress.get(address);
  }

  /** The resource as the rules and fixes name resources everywhere (one object per resource). */
  resourceRef(resource: PlannedResource): ResourceRef {
    let ref = this.refs.get(resource.address);
    if (!ref) {
      ref = { uri: this.uri, mode: resource.mode === 'data' ? 'data' : 'resource', type: resource.type, name: resource.name, address: resource.address, block: resource.block };
      this.refs.set(resource.address, ref);
    }
    return ref;
  }

  /** A planned value: unknown when known only after apply; no attribute and no value when `null` or absent. */
  attribute(resource: PlannedResource, name: string): PlannedAttribute {
    const attribute = findAttribute(resource.block, name);
    const value = attribute && this.planValue(attribute.value);
    if (resource.knownAfterApply.has(name) && (!value || value.kind === 'null')) {
      return { attribute, value: unknownRuntime('known after apply', attribute && { uri: this.uri, range: attribute.value.range }) };
    }
    return !value || value.kind === 'null' ? {} : { attribute, value };
  }

  /** A key reference: the key or alias of this plan it leads to, else the planned value. */
  keyReference(resource: PlannedResource, name: string): PlannedAttribute {
    const planned = this.attribute(resource, name);
    const value = planned.value;
    const links = value?.kind === 'string' ? this.namedBy(value.value) : value?.kind === 'unknown' ? this.referencedBy(resource, name) : [];
    if (!value || links.length === 0) return planned;
    const options: Value[] = links.map((link) => ({ kind: 'resource-attribute', resource: this.resourceRef(link.resource), attribute: link.attribute, origin: value.origin }));
    const linked: Value = options.length === 1 ? options[0] : { kind: 'one-of', options, because: unknownRuntime('which instance, known after apply', value.origin), origin: value.origin };
    return { attribute: planned.attribute, value: linked };
  }

  /** The keys and aliases whose planned identifiers include `text`. */
  private namedBy(text: string): Link[] {
    const links: Link[] = [];
    for (const { resource } of this.targets) {
      const attribute = IDENTIFYING_ATTRIBUTES[resource.type].find((name) => {
        const value = this.attribute(resource, name).value;
        return value?.kind === 'string' && value.value === text;
      });
      if (attribute) links.push({ resource, attribute });
    }
    return links;
  }

  /** The keys and aliases the configuration says `resource`'s argument `name` refers to. */
  private referencedBy(resource: PlannedResource, name: string): Link[] {
    const address = parseResourceAddress(resource.address);
    if (!address) return [];
    const references = this.moduleConfiguration(address.modules)?.resources.get(address.resource)?.get(name) ?? [];
    return this.follow(references, address.modules, address.key, 0);
  }

  /**
   * The targets `references`, written in module instance `modules`, lead to. `instanceKey`
   * is the key `count.index` / `each.key` stand for there: the referring resource's, or the
   * module call's when following an input.
   */
  private follow(references: string[], modules: AddressStep[], instanceKey: string | undefined, hops: number, seen = new Set<string>()): Link[] {
    if (hops > MAX_MODULE_HOPS) return [];
    // Each module input or output is followed once: a hand-edited plan may list references
    // that lead back to each other, and following every path again would grow exponentially.
    const once = (step: string): boolean => {
      if (seen.has(step)) return false;
      seen.add(step);
      return true;
    };
    references = [...new Set(references)];
    const perInstance = references.some((r) => r === 'count.index' || r === 'each.key' || r === 'each.value');
    const parsed = references.map(splitAddress).filter((steps): steps is AddressStep[] => steps !== undefined);
    // Terraform lists `aws_kms_key.k[0]` and then `aws_kms_key.k`: the instance named is the one meant.
    const namedInstances = new Set(references.map(parseResourceAddress).flatMap((a) => (a?.key !== undefined ? [a.resource] : [])));
    const found = new Map<string, Link>();
    const add = (links: Link[]): void => links.forEach((link) => found.has(link.resource.address) || found.set(link.resource.address, link));
    for (const [first, second, third] of parsed) {
      if (first.name === 'var' && second && modules.length > 0) {
        const parent = modules.slice(0, -1);
        const call = modules[modules.length - 1];
        const input = this.moduleConfiguration(parent)?.moduleCalls.get(call.name)?.inputs.get(second.name);
        if (once(`input ${JSON.stringify(modules)} ${second.name}`)) add(this.follow(input ?? [], parent, call.key, hops + 1, seen));
      } else if (first.name === 'module' && second && third) {
        const child = [...modules, second];
        if (once(`output ${JSON.stringify(child)} ${third.name}`)) add(this.follow(this.moduleConfiguration(child)?.outputs.get(third.name) ?? [], child, undefined, hops + 1, seen));
      }
    }
    for (const reference of references) {
      const target = parseResourceAddress(reference);
      if (!target || target.modules.length > 0 || (target.key === undefined && namedInstances.has(target.resource))) continue;
      let matches = this.targets.filter((t) => t.address.resource === target.resource && sameModuleInstance(t.address.modules, modules) &&
        (target.key === undefined || t.address.key === target.key));
      if (target.key === undefined && perInstance && instanceKey !== undefined) {
        const own = matches.filter((t) => t.address.key === instanceKey);
        if (own.length > 0) matches = own;
      }
      add(matches.map((t) => ({ resource: t.resource, attribute: target.rest[0]?.name ?? 'id' })));
    }
    return [...found.values()];
  }

  /** The configuration of the module at `modules` (instance keys do not matter: every instance has the same one). */
  private moduleConfiguration(modules: AddressStep[]): PlanModuleConfiguration | undefined {
    let module: PlanModuleConfiguration | undefined = this.plan.configuration;
    for (const step of modules) module = module?.moduleCalls.get(step.name)?.module;
    return module;
  }

  private planValue(expr: Expr): Value {
    const origin = { uri: this.uri, range: expr.range };
    switch (expr.kind) {
      case 'literal':
        return literalValue(expr, origin);
      case 'tuple':
        return { kind: 'list', items: expr.items.map((item) => this.planValue(item)), origin };
      case 'object': {
        const keyed = expr.entries.filter((e) => e.key !== undefined);
        const entries = new Map(keyed.map((e) => [e.key as string, this.planValue(e.value)]));
        const keyOrigins = new Map(keyed.map((e) => [e.key as string, { uri: this.uri, range: e.keyRange }]));
        return { kind: 'object', entries, keyOrigins, origin };
      }
      default:
        return unknownRuntime('a value the plan does not spell out', origin);
    }
  }
}
