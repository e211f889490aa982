/**
 * Edits to a block of a Terraform JSON file (`*.tf.json`): the same arguments the native-syntax
 * fixes write, as JSON properties (`"kms_key_id": "${aws_kms_key.logs.arn}"`), and a
 * suppression as the `"//"` comment property Terraform JSON allows. Layout (indentation,
 * commas, one-line objects) is the file's own, through `JsonDocument`.
 */
import type { TextEdit } from '../../types';
import type { Block, ObjectExpr } from '../../model/syntax';
import { JsonDocument } from '../../edits/jsonEdits';

export class TerraformJsonDocument {
  private readonly json: JsonDocument;

  constructor(text: string) {
    this.json = new JsonDocument(text);
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

  /** A `"//"` property first in the block, unless it already has one (a second would be a duplicate key). */
  comment(block: Block, text: string): TextEdit[] | undefined {
    const object = this.objectOf(block);
    if (!object || this.json.isMinified() || /"\/\/"\s*:/.test(this.json.lines.slice(object.range))) return undefined;
    const edit = this.json.insertLiteralProperty(object, '//', JSON.stringify(text), this.json.style());
    return edit && [edit];
  }
}
