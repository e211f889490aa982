/**
 * A keystroke in a large YAML template re-parses one entry, not the whole template.
 *
 * `yaml` has no incremental mode: a 5,000-line template costs ~100 ms to parse, on every
 * keystroke. But an edit almost always falls inside one entry of a section (a resource, a
 * parameter, a condition…), and a YAML block mapping entry is delimited by indentation: its
 * lines, read alone, parse exactly as they do in place. So the entry's new lines are parsed by
 * themselves and spliced into the previous version's tree; every entry after it is moved by the
 * number of lines the edit added or removed.
 *
 * The structure comes from the parser, never from reading the text: the entries' extents are
 * those of the previous parse, and the re-parse must give back one entry at the same column,
 * with no error. An entry that does not parse alone (half typed) is read between its two
 * neighbours instead (`reparseWindow`). Anything else (an edit spanning two entries, damage
 * that reaches a neighbour, aliases or several documents in the stream) returns undefined and
 * the caller parses the whole text, as before.
 */
import type { Comment, ObjectEntry, ObjectExpr } from '../../model/syntax';
import { changedSpan, shiftLines } from '../../model/text';
import { ENTRY_SECTIONS } from './cfnTemplate';
import { SourceText, type ParsedDocument } from './cfnText';
import { parseYamlDocuments } from './cfnYaml';
import { nothingToSalvage } from './cfnSalvage';
import type { Range } from '../../types';

/** A clean parse of a whole YAML template, the base the next edit is applied to. */
export interface YamlBase {
  source: SourceText;
  document: ParsedDocument & { root: ObjectExpr };
}

/** A base for the next edit, when `document` is a clean, standalone parse of all of `source`. */
export function yamlBase(source: SourceText, document: ParsedDocument): YamlBase | undefined {
  if (!document.standalone || document.syntaxErrors.length > 0 || document.root?.kind !== 'object') return undefined;
  return { source, document: document as YamlBase['document'] };
}

/** `base` with the edit that turns its text into `source.text` applied; undefined when one entry's re-parse cannot tell. */
export function reparseEntry(base: YamlBase, source: SourceText): ParsedDocument | undefined {
  const oldText = base.source.text;
  const text = source.text;
  if (oldText === text) return base.document;
  // A lone CR ends a line for LSP positions but not for `yaml`: entry lines would not line up.
  if (LONE_CR.test(text)) return undefined;
  const change = changedSpan(oldText, text);
  const root = base.document.root;
  for (const [sectionIndex, section] of root.entries.entries()) {
    if (section.key === undefined || !ENTRY_SECTIONS.has(section.key) || section.value.kind !== 'object') continue;
    const entries = section.value.entries;
    // A flow mapping (`Resources: {…}`, on one line or many) has no entries a line can be read alone from.
    if (entries.length === 0 || oldText.charCodeAt(base.source.offsetAt(section.value.range.start)) === 123 /* { */) continue;
    for (const [entryIndex, entry] of entries.entries()) {
      const firstLine = entry.keyRange.start.line;
      const nextLine = entries[entryIndex + 1]?.keyRange.start.line ?? root.entries[sectionIndex + 1]?.keyRange.start.line;
      const start = base.source.lineStart(firstLine);
      const oldEnd = nextLine === undefined ? oldText.length : base.source.lineStart(nextLine);
      if (change.start < start || change.oldEnd > oldEnd) continue;
      const end = oldEnd + change.newEnd - change.oldEnd;
      // Lines typed at the start of the next entry's line may be this entry's new last lines;
      // then the entry must still end where a line starts.
      if (change.oldEnd === oldEnd && !startsLine(text, end)) continue;
      const replaced = readEntryAlone(text.slice(start, end), entry.keyRange.start.character);
      // An insertion between two entries may also belong to the next one.
      if (!replaced) continue;
      // A key renamed to a sibling's is a duplicate: an error only the whole parse reports.
      if (entries.some((other) => other !== entry && other.key === replaced.entry.key)) return undefined;
      const lineDelta = source.lineOf(end) - base.source.lineOf(oldEnd);
      const { entry: newEntry, comments } = shiftLines(replaced, firstLine);
      return splice(base.document, sectionIndex, entryIndex, { entries: [newEntry], comments, syntaxErrors: [], firstLine }, nextLine ?? Infinity, lineDelta, text.length - oldText.length);
    }
  }
  return undefined;
}

/**
 * `base` with the edit applied when the edited entry does not parse alone (a property line half
 * typed, a key whose colon was deleted): the entry is read between its two neighbours, the
 * three entries' lines parsed by themselves. When the neighbours come out exactly as they were,
 * the damage ended inside the window, and the parser reads the rest of the template as
 * before: the window's middle (any number of entries, and its errors) is the edited entry's
 * replacement. Only where nothing can leave the window: every line of the edit more indented
 * than the entries (its first line at their column), no tab, no document marker, and nothing
 * the whole parse would go on to salvage.
 */
export function reparseWindow(base: YamlBase, source: SourceText): ParsedDocument | undefined {
  const edited = editedMiddleEntry(base, source);
  if (!edited) return undefined;
  const { lengthDelta, sectionIndex, entries, index, start, oldEnd } = edited;
  const [oldText, text, root] = [base.source.text, source.text, base.document.root];
  const lineStartOf = (entry: ObjectEntry | undefined): number | undefined => entry && base.source.lineStart(entry.keyRange.start.line);
  const column = entries[index].keyRange.start.character;
  const end = oldEnd + lengthDelta;
  if (column < 2 || !startsLine(text, end) || !stayInside(text.slice(start, end), column)) return undefined;
  const [previous, next] = [entries[index - 1], entries[index + 1]];
  const nextSection = root.entries[sectionIndex + 1];
  const oldWindowEnd = lineStartOf(entries[index + 2]) ?? (nextSection ? base.source.lineStart(nextSection.keyRange.start.line) : oldText.length);
  const windowStart = lineStartOf(previous)!;
  const documents = parseYamlDocuments(new SourceText(text.slice(windowStart, oldWindowEnd + lengthDelta)));
  const window = documents[0];
  if (documents.length !== 1 || !window.standalone || window.root?.kind !== 'object') return undefined;
  const firstLine = source.lineOf(start);
  const nextLine = source.lineOf(end);
  const lineDelta = nextLine - next.keyRange.start.line;
  const read = shiftLines({ entries: window.root.entries, comments: window.comments, syntaxErrors: window.syntaxErrors }, previous.keyRange.start.line);
  const middle = read.entries.slice(1, -1);
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (read.entries.length < 2 || !same(read.entries[0], previous) || !same(read.entries[read.entries.length - 1], shiftLines(next, lineDelta))) return undefined;
  if (read.syntaxErrors.some((e) => e.start.line < firstLine || e.end.line >= nextLine)) return undefined;
  // A key the other entries have is a duplicate: an error only the whole parse reports.
  const keys = new Set(entries.filter((e) => e !== entries[index]).map((e) => e.key));
  if (middle.some((e, k) => keys.has(e.key) || middle.findIndex((o) => o.key === e.key) !== k)) return undefined;
  const comments = read.comments.filter((c) => c.range.start.line >= firstLine && c.range.start.line < nextLine);
  const document = splice(base.document, sectionIndex, index, { entries: middle, comments, syntaxErrors: read.syntaxErrors, firstLine }, next.keyRange.start.line, lineDelta, lengthDelta);
  // The whole parse would go on to salvage entries it lost (a key line it did not read as one).
  return nothingToSalvage(document, source, false) ? document : undefined;
}

/**
 * The entry of a block section, with an entry before and after it, whose lines hold the whole
 * edit from `base` to `source`; undefined when none does (or the text did not change).
 */
export function editedMiddleEntry(base: YamlBase, source: SourceText) {
  const oldText = base.source.text;
  const text = source.text;
  if (oldText === text || LONE_CR.test(text)) return undefined;
  const change = changedSpan(oldText, text);
  const lengthDelta = text.length - oldText.length;
  for (const [sectionIndex, section] of base.document.root.entries.entries()) {
    if (section.key === undefined || !ENTRY_SECTIONS.has(section.key) || section.value.kind !== 'object') continue;
    const entries = section.value.entries;
    if (entries.length < 3 || oldText.charCodeAt(base.source.offsetAt(section.value.range.start)) === 123 /* { */) continue;
    for (let index = 1; index + 1 < entries.length; index++) {
      const start = base.source.lineStart(entries[index].keyRange.start.line);
      const oldEnd = base.source.lineStart(entries[index + 1].keyRange.start.line);
      if (change.start >= start && change.oldEnd <= oldEnd) return { lengthDelta, sectionIndex, section, entries, index, start, oldEnd };
    }
  }
  return undefined;
}

/**
 * Whether lines replacing an entry at `column` can only be read inside the entries' block: the
 * first starts at the column with content, every other one is blank or more indented, and no
 * tab is used to indent.
 */
export function stayInside(lines: string, column: number): boolean {
  const split = lines.split(/\r?\n/);
  if (split[split.length - 1] === '') split.pop();
  return split.every((line, k) => {
    const indentation = /^[ \t]*/.exec(line)![0];
    if (indentation.includes('\t')) return false;
    if (k === 0) return indentation.length === column && line.length > column;
    return indentation.length === line.length || indentation.length > column;
  });
}

/** A lone CR ends a line for LSP positions but not for the parsers: entries would not line up. */
export const LONE_CR = /\r(?!\n)/;

export function startsLine(text: string, offset: number): boolean {
  if (offset === 0 || offset === text.length) return true;
  const before = text.charCodeAt(offset - 1);
  return before === 10 /* \n */ || (before === 13 /* \r */ && text.charCodeAt(offset) !== 10);
}

/** The lines of one entry parsed alone: one mapping entry at `column`, or undefined. */
function readEntryAlone(text: string, column: number): { entry: ObjectEntry; comments: Comment[] } | undefined {
  const documents = parseYamlDocuments(new SourceText(text));
  const document = documents[0];
  if (documents.length !== 1 || !document.standalone || document.syntaxErrors.length > 0) return undefined;
  const root = document.root;
  if (root?.kind !== 'object' || root.entries.length !== 1) return undefined;
  const entry = root.entries[0];
  if (entry.key === undefined || entry.keyRange.start.line !== 0 || entry.keyRange.start.character !== column) return undefined;
  return { entry, comments: document.comments };
}

/**
 * The document with entry `entryIndex` of section `sectionIndex` (and the `count - 1` after it)
 * replaced by the entries read from its lines (from `firstLine` on): what comes after it (entries, sections, comments from
 * line `nextLine` on) moves `lineDelta` lines.
 */
export function splice(
  document: YamlBase['document'],
  sectionIndex: number,
  entryIndex: number,
  replaced: { entries: ObjectEntry[]; comments: Comment[]; syntaxErrors: Range[]; firstLine: number },
  nextLine: number,
  lineDelta: number,
  lengthDelta: number,
  count = 1,
): ParsedDocument {
  const root = document.root;
  const section = root.entries[sectionIndex];
  const value = section.value as ObjectExpr;
  const entries = [
    ...value.entries.slice(0, entryIndex),
    ...replaced.entries,
    ...value.entries.slice(entryIndex + count).map((e) => shiftLines(e, lineDelta)),
  ];
  const end = entries[entries.length - 1].range.end;
  const newSection: ObjectEntry = {
    ...section,
    value: { ...value, entries, range: { start: value.range.start, end } },
    range: { start: section.range.start, end },
  };
  const sections = [
    ...root.entries.slice(0, sectionIndex),
    newSection,
    ...root.entries.slice(sectionIndex + 1).map((s) => shiftLines(s, lineDelta)),
  ];
  const firstLine = replaced.firstLine;
  const comments = [
    ...document.comments.filter((c) => c.range.start.line < firstLine),
    ...replaced.comments,
    ...document.comments.filter((c) => c.range.start.line >= nextLine).map((c) => shiftLines(c, lineDelta)),
  ];
  const newRoot: ObjectExpr = { ...root, entries: sections, range: { start: root.range.start, end: sections[sections.length - 1].range.end } };
  return { root: newRoot, start: document.start, end: document.end + lengthDelta, comments, syntaxErrors: replaced.syntaxErrors, standalone: true };
}
