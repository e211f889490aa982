/**
 * Minimal edits to JSON text (CloudFormation JSON templates, key-policy files), on the nodes
 * of the common model: set or insert an object property, add sibling properties after one,
 * append an array item, and read the document's own layout (indentation unit, or that it is
 * minified).
 *
 * Every edit only inserts or replaces what it targets, with the commas JSON needs; nothing
 * else moves. Objects written on one line get their new property on that line. A minified
 * document (one line) is the caller's to refuse: rewriting it is not a quick fix.
 */
import type { Position, Range, TextEdit } from '../types';
import type { ObjectEntry, ObjectExpr, TupleExpr } from '../model/syntax';
import { LineIndex, indentationOf, lineBreakOf, withLineBreak } from '../model/text';
import { renderJsonInline, renderJsonProperty, renderJsonValue, type CfnStyle, type JsonValue } from './jsonRender';

export class JsonDocument {
  readonly lines: LineIndex;
  readonly eol: string;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
    this.eol = lineBreakOf(text);
  }

  /** All on one line: generated, not edited by hand; a fix would have to rewrite it. */
  isMinified(): boolean {
    return !this.text.trim().includes('\n');
  }

  /**
   * The indentation unit: what the first line after an opening `{` / `[` adds to that line's
   * indentation (one space in CDK output, two or four by hand, a tab). Two spaces by default.
   */
  indentUnit(): string {
    for (let i = 0; i + 1 < this.lines.lineCount; i++) {
      const line = this.lines.line(i);
      if (!/[{[]\s*$/.test(line)) continue;
      const next = this.lines.line(i + 1);
      const outer = indentationOf(line);
      const inner = indentationOf(next);
      if (next.trim() !== '' && inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
    }
    return '  ';
  }

  style(): CfnStyle {
    return { format: 'json', shortForm: false, unit: this.indentUnit(), eol: this.eol, indentSequences: true };
  }

  /** Sets `key` in `object`: replaces the value of an existing property, else inserts the property. */
  setProperty(object: ObjectExpr, key: string, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    const existing = object.entries.find((e) => e.key === key);
    return existing ? this.replaceValue(object, existing, value, style) : this.insertProperty(object, key, value, style);
  }

  /** Replaces a property's value; on one line when its object is written on one line. */
  replaceValue(object: ObjectExpr, entry: ObjectEntry, value: JsonValue, style: CfnStyle): TextEdit {
    const newText = this.isOneLine(object) ? renderJsonInline(value) : renderJsonValue(value, this.indentOf(entry.keyRange.start) ?? '', style);
    return { range: entry.value.range, newText };
  }

  /**
   * Inserts `"key": value` as the object's last property: after the last one with a comma
   * (or after its trailing comma), on its own line at the properties' indentation, or on the
   * same line for a one-line object; into an empty object on a line of its own.
   */
  insertProperty(object: ObjectExpr, key: string, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    const open = this.lines.offsetAt(object.range.start);
    if (this.text[open] !== '{') return undefined;
    return this.insertMember(object.range, object.entries, (indent) => renderJsonProperty(key, value, indent, style), () => `${JSON.stringify(key)}: ${renderJsonInline(value)}`, style);
  }

  /**
   * Inserts `"key": <json>` with `json` written as given (no CloudFormation `Fn::Sub` for `${…}`:
   * Terraform JSON means its own); a function renders a multi-line value continued at `indent`.
   */
  insertLiteralProperty(object: ObjectExpr, key: string, json: string | ((indent: string) => string), style: CfnStyle): TextEdit | undefined {
    const open = this.lines.offsetAt(object.range.start);
    if (this.text[open] !== '{') return undefined;
    const property = (indent: string): string => withLineBreak(`${JSON.stringify(key)}: ${typeof json === 'string' ? json : json(indent)}`, this.eol);
    return this.insertMember(object.range, object.entries, property, () => property(''), style);
  }

  /** Inserts `"key": <json>` properties right after `entry`, at its indentation, written as given. */
  insertLiteralPropertiesAfter(entry: { keyRange: Range; range: Range }, properties: [string, (indent: string) => string][]): TextEdit | undefined {
    const indent = this.indentOf(entry.keyRange.start);
    if (indent === undefined) return undefined;
    const text = properties.map(([key, json]) => withLineBreak(`,\n${indent}${JSON.stringify(key)}: ${json(indent)}`, this.eol)).join('');
    return this.afterMember(this.lines.offsetAt(entry.range.end), text);
  }

  /** Appends an item to an array, the same way `insertProperty` adds a property. */
  appendItem(array: TupleExpr, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    const open = this.lines.offsetAt(array.range.start);
    if (this.text[open] !== '[') return undefined;
    return this.insertMember(array.range, array.items, (indent) => renderJsonValue(value, indent, style), () => renderJsonInline(value), style);
  }

  /** Inserts properties right after `entry` (a resource under `Resources`), at its indentation. */
  insertPropertiesAfter(entry: { keyRange: Range; range: Range }, properties: [string, JsonValue][], style: CfnStyle): TextEdit | undefined {
    const indent = this.indentOf(entry.keyRange.start);
    if (indent === undefined) return undefined;
    const text = properties.map(([key, value]) => `,${this.eol}${indent}${renderJsonProperty(key, value, indent, style)}`).join('');
    return this.afterMember(this.lines.offsetAt(entry.range.end), text);
  }

  /** A key's text replaced (`"KmsKeyId"` → `"KMSKeyId"`). */
  renameKey(entry: { keyRange: Range }, name: string): TextEdit {
    return { range: entry.keyRange, newText: JSON.stringify(name) };
  }

  // ---- helpers ------------------------------------------------------------------------------

  private insertMember(range: Range, members: { range: Range }[], multiLine: (indent: string) => string, oneLine: () => string, style: CfnStyle): TextEdit | undefined {
    const last = members.at(-1);
    const open = this.lines.offsetAt(range.start);
    const close = this.lines.offsetAt(range.end) - 1;
    if (!last) {
      if (this.text.slice(open + 1, close).trim() !== '') return undefined;
      // `{}` inside a one-line object (`{"a": {}}`) stays on its line.
      if (this.insideOneLineCollection(range)) return this.insertAt(open + 1, oneLine());
      const outer = indentationOf(this.lines.line(range.start.line));
      const inner = outer + style.unit;
      return this.insertAt(open + 1, `${this.eol}${inner}${multiLine(inner)}${range.start.line === range.end.line ? this.eol + outer : ''}`);
    }
    if (range.start.line === range.end.line) return this.afterMember(this.lines.offsetAt(last.range.end), `, ${oneLine()}`);
    const indent = this.indentOf(last.range.start) ?? indentationOf(this.lines.line(range.start.line)) + style.unit;
    return this.afterMember(this.lines.offsetAt(last.range.end), `,${this.eol}${indent}${multiLine(indent)}`);
  }

  /**
   * Inserts `text` (which starts with its comma) right after a member, or after the member's
   * trailing comma when it is the last of its object (`"a": 1,\n}`), so no comma doubles.
   */
  private afterMember(end: number, text: string): TextEdit {
    const comma = this.skipSpace(end);
    if (this.text[comma] === ',' && /[}\]]/.test(this.text[this.skipSpace(comma + 1)] ?? '')) return this.insertAt(comma + 1, text.slice(1));
    return this.insertAt(end, text);
  }

  private skipSpace(offset: number): number {
    while (offset < this.text.length && /\s/.test(this.text[offset])) offset++;
    return offset;
  }

  /** Whether the collection at `range` sits, on one line, inside another: a bracket precedes it or follows it on its line. */
  private insideOneLineCollection(range: Range): boolean {
    if (range.start.line !== range.end.line) return false;
    const line = this.lines.line(range.start.line);
    return /[{[]/.test(line.slice(0, range.start.character)) || /[}\]]/.test(line.slice(range.end.character));
  }

  private isOneLine(object: ObjectExpr): boolean {
    return object.range.start.line === object.range.end.line;
  }

  /** The whitespace before a node that starts its line; undefined when something else precedes it. */
  private indentOf(position: Position): string | undefined {
    const before = this.lines.line(position.line).slice(0, position.character);
    return before.trim() === '' ? before : undefined;
  }

  private insertAt(offset: number, newText: string): TextEdit {
    const at = this.lines.positionAt(offset);
    return { range: { start: at, end: at }, newText };
  }
}
