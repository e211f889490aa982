/**
 * Renders JSON-shaped data (a resource, a key policy, an intrinsic) as CloudFormation text in
 * a template's own style: YAML with short-form tags (`!GetAtt Key.Arn`) or long form
 * (`Fn::GetAtt: [Key, Arn]`), the template's indentation, or JSON.
 *
 * The data is plain JSON. A one-key object `{Ref: …}` / `{"Fn::…": …}` is an intrinsic, and a
 * string that contains `${AWS::…}` / `${Name}` is meant for `Fn::Sub`: callers build values once
 * (`cloudTrailKeyPolicy({ accountId: '${AWS::AccountId}', … })`) and render them anywhere.
 */
import type { JsonValue } from '../../policy/requiredStatements';
import { SHORT_FORM_FUNCTIONS } from '../parse/cfnIntrinsics';
import { intrinsicOf, isCollection, isObject, renderJsonInline, withSubstitutions, type CfnStyle, type Intrinsic } from '../../edits/jsonRender';

export type { CfnStyle, JsonValue };

export const ref = (name: string): JsonValue => ({ Ref: name });
export const getAtt = (resource: string, attribute: string): JsonValue => ({ 'Fn::GetAtt': [resource, attribute] });

// ---- YAML ---------------------------------------------------------------------------------

/**
 * `Key: value` as YAML, the key at `indent` (which the caller writes before it): a scalar or
 * short intrinsic on the same line, a mapping or sequence on the following lines.
 */
export function renderYamlEntry(key: string, value: JsonValue, indent: string, style: CfnStyle): string {
  return `${yamlScalar(key, false)}:${renderYamlAfterKey(value, indent, style)}`;
}

/** What follows `Key:` for `value`: ` value` on the same line, or a line break and an indented block. */
export function renderYamlAfterKey(value: JsonValue, indent: string, style: CfnStyle): string {
  return afterKey(withSubstitutions(value), indent, style);
}

/** A block sequence item at `dashIndent`: `- value`, a mapping's first entry on the dash line. */
export function renderYamlItem(value: JsonValue, dashIndent: string, style: CfnStyle): string {
  return item(withSubstitutions(value), dashIndent, style);
}

/** One line of YAML flow style (`{Fn::GetAtt: [Key, Arn]}`, `!GetAtt Key.Arn`), for inside `{…}` / `[…]`. */
export function renderYamlFlow(value: JsonValue, style: CfnStyle): string {
  return flow(withSubstitutions(value), style);
}

function afterKey(value: JsonValue, indent: string, style: CfnStyle): string {
  const inline = inlineYaml(value, style);
  if (inline !== undefined) return ` ${inline}`;
  const intrinsic = style.shortForm ? intrinsicOf(value) : undefined;
  if (intrinsic) return ` ${tagOf(intrinsic.name)}${block(intrinsic.argument, indent, style)}`;
  return block(value, indent, style);
}

/** A mapping or sequence under a key at `indent`; starts with a line break. */
function block(value: JsonValue, indent: string, style: CfnStyle): string {
  if (Array.isArray(value)) {
    const dashIndent = style.indentSequences ? indent + style.unit : indent;
    return value.map((v) => `${style.eol}${dashIndent}${item(v, dashIndent, style)}`).join('');
  }
  if (!isObject(value)) return ` ${yamlScalar(value, false)}`;
  const inner = indent + style.unit;
  return Object.keys(value).map((k) => `${style.eol}${inner}${entry(value, k, inner, style)}`).join('');
}

/** `Key: …` of a mapping; a long-form intrinsic's simple argument list stays on its line (`Fn::GetAtt: [Key, Arn]`). */
function entry(mapping: { [key: string]: JsonValue }, key: string, indent: string, style: CfnStyle): string {
  const value = mapping[key];
  const flatArgument = intrinsicOf(mapping) !== undefined && isCollection(value) && isFlat(value);
  return `${yamlScalar(key, false)}:${flatArgument ? ` ${flow(value, style)}` : afterKey(value, indent, style)}`;
}

function item(value: JsonValue, dashIndent: string, style: CfnStyle): string {
  const inline = inlineYaml(value, style);
  if (inline !== undefined) return `- ${inline}`;
  // Content of an item is indented past its dash.
  const inner = `${dashIndent}  `;
  if (Array.isArray(value)) return `- ${flow(value, style)}`;
  const intrinsic = style.shortForm ? intrinsicOf(value) : undefined;
  if (intrinsic) return `- ${tagOf(intrinsic.name)}${block(intrinsic.argument, inner, style)}`;
  const mapping = value as { [key: string]: JsonValue };
  return `- ${Object.keys(mapping).map((k, i) => `${i === 0 ? '' : style.eol + inner}${entry(mapping, k, inner, style)}`).join('')}`;
}

/** The value on one line when it reads well there: scalars, empty collections, short intrinsics of simple arguments. */
function inlineYaml(value: JsonValue, style: CfnStyle): string | undefined {
  if (!isCollection(value)) return yamlScalar(value, false);
  if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) return Array.isArray(value) ? '[]' : '{}';
  const intrinsic = intrinsicOf(value);
  if (!intrinsic || !style.shortForm) return undefined;
  return shortIntrinsic(intrinsic, style, false);
}

/** `!Ref X`, `!GetAtt K.Arn`, `!Sub "…"`, `!Join ["", [a, b]]`; undefined when the argument needs a block. */
function shortIntrinsic(intrinsic: Intrinsic, style: CfnStyle, inFlow: boolean): string | undefined {
  const tag = tagOf(intrinsic.name);
  const argument = intrinsic.argument;
  if (intrinsic.name === 'Fn::GetAtt' && Array.isArray(argument) && argument.length === 2 &&
      typeof argument[0] === 'string' && typeof argument[1] === 'string' && !argument[0].includes('.')) {
    return `${tag} ${yamlScalar(`${argument[0]}.${argument[1]}`, inFlow)}`;
  }
  if (intrinsic.name === 'Fn::Sub' && typeof argument === 'string') return `${tag} ${JSON.stringify(argument)}`;
  if (!isCollection(argument)) return `${tag} ${yamlScalar(argument, inFlow)}`;
  if (inFlow || isFlat(argument)) return `${tag} ${flow(argument, style)}`;
  return undefined;
}

function flow(value: JsonValue, style: CfnStyle): string {
  if (!isCollection(value)) return yamlScalar(value, true);
  if (Array.isArray(value)) return `[${value.map((v) => flow(v, style)).join(', ')}]`;
  const intrinsic = intrinsicOf(value);
  if (intrinsic && style.shortForm) return shortIntrinsic(intrinsic, style, true) ?? '';
  return `{${Object.entries(value).map(([k, v]) => `${yamlScalar(k, true)}: ${flow(v, style)}`).join(', ')}}`;
}

const tagOf = (longName: string): string => `!${LONG_TO_SHORT.get(longName) ?? longName.replace(/^Fn::/, '')}`;
const LONG_TO_SHORT: ReadonlyMap<string, string> = new Map([...SHORT_FORM_FUNCTIONS].map(([short, long]) => [long, short]));

/** Words YAML (1.1 or 1.2, CloudFormation reads both) takes for booleans or null. */
const YAML_RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
/** Plain-safe: starts with a letter, `_` or `/`, and holds nothing YAML gives a meaning. */
const YAML_PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./:@=+-]*$/;

/** A scalar as YAML: plain when that reads back as the same string, else double-quoted (JSON escapes are YAML's). */
export function yamlScalar(value: JsonValue, inFlow: boolean): string {
  if (typeof value !== 'string') return value === null ? 'null' : String(value);
  const plain = YAML_PLAIN.test(value) && !/:(?: |$)| #| $/.test(value) && !YAML_RESERVED.test(value) && !(inFlow && /[,[\]{}]/.test(value));
  return plain ? value : JSON.stringify(value);
}

// ---- shared -------------------------------------------------------------------------------

/** Renders `value` on one line in the template's format. */
export function renderInline(value: JsonValue, style: CfnStyle): string {
  return style.format === 'json' ? renderJsonInline(value) : renderYamlFlow(value, style);
}

/** A list or mapping of scalars only, short enough for one line. */
function isFlat(value: JsonValue[] | { [key: string]: JsonValue }): boolean {
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.every((v) => !isCollection(v)) && JSON.stringify(value).length <= 60;
}
