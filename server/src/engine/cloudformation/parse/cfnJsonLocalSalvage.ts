/**
 * An edit that breaks an entry of a large JSON template so that it closes early (a `{` deleted,
 * a quote typed into its logical id) makes jsonc-parser close the whole section there: every
 * entry after it is read as a top-level key, the section's own `}` closes the template, and
 * "end of file expected" is reported at the token after it. A whole parse then salvages the
 * lost entries with more whole parses (~150 ms on 7,400 lines). The same salvage gives the
 * same entries from the broken entry's neighbourhood alone.
 *
 * The entry, between its two neighbours, is read under its section's header line as a small
 * template of its own, and salvaged there. Why that is exact: jsonc-parser reads left to right
 * and a value without looking outside it, so everything before the window reads as in the last
 * clean parse, and the window's text reads the same in both texts up to the next neighbour; past
 * it, the whole text holds only intact entries, which read as top-level keys without an error,
 * until the section's `}` ends the template, where the small template's own closing brace stands
 * for it. That error is reported where the whole parse reports it. The salvage looks at the same
 * outline items first (the entry before the first lost one), so it blanks the same lines.
 *
 * Kept only when the neighbours come out exactly as they were, every other error is on the
 * edited lines, no key is duplicated, the section's header and the top-level keys are laid out
 * one per line as the salvage's outline expects, and the last clean parse has every key line
 * of that outline (else the whole salvage would stop at one it lacks, before the edit). Anything else returns undefined and the
 * caller parses and salvages the whole text, as before.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { ObjectEntry, ObjectExpr } from '../../model/syntax';
import { changedSpan, shiftLines } from '../../model/text';
import type { Range } from '../../types';
import { ENTRY_SECTIONS } from './cfnTemplate';
import { SourceText, type ParsedDocument } from './cfnText';
import { parseJsonDocument } from './cfnJson';
import { LONE_CR } from './cfnIncremental';
import { outlineComplete, salvageDocument } from './cfnSalvage';
import { spliceJsonEntries, type JsonBase } from './cfnJsonIncremental';

/** Whether a base's parse has every key line of its outline, found once per base. */
const complete = new WeakMap<JsonBase, boolean>();

/** A section's header line: its key and the `{` of its entries, nothing else. */
const HEADER_LINE = /^[ ]*"(?:[^"\\]|\\.)*"[ ]*:[ ]*\{[ ]*$/;

/** `base` with the edit applied, the edited entry salvaged between its neighbours; undefined when that would not be exact. */
export function salvageJsonEntryLocally(base: JsonBase, source: SourceText): ParsedDocument | undefined {
  const [oldSource, text, root] = [base.source, source.text, base.document.root];
  const oldText = oldSource.text;
  if (oldText === text || LONE_CR.test(text)) return undefined;
  const change = changedSpan(oldText, text);
  const lengthDelta = text.length - oldText.length;
  const keyLine = (entry: ObjectEntry): number => entry.keyRange.start.line;
  const column = root.entries[0]?.keyRange.start.character;
  // The outline's top level must be the sections, each on its own line, at one column.
  if (column === undefined || root.entries.some((s) => s.keyRange.start.character !== column || !onlyIndented(oldSource, s.keyRange))) return undefined;
  for (const [sectionIndex, section] of root.entries.entries()) {
    if (section.key === undefined || !ENTRY_SECTIONS.has(section.key) || section.value.kind !== 'object') continue;
    const entries = section.value.entries;
    for (let index = 1; index + 1 < entries.length; index++) {
      const start = oldSource.lineStart(keyLine(entries[index]));
      const oldEnd = oldSource.lineStart(keyLine(entries[index + 1]));
      if (change.start < start || change.oldEnd > oldEnd) continue;
      const [previous, next] = [entries[index - 1], entries[index + 1]];
      const header = oldSource.lineText(keyLine(section));
      const entryColumn = entries[index].keyRange.start.character;
      // Entries one column in from the sections would read as sections to the outline once spilled.
      if (!HEADER_LINE.test(header) || entryColumn <= column + 1 || [previous, entries[index], next].some((e) => e.keyRange.start.character !== entryColumn || !onlyIndented(oldSource, e.keyRange))) return undefined;
      // The whole salvage stops at the first outline item it cannot recover: there must be none but the edit's.
      if (!complete.has(base)) complete.set(base, outlineComplete(base.document, base.source, true));
      if (!complete.get(base)) return undefined;
      return salvageWindow(base, source, { sectionIndex, section: section as ObjectEntry & { value: ObjectExpr }, index, header, column, lengthDelta });
    }
  }
  return undefined;
}

function salvageWindow(
  base: JsonBase,
  source: SourceText,
  at: { sectionIndex: number; section: ObjectEntry & { value: ObjectExpr }; index: number; header: string; column: number; lengthDelta: number },
): ParsedDocument | undefined {
  const { sectionIndex, section, index, header, column, lengthDelta } = at;
  const oldSource = base.source;
  const text = source.text;
  const entries = section.value.entries;
  const [previous, next] = [entries[index - 1], entries[index + 1]];
  const windowStart = oldSource.lineStart(previous.keyRange.start.line);
  const windowEnd = oldSource.offsetAt(next.range.end) + lengthDelta;
  // `{`, the header, the window's lines, then the section's and the template's closing braces.
  const local = `{\n${header}\n${text.slice(windowStart, windowEnd)}\n${' '.repeat(column)}}\n}`;
  const moved = previous.keyRange.start.line - 2;
  const localSource = new SourceText(local);
  const read = salvageDocument(parseJsonDocument(localSource), localSource, true, (masked) => parseJsonDocument(new SourceText(masked)));
  if (read.comments.length > 0 || read.root?.kind !== 'object' || read.root.entries.length !== 1) return undefined;
  const readSection = read.root.entries[0];
  if (readSection.key !== section.key || readSection.keyRange.start.line !== 1 || readSection.value.kind !== 'object') return undefined;
  const readEntries = shiftLines(readSection.value.entries, moved);
  const firstLine = source.lineOf(oldSource.lineStart(entries[index].keyRange.start.line));
  const nextLine = source.lineOf(oldSource.offsetAt(next.keyRange.start) + lengthDelta);
  const lineDelta = nextLine - next.keyRange.start.line;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (readEntries.length < 2 || !same(readEntries[0], previous) || !same(readEntries[readEntries.length - 1], shiftLines(next, lineDelta))) return undefined;
  const middle = readEntries.slice(1, -1);
  const keys = new Set(entries.filter((e) => e !== entries[index]).map((e) => e.key));
  if (middle.some((e, k) => keys.has(e.key) || middle.findIndex((o) => o.key === e.key) !== k)) return undefined;
  const errors = errorsInPlace(read.syntaxErrors, localSource, moved, { source, sectionEnd: oldSource.offsetAt(section.value.range.end) + lengthDelta });
  if (!errors || errors.inWindow.some((e) => e.start.line < firstLine || e.end.line >= nextLine)) return undefined;
  return spliceJsonEntries(base.document, sectionIndex, index, middle, lineDelta, lengthDelta, [...errors.inWindow, ...errors.closing]);
}

/**
 * The window's errors moved to the whole text. The small template's closing brace is an error
 * when the edit closed the section early; it stands for the whole parse's "end of file
 * expected" at the first token after the section's `}` (none when the template ends there:
 * then this cannot tell, and the caller parses whole). Only the last error may be that one.
 */
function errorsInPlace(errors: Range[], local: SourceText, moved: number, whole: { source: SourceText; sectionEnd: number }): { inWindow: Range[]; closing: Range[] } | undefined {
  const brace = local.positionAt(local.text.length - 1);
  const inWindow: Range[] = [];
  const closing: Range[] = [];
  for (const [k, error] of errors.entries()) {
    if (error.start.line !== brace.line || error.start.character !== brace.character) {
      // Only the window's own lines: not the header, not the small template's closing lines.
      if (error.start.line <= 1 || error.end.line >= brace.line - 1) return undefined;
      inWindow.push(shiftLines(error, moved));
      continue;
    }
    if (k !== errors.length - 1) return undefined;
    const scanner = createScanner(whole.source.text, true);
    scanner.setPosition(whole.sectionEnd);
    if (scanner.scan() === SyntaxKind.EOF) return undefined;
    const offset = scanner.getTokenOffset();
    closing.push(whole.source.range(offset, offset + scanner.getTokenLength()));
  }
  return { inWindow, closing };
}

/** Whether only blanks precede `range` on its line. */
function onlyIndented(source: SourceText, range: Range): boolean {
  return /^[ ]*$/.test(source.lineText(range.start.line).slice(0, range.start.character));
}
