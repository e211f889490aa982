/**
 * Renders JSON-shaped data as JSON text in a document's own style (indentation, line ends),
 * for the JSON documents the fixes edit: CloudFormation templates, Terraform JSON, policies.
 *
 * A one-key object `{Ref: …}` / `{"Fn::…": …}` is a CloudFormation intrinsic and stays on one
 * line; a string holding `${AWS::…}` / `${Name}` is rendered as `Fn::Sub` (see
 * `withSubstitutions`). Terraform JSON's own `${…}` expressions are written as literal text
 * (`JsonDocument.insertLiteralProperty`), never through these renderers.
 */
import type { JsonValue } from '../policy/requiredStatements';

export type { JsonValue };

/** How a template is written; read from the template itself (see `YamlDocument.style`, `JsonDocument.style`). */
export interface CfnStyle {
  format: 'yaml' | 'json';
  /** YAML: `!GetAtt Key.Arn` rather than `Fn::GetAtt: [Key, Arn]`. */
  shortForm: boolean;
  /** One level of indentation (spaces; JSON may use tabs). */
  unit: string;
  eol: string;
  /** YAML: sequence items indented under their key (`Key:\n  - a`) rather than flush with it (`Key:\n- a`). */
  indentSequences: boolean;
}

export interface Intrinsic {
  /** Long form: `Ref`, `Fn::GetAtt`, … */
  name: string;
  argument: JsonValue;
}

/** The intrinsic a one-key object spells (`Ref` or `Fn::…`). `Condition` is left alone: it is also a resource attribute. */
export function intrinsicOf(value: JsonValue): Intrinsic | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0];
  return name === 'Ref' || name.startsWith('Fn::') ? { name, argument: value[name] } : undefined;
}

/** `${Name}`, `${AWS::AccountId}`, `${Key.Arn}`; `${!Literal}` is CloudFormation's escape, not a substitution. */
const SUBSTITUTION = /\$\{(?!!)[^}]+\}/;
const WHOLE_REFERENCE = /^\$\{([A-Za-z0-9]+(?:::[A-Za-z0-9]+)*)\}$/;

/**
 * Strings that substitute become `Fn::Sub` (or `Ref` when the string is exactly one name, as
 * `${AWS::AccountId}`), everywhere except inside intrinsics, whose strings are their own.
 */
export function withSubstitutions(value: JsonValue): JsonValue {
  if (typeof value === 'string') {
    if (!SUBSTITUTION.test(value)) return value;
    const whole = WHOLE_REFERENCE.exec(value);
    return whole ? { Ref: whole[1] } : { 'Fn::Sub': value };
  }
  if (Array.isArray(value)) return value.map(withSubstitutions);
  if (!isObject(value) || intrinsicOf(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSubstitutions(v)]));
}

/**
 * A JSON value whose continuation lines sit under a property at `indent`: objects and arrays
 * one per line, intrinsics on one line (`{"Fn::GetAtt": ["Key", "Arn"]}`).
 */
export function renderJsonValue(value: JsonValue, indent: string, style: CfnStyle): string {
  return json(withSubstitutions(value), indent, style);
}

/** `"Key": value`, the key at `indent` (which the caller writes before it). */
export function renderJsonProperty(key: string, value: JsonValue, indent: string, style: CfnStyle): string {
  return `${JSON.stringify(key)}: ${renderJsonValue(value, indent, style)}`;
}

/** A JSON value on one line: `{"a": 1, "b": [2, 3]}`. */
export function renderJsonInline(value: JsonValue): string {
  return inlineJson(withSubstitutions(value));
}

function json(value: JsonValue, indent: string, style: CfnStyle): string {
  if (!isCollection(value) || intrinsicOf(value)) return inlineJson(value);
  const inner = indent + style.unit;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${style.eol}${value.map((v) => inner + json(v, inner, style)).join(`,${style.eol}`)}${style.eol}${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{${style.eol}${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${json(v, inner, style)}`).join(`,${style.eol}`)}${style.eol}${indent}}`;
}

function inlineJson(value: JsonValue): string {
  if (!isCollection(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')}}`;
}

export function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isCollection(value: JsonValue): value is JsonValue[] | { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object';
}

