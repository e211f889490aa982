/**
 * An object of AWS CLI output (a trail of `trailList`, a `KeyMetadata`, an event data store)
 * as a block of the common model, so findings land on the object and on the member at fault.
 * The values are read from the object itself (cliOutputs.ts); the block carries the ranges.
 */
import type { Range } from '../types';
import type { Attribute, Block, Expr } from '../model/syntax';
import type { ObjectValue, Value } from '../model/values';

/** `type` names what the object is (`AWS::CloudTrail::Trail`); `label` what findings call it. */
export function objectBlock(object: ObjectValue, type: string, label: string, members: string[]): Block {
  const range = object.origin?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const header = headerOf(object, range);
  return {
    type: 'resource',
    labels: [type, label],
    labelRanges: [header, header],
    range,
    headerRange: header,
    bodyRange: undefined,
    attributes: members.map((name) => memberAttribute(object, name)).filter((a): a is Attribute => a !== undefined),
    blocks: [],
  };
}

/** A member `"Name": value` as an attribute; undefined when the object has none. */
export function memberAttribute(object: ObjectValue, name: string): Attribute | undefined {
  const value = object.entries.get(name);
  const key = object.keyOrigins?.get(name);
  if (!value?.origin || !key) return undefined;
  return { name, nameRange: key.range, value: literalExpr(value, value.origin.range), range: { start: key.range.start, end: value.origin.range.end } };
}

/** A member's text; undefined when it is not a non-empty string. */
export function memberText(object: ObjectValue, name: string): string | undefined {
  const value = object.entries.get(name);
  return value?.kind === 'string' && value.value !== '' ? value.value : undefined;
}

/** From the object's `{` to the end of its first member, the line that names it in the CLI's layout. */
function headerOf(object: ObjectValue, range: Range): Range {
  const first = [...object.entries.values()][0]?.origin;
  return { start: range.start, end: first && first.uri === object.origin?.uri ? first.range.end : { line: range.start.line, character: range.start.character + 1 } };
}

function literalExpr(value: Value, range: Range): Expr {
  switch (value.kind) {
    case 'string': case 'number': case 'bool': return { kind: 'literal', value: value.value, range };
    case 'null': return { kind: 'literal', value: null, range };
    default: return { kind: 'unknown', text: '', range };
  }
}
