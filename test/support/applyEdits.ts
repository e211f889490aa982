/** Applies engine text edits to a text, the way an editor does (all against the original). */
import type { TextEdit } from '../../server/src/engine';
import { LineIndex } from '../../server/src/engine/model/text';

export function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const withOffsets = edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const e of withOffsets) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}
