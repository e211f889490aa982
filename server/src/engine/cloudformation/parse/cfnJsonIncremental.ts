/**
 * A keystroke inside one entry of a large JSON template (CDK output runs to thousands of lines)
 * re-parses that entry, not the whole template.
 *
 * A JSON object value parses the same alone as in place: jsonc-parser reads `{…}` without
 * looking outside it. So when an edit falls strictly inside the braces of one entry of a section
 * (a resource, a parameter, a condition…) of the last clean parse, the entry's new value is read
 * by itself (padded with spaces to its column, so that every position comes out as in the whole
 * text) and spliced in; what follows moves by the lines the edit added or removed.
 *
 * A half-typed value (`"Tr`, a property without its comma) is read alone too, errors and all:
 * jsonc-parser recovers from an error inside an object without looking at what encloses it, so
 * when the value alone still ends at its own closing brace, the whole parse reads the same
 * object, with the same errors, and reads what follows the brace as before. The whole parse
 * would then go on to salvage entries whose key lines it lost; when the outline says nothing is
 * lost, salvage leaves the document as it is, and so does this.
 *
 * Only where all of that is exact: the value read alone is one object ending where the text does; it
 * nests well inside the readers' depth limits (counted from the root, not from the entry); the
 * old value's line ends after its `}` (and a comma), so everything after it starts on a later
 * line; and the template has no comments. Anything else returns undefined and the caller parses
 * the whole text, as before.
 */
import type { Expr, ObjectEntry, ObjectExpr } from '../../model/syntax';
import type { Range } from '../../types';
import { changedSpan, shiftLines } from '../../model/text';
import { ENTRY_SECTIONS } from './cfnTemplate';
import { SourceText, type ParsedDocument } from './cfnText';
import { parseJsonDocument } from './cfnJson';
import { LONE_CR } from './cfnIncremental';
import { nothingToSalvage } from './cfnSalvage';

/** A clean parse of a whole JSON template, the base the next edit is applied to. */
export interface JsonBase {
  source: SourceText;
  document: ParsedDocument & { root: ObjectExpr };
}

/** A base for the next edit, when `document` is a clean parse of all of `source` with no comments. */
export function jsonBase(source: SourceText, document: ParsedDocument): JsonBase | undefined {
  if (document.syntaxErrors.length > 0 || document.comments.length > 0 || document.root?.kind !== 'object') return undefined;
  return { source, document: document as JsonBase['document'] };
}

/** An entry's value read alone may nest this deep; the readers' limits (100 values, counted from the root) are far below the whole parse's depth for it. */
const MAX_ENTRY_DEPTH = 90;

/** After a value's closing brace: its line ends, after at most a comma. */
const LINE_ENDS = /^[ \t]*,?[ \t]*(?:\r?\n|$)/;

/** `base` with the edit that turns its text into `source.text` applied; undefined when one entry's re-parse cannot tell. */
export function reparseJsonEntry(base: JsonBase, source: SourceText): ParsedDocument | undefined {
  const oldText = base.source.text;
  const text = source.text;
  if (oldText === text) return base.document;
  if (LONE_CR.test(text)) return undefined;
  const change = changedSpan(oldText, text);
  const lengthDelta = text.length - oldText.length;
  const root = base.document.root;
  for (const [sectionIndex, section] of root.entries.entries()) {
    if (section.key === undefined || !ENTRY_SECTIONS.has(section.key) || section.value.kind !== 'object') continue;
    const sectionValue = section.value;
    for (const [entryIndex, entry] of sectionValue.entries.entries()) {
      const value = entry.value;
      if (value.kind !== 'object') continue;
      const start = base.source.offsetAt(value.range.start);
      const oldEnd = base.source.offsetAt(value.range.end);
      if (change.start <= start || change.oldEnd >= oldEnd) continue;
      // The edit is inside this entry's braces; it is exact here or nowhere.
      if (!LINE_ENDS.test(oldText.slice(oldEnd, oldEnd + 256))) return undefined;
      const read = readValueAlone(text.slice(start, oldEnd + lengthDelta), value.range.start.character);
      if (!read) return undefined;
      const newValue = shiftLines(read.root, value.range.start.line);
      const syntaxErrors = shiftLines(read.syntaxErrors, value.range.start.line);
      const lineDelta = newValue.range.end.line - value.range.end.line;
      const newEntry: ObjectEntry = { ...entry, value: newValue, range: { start: entry.range.start, end: newValue.range.end } };
      const document = spliceJsonEntries(base.document, sectionIndex, entryIndex, [newEntry], lineDelta, lengthDelta, syntaxErrors);
      return nothingToSalvage(document, source, true) ? document : undefined;
    }
  }
  return undefined;
}

/**
 * The document with entry `entryIndex` of section `sectionIndex` replaced by `replacement`: what
 * follows (entries, the section's and the template's closing braces) moves `lineDelta` lines.
 */
export function spliceJsonEntries(document: JsonBase['document'], sectionIndex: number, entryIndex: number, replacement: ObjectEntry[], lineDelta: number, lengthDelta: number, syntaxErrors: Range[]): ParsedDocument {
  const root = document.root;
  const section = root.entries[sectionIndex];
  const value = section.value as ObjectExpr;
  const entries = [...value.entries.slice(0, entryIndex), ...replacement, ...value.entries.slice(entryIndex + 1).map((e) => shiftLines(e, lineDelta))];
  const newValue: ObjectExpr = { ...value, entries, range: { start: value.range.start, end: shiftLines(value.range.end, lineDelta) } };
  const newSection: ObjectEntry = { ...section, value: newValue, range: { start: section.range.start, end: shiftLines(section.range.end, lineDelta) } };
  const sections = [...root.entries.slice(0, sectionIndex), newSection, ...root.entries.slice(sectionIndex + 1).map((s) => shiftLines(s, lineDelta))];
  const newRoot: ObjectExpr = { ...root, entries: sections, range: { start: root.range.start, end: shiftLines(root.range.end, lineDelta) } };
  return { ...document, root: newRoot, end: document.end + lengthDelta, syntaxErrors };
}

/** An object value's text parsed alone, at `column` of its first line, with its errors; undefined when that would not be exact. */
function readValueAlone(valueText: string, column: number): { root: ObjectExpr; syntaxErrors: Range[] } | undefined {
  const padded = ' '.repeat(column) + valueText;
  const source = new SourceText(padded);
  const document = parseJsonDocument(source);
  const root = document.root;
  if (document.comments.length > 0 || root?.kind !== 'object') return undefined;
  const endsTheText = source.offsetAt(root.range.start) === column && source.offsetAt(root.range.end) === padded.length && padded.endsWith('}');
  // Closed by that last brace, not left open with it consumed inside (an unclosed `[` or `{` typed
  // in the value): then the whole parse would run on over the entries that follow.
  const last = root.entries[root.entries.length - 1];
  const closedByItsBrace = !last || last.range.end.line < root.range.end.line || last.range.end.character < root.range.end.character;
  return endsTheText && closedByItsBrace && depthWithin(root, MAX_ENTRY_DEPTH) ? { root, syntaxErrors: document.syntaxErrors } : undefined;
}

/** Whether `expr` nests at most `limit` values deep (stops counting past it). */
function depthWithin(expr: Expr, limit: number): boolean {
  if (limit < 0) return false;
  if (expr.kind === 'object') return expr.entries.every((e) => depthWithin(e.value, limit - 1));
  if (expr.kind === 'tuple') return expr.items.every((item) => depthWithin(item, limit - 1));
  return true;
}
