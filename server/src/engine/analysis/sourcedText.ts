/**
 * Text assembled from pieces of several files (a heredoc's literal lines, a template file, a
 * variable's value) that remembers, for every character, where it was written.
 *
 * Key policies are often JSON text put together by Terraform (`<<EOF`, `file()`,
 * `templatefile()`): parsing the assembled text once and mapping each JSON node back through
 * this table is what lets a finding land on the exact statement, in whichever file it is.
 */
import type { Location } from '../types';
import { LineIndex } from '../model/text';

/** Where one character came from: a file and an offset in its text (and where its escape ends, for an escaped one). */
interface CharOrigin {
  source: number;
  offset: number;
  end?: number;
}

export interface TextSource {
  uri: string;
  lines: LineIndex;
}

export class SourcedText {
  text = '';
  private readonly origins: (CharOrigin | undefined)[] = [];
  private readonly sources: TextSource[] = [];
  /** JSON lexical state after `text`, so an interpolation knows whether it lands inside a string. */
  private scanned = 0;
  private stringOpen = false;
  private escaped = false;

  /** Characters `start..end` of a file, one for one. */
  appendSource(source: TextSource, start: number, end: number): void {
    const index = this.sourceIndex(source);
    this.text += source.lines.text.slice(start, end);
    for (let i = start; i < end; i++) this.origins.push({ source: index, offset: i });
  }

  /** One character written as an escape (`\\n`, `\\u0041`) at `start..end` of a file. */
  appendDecoded(source: TextSource, char: string, start: number, end: number): void {
    const index = this.sourceIndex(source);
    this.text += char;
    for (let i = 0; i < char.length; i++) this.origins.push({ source: index, offset: start, end });
  }

  /** Text that stands for a whole written range (an evaluated expression): it maps to that range. */
  appendMapped(text: string, where: Location | undefined, lines?: LineIndex): void {
    if (text.length === 0) return;
    this.text += text;
    if (!where || !lines) {
      for (let i = 0; i < text.length; i++) this.origins.push(undefined);
      return;
    }
    const index = this.sourceIndex({ uri: where.uri, lines });
    const start = lines.offsetAt(where.range.start);
    const end = Math.max(start + 1, lines.offsetAt(where.range.end));
    for (let i = 0; i < text.length; i++) this.origins.push({ source: index, offset: i === text.length - 1 ? end - 1 : start });
  }

  /** Characters `start..end` of another sourced text, keeping their origins. */
  appendSourced(other: SourcedText, start = 0, end = other.text.length): void {
    for (let i = start; i < end; i++) {
      const origin = other.origins[i];
      this.text += other.text[i];
      this.origins.push(origin && { source: this.sourceIndex(other.sources[origin.source]), offset: origin.offset, end: origin.end });
    }
  }

  /** True when the text so far ends inside a JSON string literal. */
  get insideJsonString(): boolean {
    for (; this.scanned < this.text.length; this.scanned++) {
      const c = this.text[this.scanned];
      if (this.escaped) this.escaped = false;
      else if (this.stringOpen && c === '\\') this.escaped = true;
      else if (c === '"') this.stringOpen = !this.stringOpen;
    }
    return this.stringOpen;
  }

  /** The written location of characters `start..end`; the first character's place when they span files. */
  location(start: number, end: number): Location | undefined {
    const first = this.origins[start];
    if (!first) return undefined;
    const source = this.sources[first.source];
    const last = this.origins[Math.max(start, end - 1)];
    const endOffset = last && last.source === first.source && last.offset >= first.offset ? last.end ?? last.offset + 1 : first.offset + 1;
    return { uri: source.uri, range: { start: source.lines.positionAt(first.offset), end: source.lines.positionAt(endOffset) } };
  }

  private sourceIndex(source: TextSource): number {
    const found = this.sources.findIndex((s) => s.uri === source.uri);
    if (found !== -1) return found;
    this.sources.push(source);
    return this.sources.length - 1;
  }
}
