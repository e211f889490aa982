/**
 * Minimal text edits inside a policy written as JSON or as an HCL object (`jsonencode`):
 * append items to a list, entries to an object, or replace one string. Positions come from
 * the already-parsed document (the values' origins), never from re-formatting it: the rest of
 * the text does not move, and the new text copies the indentation around it.
 */
import type { Range, TextEdit } from '../types';
import type { LineIndex } from '../model/text';
import { indentationOf, lineBreakOf, withLineBreak } from '../model/text';

export type ObjectSyntax = 'json' | 'hcl';

/** A list or object as written: its brackets' range and its members' ranges. */
export interface Container {
  lines: LineIndex;
  range: Range;
  members: Range[];
}

/** Renders one new member at an indentation, with the document's indentation unit. */
export type RenderMember = (indent: string, unit: string) => string;

/** The file's indentation unit: its first indented line's leading whitespace, else two spaces. */
export function indentUnitOf(lines: LineIndex): string {
  for (let i = 0; i < lines.lineCount; i++) {
    const line = lines.line(i);
    const indentation = indentationOf(line);
    if (indentation.length > 0 && line.trim().length > 0) return indentation.startsWith('\t') ? '\t' : indentation;
  }
  return '  ';
}

/**
 * Appends members to a list (`[`…`]`) or object (`{`…`}`). JSON needs commas between
 * members; HCL objects written one entry per line need none. Undefined when the container's
 * text is not what its range says (a value computed elsewhere), or holds comments we would
 * have to move.
 */
export function appendMembers(container: Container, render: RenderMember[], syntax: ObjectSyntax, kind: 'list' | 'object', fileUnit = indentUnitOf(container.lines)): TextEdit | undefined {
  const { lines, range, members } = container;
  const text = lines.text;
  const start = lines.offsetAt(range.start);
  const end = lines.offsetAt(range.end);
  const [open, close] = kind === 'list' ? ['[', ']'] : ['{', '}'];
  if (text[start] !== open || text[end - 1] !== close || render.length === 0) return undefined;
  const outerIndent = indentationOf(lines.line(range.start.line));
  const eol = lineBreakOf(text);
  const commas = syntax === 'json' || kind === 'list';
  const renderLine = (r: RenderMember, indent: string, unit: string): string => withLineBreak(r(indent, unit), eol);
  if (members.length === 0) {
    if (text.slice(start + 1, end - 1).trim() !== '') return undefined;
    const unit = fileUnit;
    const inner = outerIndent + unit;
    const body = render.map((r) => inner + renderLine(r, inner, unit)).join(`${commas ? ',' : ''}${eol}`);
    return { range: { start: lines.positionAt(start + 1), end: lines.positionAt(end - 1) }, newText: `${eol}${body}${eol}${outerIndent}` };
  }
  const last = members[members.length - 1];
  const ownLine = last.start.line > range.start.line;
  const indent = ownLine ? indentationOf(lines.line(last.start.line)) : outerIndent;
  const unit = indent.length > outerIndent.length && indent.startsWith(outerIndent) ? indent.slice(outerIndent.length) : fileUnit;
  const lastEnd = lines.offsetAt(last.end);
  const next = skipTrivia(text, lastEnd, end - 1);
  if (next === undefined) return undefined;
  const trailingComma = text[next] === ',';
  const separator = ownLine ? `${commas ? ',' : ''}${eol}${indent}` : commas ? ', ' : ', ';
  const rendered = render.map((r) => renderLine(r, indent, unit));
  if (trailingComma) {
    const tail = ownLine ? rendered.map((r) => `${eol}${indent}${r},`).join('') : rendered.map((r) => ` ${r},`).join('');
    const at = lines.positionAt(next + 1);
    return { range: { start: at, end: at }, newText: tail };
  }
  const at = lines.positionAt(lastEnd);
  const closing = lines.line(last.end.line).slice(0, last.end.character - 1);
  if (syntax === 'hcl' && !ownLine && last.end.line > last.start.line && closing.trim() === '') {
    // `[{ … }, { … }]` in HCL: `terraform fmt` indents a line that closes one item and opens the
    // next (`}, {`) one level deeper than the list, so the previous item's closing line moves too.
    const lineStart = { line: last.end.line, character: 0 };
    return { range: { start: lineStart, end: at }, newText: `${outerIndent}${unit}}${rendered.map((r) => separator + r).join('')}` };
  }
  return { range: { start: at, end: at }, newText: rendered.map((r) => separator + r).join('') };
}

/** The offset of the first character after `from` that is not whitespace; undefined when a comment is in the way. */
function skipTrivia(text: string, from: number, limit: number): number | undefined {
  let i = from;
  while (i < limit && /\s/.test(text[i])) i++;
  if (text[i] === '/' || text[i] === '#') return undefined;
  return i;
}

/**
 * Replaces a written string (JSON or HCL `"…"`, YAML plain or quoted, or a bare HCL object
 * key) with `replacement`, when it is written exactly as `expected`: no interpolation, no
 * escapes we would have to redo. The replacement keeps the way the original was written.
 */
export function replaceWritten(lines: LineIndex, range: Range, expected: string[], replacement: string, syntax: ObjectSyntax | 'yaml'): TextEdit | undefined {
  const written = lines.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
  const quote = written[0] === '"' || (written[0] === "'" && syntax === 'yaml') ? written[0] : undefined;
  const content = quote ? written.slice(1, -1) : written;
  const plain = quote
    ? written.endsWith(quote) && written.length >= 2 && !/[\\"'$%]/.test(content)
    : (syntax === 'hcl' && BARE_KEY.test(written)) || (syntax === 'yaml' && YAML_PLAIN.test(written));
  if (!plain || !expected.includes(content)) return undefined;
  if (quote) return { range, newText: `${quote}${replacement}${quote}` };
  // A bare key or plain scalar stays bare only when the replacement can be.
  const stillPlain = syntax === 'hcl' ? BARE_KEY.test(replacement) : YAML_PLAIN.test(replacement);
  return { range, newText: stillPlain ? replacement : JSON.stringify(replacement) };
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Plain YAML scalars as policies write them: `kms:GenerateDataKey*`, `Allow`, `Service`. */
const YAML_PLAIN = /^[A-Za-z_][A-Za-z0-9_:=*?./-]*$/;
