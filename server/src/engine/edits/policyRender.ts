/**
 * Key-policy data (statements, conditions) rendered in each syntax a policy is written in:
 * JSON text, an HCL object for `jsonencode`, and `aws_iam_policy_document` blocks.
 */
import type { JsonObject, JsonValue } from '../policy/requiredStatements';
import { hclString, hclStringValue, renderHcl } from './hclRender';

/** JSON laid out like `JSON.stringify(…, null, unit)`, continued at `indent`. */
export function renderJson(value: JsonValue, indent: string, unit: string): string {
  return JSON.stringify(value, null, unit).split('\n').join(`\n${indent}`);
}

export const renderJsonEntry = (key: string, value: JsonValue, indent: string, unit: string): string =>
  `${JSON.stringify(key)}: ${renderJson(value, indent, unit)}`;

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const renderHclEntry = (key: string, value: JsonValue, indent: string, unit: string): string =>
  `${BARE_KEY.test(key) ? key : hclString(key)} = ${renderHcl(value, indent, unit)}`;

const asList = (value: JsonValue | undefined): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String);

const hclList = (items: string[]): string => `[${items.map(hclStringValue).join(', ')}]`;

/** One `condition { … }` block per operator and key. */
export function renderDocumentConditions(condition: JsonObject, indent: string, unit: string): string[] {
  const blocks: string[] = [];
  for (const [test, keys] of Object.entries(condition)) {
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) continue;
    for (const [variable, values] of Object.entries(keys)) {
      blocks.push([
        'condition {',
        `${indent}${unit}test     = ${hclString(test)}`,
        `${indent}${unit}variable = ${hclString(variable)}`,
        `${indent}${unit}values   = ${hclList(asList(values))}`,
        `${indent}}`,
      ].join('\n'));
    }
  }
  return blocks;
}

/** A statement as an `aws_iam_policy_document` `statement { … }` block (first line unindented). */
export function renderDocumentStatement(statement: JsonObject, indent: string, unit: string): string {
  const inner = indent + unit;
  const attributes: [string, string][] = [];
  if (typeof statement.Sid === 'string') attributes.push(['sid', hclString(statement.Sid)]);
  attributes.push(['effect', hclString(String(statement.Effect ?? 'Allow'))]);
  attributes.push(['actions', hclList(asList(statement.Action))]);
  attributes.push(['resources', hclList(asList(statement.Resource ?? '*'))]);
  const width = Math.max(...attributes.map(([name]) => name.length));
  const lines = ['statement {', ...attributes.map(([name, value]) => `${inner}${name.padEnd(width)} = ${value}`)];
  const principal = statement.Principal;
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) {
    for (const [type, identifiers] of Object.entries(principal)) {
      lines.push('', `${inner}principals {`, `${inner}${unit}type        = ${hclString(type)}`, `${inner}${unit}identifiers = ${hclList(asList(identifiers))}`, `${inner}}`);
    }
  }
  const condition = statement.Condition;
  if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    for (const block of renderDocumentConditions(condition, inner, unit)) lines.push('', `${inner}${block}`);
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}

/**
 * A statement as Terraform JSON writes an `aws_iam_policy_document` `statement` block: an
 * object whose nested `principals` and `condition` blocks are arrays of objects.
 */
export function documentStatementJson(statement: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (typeof statement.Sid === 'string') out.sid = statement.Sid;
  out.effect = String(statement.Effect ?? 'Allow');
  out.actions = asList(statement.Action);
  out.resources = asList(statement.Resource ?? '*');
  const principal = statement.Principal;
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) {
    out.principals = Object.entries(principal).map(([type, identifiers]) => ({ type, identifiers: asList(identifiers) }));
  }
  const condition = statement.Condition;
  if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    const conditions: JsonObject[] = [];
    for (const [test, keys] of Object.entries(condition)) {
      if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) continue;
      for (const [variable, values] of Object.entries(keys)) conditions.push({ test, variable, values: asList(values) });
    }
    out.condition = conditions;
  }
  return out;
}
