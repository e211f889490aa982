/**
 * Minimal edits to YAML text (CloudFormation templates), on the nodes of the common model:
 * set or insert a mapping entry in block or flow style, add sibling entries after one, append
 * a sequence item, put a comment line above a key, and read the document's own layout (its
 * indentation unit, how it indents sequences, whether it writes short-form tags).
 *
 * Every edit only inserts or replaces what it targets; nothing else in the file moves. An edit
 * that cannot be made safely (a flow collection where a block is needed, a key that does not
 * start its line) is undefined, never a guess.
 */
import type { Position, Range, TextEdit } from '../../types';
import type { Block, Expr, ObjectEntry, ObjectExpr, TupleExpr } from '../../model/syntax';
import { LineIndex, indentationOf, lineBreakOf } from '../../model/text';
import { renderYamlAfterKey, renderYamlEntry, renderYamlFlow, renderYamlItem, yamlScalar, type CfnStyle, type JsonValue } from './cfnRender';

export class YamlDocument {
  readonly lines: LineIndex;
  readonly eol: string;
  private layoutCache: { unit: string; indentSequences: boolean } | undefined;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
    this.eol = lineBreakOf(text);
  }

  // ---- the document's layout ----------------------------------------------------------------

  /**
   * The template's style. `blocks` (its parsed blocks) tell whether it writes short-form tags:
   * short form when any intrinsic is written with a tag, long form otherwise.
   */
  style(blocks: Block[], unit = this.indentUnit()): CfnStyle {
    return { format: 'yaml', shortForm: this.usesShortForm(blocks), unit, eol: this.eol, indentSequences: this.layout().indentSequences };
  }

  /**
   * The indentation unit: how much deeper a mapping's entries sit than the key that opens
   * it, the most common step in the file (block scalars, such as inline Lambda code, are not
   * counted). Two spaces when nothing is nested.
   */
  indentUnit(): string {
    return this.layout().unit;
  }

  /** Whether `- ` items sit deeper than their key (`Key:\n  - a`) rather than flush with it. */
  sequencesIndented(): boolean {
    return this.layout().indentSequences;
  }

  /** True when an intrinsic of these blocks is written as a tag (`!Ref`, `!GetAtt`…). */
  usesShortForm(blocks: Block[]): boolean {
    const isTagged = (expr: Expr): boolean => {
      switch (expr.kind) {
        case 'call':
          return this.charAt(expr.range.start) === '!' || expr.args.some(isTagged);
        case 'object':
          return expr.entries.some((e) => isTagged(e.value));
        case 'tuple':
          return expr.items.some(isTagged);
        default:
          return false;
      }
    };
    return blocks.some((b) => b.attributes.some((a) => isTagged(a.value)));
  }

  private layout(): { unit: string; indentSequences: boolean } {
    if (this.layoutCache) return this.layoutCache;
    const steps = new Map<number, number>();
    let indented = 0;
    let flush = 0;
    /** Column of the key of the previous line when it opened a block (`Key:`). */
    let opener: number | undefined;
    /** Lines deeper than this belong to a block scalar (`|`, `>`) and are not YAML structure. */
    let scalarParent: number | undefined;
    for (let i = 0; i < this.lines.lineCount; i++) {
      const line = this.lines.line(i);
      const content = line.trim();
      if (content === '' || content.startsWith('#')) continue;
      const column = indentationOf(line).length;
      if (scalarParent !== undefined && column > scalarParent) continue;
      scalarParent = undefined;
      const isItem = /^-(?:\s|$)/.test(content);
      if (opener !== undefined) {
        if (isItem && column > opener) indented++;
        else if (isItem && column === opener) flush++;
        else if (!isItem && column > opener) steps.set(column - opener, (steps.get(column - opener) ?? 0) + 1);
      }
      const keyColumn = column + (/^(?:-\s+)*/.exec(content)?.[0].length ?? 0);
      const code = withoutComment(content);
      opener = /:$/.test(code) ? keyColumn : undefined;
      if (/(?:^|[:-]\s+(?:![A-Za-z:]+\s+)?)[|>][-+0-9]*$/.test(code)) scalarParent = keyColumn;
    }
    const [unit] = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [2];
    this.layoutCache = { unit: ' '.repeat(unit), indentSequences: indented >= flush };
    return this.layoutCache;
  }

  // ---- edits --------------------------------------------------------------------------------

  /** True for `{…}` (flow style); false for a block mapping, whose range starts at its first key. */
  isFlow(collection: ObjectExpr | TupleExpr): boolean {
    return /[{[]/.test(this.charAt(collection.range.start));
  }

  /** Sets `key` in `mapping`: replaces the value of an existing entry, else inserts the entry. */
  setEntry(mapping: ObjectExpr, key: string, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    const existing = mapping.entries.find((e) => e.key === key);
    return existing ? this.replaceValue(mapping, existing, value, style) : this.insertEntry(mapping, key, value, style);
  }

  /**
   * Inserts `key: value` into a mapping: in a block mapping after its last entry (and any
   * comment on that line) at the entries' column; in a flow mapping after its last entry
   * (`{A: 1, key: value}`), one per line when the mapping is written so.
   */
  insertEntry(mapping: ObjectExpr, key: string, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    if (!this.isWrittenHere(mapping)) return undefined;
    if (this.isFlow(mapping)) return this.insertFlowEntry(mapping, `${yamlScalar(key, true)}: ${renderYamlFlow(value, style)}`);
    const last = lastOf(mapping.entries);
    if (!last) return undefined;
    const indent = this.keyIndent(mapping.entries[0]);
    if (indent === undefined) return undefined;
    return this.insertAt(this.endOfLine(last.range.end.line), `${this.eol}${indent}${renderYamlEntry(key, value, indent, style)}`);
  }

  /**
   * Replaces an entry's value, from just after its colon, so a block value can start on the
   * next line and a value that started there can move up (`Key: !GetAtt K.Arn`).
   */
  replaceValue(mapping: ObjectExpr, entry: ObjectEntry, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    if (!this.isWrittenHere(mapping)) return undefined;
    if (this.isFlow(mapping)) return { range: entry.value.range, newText: renderYamlFlow(value, style) };
    const colon = this.colonAfter(entry.keyRange.end);
    if (colon === undefined) return undefined;
    const start = colon + 1;
    const end = Math.max(this.lines.offsetAt(entry.value.range.end), start);
    const indent = ' '.repeat(entry.keyRange.start.character);
    return { range: { start: this.lines.positionAt(start), end: this.lines.positionAt(end) }, newText: renderYamlAfterKey(value, indent, style) };
  }

  /** Replaces a key's text (`KmsKeyId` → `KMSKeyId`), keeping the quotes it is written in. */
  renameKey(entry: { keyRange: Range }, name: string): TextEdit {
    const written = this.slice(entry.keyRange);
    const quote = /^["']/.exec(written)?.[0] ?? '';
    return { range: entry.keyRange, newText: quote ? `${quote}${name}${quote}` : yamlScalar(name, false) };
  }

  /**
   * Inserts entries after `entry` (a key of a block mapping, such as a resource under
   * `Resources`), at its column, after the comment lines indented under it (they read as
   * its own). `blankLine` separates each with an empty line.
   */
  insertEntriesAfter(entry: { keyRange: Range; range: Range }, entries: [string, JsonValue][], style: CfnStyle, blankLine: boolean): TextEdit | undefined {
    const indent = this.keyIndent(entry);
    if (indent === undefined) return undefined;
    let line = entry.range.end.line;
    // Anything but a comment after the entry on its line: the mapping is a flow one.
    const rest = this.lines.line(line).slice(entry.range.end.character).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    while (line + 1 < this.lines.lineCount) {
      const next = this.lines.line(line + 1);
      if (!next.trim().startsWith('#') || indentationOf(next).length <= indent.length) break;
      line++;
    }
    const separator = blankLine ? this.eol + this.eol : this.eol;
    const text = entries.map(([key, value]) => `${separator}${indent}${renderYamlEntry(key, value, indent, style)}`).join('');
    return this.insertAt(this.endOfLine(line), text);
  }

  /** Appends an item to a sequence: `- value` after a block sequence's last item, `, value` in a flow one. */
  appendItem(sequence: TupleExpr, value: JsonValue, style: CfnStyle): TextEdit | undefined {
    const last = lastOf(sequence.items);
    if (this.isFlow(sequence)) {
      if (!last) return this.insertAt(this.lines.offsetAt(sequence.range.start) + 1, renderYamlFlow(value, style));
      return this.insertAt(this.lines.offsetAt(last.range.end), `, ${renderYamlFlow(value, style)}`);
    }
    if (!last) return undefined;
    const firstStart = sequence.items[0].range.start;
    const dash = this.lines.line(firstStart.line).lastIndexOf('-', firstStart.character - 1);
    if (dash < 0 || this.lines.line(firstStart.line).slice(0, dash).trim() !== '') return undefined;
    const dashIndent = ' '.repeat(dash);
    return this.insertAt(this.endOfLine(last.range.end.line), `${this.eol}${dashIndent}${renderYamlItem(value, dashIndent, style)}`);
  }

  /** A comment line right above the line of `position`, at that position's column. */
  commentAbove(position: Position, comment: string): TextEdit | undefined {
    const before = this.lines.line(position.line).slice(0, position.character);
    if (before.trim() !== '') return undefined;
    const start: Position = { line: position.line, character: 0 };
    return { range: { start, end: start }, newText: `${before}${comment}${this.eol}` };
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * False for a mapping reached through a YAML alias (`Properties: *shared`): its entries are
   * the anchor's text, and editing them would change every resource that shares it.
   */
  private isWrittenHere(mapping: ObjectExpr): boolean {
    const start = this.lines.offsetAt(mapping.range.start);
    const end = this.lines.offsetAt(mapping.range.end);
    return mapping.entries.every((e) => this.lines.offsetAt(e.range.start) >= start && this.lines.offsetAt(e.range.end) <= end);
  }

  private insertFlowEntry(mapping: ObjectExpr, entryText: string): TextEdit | undefined {
    const last = lastOf(mapping.entries);
    const open = this.lines.offsetAt(mapping.range.start);
    if (!last) {
      const close = this.lines.offsetAt(mapping.range.end) - 1;
      const inside = this.text.slice(open + 1, close);
      if (inside.trim() !== '') return undefined;
      return { range: { start: this.lines.positionAt(open + 1), end: this.lines.positionAt(close) }, newText: inside.length > 0 ? ` ${entryText} ` : entryText };
    }
    const end = this.lines.offsetAt(last.range.end);
    const ownLine = last.range.start.line > mapping.range.start.line && this.lines.line(last.range.start.line).slice(0, last.range.start.character).trim() === '';
    const separator = ownLine ? `,${this.eol}${indentationOf(this.lines.line(last.range.start.line))}` : ', ';
    return this.insertAt(end, `${separator}${entryText}`);
  }

  /** The spaces before a key that starts its line (or follows only `- `); undefined otherwise. */
  private keyIndent(entry: { keyRange: Range }): string | undefined {
    const before = this.lines.line(entry.keyRange.start.line).slice(0, entry.keyRange.start.character);
    return /^[ ]*(?:-[ ]+)*$/.test(before) ? ' '.repeat(before.length) : undefined;
  }

  private colonAfter(position: Position): number | undefined {
    let offset = this.lines.offsetAt(position);
    while (offset < this.text.length && (this.text[offset] === ' ' || this.text[offset] === '\t')) offset++;
    return this.text[offset] === ':' ? offset : undefined;
  }

  private insertAt(offset: number, newText: string): TextEdit {
    const at = this.lines.positionAt(offset);
    return { range: { start: at, end: at }, newText };
  }

  private endOfLine(line: number): number {
    return this.lines.offsetAt({ line, character: this.lines.line(line).length });
  }

  private charAt(position: Position): string {
    return this.text.charAt(this.lines.offsetAt(position));
  }

  private slice(range: Range): string {
    return this.text.slice(this.lines.offsetAt(range.start), this.lines.offsetAt(range.end));
  }
}

/** A block's attributes as the mapping they are written as (a CloudFormation resource's keys). */
export function blockAsMapping(block: Block): ObjectExpr | undefined {
  if (!block.bodyRange) return undefined;
  return {
    kind: 'object',
    range: block.bodyRange,
    entries: block.attributes.map((a) => ({ key: a.name, keyRange: a.nameRange, value: a.value, range: a.range })),
  };
}

/** Inserts that land on the same spot become one edit, in order: editors disagree on the order of equal inserts. */
export function mergeInserts(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const same = merged.find((m) => isEmptyAt(m.range, edit.range.start) && isEmptyAt(edit.range, m.range.start));
    if (same) same.newText += edit.newText;
    else merged.push({ ...edit });
  }
  return merged;
}

const isEmptyAt = (range: Range, at: Position): boolean =>
  range.start.line === range.end.line && range.start.character === range.end.character &&
  range.start.line === at.line && range.start.character === at.character;

function lastOf<T extends { range: Range }>(nodes: T[]): T | undefined {
  return [...nodes].sort((a, b) => a.range.end.line - b.range.end.line || a.range.end.character - b.range.end.character).pop();
}

/**
 * A line's text before its ` #` comment. A scan, not `/\s+#.*$/`: that regex retries its
 * whitespace run from every position of a long run that no `#` follows (quadratic).
 */
function withoutComment(content: string): string {
  for (let i = content.indexOf('#'); i !== -1; i = content.indexOf('#', i + 1)) {
    if (i > 0 && /\s/.test(content[i - 1])) return content.slice(0, i).trimEnd();
  }
  return content;
}
