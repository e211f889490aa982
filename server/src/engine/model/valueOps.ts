/**
 * Small operations on evaluator values, shared by the Terraform and CloudFormation evaluators.
 */
import type { Location, RelatedInformation } from '../types';
import type { LiteralExpr } from './syntax';
import type { OneOfValue, UnknownValue, Value } from './values';

/** More alternatives than this and the value is just unknown: keeps evaluation linear. */
const MAX_OPTIONS = 8;

export const unknownInput = (detail: string, origin?: Location): UnknownValue => ({ kind: 'unknown', cause: 'input', detail, origin });
export const unknownRuntime = (detail: string, origin?: Location): UnknownValue => ({ kind: 'unknown', cause: 'runtime', detail, origin });
export const evaluationError = (detail: string, origin?: Location): UnknownValue => ({ kind: 'unknown', cause: 'error', detail, origin });

/** Prepends one step to a value's trace without mutating shared values. */
export function withTrace(value: Value, step: RelatedInformation | undefined): Value {
  if (!step) return value;
  return { ...value, trace: [step, ...(value.trace ?? [])] } as Value;
}

/** Both branches of an undecidable condition; nested alternatives are flattened. */
export function oneOf(options: Value[], because: UnknownValue): Value {
  const flat: Value[] = [];
  for (const option of options) {
    if (option.kind === 'one-of') flat.push(...option.options);
    else flat.push(option);
  }
  if (flat.length > MAX_OPTIONS) return { ...because, detail: because.detail };
  return { kind: 'one-of', options: flat, because } satisfies OneOfValue;
}

/** Applies `f` to each alternative of a value (or to the value itself). */
export function mapOptions(value: Value, f: (v: Value) => Value): Value {
  if (value.kind !== 'one-of') return f(value);
  return oneOf(value.options.map(f), value.because);
}

/** Applies `f` to every combination of alternatives of several values (bounded). */
export function mapOptionsN(values: Value[], f: (vs: Value[]) => Value): Value {
  const index = values.findIndex((v) => v.kind === 'one-of');
  if (index === -1) return f(values);
  const split = values[index] as OneOfValue;
  return oneOf(split.options.map((option) => mapOptionsN(values.map((v, i) => (i === index ? option : v)), f)), split.because);
}

/** The most telling unknown among several: an input beats a runtime value, which beats an error. */
export function firstUnknown(values: Value[]): UnknownValue | undefined {
  const unknowns = values.filter((v): v is UnknownValue => v.kind === 'unknown');
  return unknowns.find((u) => u.cause === 'input') ?? unknowns.find((u) => u.cause === 'runtime') ?? unknowns[0];
}

/** Whether a value is `null`, `""` or CloudFormation's `AWS::NoValue`. */
export const isEmpty = (v: Value): boolean =>
  v.kind === 'null' || v.kind === 'novalue' || (v.kind === 'string' && v.value === '' && !v.partial);

/** A short rendering for messages: `""`, `null`, `"alias/aws/s3"`. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'string': return JSON.stringify(v.value);
    case 'number': case 'bool': return String(v.value);
    case 'null': return 'null';
    case 'novalue': return 'AWS::NoValue';
    case 'list': return `[${v.items.slice(0, 3).map(describeValue).join(', ')}${v.items.length > 3 ? ', …' : ''}]`;
    case 'object': return '{…}';
    case 'resource-attribute': return `${v.resource.address}.${v.attribute}`;
    case 'unknown': return v.detail;
    case 'one-of': return v.options.map(describeValue).join(' or ');
  }
}

/** A literal as written, in every format: `null`, a string, a number or a bool. */
export function literalValue(expr: LiteralExpr, origin: Location): Value {
  if (expr.value === null) return { kind: 'null', origin };
  if (typeof expr.value === 'string') return { kind: 'string', value: expr.value, origin };
  if (typeof expr.value === 'number') return { kind: 'number', value: expr.value, origin };
  return { kind: 'bool', value: expr.value, origin };
}

/**
 * `c ? a : b` / `Fn::If`: the branch a known condition picks, or both when it depends on an
 * unknown. `traceCondition` prepends how the condition was decided to the chosen value's trace.
 */
export function chooseBranch(condition: Value, then: () => Value, otherwise: () => Value, traceCondition = false): Value {
  if (condition.kind === 'bool') {
    const chosen = condition.value ? then() : otherwise();
    return traceCondition ? ({ ...chosen, trace: [...(condition.trace ?? []), ...(chosen.trace ?? [])] } as Value) : chosen;
  }
  if (condition.kind === 'one-of') {
    const bools = condition.options.map((o) => (o.kind === 'bool' ? o.value : undefined));
    if (bools.every((b) => b === true)) return then();
    if (bools.every((b) => b === false)) return otherwise();
    return oneOf([then(), otherwise()], condition.because);
  }
  if (condition.kind === 'unknown') return oneOf([then(), otherwise()], condition);
  return evaluationError('a condition that is not a boolean', condition.origin);
}

/** `true` or `"true"` (which Terraform and CloudFormation both accept for a boolean) under every alternative left open. */
export function isCertainlyTrue(value: Value): boolean {
  if (value.kind === 'one-of') return value.options.every(isCertainlyTrue);
  return (value.kind === 'bool' && value.value) || (value.kind === 'string' && !value.partial && value.value.toLowerCase() === 'true');
}
