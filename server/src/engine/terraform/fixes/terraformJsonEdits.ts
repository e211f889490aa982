/**
 * Edits to a Terraform JSON file (`*.tf.json`): the same arguments the native-syntax fixes
 * write, as JSON properties (`"kms_key_id": "${aws_kms_key.logs.arn}"`), a suppression as the
 * `"//"` comment property Terraform JSON allows, and new blocks and locals where Terraform JSON
 * puts them (`"resource": {"aws_kms_key": {"logs": {…}}}`, `"locals": {…}`). Layout
 * (indentation, commas, line ends, one-line objects) is the file's own, through `JsonDocument`.
 *
 * A JSON string here is a template, so `${…}` in what the fixes write is Terraform's own
 * interpolation; nothing is rendered through CloudFormation's `Fn::Sub`.
 */
import type { Node } from 'jsonc-parser';
import type { Range, TextEdit } from '../../types';
import type { Block, ObjectEntry, ObjectExpr } from '../../model/syntax';
import { keyText, parseJsonTree, valueOf } from '../../model/jsonNodes';
import { JsonDocument } from '../../edits/jsonEdits';
import { renderJson } from '../../edits/policyRender';
import type { JsonValue } from '../../policy/requiredStatements';

/** A new block: `"<kind>": {"<type>": {"<name>": body}}`. */
export interface NewJsonBlock {
  type: string;
  name: string;
  body: JsonValue;
}

/** Terraform rejects comments and trailing commas in JSON: a file with either is not edited. */
const STRICT = { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false };

export class TerraformJsonDocument {
  private readonly json: JsonDocument;
  private tree: Node | null | undefined;

  constructor(text: string) {
    this.json = new JsonDocument(text);
  }

  get lines(): JsonDocument['lines'] {
    return this.json.lines;
  }

  /** One level of the file's indentation. */
  indentUnit(): string {
    return this.json.indentUnit();
  }

  /** The file's root object, when the file is strict JSON and not minified (a generated file is not edited by hand). */
  private root(): Node | undefined {
    if (this.tree === undefined) {
      const errors: { error: number }[] = [];
      const root = this.json.isMinified() ? undefined : parseJsonTree(this.json.text, errors as never, STRICT);
      this.tree = root?.type === 'object' && errors.length === 0 ? root : null;
    }
    return this.tree ?? undefined;
  }

  /** The block's body as a JSON object; undefined when its braces are not both there. */
  private objectOf(block: Block): ObjectExpr | undefined {
    const body = block.bodyRange;
    if (!body) return undefined;
    const range = { start: { line: body.start.line, character: body.start.character - 1 }, end: { line: body.end.line, character: body.end.character + 1 } };
    if (this.json.lines.slice(range)[0] !== '{') return undefined;
    const entries = block.attributes.map((a) => ({ key: a.name, keyRange: a.nameRange, value: a.value, range: a.range }));
    return { kind: 'object', entries, range };
  }

  /** Sets an argument to a string (`"${aws_kms_key.logs.arn}"` is an expression in Terraform JSON) or a boolean. */
  setArgument(block: Block, name: string, value: string | boolean): TextEdit[] | undefined {
    const object = this.objectOf(block);
    if (!object || this.json.isMinified()) return undefined;
    const existing = object.entries.find((e) => e.key === name);
    if (existing) return [{ range: existing.value.range, newText: JSON.stringify(value) }];
    const edit = this.json.insertLiteralProperty(object, name, JSON.stringify(value), this.json.style());
    return edit && [edit];
  }

  /** A `"//"` property in the block, unless it already has one (a second would be a duplicate key). */
  comment(block: Block, text: string): TextEdit[] | undefined {
    const object = this.objectOf(block);
    if (!object || this.json.isMinified() || /"\/\/"\s*:/.test(this.json.lines.slice(object.range))) return undefined;
    const edit = this.json.insertLiteralProperty(object, '//', JSON.stringify(text), this.json.style());
    return edit && [edit];
  }

  /**
   * Adds blocks and locals. A block goes into the object that already holds its type, else as
   * a new type right after the type of `near` (the block it serves), else into the file's first
   * `"<kind>"` object; a local into the first `"locals"` object. What has no such place yet goes
   * at the end of the file (`"data": {…}`, `"locals": {…}`), in one edit. Undefined when a name
   * is taken or the file's layout is not one these edits can keep valid.
   */
  add(parts: { resources?: NewJsonBlock[]; near?: Block; data?: NewJsonBlock[]; locals?: [string, JsonValue][] }): TextEdit[] | undefined {
    const root = this.root();
    if (!root) return undefined;
    const unit = this.indentUnit();
    const render = (value: JsonValue) => (indent: string): string => renderJson(value, indent, unit);
    const edits: TextEdit[] = [];
    const atRoot: [string, (indent: string) => string][] = [];
    for (const [kind, blocks, near] of [['resource', parts.resources ?? [], parts.near], ['data', parts.data ?? [], undefined]] as const) {
      if (blocks.length === 0) continue;
      const nearType = near && this.typePropertyOf(root, kind, near);
      const holder = nearType?.holder ?? this.firstBody(valueOf(this.property(root, kind)));
      if (!holder) {
        atRoot.push([kind, render(byType(blocks))]);
        continue;
      }
      const newTypes: NewJsonBlock[] = [];
      for (const block of blocks) {
        const existing = this.firstBody(valueOf(this.property(holder, block.type)));
        if (!existing) {
          newTypes.push(block);
          continue;
        }
        const edit = !this.property(existing, block.name) && this.insertAll(existing, [[block.name, render(block.body)]]);
        if (!edit) return undefined;
        edits.push(edit);
      }
      if (newTypes.length === 0) continue;
      const types = Object.entries(byType(newTypes)).map(([type, named]): [string, (indent: string) => string] => [type, render(named)]);
      const edit = nearType ? this.json.insertLiteralPropertiesAfter(this.entryOf(nearType.property), types) : this.insertAll(holder, types);
      if (!edit) return undefined;
      edits.push(edit);
    }
    const locals = parts.locals ?? [];
    if (locals.length > 0) {
      const holder = this.firstBody(valueOf(this.property(root, 'locals')));
      if (holder && locals.some(([name]) => this.property(holder, name))) return undefined;
      const edit = holder ? this.insertAll(holder, locals.map(([name, value]) => [name, render(value)])) : undefined;
      if (holder && !edit) return undefined;
      if (edit) edits.push(edit);
      else atRoot.push(['locals', render(Object.fromEntries(locals))]);
    }
    if (atRoot.length > 0) {
      const edit = this.insertAll(root, atRoot);
      if (!edit) return undefined;
      edits.push(edit);
    }
    return edits;
  }

  /** Several properties at the end of one object, as one edit (two inserts at one place would depend on their order). */
  private insertAll(object: Node, properties: [string, (indent: string) => string][]): TextEdit | undefined {
    const last = object.children?.at(-1);
    if (last) return this.json.insertLiteralPropertiesAfter(this.entryOf(last), properties);
    return properties.length === 1 ? this.json.insertLiteralProperty(this.objectExpr(object), properties[0][0], properties[0][1], this.json.style()) : undefined;
  }

  /** The `"<type>"` property holding `block` under `"<kind>"`, and the object it is in. */
  private typePropertyOf(root: Node, kind: string, block: Block): { property: Node; holder: Node } | undefined {
    const at = this.json.lines.offsetAt(block.range.start);
    for (const holder of this.bodies(valueOf(this.property(root, kind)))) {
      for (const property of holder.children ?? []) {
        const value = valueOf(property);
        if (keyText(property) === block.labels[0] && value && value.offset < at && at < value.offset + value.length) return { property, holder };
      }
    }
    return undefined;
  }

  private property(object: Node | undefined, name: string): Node | undefined {
    return object?.type === 'object' ? object.children?.find((p) => keyText(p) === name) : undefined;
  }

  private bodies(node: Node | undefined): Node[] {
    if (node?.type === 'object') return [node];
    return node?.type === 'array' ? (node.children ?? []).filter((n) => n.type === 'object') : [];
  }

  private firstBody(node: Node | undefined): Node | undefined {
    return this.bodies(node)[0];
  }

  private rangeOf(node: Node): Range {
    return { start: this.json.lines.positionAt(node.offset), end: this.json.lines.positionAt(node.offset + node.length) };
  }

  private entryOf(property: Node): ObjectEntry {
    const key = property.children![0];
    const value = valueOf(property);
    const range = this.rangeOf(property);
    return { key: keyText(property), keyRange: this.rangeOf(key), value: { kind: 'unknown', text: '', range: value ? this.rangeOf(value) : range }, range };
  }

  private objectExpr(node: Node): ObjectExpr {
    return { kind: 'object', entries: (node.children ?? []).map((p) => this.entryOf(p)), range: this.rangeOf(node) };
  }
}

/** `{"<type>": {"<name>": body}}` for blocks in order. */
function byType(blocks: NewJsonBlock[]): { [type: string]: { [name: string]: JsonValue } } {
  const types: { [type: string]: { [name: string]: JsonValue } } = {};
  for (const block of blocks) (types[block.type] ??= {})[block.name] = block.body;
  return types;
}
