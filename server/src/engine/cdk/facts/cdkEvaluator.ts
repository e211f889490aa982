/**
 * TypeScript expressions of a CDK app → the engine's values, each remembering where it is
 * written: literals, arrays, object literals, template strings (a substitution that cannot be
 * known stays `${…}` as written, as in CloudFormation's `!Sub`), enum members of `aws-cdk-lib`
 * (`kms.KeySpec.RSA_2048`, `iam.Effect.DENY`), and constructs (`new kms.Key(…)`, read as the
 * resource CDK synthesises). Names are followed through `cdkModules.ts`.
 *
 * What is not evaluated is unknown, never guessed: a call of anything but the app's own
 * functions that return one expression (`Key.fromKeyArn(…)`), a spread, a conditional, a
 * parameter whose call sites are not all seen or do not agree, `Stack.of(this).account`.
 */
import type { Location } from '../../types';
import type { ObjectValue, Value } from '../../model/values';
import { unknownRuntime } from '../../model/valueOps';
import { field, memberValue, rangeOf, type TsNode } from '../parse/tsTree';
import { FUNCTIONS, enclosingClass, symbolName, type CdkModule } from './cdkModules';
import { callSitesOf, returnedBy } from './cdkFunctions';
import type { CdkConstruct, CdkConstructs } from './cdkConstructs';

/** An expression as written, after names, casts and parentheses are followed. */
export interface Resolved {
  node: TsNode;
  module: CdkModule;
}

/** Enums whose members `aws-cdk-lib` gives as the string CloudFormation receives. */
const ENUMS: Record<string, (member: string) => string> = {
  'aws-cdk-lib/aws-kms#KeySpec': (m) => m,
  'aws-cdk-lib/aws-kms#KeyUsage': (m) => m,
  'aws-cdk-lib/aws-iam#Effect': (m) => (m === 'DENY' ? 'Deny' : 'Allow'),
};

/** How deep names may be followed: a cycle (`const a = b; const b = a`) ends here. */
const MAX_DEPTH = 40;

/** How many parameters and function returns may be followed one inside another: a deeper chain of calls is not known. */
const MAX_NESTED = 16;
/** How many different expressions a parameter may be given (one per call site) before it is left unknown. */
const MAX_CANDIDATES = 8;

export class CdkEvaluator {
  /**
   * The parameters and function returns followed in this analysis, each once: `busy` while it
   * is followed, so a function that calls itself, or two constructs handing each other their
   * props, end unknown at once instead of going round (what a cycle leaves unknown may then
   * depend on where it was entered; it is never guessed).
   */
  private readonly followed = new Map<TsNode, Map<number, Resolved[] | null | 'busy'>>();
  private nested = 0;

  constructor(readonly constructs: CdkConstructs) {}

  /**
   * Follows names, `this.field`, a sibling class's field, a member of an object literal, what a
   * function of the app returns (`this.createKey()`), what a parameter is given at its call
   * sites (`props.kmsKey` inside `new Audit(this, 'A', { kmsKey: key })`), casts and parentheses
   * to the expression that gives the value. A parameter given different expressions at its call
   * sites (or not given one at some) is itself, unknown: one value is kept only when every call
   * site agrees on the expression (the same one, not merely an equal one).
   */
  resolve(node: TsNode | undefined, module: CdkModule, depth = 0): Resolved | undefined {
    const all = node && this.candidates(node, module, depth);
    if (!all) return undefined;
    return all.length === 1 ? all[0] : { node: node!, module };
  }

  /** The expressions `node` may be: one, or one per call site of a parameter it is given by; undefined when a cycle or the depth limit ends the search. */
  private candidates(node: TsNode | undefined, module: CdkModule, depth: number): Resolved[] | undefined {
    if (!node || depth > MAX_DEPTH) return undefined;
    const self = [{ node, module }];
    switch (node.type) {
      case 'parenthesized_expression': case 'as_expression': case 'satisfies_expression': case 'non_null_expression': case 'type_assertion':
        return this.candidates(node.children.find((c) => c.field !== 'type' && !c.type.endsWith('type_annotation') && !c.type.endsWith('_type') && c.type !== 'type_identifier'), module, depth + 1);
      case 'identifier': {
        const binding = module.bindingOf(node);
        if (binding.kind === 'value') {
          if (binding.property === undefined) return this.candidates(binding.node, binding.module, depth + 1);
          const objects = this.candidates(binding.node, binding.module, depth + 1);
          return (objects && this.membersOf(objects, binding.property, depth + 1)) ?? self;
        }
        if (binding.kind !== 'parameter') return self;
        const given = this.parameter(binding.fn, binding.index, binding.module);
        return (given && binding.property !== undefined ? this.membersOf(given, binding.property, depth + 1) : given) ?? self;
      }
      case 'member_expression': {
        const object = field(node, 'object');
        const property = field(node, 'property');
        if (!object || !property) return self;
        const name = module.text(property);
        if (object.type === 'this') {
          const owner = enclosingClass(node);
          const value = owner && module.fieldOf(owner, name);
          if (value) return this.candidates(value, module, depth + 1);
          const method = owner && module.methodOf(owner, name);
          return method ? [{ node: method, module }] : self;
        }
        // `new KeyStack(…).key`, `keys.key`, `props.kmsKey`, `config.actions()`.
        const objects = this.candidates(object, module, depth + 1);
        return (objects && this.membersOf(objects, name, depth + 1)) ?? self;
      }
      case 'call_expression': {
        // `this.createKey()`, `makeKey(this)`, `config.keyActions()`: a function of the app.
        const callee = this.resolve(field(node, 'function'), module, depth + 1);
        return (callee && FUNCTIONS.has(callee.node.type) && this.returned(callee)) || self;
      }
      default:
        return self;
    }
  }

  /** Member `name` of each of `objects`: a field of the app's class one constructs, a member of an object literal; undefined when one has none known. */
  private membersOf(objects: Resolved[], name: string, depth: number): Resolved[] | undefined {
    const found: Resolved[] = [];
    for (const { node, module } of objects) {
      let values: Resolved[] | undefined;
      if (node.type === 'new_expression') {
        const cls = this.classOf(field(node, 'constructor'), module);
        const value = cls && cls.module.fieldOf(cls.node, name);
        values = value ? this.candidates(value, cls.module, depth) : undefined;
      } else if (node.type === 'object') {
        const member = memberOfLiteral(node, name, module);
        if (member?.type === 'method_definition') values = [{ node: member, module }];
        else if (member) values = this.candidates(memberValue(member), module, depth);
      }
      if (!values) return undefined;
      found.push(...values);
    }
    return distinct(found);
  }

  /** What the `index`th parameter of `fn` is given at its call sites, followed; undefined when a call site is not seen, or one gives nothing there. */
  private parameter(fn: TsNode, index: number, module: CdkModule): Resolved[] | undefined {
    return this.once(fn, index, () => {
      const sites = callSitesOf(fn, module);
      if (!sites || sites.length === 0) return undefined;
      const given: Resolved[] = [];
      for (const site of sites) {
        const spread = site.args.findIndex((a) => a.type === 'spread_element');
        if (index >= site.args.length || (spread !== -1 && spread <= index)) return undefined;
        const values = this.candidates(site.args[index], site.module, 0);
        if (!values) return undefined;
        given.push(...values);
      }
      const all = distinct(given);
      return all.length <= MAX_CANDIDATES ? all : undefined;
    });
  }

  /** What a function of the app returns, followed in its own scope. */
  private returned(fn: Resolved): Resolved[] | undefined {
    return this.once(fn.node, -1, () => {
      const value = returnedBy(fn.node, fn.module);
      return value && this.candidates(value, fn.module, 0);
    });
  }

  private once(fn: TsNode, slot: number, follow: () => Resolved[] | undefined): Resolved[] | undefined {
    let slots = this.followed.get(fn);
    if (!slots) this.followed.set(fn, (slots = new Map()));
    const kept = slots.get(slot);
    if (kept === 'busy') return undefined;
    if (kept !== undefined) return kept ?? undefined;
    if (this.nested >= MAX_NESTED) return undefined;
    slots.set(slot, 'busy');
    this.nested++;
    try {
      const result = follow();
      slots.set(slot, result ?? null);
      return result;
    } finally {
      this.nested--;
    }
  }

  /** The class of the app a constructor expression names (`KeyStack`, local or imported from a sibling module). */
  classOf(node: TsNode | undefined, module: CdkModule): Resolved | undefined {
    if (node?.type !== 'identifier') return undefined;
    const binding = module.bindingOf(node);
    return binding.kind === 'class' ? { node: binding.node, module: binding.module } : undefined;
  }

  /** The construct an expression is, after names are followed; undefined when it is none (or not known). */
  constructOf(node: TsNode | undefined, module: CdkModule): CdkConstruct | undefined {
    const resolved = this.resolve(node, module);
    return resolved && resolved.node.type === 'new_expression' ? this.constructs.at(resolved.node, resolved.module) : undefined;
  }

  evaluate(node: TsNode | undefined, module: CdkModule, depth = 0): Value {
    if (!node) return unknownRuntime('nothing');
    const origin: Location = { uri: module.uri, range: rangeOf(module.source, node) };
    if (depth > MAX_DEPTH) return unknownRuntime('a name that refers to itself', origin);
    const resolved = this.resolve(node, module);
    if (!resolved) return unknownRuntime(module.text(node), origin);
    if (resolved.node !== node) return this.evaluate(resolved.node, resolved.module, depth + 1);
    switch (node.type) {
      case 'string':
        return { kind: 'string', value: stringContent(module.text(node)), origin };
      case 'template_string':
        return this.template(node, module, origin, depth);
      case 'number': {
        const value = Number(module.text(node).replace(/_/g, ''));
        return Number.isNaN(value) ? unknownRuntime(module.text(node), origin) : { kind: 'number', value, origin };
      }
      case 'true': case 'false':
        return { kind: 'bool', value: node.type === 'true', origin };
      case 'null': case 'undefined':
        return { kind: 'null', origin };
      case 'identifier':
        return module.text(node) === 'undefined' ? { kind: 'null', origin } : unknownRuntime(describeUnknown(module, node), origin);
      case 'array': {
        const items: Value[] = [];
        for (const item of node.children) {
          if (item.type === 'comment') continue;
          if (item.type === 'spread_element') return unknownRuntime('an array with a spread', origin);
          items.push(this.evaluate(item, module, depth + 1));
        }
        return { kind: 'list', items, origin };
      }
      case 'object':
        return this.object(node, module, origin, depth) ?? unknownRuntime('an object with a spread or a computed key', origin);
      case 'member_expression': {
        const symbol = module.symbolOf(node);
        const owner = symbol && symbol.path.length === 2 ? ENUMS[symbolName({ module: symbol.module, path: [symbol.path[0]] })] : undefined;
        if (owner && symbol) return { kind: 'string', value: owner(symbol.path[1]), origin };
        const construct = this.constructOf(field(node, 'object'), module);
        const property = field(node, 'property');
        if (construct && property) return { kind: 'resource-attribute', resource: construct.ref, attribute: module.text(property), origin };
        return unknownRuntime(module.text(node), origin);
      }
      case 'new_expression': {
        const construct = this.constructs.at(node, module);
        return construct ? { kind: 'resource-attribute', resource: construct.ref, attribute: '', origin } : unknownRuntime(`new ${module.text(field(node, 'constructor') ?? node)}(…)`, origin);
      }
      default:
        return unknownRuntime(shorten(module.text(node)), origin);
    }
  }

  /** An object literal's entries; undefined when a spread or a computed key leaves them open. */
  object(node: TsNode, module: CdkModule, origin: Location, depth = 0): ObjectValue | undefined {
    const entries = new Map<string, Value>();
    const keyOrigins = new Map<string, Location>();
    for (const pair of node.children) {
      if (pair.type === 'comment') continue;
      const key = propertyName(pair, module);
      if (key === undefined) return undefined;
      const valueNode = pair.type === 'shorthand_property_identifier' ? pair : field(pair, 'value');
      const keyNode = field(pair, 'key') ?? pair;
      const value = pair.type === 'shorthand_property_identifier' ? this.evaluateShorthand(pair, module, depth) : this.evaluate(valueNode, module, depth + 1);
      entries.set(key, value);
      keyOrigins.set(key, { uri: module.uri, range: rangeOf(module.source, keyNode) });
    }
    return { kind: 'object', entries, keyOrigins, origin };
  }

  /** `{ key }`: the name `key` where the object is written. */
  private evaluateShorthand(node: TsNode, module: CdkModule, depth: number): Value {
    return this.evaluate({ ...node, type: 'identifier' }, module, depth + 1);
  }

  private template(node: TsNode, module: CdkModule, origin: Location, depth: number): Value {
    let text = '';
    let partial = false;
    let at = node.start + 1;
    for (const part of node.children) {
      if (part.type !== 'template_substitution') continue;
      text += cooked(module.source.text.slice(at, part.start));
      at = part.end;
      const value = this.evaluate(part.children[0], module, depth + 1);
      if (value.kind === 'string' && !value.partial) text += value.value;
      else if (value.kind === 'number' || value.kind === 'bool') text += String(value.value);
      else {
        partial = true;
        text += value.kind === 'string' ? value.value : `\${${module.text(part.children[0] ?? part)}}`;
      }
    }
    text += cooked(module.source.text.slice(at, node.end - 1));
    return { kind: 'string', value: text, partial: partial || undefined, origin };
  }
}

/** The name of an object literal member; undefined for a spread or a computed key. */
export function propertyName(pair: TsNode, module: CdkModule): string | undefined {
  if (pair.type === 'shorthand_property_identifier') return module.text(pair);
  if (pair.type !== 'pair') return undefined;
  const key = field(pair, 'key');
  if (!key) return undefined;
  if (key.type === 'property_identifier' || key.type === 'number') return module.text(key);
  if (key.type === 'string') return stringContent(module.text(key));
  return undefined;
}

/** The value of a string literal as written (`'…'` or `"…"`). */
export function stringContent(literal: string): string {
  return cooked(literal.slice(1, -1));
}

function cooked(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.startsWith('\n') || e.startsWith('\r')) return '';
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' } as Record<string, string>)[e] ?? e;
  });
}

function describeUnknown(module: CdkModule, node: TsNode): string {
  const binding = module.bindingOf(node);
  return binding.kind === 'unknown' ? binding.why : binding.kind === 'parameter' ? `parameter ${binding.name}` : module.text(node);
}

/**
 * The member `name` of an object literal as it is at run time: its last definition, unless a
 * spread after it may replace it; undefined when absent, or when a computed key, a getter or a
 * setter leaves it open.
 */
function memberOfLiteral(object: TsNode, name: string, module: CdkModule): TsNode | undefined {
  let found: TsNode | undefined;
  for (const member of object.children) {
    if (member.type === 'comment') continue;
    if (member.type === 'spread_element') {
      found = undefined;
      continue;
    }
    const key = member.type === 'method_definition' ? field(member, 'name') : undefined;
    if (key && /\b(?:get|set)\s/.test(module.source.text.slice(member.start, key.start))) return undefined;
    const memberName = key ? (key.type === 'property_identifier' ? module.text(key) : undefined) : propertyName(member, module);
    if (memberName === undefined) return undefined;
    if (memberName === name) found = member;
  }
  return found;
}

/** The expressions once each (two call sites naming the same key give it once). */
function distinct(all: Resolved[]): Resolved[] {
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = `${r.module.uri} ${r.node.start} ${r.node.end} ${r.node.type}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
