/**
 * Getting every intact entry out of a template the parser only half understood.
 *
 * Both parsers recover well from most half-typed input, but some mistakes swallow the rest of
 * the document: a tab used as YAML indentation, an unclosed quote, an unclosed JSON object.
 * An outline read from the text lines (top-level keys and the entries of each section, by
 * indentation) tells which entries the parse lost. The entry just before the first lost one is
 * the one that swallowed it: it is blanked out (offsets kept, see `blankOut`) and the text
 * re-parsed, until nothing more is recovered. The blanked entries come from the parse before
 * they were blanked, cut off where their own lines end.
 */
import type { Comment, Expr, ObjectEntry, ObjectExpr } from '../model/syntax';
import type { Position, Range } from '../types';
import { ENTRY_SECTIONS } from './cfnTemplate';
import { blankOut } from './cfnText';
import type { ParsedDocument, SourceText } from './cfnText';

/** A key line of the text: a top-level key, or an entry of a top-level section. */
interface OutlineItem {
  line: number;
  indent: number;
  top: boolean;
  /** The line of the top-level key this item is (or belongs to). */
  sectionLine: number;
  sectionName: string;
}

interface Recovery {
  culprit: OutlineItem;
  start: number;
  end: number;
  /** The parse the culprit entry is taken from: the last one before it was blanked. */
  from: ParsedDocument;
}

const MAX_ATTEMPTS = 8;

/**
 * `document` with entries the parse lost recovered from re-parses of `source`; `document`
 * itself when nothing was lost. `reparse` reads the same document out of a masked text.
 */
export function salvageDocument(
  document: ParsedDocument,
  source: SourceText,
  json: boolean,
  reparse: (text: string) => ParsedDocument | undefined,
): ParsedDocument {
  if (document.syntaxErrors.length === 0 || document.root?.kind !== 'object') return document;
  const outline = readOutline(source, document.start, document.end, json);
  const masked = new Set<number>();
  let lost = lostItems(outline, document.root, masked);
  if (lost.length === 0) return document;

  const recoveries: Recovery[] = [];
  let text = source.text;
  let current = document;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && lost.length > 0; attempt++) {
    const culprit = outline[outline.indexOf(lost[0]) - 1];
    if (!culprit || culprit.top) break;
    const [start, end] = regionOf(culprit, outline, source, document.end, json);
    const maskedText = blankOut(text, start, end);
    const next = reparse(maskedText);
    if (next?.root?.kind !== 'object') break;
    masked.add(culprit.line);
    const nextLost = lostItems(outline, next.root, masked);
    if (nextLost.length >= lost.length) {
      masked.delete(culprit.line);
      break;
    }
    recoveries.push({ culprit, start, end, from: current });
    text = maskedText;
    current = next;
    lost = nextLost;
  }
  if (recoveries.length === 0) return document;

  let root = current.root as ObjectExpr;
  const comments: Comment[] = [...current.comments];
  for (const recovery of recoveries) {
    const clipEnd = source.positionAt(source.trimEnd(recovery.start, recovery.end));
    const entry = sectionEntryAt(recovery.from.root, recovery.culprit.sectionLine, recovery.culprit.line);
    if (entry) root = withSectionEntry(root, recovery.culprit.sectionLine, clipEntry(entry, clipEnd));
    const region = source.range(recovery.start, recovery.end);
    comments.push(...recovery.from.comments.filter((c) => before(region.start, c.range.start) && before(c.range.start, region.end)));
  }
  comments.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { ...document, root, comments };
}

function readOutline(source: SourceText, start: number, end: number, json: boolean): OutlineItem[] {
  const items: OutlineItem[] = [];
  let topIndent: number | undefined;
  let entryIndent: number | undefined;
  let section: OutlineItem | undefined;
  const lastLine = source.lineOf(end);
  for (let line = source.lineOf(start); line <= lastLine; line++) {
    const text = source.lineText(line);
    const indentation = /^[ \t]*/.exec(text)![0];
    // A tab in the indentation: nobody can say how deep the line is.
    if (indentation.includes('\t')) continue;
    const name = keyOfLine(text.slice(indentation.length), json);
    if (name === undefined) continue;
    const indent = indentation.length;
    topIndent ??= indent;
    if (indent === topIndent) {
      section = { line, indent, top: true, sectionLine: line, sectionName: name };
      items.push(section);
      entryIndent = undefined;
    } else if (section && indent > topIndent) {
      entryIndent ??= indent;
      if (indent === entryIndent) items.push({ line, indent, top: false, sectionLine: section.line, sectionName: section.sectionName });
    }
  }
  return items;
}

const JSON_KEY = /^"((?:[^"\\]|\\.)*)"\s*:/;
const YAML_QUOTED_KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)')\s*:(?:\s|$)/;
const YAML_PLAIN_KEY = /^([^\s#\-?:,[\]{}&*!|>'"%@`][^#]*?|-[^\s#][^#]*?)\s*:(?:\s|$)/;

function keyOfLine(rest: string, json: boolean): string | undefined {
  if (json) return JSON_KEY.exec(rest)?.[1];
  const quoted = YAML_QUOTED_KEY.exec(rest);
  if (quoted) return quoted[1] ?? quoted[2];
  return YAML_PLAIN_KEY.exec(rest)?.[1];
}

/** Outline items the parse does not have where the text has them, in text order. */
function lostItems(outline: OutlineItem[], root: ObjectExpr, masked: Set<number>): OutlineItem[] {
  const sections = new Map(root.entries.map((entry) => [entry.keyRange.start.line, entry]));
  const entryLines = new Map<number, Set<number> | undefined>();
  const linesOf = (section: ObjectEntry): Set<number> | undefined => {
    const line = section.keyRange.start.line;
    if (!entryLines.has(line)) {
      entryLines.set(line, section.value.kind === 'object'
        ? new Set(section.value.entries.map((e) => e.keyRange.start.line))
        : ENTRY_SECTIONS.has(section.key ?? '') ? new Set() : undefined);
    }
    return entryLines.get(line);
  };
  return outline.filter((item) => {
    if (masked.has(item.line)) return false;
    const section = sections.get(item.sectionLine);
    if (!section) return true;
    if (item.top) return false;
    const lines = linesOf(section);
    return lines !== undefined && !lines.has(item.line);
  });
}

/**
 * The culprit's lines: up to the next outline item or the end of its section, whichever
 * comes first.
 */
function regionOf(culprit: OutlineItem, outline: OutlineItem[], source: SourceText, documentEnd: number, json: boolean): [number, number] {
  const itemLines = new Set(outline.map((item) => item.line));
  const lastLine = source.lineOf(documentEnd);
  let line = culprit.line + 1;
  for (; line <= lastLine; line++) {
    if (itemLines.has(line)) break;
    const text = source.lineText(line);
    const indentation = /^[ \t]*/.exec(text)![0];
    if (indentation.includes('\t')) continue;
    if (indentation.length < culprit.indent && endsRegion(text.slice(indentation.length), json)) break;
  }
  return [source.lineStart(culprit.line), Math.min(source.lineStart(line), documentEnd)];
}

/**
 * Whether a line less indented than the culprit ends it. In YAML any content does (a document
 * marker, the next section); in JSON indentation means nothing, only a closing bracket does.
 */
function endsRegion(rest: string, json: boolean): boolean {
  if (json) return rest.startsWith('}') || rest.startsWith(']');
  return rest !== '' && !rest.startsWith('#');
}

function sectionEntryAt(root: Expr | undefined, sectionLine: number, entryLine: number): ObjectEntry | undefined {
  if (root?.kind !== 'object') return undefined;
  const section = root.entries.find((e) => e.keyRange.start.line === sectionLine);
  if (section?.value.kind !== 'object') return undefined;
  return section.value.entries.find((e) => e.keyRange.start.line === entryLine);
}

/** `root` with `entry` put back, in text order, into the section whose key is on `sectionLine`. */
function withSectionEntry(root: ObjectExpr, sectionLine: number, entry: ObjectEntry): ObjectExpr {
  return {
    ...root,
    entries: root.entries.map((section) => {
      if (section.keyRange.start.line !== sectionLine) return section;
      const existing = section.value.kind === 'object' ? section.value.entries : [];
      const entries = [...existing, entry].sort((a, b) => compare(a.keyRange.start, b.keyRange.start));
      const value: ObjectExpr = section.value.kind === 'object'
        ? { ...section.value, entries, range: span(section.value.range, entry.range) }
        : { kind: 'object', entries, range: span(entries[0].range, entries[entries.length - 1].range) };
      return { ...section, value, range: span(section.range, entry.range) };
    }),
  };
}

/** `entry` without anything that starts at or after `end`, every range ending by `end`. */
function clipEntry(entry: ObjectEntry, end: Position): ObjectEntry {
  return { ...entry, value: clip(entry.value, end, entry.keyRange.end), range: clamp(entry.range, end) };
}

function clip(expr: Expr, end: Position, fallback: Position): Expr {
  if (compare(expr.range.start, end) > 0) {
    return { kind: 'unknown', text: '', range: { start: fallback, end: fallback } };
  }
  const range = clamp(expr.range, end);
  const starts = (r: Range): boolean => compare(r.start, end) < 0;
  switch (expr.kind) {
    case 'object':
      return { ...expr, range, entries: expr.entries.filter((e) => starts(e.keyRange)).map((e) => clipEntry(e, end)) };
    case 'tuple':
      return { ...expr, range, items: expr.items.filter((i) => starts(i.range)).map((i) => clip(i, end, i.range.start)) };
    case 'call':
      return { ...expr, range, args: expr.args.filter((a) => starts(a.range)).map((a) => clip(a, end, a.range.start)) };
    default:
      return { ...expr, range };
  }
}

const compare = (a: Position, b: Position): number => a.line - b.line || a.character - b.character;
const before = (a: Position, b: Position): boolean => compare(a, b) <= 0;
const clamp = (range: Range, end: Position): Range =>
  compare(range.end, end) <= 0 ? range : { start: range.start, end: compare(range.start, end) <= 0 ? end : range.start };
const span = (a: Range, b: Range): Range => ({
  start: compare(a.start, b.start) <= 0 ? a.start : b.start,
  end: compare(a.end, b.end) >= 0 ? a.end : b.end,
});
