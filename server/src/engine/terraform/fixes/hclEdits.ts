/**
 * Minimal edits to Terraform blocks that respect the file's layout: the indentation its
 * blocks use, and `=` alignment when the block's attributes are aligned (terraform fmt).
 * Every edit only inserts or replaces the targeted value; nothing else in the file moves.
 */
import type { Position, TextEdit } from '../../types';
import type { Attribute, Block } from '../../model/syntax';
import { LineIndex, indentationOf, lineBreakOf, withLineBreak } from '../../model/text';

/** Meta-arguments written after a resource's arguments (`count` / `for_each` come first). */
const TRAILING_META = new Set(['depends_on', 'provider']);

export class HclDocument {
  readonly lines: LineIndex;
  readonly eol: string;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
    this.eol = lineBreakOf(text);
  }

  /** The file's indentation unit: the first indented line's leading whitespace, else two spaces. */
  indentUnit(): string {
    for (let i = 0; i < this.lines.lineCount; i++) {
      const indentation = indentationOf(this.lines.line(i));
      if (indentation.length > 0 && this.lines.line(i).trim().length > 0) return indentation.startsWith('\t') ? '\t' : indentation;
    }
    return '  ';
  }

  blockIndent(block: Block): string {
    return indentationOf(this.lines.line(block.range.start.line));
  }

  /** The indentation of the block's attributes, or one unit deeper than the header. */
  bodyIndent(block: Block): string {
    const first = block.attributes.find((a) => a.range.start.line > block.headerRange.end.line);
    if (first) return indentationOf(this.lines.line(first.range.start.line));
    return this.blockIndent(block) + this.indentUnit();
  }

  /**
   * Inserts an attribute among the block's arguments: after the last one, but before the
   * meta-arguments `depends_on` and `provider` (`count` / `for_each` stay first), or first in
   * an empty body. When the new line joins a run of aligned attributes, the run is re-aligned
   * the way `terraform fmt` would (whitespace before `=` only). Undefined when the block's
   * braces are not both there (a half-typed block is not edited).
   */
  insertAttribute(block: Block, name: string, value: string): TextEdit[] | undefined {
    if (!block.bodyRange) return undefined;
    const body = block.bodyRange;
    const indent = this.bodyIndent(block);
    const attributes = [...block.attributes].filter((a) => a.range.start.line > body.start.line || a.range.start.character > body.start.character)
      .sort((a, b) => a.range.start.line - b.range.start.line);
    const meta = attributes.findIndex((a, i) => TRAILING_META.has(a.name) && attributes.slice(i).every((b) => TRAILING_META.has(b.name)));
    const before = meta === -1 ? attributes : attributes.slice(0, meta);
    const anchor = before[before.length - 1];
    const multiLine = value.includes('\n');
    if (!anchor) {
      const emptyOneLine = body.start.line === body.end.line;
      const first = attributes[0];
      const group = multiLine || !first || first.range.start.line !== body.start.line + 1 ? [] : this.runFrom(attributes, 0, 1);
      const { line, edits } = this.aligned(group, indent, name, value);
      if (emptyOneLine) return [{ range: { start: body.start, end: body.end }, newText: `${this.eol}${line}${this.eol}${this.blockIndent(block)}` }];
      if (first && first.range.start.line === body.start.line) return undefined;
      return [{ range: { start: body.start, end: body.start }, newText: `${this.eol}${line}` }, ...edits];
    }
    if (anchor.range.end.line === body.end.line) return undefined; // `}` on the attribute's line: not a layout we re-flow
    const at = attributes.indexOf(anchor);
    const next = attributes[at + 1];
    const above = this.runFrom(attributes, at, -1);
    const below = next && next.range.start.line === anchor.range.end.line + 1 ? this.runFrom(attributes, at + 1, 1) : [];
    const endOfLine: Position = { line: anchor.range.end.line, character: this.lines.line(anchor.range.end.line).length };
    if (multiLine) {
      // The new value spans lines: it aligns with nothing and splits the run it lands in.
      const edits = [...this.realign(above, indent), ...this.realign(below, indent)];
      return [{ range: { start: endOfLine, end: endOfLine }, newText: withLineBreak(`${this.eol}${indent}${name} = ${value}`, this.eol) }, ...edits];
    }
    const { line, edits } = this.aligned([...above, ...below], indent, name, value);
    return [{ range: { start: endOfLine, end: endOfLine }, newText: `${this.eol}${line}` }, ...edits];
  }

  /** The run of single-line attributes on consecutive lines from `attributes[from]`, walking `step`. */
  private runFrom(attributes: Attribute[], from: number, step: 1 | -1): Attribute[] {
    const run: Attribute[] = [];
    for (let i = from; i >= 0 && i < attributes.length; i += step) {
      const a = attributes[i];
      if (a.range.start.line !== a.range.end.line) break;
      const neighbour = run[run.length - 1];
      if (neighbour && Math.abs(neighbour.range.start.line - a.range.start.line) !== 1) break;
      run.push(a);
    }
    return step === 1 ? run : run.reverse();
  }

  /** The new line, padded to the run it joins, and the edits that re-align that run. */
  private aligned(run: Attribute[], indent: string, name: string, value: string): { line: string; edits: TextEdit[] } {
    const width = Math.max(name.length, ...run.map((a) => a.name.length));
    return { line: `${indent}${name.padEnd(width)} = ${value}`, edits: this.realign(run, indent, width) };
  }

  /** Whitespace edits putting each attribute's `=` one space after the run's longest name. */
  private realign(run: Attribute[], indent: string, width = Math.max(0, ...run.map((a) => a.name.length))): TextEdit[] {
    const edits: TextEdit[] = [];
    for (const a of run) {
      const text = this.lines.line(a.nameRange.end.line);
      const equals = text.indexOf('=', a.nameRange.end.character);
      if (equals === -1 || text.slice(a.nameRange.end.character, equals).trim() !== '') continue;
      const padding = ' '.repeat(width - (a.nameRange.end.character - indent.length) + 1);
      if (text.slice(a.nameRange.end.character, equals) === padding || a.nameRange.start.character !== indent.length) continue;
      edits.push({ range: { start: a.nameRange.end, end: { line: a.nameRange.end.line, character: equals } }, newText: padding });
    }
    return edits;
  }

  /** Replaces an attribute's value, or inserts the attribute. */
  setAttribute(block: Block, name: string, value: string): TextEdit[] | undefined {
    const existing = block.attributes.find((a) => a.name === name);
    if (existing) return [{ range: existing.value.range, newText: withLineBreak(value, this.eol) }];
    return this.insertAttribute(block, name, value);
  }

  /** Text inserted right after a top-level block, separated by one blank line. */
  insertAfter(block: Block, text: string): TextEdit {
    const end = block.range.end;
    return { range: { start: end, end }, newText: `${this.eol}${this.eol}${withLineBreak(text, this.eol)}` };
  }

  /** A comment line right above the block's header, at the header's indentation. */
  commentAbove(block: Block, comment: string): TextEdit {
    const start: Position = { line: block.range.start.line, character: 0 };
    return { range: { start, end: start }, newText: `${this.blockIndent(block)}${comment}${this.eol}` };
  }
}
