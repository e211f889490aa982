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

/** Re-parses at most: each costs a whole parse, and a file broken everywhere is not worth more. */
const MAX_ATTEMPTS = 6;

/** Offsets of text to blank out; `recover` when the culprit entry is to be taken from before. */
interface Region {
  start: number;
  end: number;
  recover: boolean;
}

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
  const masked: Region[] = [];
  let lost = lostItems(outline, document.root, masked, source);
  if (lost.length === 0) return document;

  const recoveries: Recovery[] = [];
  let text = source.text;
  let current = document;
  attempts: for (let attempt = 0; attempt < MAX_ATTEMPTS && lost.length > 0; attempt++) {
    const firstLost = lost[0];
    const culprit = outline[outline.indexOf(firstLost) - 1];
    if (!culprit) break;
    for (const region of candidateRegions(culprit, firstLost, outline, source, document.end, json)) {
      const maskedText = blankOut(text, region.start, region.end);
      const next = reparse(maskedText);
      if (next?.root?.kind !== 'object') continue;
      const nextLost = lostItems(outline, next.root, [...masked, region], source);
      if (nextLost.length >= lost.length) continue;
      masked.push(region);
      if (region.recover) recoveries.push({ culprit, start: region.start, end: region.end, from: current });
      text = maskedText;
      current = next;
      lost = nextLost;
      continue attempts;
    }
    break;
  }
  if (current === document) return document;

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
  const keyLines: { line: number; indent: number; name: string }[] = [];
  const lastLine = source.lineOf(end);
  for (let line = source.lineOf(start); line <= lastLine; line++) {
    const text = source.lineText(line);
    const indentation = /^[ \t]*/.exec(text)![0];
    // A tab in the indentation: nobody can say how deep the line is.
    if (indentation.includes('\t')) continue;
    const name = keyOfLine(text.slice(indentation.length), json);
    if (name !== undefined) keyLines.push({ line, indent: indentation.length, name });
  }
  if (keyLines.length === 0) return [];
  const topIndent = keyLines[0].indent;
  const items: OutlineItem[] = [];
  for (let i = 0; i < keyLines.length; i++) {
    const top = keyLines[i];
    if (top.indent !== topIndent) continue;
    items.push({ line: top.line, indent: top.indent, top: true, sectionLine: top.line, sectionName: top.name });
    let next = i + 1;
    while (next < keyLines.length && keyLines[next].indent > topIndent) next++;
    // The section's entries are its least indented keys (one mis-indented key does not decide).
    const inside = keyLines.slice(i + 1, next);
    const entryIndent = Math.min(...inside.map((k) => k.indent));
    for (const key of inside) {
      if (key.indent === entryIndent) items.push({ line: key.line, indent: key.indent, top: false, sectionLine: top.line, sectionName: top.name });
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

/** Outline items the parse does not have where the text has them (and is not blanked), in text order. */
function lostItems(outline: OutlineItem[], root: ObjectExpr, masked: Region[], source: SourceText): OutlineItem[] {
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
  const isMasked = (line: number): boolean => {
    const offset = source.lineStart(line);
    return masked.some((region) => region.start <= offset && offset < region.end);
  };
  return outline.filter((item) => {
    if (isMasked(item.line)) return false;
    const section = sections.get(item.sectionLine);
    if (!section) return true;
    if (item.top) return false;
    const lines = linesOf(section);
    return lines !== undefined && !lines.has(item.line);
  });
}

/**
 * What to blank out, most likely first. An entry that swallowed the next: its own lines (then
 * everything up to the lost item). A section header followed by lost entries: the lines between
 * them (a mangled entry key), else the header line itself (an unclosed quote on it).
 */
function candidateRegions(
  culprit: OutlineItem,
  firstLost: OutlineItem,
  outline: OutlineItem[],
  source: SourceText,
  documentEnd: number,
  json: boolean,
): Region[] {
  const lines = (from: number, to: number, recover: boolean): Region => ({
    start: source.lineStart(from),
    end: Math.min(source.lineStart(to), documentEnd),
    recover,
  });
  const candidates: Region[] = [];
  if (culprit.top) {
    if (firstLost.line > culprit.line + 1) candidates.push(lines(culprit.line + 1, firstLost.line, false));
    candidates.push(lines(culprit.line, culprit.line + 1, false));
  } else {
    const [start, end] = regionOf(culprit, outline, source, documentEnd, json);
    candidates.push({ start, end, recover: true });
    if (end < source.lineStart(firstLost.line)) candidates.push(lines(culprit.line, firstLost.line, true));
  }
  return candidates.filter((region) => region.start < region.end);
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
