/**
 * Edits to a policy whose statements are objects written as JSON or as HCL (`jsonencode`):
 * insert statements into the `Statement` list, add a condition to a statement, correct a
 * misspelled string. Everything is located through the evaluated policy's origins, and each
 * edit stays inside the text that wrote the part it changes.
 */
import type { Fix, Location, Range, TextEdit } from '../types';
import { rangeContains } from '../types';
import type { LineIndex } from '../model/text';
import type { ObjectValue, Value } from '../model/values';
import type { JsonObject, JsonValue } from '../policy/requiredStatements';
import type { Statement } from '../policy/types';
import { appendMembers, replaceWritten, type ObjectSyntax, type RenderMember } from './policyTextEdits';
import { renderHclEntry, renderJson, renderJsonEntry } from './policyRender';
import { hclString, renderHcl } from './hclRender';

/** Where a part of the policy is written, and how text there is written. */
export interface EditSite {
  uri: string;
  lines: LineIndex;
  syntax: ObjectSyntax;
}

/** The site of a written part, or undefined when a fix must not edit it. */
export type SiteOf = (origin: Location | undefined) => EditSite | undefined;

export interface FileEdit {
  uri: string;
  edit: TextEdit;
}

const renderValue = (syntax: ObjectSyntax, value: JsonValue): RenderMember =>
  (indent, unit) => (syntax === 'json' ? renderJson(value, indent, unit) : renderHcl(value, indent, unit));

const renderEntry = (syntax: ObjectSyntax, key: string, value: JsonValue): RenderMember =>
  (indent, unit) => (syntax === 'json' ? renderJsonEntry(key, value, indent, unit) : renderHclEntry(key, value, indent, unit));

/** Appends statements to the policy's `Statement` list. */
export function insertStatements(policy: Value, statements: JsonObject[], siteOf: SiteOf): FileEdit | undefined {
  const list = policy.kind === 'object' ? policy.entries.get('Statement') : undefined;
  if (list?.kind !== 'list' || !list.origin) return undefined;
  const site = siteOf(list.origin);
  if (!site || list.items.some((item) => item.origin?.uri !== site.uri)) return undefined;
  const members = list.items.map((item) => item.origin?.range).filter((r): r is Range => r !== undefined);
  if (members.length !== list.items.length) return undefined;
  const edit = appendMembers({ lines: site.lines, range: list.origin.range, members }, statements.map((s) => renderValue(site.syntax, s)), site.syntax, 'list');
  return edit && { uri: site.uri, edit };
}

/** Adds `operator: { key: value }` to a statement's Condition, creating what is missing. */
export function insertCondition(statement: Statement, condition: { operator: string; key: string; value: string }, siteOf: SiteOf): FileEdit | undefined {
  const source = statement.source;
  if (source.kind !== 'object' || !statement.origin) return undefined;
  const within = statement.origin;
  const existing = source.entries.get('Condition');
  if (!existing) return appendEntry(source, 'Condition', { [condition.operator]: { [condition.key]: condition.value } }, siteOf, within);
  if (existing.kind !== 'object') return undefined;
  const operator = existing.entries.get(condition.operator);
  if (!operator) return appendEntry(existing, condition.operator, { [condition.key]: condition.value }, siteOf, within);
  if (operator.kind !== 'object' || operator.entries.has(condition.key)) return undefined;
  return appendEntry(operator, condition.key, condition.value, siteOf, within);
}

function appendEntry(object: ObjectValue, key: string, value: JsonValue, siteOf: SiteOf, within: Location): FileEdit | undefined {
  // Only an object written inside the statement: one shared through a local would change others too.
  if (!object.origin || object.origin.uri !== within.uri || !rangeContains(within.range, object.origin.range)) return undefined;
  const site = siteOf(object.origin);
  if (!site) return undefined;
  const members: Range[] = [];
  for (const [name, member] of object.entries) {
    const keyOrigin = object.keyOrigins?.get(name);
    if (!member.origin || member.origin.uri !== site.uri) return undefined;
    members.push({ start: (keyOrigin ?? member.origin).range.start, end: member.origin.range.end });
  }
  members.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
  const edit = appendMembers({ lines: site.lines, range: object.origin.range, members }, [renderEntry(site.syntax, key, value)], site.syntax, 'object');
  return edit && { uri: site.uri, edit };
}

/** Replaces one written string (an action, an Effect, an element name) when it is a plain literal. */
export function replaceString(origin: Location, written: string, replacement: string, siteOf: SiteOf): FileEdit | undefined {
  const site = siteOf(origin);
  if (!site) return undefined;
  const edit = replaceWritten(site.lines, origin.range, [written], replacement, site.syntax);
  if (!edit) return undefined;
  // HCL strings escape `%{`; JSON and HCL otherwise quote alike.
  if (site.syntax === 'hcl' && edit.newText.startsWith('"')) edit.newText = hclString(replacement);
  return { uri: site.uri, edit };
}

/** The object a misspelled element name is written in: the policy, or its statement (even one that did not parse). */
export function elementOwner(policy: Value, problem: { statementIndex?: number }): Value | undefined {
  if (problem.statementIndex === undefined) return policy;
  const statements = policy.kind === 'object' ? policy.entries.get('Statement') : undefined;
  if (statements?.kind === 'list') return statements.items[problem.statementIndex];
  return problem.statementIndex === 0 ? statements : undefined;
}

/** One fix from edits that may span files, grouped per file as a workspace edit wants them. */
export function policyFix(title: string, edits: FileEdit[], kind: Fix['kind'] = 'quickfix', isPreferred?: boolean): Fix {
  const byUri = new Map<string, TextEdit[]>();
  for (const { uri, edit } of edits) byUri.set(uri, [...(byUri.get(uri) ?? []), edit]);
  return { title, edits: [...byUri].map(([uri, list]) => ({ uri, edits: list })), kind, ...(isPreferred ? { isPreferred } : {}) };
}

