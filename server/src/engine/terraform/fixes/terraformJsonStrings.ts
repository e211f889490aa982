/**
 * Statements added to a key policy that a Terraform JSON file holds in one string: JSON
 * policy text (`"{\"Version\": …}"`), or an HCL object in `"${jsonencode({…})}"` (what
 * generators such as CDK for Terraform write). The string is decoded, the policy inside it
 * edited as the text it is (JSON or HCL, by the same minimal list edit as everywhere else),
 * and the string written back as one edit. Only a string that re-encodes to exactly what is
 * written (no `\u0041`, no `\/`) is edited, so nothing but the new statements changes.
 */
import type { Position, Range, TextEdit } from '../../types';
import type { Expr } from '../../model/syntax';
import { LineIndex } from '../../model/text';
import { parseJsonTree, property } from '../../model/jsonNodes';
import type { JsonObject, JsonValue } from '../../policy/requiredStatements';
import { appendMembers, type RenderMember } from '../../edits/policyTextEdits';
import { applyTextEdits } from '../../edits/applyTextEdits';
import { renderJson } from '../../edits/policyRender';
import { renderHcl } from '../../edits/hclRender';

export type ExpressionParser = (expressionText: string) => Expr;

const STRICT = { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false };

/** `${ jsonencode( <object> ) }` as the whole string; group 2 is the object's text. */
const ENCODED_OBJECT = /^(\$\{\s*jsonencode\()([\s\S]*)\)\s*\}$/;

/**
 * The edit replacing the JSON string that starts at `start` with one whose policy has
 * `statements` appended; undefined when it cannot be done safely.
 */
export function appendStatementsInString(lines: LineIndex, start: Position, statements: JsonObject[], parseExpression?: ExpressionParser): TextEdit | undefined {
  const from = lines.offsetAt(start);
  const to = stringEnd(lines.text, from);
  if (to === undefined) return undefined;
  const range = { start, end: lines.positionAt(to) };
  const written = lines.text.slice(from, to);
  const decoded = decodeExactly(written);
  if (decoded === undefined || statements.length === 0) return undefined;
  const edited = appendToJsonText(decoded, statements) ?? (parseExpression && appendToEncodedObject(decoded, statements, parseExpression));
  return edited === undefined || edited === decoded ? undefined : { range, newText: JSON.stringify(edited) };
}

/** The offset after the JSON string literal opening at `from`; undefined when none opens there or it does not end on its line. */
function stringEnd(text: string, from: number): number | undefined {
  if (text[from] !== '"') return undefined;
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n' || c === '\r') return undefined;
  }
  return undefined;
}

/** The string a JSON string literal holds, when writing it back gives the same literal. */
function decodeExactly(written: string): string | undefined {
  if (!written.startsWith('"')) return undefined;
  try {
    const value: unknown = JSON.parse(written);
    return typeof value === 'string' && JSON.stringify(value) === written ? value : undefined;
  } catch {
    return undefined;
  }
}

/** JSON policy text: statements appended to its `Statement` array, on one line when the text is one line. */
function appendToJsonText(text: string, statements: JsonObject[]): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  const errors: { error: number }[] = [];
  const root = parseJsonTree(text, errors as never, STRICT);
  const list = root && errors.length === 0 ? property(root, 'Statement') : undefined;
  if (list?.type !== 'array') return undefined;
  const lines = new LineIndex(text);
  const rangeOf = (node: { offset: number; length: number }): Range => ({ start: lines.positionAt(node.offset), end: lines.positionAt(node.offset + node.length) });
  const spaced = /"\s*:\s/.test(text);
  const render = (s: JsonObject): RenderMember => (text.includes('\n') ? (indent, unit) => renderJson(s, indent, unit) : () => inlineJson(s, spaced));
  const edit = appendMembers({ lines, range: rangeOf(list), members: (list.children ?? []).map(rangeOf) }, statements.map(render), 'json', 'list');
  return edit && applyTextEdits(text, [edit]);
}

/** `${jsonencode({…})}`: statements appended to the HCL object's `Statement` list, as the native-syntax fix writes them. */
function appendToEncodedObject(text: string, statements: JsonObject[], parseExpression: ExpressionParser): string | undefined {
  const match = ENCODED_OBJECT.exec(text);
  if (!match) return undefined;
  const inner = match[2];
  const lines = new LineIndex(inner);
  let object: Expr;
  try {
    object = parseExpression(inner);
  } catch {
    return undefined;
  }
  // The object must be all there is between the parentheses (`${jsonencode(a)}${b}` is not one call).
  if (object.kind !== 'object' || lines.offsetAt(object.range.start) !== inner.length - inner.trimStart().length || lines.offsetAt(object.range.end) !== inner.trimEnd().length) return undefined;
  const list = object.entries.find((e) => e.key === 'Statement')?.value;
  if (list?.kind !== 'tuple') return undefined;
  const render = (s: JsonObject): RenderMember => (indent, unit) => renderHcl(s, indent, unit);
  const edit = appendMembers({ lines, range: list.range, members: list.items.map((i) => i.range) }, statements.map(render), 'hcl', 'list', indentStep(inner));
  if (!edit) return undefined;
  const start = match[1].length;
  return text.slice(0, start) + applyTextEdits(inner, [edit]) + text.slice(start + inner.length);
}

/**
 * The indentation step of text that may start indented (`{\n    Version = …` inside a string
 * whose object closes at two spaces): the smallest increase from one line to the next.
 */
function indentStep(text: string): string {
  let step: string | undefined;
  let previous = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const indentation = /^[ \t]*/.exec(line)![0];
    if (indentation.length > previous.length && indentation.startsWith(previous)) {
      const added = indentation.slice(previous.length);
      if (step === undefined || added.length < step.length) step = added;
    }
    previous = indentation;
  }
  return step ?? '  ';
}

/** JSON on one line, with or without a space after `:` and `,` as the text around it is written. */
function inlineJson(value: JsonValue, spaced: boolean): string {
  const [colon, comma] = spaced ? [': ', ', '] : [':', ','];
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => inlineJson(v, spaced)).join(comma)}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}${colon}${inlineJson(v, spaced)}`).join(comma)}}`;
}
