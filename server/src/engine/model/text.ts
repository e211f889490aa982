/**
 * Line/character ↔ offset conversion over a document's text (UTF-16, like LSP and JS strings).
 */
import type { Position, Range } from '../types';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  offsetAt(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.starts.length - 1);
    const lineEnd = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return Math.min(this.starts[line] + Math.max(position.character, 0), lineEnd);
  }

  positionAt(offset: number): Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  /** The text a range covers. */
  slice(range: Range): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  /** The text of one line without its line break. */
  line(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }
}


/** Leading whitespace of a line. */
export const indentationOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** The document's line break: CRLF when its first line break is one. */
export const lineBreakOf = (text: string): string => (/\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n');

/** Text written with `\n` line breaks, in the document's own (`eol`). */
export const withLineBreak = (text: string, eol: string): string => (eol === '\n' ? text : text.replace(/\r?\n/g, eol));

/**
 * A copy of a parsed node (block, expression, comment, any plain object of them) with every
 * position moved down `delta` lines. Copies rather than moves: a cached node may still be
 * held by the previous version's findings, and one range object may be shared by two nodes.
 */
export function shiftLines<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number') return { line: record.line + delta, character: record.character };
    const result: Record<string, unknown> = {};
    for (const key in record) result[key] = copy(record[key]);
    return result;
  };
  return copy(value) as T;
}

/**
 * A lone CR (classic Mac line end) ends a line for LSP, but not for tree-sitter, YAML or our
 * line index: read as LF (same length, so every line and column stays where an editor shows it).
 */
export const withLoneCrAsLf = (text: string): string => (text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text);

/** The span an edit replaced: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new. */
export interface ChangedSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The span an edit replaced, between the two texts' common prefix and suffix. */
export function changedSpan(oldText: string, text: string): ChangedSpan {
  const start = commonPrefixLength(oldText, text);
  let oldEnd = oldText.length;
  let newEnd = text.length;
  // Galloping over equal chunks, as for the prefix, then one character at a time.
  for (let step = CHUNK; step >= MIN_CHUNK;) {
    if (oldEnd - step >= start && newEnd - step >= start && oldText.slice(oldEnd - step, oldEnd) === text.slice(newEnd - step, newEnd)) {
      oldEnd -= step;
      newEnd -= step;
      step *= 2;
    } else step >>= 1;
  }
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/**
 * Chunk sizes of the galloping compare: a keystroke leaves a 100 KB document equal but for a
 * character, and comparing it a character at a time in JS took half a millisecond per call;
 * string equality on slices (which V8 makes without copying) compares natively, in microseconds.
 */
const CHUNK = 64;
const MIN_CHUNK = 16;

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let length = 0;
  for (let step = CHUNK; step >= MIN_CHUNK;) {
    if (length + step <= max && a.slice(length, length + step) === b.slice(length, length + step)) {
      length += step;
      step *= 2;
    } else step >>= 1;
  }
  while (length < max && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return length;
}
