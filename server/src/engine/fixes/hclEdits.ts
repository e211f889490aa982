/**
 * Minimal edits to Terraform blocks that respect the file's layout: the indentation its
 * blocks use, and `=` alignment when the block's attributes are aligned (terraform fmt).
 * Every edit only inserts or replaces the targeted value; nothing else in the file moves.
 */
import type { Position, TextEdit } from '../types';
import type { Attribute, Block } from '../model/syntax';
import { LineIndex, indentationOf, lineBreakOf, withLineBreak } from '../model/text';

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

  /** `name = value` padded to the block's `=` column when its single-line attributes are aligned. */
  attributeLine(block: Block, name: string, value: string): string {
    const singleLine = block.attributes.filter((a) => a.range.start.line === a.range.end.line || a.value.range.start.line === a.nameRange.start.line);
    const columns = new Set(singleLine.map((a) => this.equalsColumn(a)).filter((c): c is number => c !== undefined));
    const indent = this.bodyIndent(block);
    if (singleLine.length >= 2 && columns.size === 1) {
      const column = [...columns][0];
      const width = column - indent.length;
      if (name.length < width) return `${indent}${name.padEnd(width)}= ${value}`;
    }
    return `${indent}${name} = ${value}`;
  }

  private equalsColumn(attribute: Attribute): number | undefined {
    const line = this.lines.line(attribute.nameRange.end.line);
    const column = line.indexOf('=', attribute.nameRange.end.character);
    return column === -1 ? undefined : column;
  }

  /**
   * Inserts an attribute after the block's last attribute (attributes come before nested
   * blocks in terraform fmt style), or first in an empty body. Undefined when the block's
   * braces are not both there (a half-typed block is not edited).
   */
  insertAttribute(block: Block, name: string, value: string): TextEdit | undefined {
    if (!block.bodyRange) return undefined;
    const line = withLineBreak(this.attributeLine(block, name, value), this.eol);
    const body = block.bodyRange;
    const last = [...block.attributes].sort((a, b) => a.range.end.line - b.range.end.line).pop();
    if (last) {
      const endOfLine: Position = { line: last.range.end.line, character: this.lines.line(last.range.end.line).length };
      const closingOnSameLine = body.end.line === last.range.end.line;
      if (!closingOnSameLine) return { range: { start: endOfLine, end: endOfLine }, newText: `${this.eol}${line}` };
      return { range: { start: body.end, end: body.end }, newText: `${this.eol}${line}${this.eol}${this.blockIndent(block)}` };
    }
    const emptyOneLine = body.start.line === body.end.line;
    if (emptyOneLine) return { range: { start: body.start, end: body.end }, newText: `${this.eol}${line}${this.eol}${this.blockIndent(block)}` };
    return { range: { start: body.start, end: body.start }, newText: `${this.eol}${line}` };
  }

  /** Replaces an attribute's value, or inserts the attribute. */
  setAttribute(block: Block, name: string, value: string): TextEdit | undefined {
    const existing = block.attributes.find((a) => a.name === name);
    if (existing) return { range: existing.value.range, newText: value };
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
