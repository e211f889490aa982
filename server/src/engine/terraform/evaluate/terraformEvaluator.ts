/**
 * Evaluates Terraform expressions as far as they can be known before `plan`: literals,
 * variables (caller input, auto-loaded tfvars, default), locals, conditionals, the functions
 * in terraformFunctions.ts, `count`, and references to resources and to local modules'
 * outputs. What cannot be known becomes an `unknown` value that says why.
 *
 * One evaluator evaluates one module instance: the root module, or a local module called
 * with the caller's arguments (`inputs`), so `module "trail" { kms_key_id = "" }` is judged
 * against the trail inside it.
 */
import { spend } from '../../analysisBudget';
import type { Location, Range } from '../../types';
import type { Block, Expr, TraversalStep } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { TerraformModule } from './terraformModule';
import { TERRAFORM_FUNCTIONS } from './terraformFunctions';
import type { ResourceRef, UnknownValue, Value } from '../../model/values';
import { chooseBranch, describeValue, evaluationError, firstUnknown, literalValue, mapOptions, mapOptionsN, oneOf, unknownInput, unknownRuntime, withTrace } from '../../model/valueOps';
import { LineIndex } from '../../model/text';

/** Finds the module in a folder (local module calls); undefined when it is not in the workspace. */
export interface ModuleLoader {
  (dirUri: string): TerraformModule | undefined;
  /**
   * Where `terraform init` installed a registry or git module, from the root module's
   * `.terraform/modules/modules.json`; `key` is the call path (`trail`, `trail.kms`).
   */
  installedModule?(rootDirUri: string, key: string): string | undefined;
}

/** How deep local module calls and reference chains may go before we stop (cycles, recursion). */
const MAX_DEPTH = 24;

export interface ModuleCaller {
  evaluator: TerraformEvaluator;
  call: ResourceRef;
}

export class TerraformEvaluator {
  private readonly memo = new Map<string, Value>();
  private readonly inProgress = new Set<string>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  /** One evaluator per module call, so every `module.x.…` reference shares its memo. */
  private readonly children = new Map<string, TerraformEvaluator | undefined>();

  constructor(
    readonly module: TerraformModule,
    private readonly loadModule: ModuleLoader,
    /** Set when this module is evaluated as called from another module. */
    readonly caller?: ModuleCaller,
    private readonly depth = 0,
    /** The module call path from the root (`""` for the root, `trail.kms` below). */
    private readonly moduleKey = '',
    private readonly rootDirUri = module.dirUri,
    /**
     * Resources whose `count` / `for_each` is the very expression of the resource being judged:
     * wherever that resource has an instance, they have the matching one.
     */
    private readonly createdAlongside: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * This module judged from inside one resource's instance: `addresses` are created exactly
   * when it is (the same condition), so `aws_kms_key.k[0]` exists wherever the trail does.
   * A fresh evaluator, because locals computed under that assumption must not leak out.
   */
  alongside(addresses: ReadonlySet<string>): TerraformEvaluator {
    if (addresses.size === 0) return this;
    return new TerraformEvaluator(this.module, this.loadModule, this.caller, this.depth, this.moduleKey, this.rootDirUri, addresses);
  }

  evaluateAttribute(block: Block, name: string, uri: string): Value | undefined {
    const attribute = findAttribute(block, name);
    return attribute ? this.evaluate(attribute.value, uri) : undefined;
  }

  evaluate(expr: Expr, uri: string): Value {
    spend();
    const origin: Location = { uri, range: expr.range };
    switch (expr.kind) {
      case 'literal':
        return literalValue(expr, origin);
      case 'template':
        return this.template(expr.parts, uri, origin);
      case 'tuple':
        return { kind: 'list', items: expr.items.map((i) => this.evaluate(i, uri)), origin };
      case 'object': {
        const entries = new Map<string, Value>();
        const keyOrigins = new Map<string, Location>();
        for (const entry of expr.entries) {
          if (entry.key === undefined) continue;
          entries.set(entry.key, this.evaluate(entry.value, uri));
          keyOrigins.set(entry.key, { uri, range: entry.keyRange });
        }
        return { kind: 'object', entries, keyOrigins, origin };
      }
      case 'traversal':
        return this.traversal(expr, uri, origin);
      case 'call': {
        const fn = TERRAFORM_FUNCTIONS[expr.name];
        if (!fn) return unknownRuntime(`${expr.name}() is computed`, origin);
        return withOrigin(fn(expr.args.map((a) => this.evaluate(a, uri))), origin);
      }
      case 'conditional': {
        const condition = this.evaluate(expr.condition, uri);
        return chooseBranch(condition, () => this.evaluate(expr.then, uri), () => this.evaluate(expr.else, uri));
      }
      case 'binary':
        return withOrigin(this.binary(expr.op, expr.left, expr.right, uri), origin);
      case 'unary': {
        const operand = this.evaluate(expr.operand, uri);
        return mapOptions(operand, (v) => {
          if (expr.op === '!' && v.kind === 'bool') return { kind: 'bool', value: !v.value, origin };
          if (expr.op === '-' && v.kind === 'number') return { kind: 'number', value: -v.value, origin };
          return v.kind === 'unknown' ? v : unknownRuntime(`${expr.op} of a computed value`, origin);
        });
      }
      case 'unknown':
        return unknownRuntime(expr.text ? `\`${truncate(expr.text)}\`` : 'an incomplete expression', origin);
    }
  }

  private binary(op: string, leftExpr: Expr, rightExpr: Expr, uri: string): Value {
    const left = this.evaluate(leftExpr, uri);
    // Short-circuit on a known left side, so `false && var.unset` is known to be false.
    if (op === '&&' && left.kind === 'bool' && !left.value) return left;
    if (op === '||' && left.kind === 'bool' && left.value) return left;
    const right = this.evaluate(rightExpr, uri);
    if (op === '&&' && right.kind === 'bool' && !right.value) return right;
    if (op === '||' && right.kind === 'bool' && right.value) return right;
    return mapOptionsN([left, right], ([l, r]) => applyBinary(op, l, r));
  }

  private template(parts: Expr[], uri: string, origin: Location): Value {
    const values = parts.map((p) => this.evaluate(p, uri));
    // `"${aws_kms_key.k.arn}"` (Terraform 0.11 style) is the reference itself.
    if (values.length === 1 && parts[0].kind !== 'literal') return values[0];
    return mapOptionsN(values, (vs) => {
      let text = '';
      let partial = false;
      let input: UnknownValue | undefined;
      for (let i = 0; i < vs.length; i++) {
        const v = vs[i];
        if (v.kind === 'string') {
          text += v.value;
          partial ||= v.partial === true;
          input ??= v.input;
        } else if (v.kind === 'number' || v.kind === 'bool') text += String(v.value);
        else if (v.kind === 'unknown' && v.cause === 'error') return v;
        else {
          text += `\${${this.lines(uri).slice(parts[i].range)}}`;
          partial = true;
          if (v.kind === 'unknown' && v.cause === 'input') input ??= v;
        }
      }
      return { kind: 'string', value: text, partial: partial || undefined, input, origin };
    });
  }

  /** One line index per file, built the first time an unknown interpolation is written back as text. */
  private lines(uri: string): LineIndex {
    let index = this.lineIndexes.get(uri);
    if (!index) {
      index = new LineIndex(this.module.files.find((f) => f.uri === uri)?.text ?? '');
      this.lineIndexes.set(uri, index);
    }
    return index;
  }

  private traversal(expr: Extract<Expr, { kind: 'traversal' }>, uri: string, origin: Location): Value {
    if (expr.source) return this.applySteps(this.evaluate(expr.source, uri), expr.steps, origin);
    const [first, ...rest] = expr.steps;
    const name = first?.kind === 'attr' ? first.name : undefined;
    switch (expr.root) {
      case 'var':
        return name ? this.applySteps(this.variable(name), rest, origin) : unknownRuntime('var', origin);
      case 'local':
        return name ? this.applySteps(this.local(name), rest, origin) : unknownRuntime('local', origin);
      case 'module':
        return name ? this.moduleOutput(name, rest, origin) : unknownRuntime('module', origin);
      case 'data': {
        const second = rest[0];
        if (!name || second?.kind !== 'attr') return unknownRuntime('data', origin);
        return this.resource(`data.${name}.${second.name}`, rest.slice(1), origin);
      }
      case 'count': case 'each': case 'path': case 'terraform': case 'self':
        return unknownRuntime(`${expr.root}${name ? `.${name}` : ''}`, origin);
      default:
        if (!name) return unknownRuntime(expr.root, origin);
        return this.resource(`${expr.root}.${name}`, rest, origin);
    }
  }

  /** Applies attribute, index and splat steps to a known value. */
  private applySteps(value: Value, steps: TraversalStep[], origin: Location): Value {
    let current = value;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      if (step.kind === 'splat') {
        const rest = steps.slice(i + 1);
        return mapOptions(current, (v) => {
          if (v.kind === 'list') return { kind: 'list', items: v.items.map((item) => this.applySteps(item, rest, origin)) };
          if (v.kind === 'null') return { kind: 'list', items: [] };
          if (v.kind === 'unknown') return v;
          return { kind: 'list', items: [this.applySteps(v, rest, origin)] };
        });
      }
      const key = step.kind === 'attr' ? ({ kind: 'string', value: step.name } as Value) : this.evaluate(step.key, origin.uri);
      current = mapOptionsN([current, key], ([container, k]) => index(container, k, origin));
    }
    return current;
  }

  variable(name: string): Value {
    return this.memoized(`var.${name}`, () => {
      const declared = this.module.variables.get(name);
      const passed = this.caller?.call.block ? findAttribute(this.caller.call.block, name) : undefined;
      if (this.caller && passed) {
        const value = this.caller.evaluator.evaluate(passed.value, this.caller.call.uri);
        return withTrace(value, { location: { uri: this.caller.call.uri, range: passed.range }, message: `${this.caller.call.address} sets ${name} = ${describeValue(value)}` });
      }
      const tfvar = this.caller ? undefined : this.module.tfvars.get(name);
      if (tfvar) {
        const value = this.evaluate(tfvar.attribute.value, tfvar.uri);
        return withTrace(value, { location: { uri: tfvar.uri, range: tfvar.attribute.range }, message: `var.${name} is set to ${describeValue(value)} in ${baseName(tfvar.uri)}` });
      }
      const defaultAttribute = declared ? findAttribute(declared.block, 'default') : undefined;
      if (declared && defaultAttribute) {
        const value = this.evaluate(defaultAttribute.value, declared.uri);
        return withTrace(value, { location: { uri: declared.uri, range: defaultAttribute.range }, message: `var.${name} defaults to ${describeValue(value)}` });
      }
      const where = declared ? { uri: declared.uri, range: declared.block.headerRange } : undefined;
      const detail = this.caller ? `input ${name} of ${this.caller.call.address}, which is not set` : `var.${name}, which has no default`;
      return withTrace(unknownInput(detail, where), where && { location: where, message: `var.${name} has no default` });
    });
  }

  private local(name: string): Value {
    return this.memoized(`local.${name}`, () => {
      const local = this.module.locals.get(name);
      if (!local) return unknownRuntime(`local.${name}, which is not declared`);
      const value = this.evaluate(local.attribute.value, local.uri);
      return withTrace(value, { location: { uri: local.uri, range: local.attribute.range }, message: `local.${name} = ${describeValue(value)}` });
    });
  }

  /** A resource or data source: with `count`, a list of instances; each instance's attributes are references. */
  private resource(address: string, steps: TraversalStep[], origin: Location): Value {
    const resource = this.module.resources.get(address);
    if (!resource) return this.applySteps(unknownRuntime(`${address}, which is not declared in this module`, origin), steps, origin);
    const instance = (attribute: string): Value => ({ kind: 'resource-attribute', resource, attribute, origin });
    return this.instances(resource, steps, origin, (rest) => {
      const [attr, ...more] = rest;
      if (attr?.kind !== 'attr') return unknownRuntime(`${address} used as a whole`, origin);
      return more.length === 0 ? instance(attr.name) : unknownRuntime(`${address}.${attr.name}…`, origin);
    });
  }

  /**
   * Handles `count` / `for_each` on a resource or module call: `[i]`, `[*]`, `.*` and plain
   * references, calling `attribute` with the steps after the instance selection.
   */
  private instances(target: ResourceRef, steps: TraversalStep[], origin: Location, attribute: (rest: TraversalStep[]) => Value): Value {
    const count = this.memoized(`count:${target.address}`, () => this.evaluateAttribute(target.block, 'count', target.uri) ?? { kind: 'null' });
    const hasForEach = findAttribute(target.block, 'for_each') !== undefined;
    const [first, ...rest] = steps;
    if (this.createdAlongside.has(target.address) && (first?.kind === 'splat' || first?.kind === 'index')) {
      // Created with the resource being judged: the instance it reads is there.
      return first.kind === 'splat' ? { kind: 'list', items: [attribute(rest)] } : attribute(rest);
    }
    if (first?.kind === 'splat') {
      return mapOptions(count, (c) => {
        if (c.kind === 'null') return { kind: 'list', items: [attribute(rest)] };
        if (c.kind === 'number') return { kind: 'list', items: Array.from({ length: Math.max(0, c.value) }, () => attribute(rest)) };
        if (c.kind === 'unknown' && c.cause === 'input') return oneOf([{ kind: 'list', items: [] }, { kind: 'list', items: [attribute(rest)] }], c);
        return unknownRuntime(`${target.address}[*] with a computed count`, origin);
      });
    }
    if (first?.kind === 'index') {
      if (hasForEach) return attribute(rest);
      const key = this.evaluate(first.key, origin.uri);
      return mapOptionsN([count, key], ([c, k]) => {
        if (c.kind === 'number' && k.kind === 'number' && k.value >= c.value) {
          return evaluationError(`${target.address}[${k.value}] does not exist: count is ${c.value}`, origin);
        }
        if (c.kind === 'unknown' && c.cause === 'input') return oneOf([evaluationError(`${target.address} may have no instances`, origin), attribute(rest)], c);
        return attribute(rest);
      });
    }
    return attribute(steps);
  }

  private moduleOutput(name: string, steps: TraversalStep[], origin: Location): Value {
    const call = this.module.moduleCalls.get(name);
    if (!call) return unknownRuntime(`module.${name}, which is not declared`, origin);
    return this.instances(call, steps, origin, (rest) => {
      const [output, ...more] = rest;
      if (output?.kind !== 'attr') return unknownRuntime(`module.${name} used as a whole`, origin);
      if (this.callsBackInto(call)) return unknownRuntime(`module.${name}, which calls a module it is called from (Terraform rejects module cycles)`, origin);
      const child = this.childEvaluator(call);
      if (!child) return unknownRuntime(`output ${output.name} of module.${name}, whose source is outside the workspace`, origin);
      const declared = child.module.outputs.get(output.name);
      const valueAttribute = declared ? findAttribute(declared.block, 'value') : undefined;
      if (!declared || !valueAttribute) return evaluationError(`module.${name} has no output ${output.name}`, origin);
      const value = child.evaluate(valueAttribute.value, declared.uri);
      const traced = withTrace(value, { location: { uri: declared.uri, range: valueAttribute.range }, message: `output ${output.name} of module.${name} = ${describeValue(value)}` });
      return this.applySteps(traced, more, origin);
    });
  }

  /**
   * The evaluator of the module `call` calls: a local folder, or a registry/git module that
   * `terraform init` installed; undefined when its code is not in the workspace.
   */
  childEvaluator(call: ResourceRef): TerraformEvaluator | undefined {
    if (this.children.has(call.name)) return this.children.get(call.name);
    const child = this.newChildEvaluator(call);
    this.children.set(call.name, child);
    return child;
  }

  /** Whether `call` leads to a module already being evaluated on the way here from the root. */
  private callsBackInto(call: ResourceRef): boolean {
    const dir = this.childDir(call);
    if (!dir) return false;
    for (let caller: TerraformEvaluator | undefined = this; caller; caller = caller.caller?.evaluator) {
      if (caller.module.dirUri === dir) return true;
    }
    return false;
  }

  private childDir(call: ResourceRef): string | undefined {
    const source = findAttribute(call.block, 'source');
    if (source?.value.kind !== 'literal' || typeof source.value.value !== 'string') return undefined;
    return localModuleDir(this.module.dirUri, source.value.value) ?? this.loadModule.installedModule?.(this.rootDirUri, this.callKey(call));
  }

  private callKey(call: ResourceRef): string {
    return this.moduleKey ? `${this.moduleKey}.${call.name}` : call.name;
  }

  private newChildEvaluator(call: ResourceRef): TerraformEvaluator | undefined {
    if (this.depth >= MAX_DEPTH) return undefined;
    const dir = this.childDir(call);
    const child = dir ? this.loadModule(dir) : undefined;
    return child && new TerraformEvaluator(child, this.loadModule, { evaluator: this, call }, this.depth + 1, this.callKey(call), this.rootDirUri);
  }

  private memoized(key: string, compute: () => Value): Value {
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key) || this.depth >= MAX_DEPTH) return unknownRuntime(`${key} refers to itself`);
    this.inProgress.add(key);
    try {
      const value = compute();
      this.memo.set(key, value);
      return value;
    } finally {
      this.inProgress.delete(key);
    }
  }
}

/** `./modules/trail` → the folder's URI; registry, git and absolute sources are not followed. */
export function localModuleDir(dirUri: string, source: string): string | undefined {
  if (!source.startsWith('./') && !source.startsWith('../')) return undefined;
  const base = new URL(dirUri.endsWith('/') ? dirUri : `${dirUri}/`);
  return new URL(source, base).href.replace(/\/$/, '');
}

function index(container: Value, key: Value, origin: Location): Value {
  if (container.kind === 'object' && key.kind === 'string' && !key.partial) {
    return container.entries.get(key.value) ?? evaluationError(`no key ${key.value}`, origin);
  }
  if (container.kind === 'list' && key.kind === 'number') {
    return container.items[key.value] ?? evaluationError(`index ${key.value} is out of range`, origin);
  }
  if (container.kind === 'null') return evaluationError('reading from null', origin);
  if (container.kind === 'resource-attribute') return unknownRuntime(`${container.resource.address}.${container.attribute}…`, origin);
  return firstUnknown([container, key]) ?? unknownRuntime('a computed value', origin);
}

function applyBinary(op: string, l: Value, r: Value): Value {
  const unknown = firstUnknown([l, r]);
  switch (op) {
    case '==': case '!=': {
      if (unknown) return unknown;
      const same = scalarEquals(l, r);
      if (same === undefined) return unknownRuntime('a comparison of computed values');
      return { kind: 'bool', value: op === '==' ? same : !same };
    }
    case '&&': case '||':
      if (l.kind === 'bool' && r.kind === 'bool') return { kind: 'bool', value: op === '&&' ? l.value && r.value : l.value || r.value };
      return unknown ?? unknownRuntime('a logical operation on non-bools');
    default:
      if (l.kind === 'number' && r.kind === 'number') return arithmetic(op, l.value, r.value);
      return unknown ?? unknownRuntime(`${op} of computed values`);
  }
}

function scalarEquals(l: Value, r: Value): boolean | undefined {
  if (l.kind === 'string' && r.kind === 'string') return l.partial || r.partial ? undefined : l.value === r.value;
  if (l.kind === 'number' && r.kind === 'number') return l.value === r.value;
  if (l.kind === 'bool' && r.kind === 'bool') return l.value === r.value;
  if (l.kind === 'null' || r.kind === 'null') return l.kind === r.kind;
  if (l.kind === 'resource-attribute' || r.kind === 'resource-attribute') return undefined;
  if (l.kind !== r.kind) return false;
  return undefined;
}

function arithmetic(op: string, a: number, b: number): Value {
  const result: Record<string, () => Value> = {
    '+': () => ({ kind: 'number', value: a + b }),
    '-': () => ({ kind: 'number', value: a - b }),
    '*': () => ({ kind: 'number', value: a * b }),
    '/': () => ({ kind: 'number', value: a / b }),
    '%': () => ({ kind: 'number', value: a % b }),
    '<': () => ({ kind: 'bool', value: a < b }),
    '<=': () => ({ kind: 'bool', value: a <= b }),
    '>': () => ({ kind: 'bool', value: a > b }),
    '>=': () => ({ kind: 'bool', value: a >= b }),
  };
  return result[op]?.() ?? unknownRuntime(`operator ${op}`);
}

function withOrigin(value: Value, origin: Location): Value {
  return value.origin ? value : ({ ...value, origin } as Value);
}

const truncate = (s: string): string => (s.length > 40 ? `${s.slice(0, 37)}…` : s);
const baseName = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

export type { Range };
