/**
 * Test helper: a plain JSON policy → the evaluated `Value` the policy code receives, so tests
 * read as JSON policies.
 *
 * Every value gets a fake origin whose URI names it by JSON pointer
 * (`test://policy.json#/Statement/0/Action/1`; object keys `…/Action@key`), so a test can
 * assert exactly which value a problem or statement points at (`pointerOf(origin)`).
 * Strings containing `${…}` are `partial`, as they are in a template the evaluator could not
 * fill. Markers stand for what JSON cannot say:
 *   { $unknown: 'var.x' }      an input without a default
 *   { $oneOf: [a, b] }         both branches of an undecidable conditional
 *   { $noValue: true }         CloudFormation's AWS::NoValue
 */
import type { Location } from '../../../server/src/engine/types';
import type { Value } from '../../../server/src/engine/model/values';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface JsonToValueOptions {
  uri?: string;
}

export function jsonToValue(json: Json, options: JsonToValueOptions = {}): Value {
  const uri = options.uri ?? 'test://policy.json';
  let line = 0;
  const origin = (pointer: string): Location => {
    const at = line++;
    return { uri: `${uri}#${pointer}`, range: { start: { line: at, character: 0 }, end: { line: at, character: 1 } } };
  };
  const convert = (value: Json, pointer: string): Value => {
    if (value === null) return { kind: 'null', origin: origin(pointer) };
    if (typeof value === 'string') {
      const partial = /\$\{[^}]*\}/.test(value);
      return partial ? { kind: 'string', value, partial: true, origin: origin(pointer) } : { kind: 'string', value, origin: origin(pointer) };
    }
    if (typeof value === 'number') return { kind: 'number', value, origin: origin(pointer) };
    if (typeof value === 'boolean') return { kind: 'bool', value, origin: origin(pointer) };
    if (Array.isArray(value)) return { kind: 'list', items: value.map((item, i) => convert(item, `${pointer}/${i}`)), origin: origin(pointer) };
    if (typeof value.$unknown === 'string') return { kind: 'unknown', cause: 'input', detail: value.$unknown, origin: origin(pointer) };
    if (Array.isArray(value.$oneOf)) {
      return {
        kind: 'one-of',
        options: value.$oneOf.map((option, i) => convert(option, `${pointer}/$oneOf/${i}`)),
        because: { kind: 'unknown', cause: 'input', detail: 'var.condition' },
        origin: origin(pointer),
      };
    }
    if (value.$noValue === true) return { kind: 'novalue', origin: origin(pointer) };
    const entries = new Map<string, Value>();
    const keyOrigins = new Map<string, Location>();
    for (const [key, item] of Object.entries(value)) {
      keyOrigins.set(key, origin(`${pointer}/${key}@key`));
      entries.set(key, convert(item, `${pointer}/${key}`));
    }
    return { kind: 'object', entries, keyOrigins, origin: origin(pointer) };
  };
  return convert(json, '');
}

/** The JSON pointer a fake origin names (`/Statement/0/Action`), or undefined. */
export const pointerOf = (location: Location | undefined): string | undefined => {
  if (!location) return undefined;
  const hash = location.uri.indexOf('#');
  return hash < 0 ? undefined : location.uri.slice(hash + 1);
};
