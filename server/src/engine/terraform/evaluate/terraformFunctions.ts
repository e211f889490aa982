/**
 * The Terraform built-in functions that decide whether a key id is set. Anything not listed
 * evaluates to an unknown runtime value, which the rules treat as "set": a false positive on
 * a function we do not model would be worse than a missed finding.
 */
import type { ListValue, Value } from '../../model/values';
import { evaluationError, firstUnknown, isEmpty, mapOptions, mapOptionsN, unknownRuntime } from '../../model/valueOps';

type Fn = (args: Value[]) => Value;

const toStringValue = (v: Value): string | undefined => {
  if (v.kind === 'string' && !v.partial) return v.value;
  if (v.kind === 'number' || v.kind === 'bool') return String(v.value);
  return undefined;
};

/** Items of a list argument; undefined when it is not a known list. */
const listItems = (v: Value): Value[] | undefined => (v.kind === 'list' ? v.items : undefined);

const list = (items: Value[]): ListValue => ({ kind: 'list', items });

function join([separator, ...lists]: Value[]): Value {
  if (!separator || lists.length === 0) return evaluationError('join() needs a separator and a list');
  return mapOptionsN([separator, ...lists], ([sep, ...ls]) => {
    const items: Value[] = [];
    for (const l of ls) {
      const its = listItems(l);
      if (!its) return l.kind === 'unknown' ? l : unknownRuntime('join() of a value that is not a list');
      items.push(...its);
    }
    return mapOptionsN(items, (resolved) => {
      const nonEmpty = resolved.filter((v) => !(v.kind === 'string' && v.value === '' && !v.partial));
      if (nonEmpty.length === 0) return { kind: 'string', value: '' };
      // `join("", aws_kms_key.k[*].arn)` is an idiom for "the one key's ARN, or empty".
      if (nonEmpty.length === 1 && nonEmpty[0].kind !== 'string') return nonEmpty[0];
      const strings = resolved.map(toStringValue);
      const s = toStringValue(sep);
      if (s === undefined || strings.some((x) => x === undefined)) return firstUnknown(resolved) ?? unknownRuntime('join() of computed values');
      return { kind: 'string', value: strings.join(s) };
    });
  });
}

function coalesce(args: Value[]): Value {
  for (const arg of args) {
    if (arg.kind === 'one-of' || arg.kind === 'unknown') return arg;
    if (!isEmpty(arg)) return arg;
  }
  return evaluationError('coalesce() found no non-empty argument');
}

function tryFn(args: Value[]): Value {
  for (const arg of args) if (!(arg.kind === 'unknown' && arg.cause === 'error')) return arg;
  return evaluationError('every try() argument fails');
}

function concat(args: Value[]): Value {
  return mapOptionsN(args, (ls) => {
    const items: Value[] = [];
    for (const l of ls) {
      const its = listItems(l);
      if (!its) return l.kind === 'unknown' ? l : unknownRuntime('concat() of a value that is not a list');
      items.push(...its);
    }
    return list(items);
  });
}

function element([l, index]: Value[]): Value {
  if (!l || !index) return evaluationError('element() needs a list and an index');
  return mapOptionsN([l, index], ([lv, iv]) => {
    const items = listItems(lv);
    if (!items || iv.kind !== 'number') return firstUnknown([lv, iv]) ?? unknownRuntime('element() of computed values');
    if (items.length === 0) return evaluationError('element() of an empty list');
    return items[iv.value % items.length];
  });
}

function one([l]: Value[]): Value {
  if (!l) return evaluationError('one() needs a list');
  return mapOptions(l, (lv) => {
    const items = listItems(lv);
    if (!items) return lv.kind === 'unknown' ? lv : unknownRuntime('one() of a computed value');
    if (items.length === 0) return { kind: 'null' };
    if (items.length === 1) return items[0];
    return evaluationError('one() of a list with more than one element');
  });
}

function compact([l]: Value[]): Value {
  if (!l) return evaluationError('compact() needs a list');
  return mapOptions(l, (lv) => {
    const items = listItems(lv);
    if (!items) return lv.kind === 'unknown' ? lv : unknownRuntime('compact() of a computed value');
    return list(items.filter((v) => !isEmpty(v)));
  });
}

function lookup([map, key, fallback]: Value[]): Value {
  if (!map || !key) return evaluationError('lookup() needs a map and a key');
  if (map.kind === 'object' && key.kind === 'string' && !key.partial) {
    return map.entries.get(key.value) ?? fallback ?? evaluationError(`lookup() found no key ${key.value}`);
  }
  return firstUnknown([map, key]) ?? unknownRuntime('lookup() of computed values');
}

function length([v]: Value[]): Value {
  if (!v) return evaluationError('length() needs a value');
  return mapOptions(v, (x) => {
    if (x.kind === 'list') return { kind: 'number', value: x.items.length };
    if (x.kind === 'object') return { kind: 'number', value: x.entries.size };
    if (x.kind === 'string' && !x.partial) return { kind: 'number', value: [...x.value].length };
    return x.kind === 'unknown' ? x : unknownRuntime('length() of a computed value');
  });
}

const identity: Fn = ([v]) => v ?? evaluationError('missing argument');

function caseChange(f: (s: string) => string): Fn {
  return ([v]) => (v ? mapOptions(v, (x) => (x.kind === 'string' && !x.partial ? { ...x, value: f(x.value) } : x)) : evaluationError('missing argument'));
}

export const TERRAFORM_FUNCTIONS: Record<string, Fn> = {
  join, coalesce, try: tryFn, concat, element, one, compact, lookup, length,
  tostring: identity, tolist: identity, toset: identity, nonsensitive: identity, sensitive: identity,
  lower: caseChange((s) => s.toLowerCase()), upper: caseChange((s) => s.toUpperCase()),
  trimspace: caseChange((s) => s.trim()),
};
