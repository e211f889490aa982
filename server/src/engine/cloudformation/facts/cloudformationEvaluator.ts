/**
 * Evaluates CloudFormation values before deployment: parameters (their `Default`), conditions
 * (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`), `Fn::If` (both branches when a
 * condition hangs on a parameter without a default), `AWS::NoValue`, `Ref` / `Fn::GetAtt` to
 * resources of the template, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::FindInMap`.
 * `Fn::ImportValue` and pseudo parameters are known only at deploy time.
 */
import { spend } from '../../analysisBudget';
import type { Location } from '../../types';
import type { Block, Expr, ObjectExpr, SourceFile } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { ResourceRef, UnknownValue, Value } from '../../model/values';
import { chooseBranch, describeValue, evaluationError, firstUnknown, literalValue, mapOptions, mapOptionsN, unknownInput, unknownRuntime, withTrace } from '../../model/valueOps';

export interface CloudFormationTemplate {
  file: SourceFile;
  resources: Map<string, ResourceRef>;
  parameters: Map<string, Block>;
  conditions: Map<string, Block>;
  mappings: Map<string, Block>;
}

export function indexTemplate(file: SourceFile): CloudFormationTemplate {
  const template: CloudFormationTemplate = { file, resources: new Map(), parameters: new Map(), conditions: new Map(), mappings: new Map() };
  for (const block of file.blocks) {
    const name = block.labels[block.labels.length - 1];
    if (name === undefined) continue;
    if (block.type === 'resource') {
      template.resources.set(name, { uri: file.uri, mode: 'resource', type: block.labels[0] ?? '', name, address: name, block });
    } else if (block.type === 'parameter') template.parameters.set(name, block);
    else if (block.type === 'condition') template.conditions.set(name, block);
    else if (block.type === 'mapping') template.mappings.set(name, block);
  }
  return template;
}

/** A resource's `Properties` mapping, if written as one. */
export function propertiesOf(resource: ResourceRef): ObjectExpr | undefined {
  const properties = findAttribute(resource.block, 'Properties')?.value;
  return properties?.kind === 'object' ? properties : undefined;
}

const PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::StackName', 'AWS::StackId', 'AWS::URLSuffix', 'AWS::NotificationARNs']);

export class CloudFormationEvaluator {
  private readonly memo = new Map<string, Value>();
  private readonly inProgress = new Set<string>();

  constructor(readonly template: CloudFormationTemplate) {}

  private get uri(): string {
    return this.template.file.uri;
  }

  /** A property of a resource of this template, evaluated. */
  property(resource: ResourceRef, name: string): Value | undefined {
    const entry = propertiesOf(resource)?.entries.find((e) => e.key === name);
    return entry ? this.evaluate(entry.value) : undefined;
  }

  evaluate(expr: Expr): Value {
    spend();
    const origin: Location = { uri: this.uri, range: expr.range };
    switch (expr.kind) {
      case 'literal':
        return literalValue(expr, origin);
      case 'tuple':
        // A list item that is AWS::NoValue is removed from the list.
        return { kind: 'list', items: expr.items.map((i) => this.evaluate(i)).filter((v) => v.kind !== 'novalue'), origin };
      case 'object': {
        const entries = new Map<string, Value>();
        const keyOrigins = new Map<string, Location>();
        for (const entry of expr.entries) {
          if (entry.key === undefined) continue;
          const value = this.evaluate(entry.value);
          if (value.kind === 'novalue') continue;
          entries.set(entry.key, value);
          keyOrigins.set(entry.key, { uri: this.uri, range: entry.keyRange });
        }
        return { kind: 'object', entries, keyOrigins, origin };
      }
      case 'call':
        return withOrigin(this.intrinsic(expr.name, expr.args, origin), origin);
      default:
        return unknownRuntime('an expression CloudFormation does not have', origin);
    }
  }

  private intrinsic(name: string, args: Expr[], origin: Location): Value {
    const literal = (i: number): string | undefined => {
      const a = args[i];
      return a?.kind === 'literal' && typeof a.value === 'string' ? a.value : undefined;
    };
    switch (name) {
      case 'Ref': {
        const target = literal(0);
        return target === undefined ? evaluationError('Ref needs a name', origin) : this.ref(target, origin);
      }
      case 'Fn::GetAtt': {
        const [resourceName, attribute] = [literal(0), literal(1)];
        const resource = resourceName ? this.template.resources.get(resourceName) : undefined;
        if (!resource || !attribute) return unknownRuntime(`Fn::GetAtt ${resourceName ?? ''}.${attribute ?? ''}`, origin);
        return { kind: 'resource-attribute', resource, attribute, origin };
      }
      case 'Fn::If': {
        const conditionName = literal(0);
        if (!conditionName || args.length < 3) return evaluationError('Fn::If needs a condition and two values', origin);
        const condition = this.condition(conditionName);
        return chooseBranch(condition, () => this.evaluate(args[1]), () => this.evaluate(args[2]), true);
      }
      case 'Condition': {
        const conditionName = literal(0);
        return conditionName ? this.condition(conditionName) : evaluationError('Condition needs a name', origin);
      }
      case 'Fn::Equals': {
        if (args.length !== 2) return evaluationError('Fn::Equals needs two values', origin);
        return mapOptionsN([this.evaluate(args[0]), this.evaluate(args[1])], ([a, b]) => {
          const unknown = firstUnknown([a, b]);
          if (unknown) return unknown;
          if (a.kind === 'resource-attribute' || b.kind === 'resource-attribute' || (a.kind === 'string' && a.partial) || (b.kind === 'string' && b.partial)) return unknownRuntime('a comparison of deploy-time values', origin);
          return { kind: 'bool', value: scalarText(a) === scalarText(b), origin, trace: [...(a.trace ?? []), ...(b.trace ?? [])] };
        });
      }
      case 'Fn::Not':
        return mapOptions(this.evaluate(args[0] ?? { kind: 'unknown', text: '', range: origin.range }), (v) =>
          v.kind === 'bool' ? { kind: 'bool', value: !v.value, origin, trace: v.trace } : v.kind === 'unknown' ? v : evaluationError('Fn::Not of a non-boolean', origin));
      case 'Fn::And': case 'Fn::Or':
        return this.logical(name === 'Fn::And', args, origin);
      case 'Fn::Sub':
        return this.sub(args, origin);
      case 'Fn::Join':
        return this.join(args, origin);
      case 'Fn::Select': {
        if (args.length !== 2) return evaluationError('Fn::Select needs an index and a list', origin);
        return mapOptionsN([this.evaluate(args[0]), this.evaluate(args[1])], ([i, l]) => {
          const index = i.kind === 'number' ? i.value : i.kind === 'string' ? Number(i.value) : NaN;
          if (l.kind === 'list' && Number.isInteger(index)) return l.items[index] ?? evaluationError('Fn::Select index out of range', origin);
          return firstUnknown([i, l]) ?? unknownRuntime('Fn::Select of deploy-time values', origin);
        });
      }
      case 'Fn::FindInMap':
        return this.findInMap(args, origin);
      case 'Fn::ImportValue':
        return unknownRuntime('a value exported by another stack (Fn::ImportValue)', origin);
      default:
        return unknownRuntime(`${name} is computed at deploy time`, origin);
    }
  }

  private ref(name: string, origin: Location): Value {
    if (name === 'AWS::NoValue') return { kind: 'novalue', origin };
    if (PSEUDO_PARAMETERS.has(name)) return unknownRuntime(name, origin);
    const parameter = this.template.parameters.get(name);
    if (parameter) return this.parameter(name, parameter);
    const resource = this.template.resources.get(name);
    if (resource) return { kind: 'resource-attribute', resource, attribute: 'Ref', origin };
    return unknownRuntime(`${name}, which is not declared in this template`, origin);
  }

  private parameter(name: string, block: Block): Value {
    return this.memoized(`parameter:${name}`, () => {
      const defaultAttribute = findAttribute(block, 'Default');
      if (defaultAttribute) {
        const value = this.evaluate(defaultAttribute.value);
        return withTrace(value, { location: { uri: this.uri, range: defaultAttribute.range }, message: `parameter ${name} defaults to ${describeValue(value)}` });
      }
      const where: Location = { uri: this.uri, range: block.headerRange };
      return withTrace(unknownInput(`parameter ${name}, which has no default`, where), { location: where, message: `parameter ${name} has no default` });
    });
  }

  condition(name: string): Value {
    return this.memoized(`condition:${name}`, () => {
      const block = this.template.conditions.get(name);
      const expression = block ? findAttribute(block, 'Value') : undefined;
      if (!block || !expression) return unknownRuntime(`condition ${name}, which is not declared`);
      const value = this.evaluate(expression.value);
      return withTrace(value, { location: { uri: this.uri, range: block.headerRange }, message: `condition ${name} is ${describeValue(value)}` });
    });
  }

  private logical(isAnd: boolean, args: Expr[], origin: Location): Value {
    const values = args.map((a) => this.evaluate(a));
    // A known deciding operand settles it, even if others are unknown.
    if (values.some((v) => v.kind === 'bool' && v.value === !isAnd)) return { kind: 'bool', value: !isAnd, origin };
    if (values.every((v) => v.kind === 'bool')) return { kind: 'bool', value: isAnd, origin };
    return mapOptionsN(values, (vs) => {
      if (vs.some((v) => v.kind === 'bool' && v.value === !isAnd)) return { kind: 'bool', value: !isAnd, origin };
      if (vs.every((v) => v.kind === 'bool')) return { kind: 'bool', value: isAnd, origin };
      return firstUnknown(vs) ?? evaluationError('a condition of non-booleans', origin);
    });
  }

  /** `Fn::Sub`: `${Name}`, `${Name.Attr}`, `${!Literal}`, with an optional variable map. */
  private sub(args: Expr[], origin: Location): Value {
    const template = args[0];
    if (template?.kind !== 'literal' || typeof template.value !== 'string') return unknownRuntime('Fn::Sub of a computed string', origin);
    const variables = args[1]?.kind === 'object' ? args[1] : undefined;
    const text = template.value;
    const pieces: Value[] = [];
    // What each piece was written as, so an unknown one reads `${AWS::AccountId}` in messages.
    const written: (string | undefined)[] = [];
    let last = 0;
    for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
      pieces.push({ kind: 'string', value: text.slice(last, match.index) });
      written.push(undefined);
      last = (match.index ?? 0) + match[0].length;
      const name = match[1].trim();
      written.push(match[0]);
      if (name.startsWith('!')) {
        pieces.push({ kind: 'string', value: `\${${name.slice(1)}}` });
        continue;
      }
      const variable = variables?.entries.find((e) => e.key === name);
      if (variable) pieces.push(this.evaluate(variable.value));
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [resource, ...attribute] = name.split('.');
        const target = this.template.resources.get(resource);
        pieces.push(target ? { kind: 'resource-attribute', resource: target, attribute: attribute.join('.'), origin } : unknownRuntime(name, origin));
      } else pieces.push(this.ref(name, origin));
    }
    pieces.push({ kind: 'string', value: text.slice(last) });
    written.push(undefined);
    const meaningful = pieces.filter((p) => !(p.kind === 'string' && p.value === ''));
    // `!Sub "${Key.Arn}"` is the reference itself.
    if (meaningful.length === 1 && meaningful[0].kind !== 'string') return meaningful[0];
    return mapOptionsN(pieces, (ps) => concatenate(ps, origin, written));
  }

  private join(args: Expr[], origin: Location): Value {
    if (args.length !== 2) return evaluationError('Fn::Join needs a separator and a list', origin);
    return mapOptionsN([this.evaluate(args[0]), this.evaluate(args[1])], ([sep, list]) => {
      if (sep.kind !== 'string' || list.kind !== 'list') return firstUnknown([sep, list]) ?? unknownRuntime('Fn::Join of deploy-time values', origin);
      const nonEmpty = list.items.filter((v) => !(v.kind === 'string' && v.value === ''));
      if (nonEmpty.length === 1 && nonEmpty[0].kind === 'resource-attribute') return nonEmpty[0];
      const withSeparators: Value[] = [];
      list.items.forEach((item, i) => {
        if (i > 0) withSeparators.push(sep);
        withSeparators.push(item);
      });
      return mapOptionsN(withSeparators, (ps) => concatenate(ps, origin));
    });
  }

  private findInMap(args: Expr[], origin: Location): Value {
    const [mapName, top, second] = args.map((a) => this.evaluate(a));
    if (mapName?.kind !== 'string' || top?.kind !== 'string' || second?.kind !== 'string' || top.partial || second.partial) {
      return firstUnknown([mapName, top, second].filter((v): v is Value => v !== undefined)) ?? unknownRuntime('Fn::FindInMap with deploy-time keys', origin);
    }
    const mapping = this.template.mappings.get(mapName.value);
    const level = mapping ? findAttribute(mapping, top.value)?.value : undefined;
    const leaf = level?.kind === 'object' ? level.entries.find((e) => e.key === second.value) : undefined;
    return leaf ? this.evaluate(leaf.value) : evaluationError(`no ${mapName.value}.${top.value}.${second.value} in Mappings`, origin);
  }

  private memoized(key: string, compute: () => Value): Value {
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key)) return unknownRuntime(`${key} refers to itself`);
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

function scalarText(v: Value): string | undefined {
  if (v.kind === 'string' || v.kind === 'number' || v.kind === 'bool') return String(v.value);
  if (v.kind === 'null') return '';
  return undefined;
}

/** Joins pieces into one string; unknown pieces stay as written (`${AWS::AccountId}`), marked partial. */
function concatenate(pieces: Value[], origin: Location, written: (string | undefined)[] = []): Value {
  let text = '';
  let partial = false;
  let input: UnknownValue | undefined;
  for (const [i, piece] of pieces.entries()) {
    const known = scalarText(piece);
    if (known !== undefined && !(piece.kind === 'string' && piece.partial)) text += known;
    else if (piece.kind === 'string') {
      text += piece.value;
      partial = true;
      input ??= piece.input;
    } else if (piece.kind === 'unknown' && piece.cause === 'error') return piece;
    else {
      text += written[i] ?? `\${${describeValue(piece)}}`;
      partial = true;
      if (piece.kind === 'unknown' && piece.cause === 'input') input ??= piece;
    }
  }
  return { kind: 'string', value: text, partial: partial || undefined, input, origin };
}

function withOrigin(value: Value, origin: Location): Value {
  return value.origin ? value : ({ ...value, origin } as Value);
}
