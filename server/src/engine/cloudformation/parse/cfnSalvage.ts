/**
 * Getting every intact entry out of a template the parser only half understood.
 *
 * Both parsers recover well from most half-typed input, but some mistakes swallow the rest of
 * the document: a tab used as YAML indentation, an unclosed quote, an unclosed JSON object.
 * An outline read from the text lines (top-level keys and the entries of each section, by
 * indentation) tells which entries the parse lost. Something between the first lost entry and
 * the entry before it swallowed it: the smallest likely span there (the rest of the line with
 * the first error, the previous entry's lines, a mangled section header…) is blanked out
 * (offsets kept, see `blankOut`) and the text re-parsed, as long as that recovers more. A
 * blanked entry comes from the parse before it was blanked, cut off where its own lines end.
 */
import type { Comment, Expr, ObjectEntry, ObjectExpr } from '../../model/syntax';
import type { Position, Range } from '../../types';
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
}

interface Recovery {
  culprit: OutlineItem | undefined;
  region: Region;
  /** The parse the culprit entry (and comments) are taken from: the last one before the blanking. */
  from: ParsedDocument;
}

/** Re-parses at most: each costs a whole parse, and a file broken everywhere is not worth more. */
const MAX_REPARSES = 8;

/** Offsets of text to blank out; `recover` when the culprit entry is to be taken from before. */
interface Region {
  start: number;
  end: number;
  recover: boolean;
  /** The tail of a line being typed: a value left empty by the blanking is unknown, not null. */
  typing?: boolean;
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
  const outline = readOutline(source, document.start, document.end, json, new Set(document.root.entries.map((e) => e.keyRange.start.line)));
  const masked: Region[] = [];
  let lost = lostItems(outline, document.root, masked, source);
  if (lost.length === 0) return document;

  const recoveries: Recovery[] = [];
  let text = source.text;
  let current = document;
  let reparses = 0;
  attempts: while (lost.length > 0) {
    const firstLost = lost[0];
    const culprit: OutlineItem | undefined = outline[outline.indexOf(firstLost) - 1];
    const regions = [
      ...errorTail(current, firstLost, source, masked),
      ...candidateRegions(culprit, firstLost, outline, source, document, json),
    ];
    for (const region of regions) {
      if (reparses++ >= MAX_REPARSES) break attempts;
      const maskedText = blankOut(text, region.start, region.end);
      const next = reparse(maskedText);
      if (next?.root?.kind !== 'object') continue;
      const nextLost = lostItems(outline, next.root, [...masked, region], source);
      if (nextLost.length >= lost.length) continue;
      masked.push(region);
      recoveries.push({ culprit, region, from: current });
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
  for (const { culprit, region, from } of recoveries) {
    if (region.recover && culprit) {
      const clipEnd = source.positionAt(source.trimEnd(region.start, region.end));
      const entry = sectionEntryAt(from.root, culprit.sectionLine, culprit.line);
      if (entry) root = withSectionEntry(root, culprit.sectionLine, clipEntry(entry, clipEnd));
    }
    if (region.typing) root = unknownWhereTyped(root, source.positionAt(region.start)) as ObjectExpr;
    const range = source.range(region.start, region.end);
    comments.push(...from.comments.filter((c) => before(range.start, c.range.start) && before(c.range.start, range.end)));
  }
  comments.sort((a, b) => compare(a.range.start, b.range.start));
  return { ...document, root, comments };
}

/** Whether `salvageDocument` leaves `document` as it is: no error, or nothing of the text's outline lost. */
export function nothingToSalvage(document: ParsedDocument, source: SourceText, json: boolean): boolean {
  return document.syntaxErrors.length === 0 || document.root?.kind !== 'object' || outlineComplete(document, source, json);
}

/**
 * Whether the parse has every key line the text's outline has. A clean parse can lack some (a
 * key-like line inside a string, an unusual layout); a salvage of a later version would stop
 * at the first of them.
 */
export function outlineComplete(document: ParsedDocument, source: SourceText, json: boolean): boolean {
  if (document.root?.kind !== 'object') return false;
  const outline = readOutline(source, document.start, document.end, json, new Set(document.root.entries.map((e) => e.keyRange.start.line)));
  return lostItems(outline, document.root, [], source).length === 0;
}

/**
 * The key lines of the text: top-level keys (the least indented, and one space more when the
 * parse itself read the line as a top-level key), and each section's entries (its least
 * indented keys, so that one mis-indented key does not decide).
 */
function readOutline(source: SourceText, start: number, end: number, json: boolean, parsedTopLines: Set<number>): OutlineItem[] {
  const keyLines: { line: number; indent: number }[] = [];
  const lastLine = source.lineOf(end);
  for (let line = source.lineOf(start); line <= lastLine; line++) {
    const text = source.lineText(line);
    const indentation = /^[ \t]*/.exec(text)![0];
    // A tab in the indentation: nobody can say how deep the line is.
    if (indentation.includes('\t')) continue;
    if (isKeyLine(text.slice(indentation.length), json)) keyLines.push({ line, indent: indentation.length });
  }
  if (keyLines.length === 0) return [];
  const topIndent = Math.min(...keyLines.map((k) => k.indent));
  // A top-level key typed one space in still reads as one; deeper lines a broken parse put at
  // the top are not trusted.
  const isTop = (k: { line: number; indent: number }): boolean =>
    k.indent === topIndent || (k.indent === topIndent + 1 && parsedTopLines.has(k.line));
  const items: OutlineItem[] = [];
  for (let i = 0; i < keyLines.length; i++) {
    const top = keyLines[i];
    if (!isTop(top)) continue;
    items.push({ line: top.line, indent: top.indent, top: true, sectionLine: top.line });
    let next = i + 1;
    while (next < keyLines.length && !isTop(keyLines[next])) next++;
    const inside = keyLines.slice(i + 1, next).filter((k) => k.indent > top.indent);
    if (inside.length === 0) continue;
    const entryIndent = Math.min(...inside.map((k) => k.indent));
    for (const key of inside) {
      if (key.indent === entryIndent) items.push({ line: key.line, indent: key.indent, top: false, sectionLine: top.line });
    }
  }
  return items;
}

const JSON_KEY = /^"(?:[^"\\]|\\.)*"\s*:/;
const YAML_KEY = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#\-?:,[\]{}&*!|>'"%@`][^#]*?|-[^\s#][^#]*?)\s*:(?:\s|$)/;

/** Whether a line (without its indentation) starts with a mapping key. */
const isKeyLine = (rest: string, json: boolean): boolean => (json ? JSON_KEY : YAML_KEY).test(rest);

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
 * The least to blank out: from the first syntax error before the lost item to the end of its
 * line, where what is being typed usually is (`}, "`, `KMSKeyId: "arn:aws:kms`).
 */
function errorTail(current: ParsedDocument, firstLost: OutlineItem, source: SourceText, masked: Region[]): Region[] {
  const lostAt = source.lineStart(firstLost.line);
  const errors = [...current.syntaxErrors].sort((a, b) => compare(a.start, b.start));
  for (const error of errors) {
    const start = source.offsetAt(error.start);
    if (start >= lostAt) break;
    if (masked.some((region) => region.start <= start && start < region.end)) continue;
    const end = source.lineEnd(error.start.line);
    return start < end ? [{ start, end, recover: false, typing: true }] : [];
  }
  return [];
}

/**
 * What to blank out, most likely first. An entry that swallowed the next: its own lines, then
 * everything up to the lost item. A section header followed by lost items: the lines between
 * them (a mangled entry key), else the header line (an unclosed quote on it), else the whole
 * section. Nothing before the first lost item: whatever precedes it.
 */
function candidateRegions(
  culprit: OutlineItem | undefined,
  firstLost: OutlineItem,
  outline: OutlineItem[],
  source: SourceText,
  document: ParsedDocument,
  json: boolean,
): Region[] {
  const lines = (from: number, to: number, recover: boolean): Region => ({
    start: source.lineStart(from),
    end: Math.min(source.lineStart(to), document.end),
    recover,
  });
  const candidates: Region[] = [];
  if (!culprit) {
    let first = source.lineOf(document.start);
    while (first < firstLost.line && /^(---|%)/.test(source.lineText(first))) first++;
    candidates.push(lines(first, firstLost.line, false));
  } else if (culprit.top) {
    candidates.push(lines(culprit.line + 1, firstLost.line, false), lines(culprit.line, culprit.line + 1, false));
    const nextTop = outline.find((item) => item.top && item.line > culprit.line);
    if (nextTop) candidates.push(lines(culprit.line, nextTop.line, false));
  } else {
    const [start, end] = regionOf(culprit, outline, source, document.end, json);
    candidates.push({ start, end, recover: true }, lines(culprit.line, firstLost.line, true));
  }
  return candidates.filter((region, i) => region.start < region.end
    && candidates.findIndex((other) => other.start === region.start && other.end === region.end) === i);
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

/** `expr` with the empty values on the line of `blanked` (left there by blanking it) made unknown. */
function unknownWhereTyped(expr: Expr, blanked: Position): Expr {
  const range = expr.range;
  if (range.start.line > blanked.line || range.end.line < blanked.line) return expr;
  switch (expr.kind) {
    case 'literal':
      return expr.value === null && compare(range.start, range.end) === 0
        ? { kind: 'unknown', text: '', range }
        : expr;
    case 'object':
      return { ...expr, entries: expr.entries.map((e) => ({ ...e, value: unknownWhereTyped(e.value, blanked) })) };
    case 'tuple':
      return { ...expr, items: expr.items.map((item) => unknownWhereTyped(item, blanked)) };
    case 'call':
      return { ...expr, args: expr.args.map((arg) => unknownWhereTyped(arg, blanked)) };
    default:
      return expr;
  }
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
      // A scalar that ran on past its entry (an unclosed quote) has no value anyone can know.
      return range === expr.range ? expr : { kind: 'unknown', text: '', range };
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
