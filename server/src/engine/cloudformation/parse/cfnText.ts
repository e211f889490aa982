/**
 * Offsets ↔ LSP positions for a CloudFormation template, and the shape both format readers
 * (YAML, JSON) hand to the template builder.
 *
 * Both parsers report offsets into the JavaScript string, i.e. UTF-16 code units, which is
 * exactly what LSP characters count, so a position is `offset - lineStart`. Line breaks are
 * `\n`, `\r\n` and a lone `\r`, as in LSP and YAML.
 */
import type { Position, Range } from '../../types';
import type { Comment, Expr } from '../../model/syntax';

export class SourceText {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    // Most texts have no CR: their lines are found by the native search, not a character loop
    // (a 5,000-line template is read again at every keystroke).
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.lineStarts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return line >= this.lineStarts.length ? this.text.length : this.lineStarts[Math.max(line, 0)];
  }

  /** Offset just past the line's content, before its line break. */
  lineEnd(line: number): number {
    let end = this.lineStart(line + 1);
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    return Math.min(this.lineStart(position.line) + Math.max(position.character, 0), this.lineEnd(position.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** Moves `end` back over trailing whitespace and line breaks, never before `start`. */
  trimEnd(start: number, end: number): number {
    while (end > start && isWhitespace(this.text.charCodeAt(end - 1))) end--;
    return end;
  }

  slice(range: Range): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
}

const isWhitespace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * `text` with `[start, end)` replaced by spaces, line breaks kept: every offset and position
 * outside (and inside) the span stays where it was, so nodes of a re-parse line up with the
 * original document.
 */
export function blankOut(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}

/** One document of a file, read by a format reader (YAML or JSON) into the common expressions. */
export interface ParsedDocument {
  /**
   * The document's content; undefined for an empty document. Short-form intrinsics (YAML tags)
   * are calls already; long forms are still one-key objects until the template builder knows
   * which section they are in.
   */
  root: Expr | undefined;
  /** Offsets of the document's first and last character. */
  start: number;
  end: number;
  comments: Comment[];
  syntaxErrors: Range[];
  /**
   * YAML only: the stream is this one document, with no directive, document end marker or
   * alias, so one entry's text read alone parses as it does in place (see `cfnIncremental.ts`).
   */
  standalone?: boolean;
}
