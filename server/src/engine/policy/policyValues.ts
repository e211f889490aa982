/**
 * Reading evaluated `Value`s as policy strings and policy objects.
 *
 * The rules of thumb: `novalue` and `null` are absent; an unknown value becomes one string
 * that stands for anything (`unknown: true`); both branches of a `one-of` are kept, marked
 * `conditional`; a wrong type is reported, never thrown.
 */
import type { Location } from '../types';
import type { ObjectValue, Value } from '../model/values';
import { closestWord } from './kmsActions';
import type { ProblemSink } from './policyProblems';
import type { PolicyString } from './types';
import { hasInterpolation } from './wildcards';

/** Words for a value's type in messages ("an object", "a list"). */
export const describeValueKind = (value: Value): string => {
  switch (value.kind) {
    case 'object': return 'an object';
    case 'list': return 'a list';
    case 'number': return 'a number';
    case 'bool': return 'a boolean';
    case 'null': return 'null';
    case 'string': return 'a string';
    default: return 'a value';
  }
};

/** Absent: not written, `null`, or CloudFormation's `AWS::NoValue`. */
export const isAbsent = (value: Value | undefined): value is undefined =>
  value === undefined || value.kind === 'null' || value.kind === 'novalue';

/** The text an unknowable value stands for: `${var.kms_key_arn}`. */
export const unknownText = (value: Value): string => {
  if (value.kind === 'unknown') return '${' + value.detail + '}';
  if (value.kind === 'resource-attribute') return '${' + value.resource.address + '.' + value.attribute + '}';
  return '${unknown}';
};

export const isUnknowable = (value: Value): boolean => value.kind === 'unknown' || value.kind === 'resource-attribute';

export interface WrongType {
  found: string;
  origin?: Location;
}

export interface ReadStringsOptions {
  /** Numbers and booleans are acceptable and read as their JSON text (condition values). */
  scalars: boolean;
}

/**
 * A string-or-list element as policy strings. Wrong types are returned (not reported) so the
 * caller can say which element was wrong.
 */
export function readStrings(value: Value, options: ReadStringsOptions): { items: PolicyString[]; wrongTypes: WrongType[] } {
  const items: PolicyString[] = [];
  const wrongTypes: WrongType[] = [];
  const visit = (v: Value, conditional: boolean, inList: boolean): void => {
    const base = (text: string): PolicyString => {
      const item: PolicyString = { value: text, partial: hasInterpolation(text) };
      if (conditional) item.conditional = true;
      if (v.origin) item.origin = v.origin;
      return item;
    };
    switch (v.kind) {
      case 'null':
      case 'novalue':
        return;
      case 'string': {
        const item = base(v.value);
        if (v.partial) item.partial = true;
        items.push(item);
        return;
      }
      case 'number':
      case 'bool':
        if (options.scalars) items.push(base(String(v.value)));
        else wrongTypes.push({ found: describeValueKind(v), origin: v.origin });
        return;
      case 'unknown':
      case 'resource-attribute':
        items.push({ ...base(unknownText(v)), partial: true, unknown: true });
        return;
      case 'one-of':
        for (const option of v.options) visit(option, true, inList);
        return;
      case 'list':
        if (inList) {
          wrongTypes.push({ found: 'a nested list', origin: v.origin });
          return;
        }
        for (const item of v.items) visit(item, conditional, true);
        return;
      case 'object':
        wrongTypes.push({ found: describeValueKind(v), origin: v.origin });
        return;
    }
  };
  visit(value, false, false);
  return { items, wrongTypes };
}

/** The single string a scalar element (Sid, Effect, Version) holds, when it is one. */
export const readScalarString = (value: Value): string | undefined =>
  value.kind === 'string' && !value.partial ? value.value : undefined;

export interface ElementEntry {
  /** The element name as written. */
  writtenName: string;
  value: Value;
  keyOrigin?: Location;
}

/**
 * The entries of a policy object by canonical element name. A key that is not an element is
 * reported (with the element it probably meant); when it is a different case or a close
 * misspelling (`Actions`, `effect`) of an element not otherwise present, it is read as that
 * element so one typo yields one problem, not a cascade of "missing …" ones.
 */
export function readElements(object: ObjectValue, known: readonly string[], sink: ProblemSink, messageId: 'unknownPolicyElement' | 'unknownStatementElement'): Map<string, ElementEntry> {
  const elements = new Map<string, ElementEntry>();
  const misspelled: [string, ElementEntry][] = [];
  for (const [name, value] of object.entries) {
    const entry: ElementEntry = { writtenName: name, value, keyOrigin: object.keyOrigins?.get(name) ?? value.origin };
    if (known.includes(name)) {
      elements.set(name, entry);
      continue;
    }
    const meant = known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? closestWord(name, known, 2);
    sink.report(messageId, entry.keyOrigin, { element: name }, meant);
    if (meant !== undefined) misspelled.push([meant, entry]);
  }
  for (const [meant, entry] of misspelled) if (!elements.has(meant)) elements.set(meant, entry);
  return elements;
}
