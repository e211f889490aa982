/**
 * An edit that breaks an entry's header in a large YAML template (a resource's key losing its
 * colon) makes the parser swallow every entry after it; a whole parse then salvages them with
 * several more whole parses. When the damage starts and ends inside one entry, the same salvage
 * gives the same entries from that entry's neighbourhood alone: the entry, read between its two
 * neighbours under its section's header, is parsed and salvaged by itself, and spliced into the last clean
 * parse.
 *
 * Exact only where the damage cannot leave that window: the edited lines stay more indented
 * than the entries (see `stayInside`), the salvage gives both neighbours back exactly as they
 * were (so the parser reads whatever follows as before), and every error is on the edited lines.
 * Anything else returns undefined and the caller parses and salvages the whole text.
 */
import type { ObjectEntry } from '../../model/syntax';
import { shiftLines } from '../../model/text';
import { SourceText, type ParsedDocument } from './cfnText';
import { parseYamlDocuments } from './cfnYaml';
import { salvageDocument } from './cfnSalvage';
import { editedMiddleEntry, splice, startsLine, stayInside, type YamlBase } from './cfnIncremental';

/** `base` with the edit applied, the edited entry salvaged between its neighbours; undefined when that would not be exact. */
export function salvageEntryLocally(base: YamlBase, source: SourceText): ParsedDocument | undefined {
  const edited = editedMiddleEntry(base, source);
  if (!edited) return undefined;
  const { lengthDelta, sectionIndex, section, entries, index, start, oldEnd } = edited;
  const [oldText, text, root] = [base.source.text, source.text, base.document.root];
  const lineOf = (entry: ObjectEntry): number => entry.keyRange.start.line;
  const column = entries[index].keyRange.start.character;
  const end = oldEnd + lengthDelta;
  const headerLine = section.keyRange.start.line;
  // The header alone on its line, the entries on later lines: the window can sit under it.
  if (column < 2 || headerLine >= lineOf(entries[0]) || !startsLine(text, end) || !stayInside(text.slice(start, end), column)) return undefined;
  const [previous, next] = [entries[index - 1], entries[index + 1]];
  const following = entries[index + 2] ?? root.entries[sectionIndex + 1];
  const oldWindowEnd = following ? base.source.lineStart(lineOf(following)) : oldText.length;
  // The header, then the window's lines: read one line below the header, moved back after.
  const local = base.source.lineText(headerLine) + '\n' + text.slice(base.source.lineStart(lineOf(previous)), oldWindowEnd + lengthDelta);
  const moved = lineOf(previous) - 1;
  const localSource = new SourceText(local);
  const documents = parseYamlDocuments(localSource);
  const candidate = documents[0];
  if (documents.length !== 1 || !candidate.standalone) return undefined;
  // The same salvage as the whole parse's, on the window's text.
  const read = salvageDocument(candidate, localSource, false, (masked) => {
    const again = parseYamlDocuments(new SourceText(masked));
    return again.length === 1 && again[0].end === candidate.end ? again[0] : undefined;
  });
  const nextLine = source.lineOf(end);
  const lineDelta = nextLine - lineOf(next);
  const readSection = read.root?.kind === 'object' && read.root.entries.length === 1 ? read.root.entries[0] : undefined;
  if (!readSection || readSection.key !== section.key || readSection.keyRange.start.line !== 0 || readSection.value.kind !== 'object') return undefined;
  const readEntries = shiftLines(readSection.value.entries, moved);
  const syntaxErrors = shiftLines(read.syntaxErrors, moved);
  // The salvage may change the entry before (lines the parser gave back to it): it is in the
  // window, and the whole parse changes it the same way. The entry after must come out as it was.
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (readEntries.length < 2 || readEntries[0].keyRange.start.line !== lineOf(previous) || !same(readEntries[readEntries.length - 1], shiftLines(next, lineDelta))) return undefined;
  const firstLine = lineOf(previous);
  if (syntaxErrors.some((e) => e.start.line < firstLine || e.end.line >= nextLine)) return undefined;
  const middle = readEntries.slice(0, -1);
  // A key the other entries have is a duplicate: an error only the whole parse reports.
  const keys = new Set(entries.filter((e) => e !== entries[index] && e !== previous).map((e) => e.key));
  if (middle.some((e, k) => keys.has(e.key) || middle.findIndex((o) => o.key === e.key) !== k)) return undefined;
  const comments = shiftLines(read.comments, moved).filter((c) => c.range.start.line >= firstLine && c.range.start.line < nextLine);
  return splice(base.document, sectionIndex, index - 1, { entries: middle, comments, syntaxErrors, firstLine }, lineOf(next), lineDelta, lengthDelta, 2);
}
