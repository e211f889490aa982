/**
 * Nested blocks written in Terraform JSON. JSON cannot tell a nested block from an
 * object-valued argument without the provider's schema, so the JSON reader makes every
 * property an attribute (see terraformJson.ts). Where the schema is known, as for the
 * `statement`, `principals` and `condition` blocks of `aws_iam_policy_document`, this turns
 * those attributes back into the blocks native syntax gives: `"statement": [{…}, {…}]` (or one
 * object) is one block per object, with the object's properties as its attributes.
 */
import type { Attribute, Block, Expr, ObjectExpr } from '../../model/syntax';

/** The block with the attributes named in `nested` (at any depth) read as nested blocks. */
export function withJsonNestedBlocks(block: Block, nested: ReadonlySet<string>): Block {
  const attributes: Attribute[] = [];
  const blocks: Block[] = [...block.blocks];
  for (const attribute of block.attributes) {
    const bodies = nested.has(attribute.name) ? objectsOf(attribute.value) : undefined;
    if (!bodies) {
      attributes.push(attribute);
      continue;
    }
    for (const body of bodies) blocks.push(withJsonNestedBlocks(blockOf(attribute, body), nested));
  }
  blocks.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { ...block, attributes, blocks };
}

/** The objects of `{…}` or `[{…}, …]`; undefined for anything else (then it stays an attribute). */
function objectsOf(value: Expr): ObjectExpr[] | undefined {
  if (value.kind === 'object') return [value];
  if (value.kind === 'tuple' && value.items.every((item) => item.kind === 'object')) return value.items as ObjectExpr[];
  return undefined;
}

function blockOf(attribute: Attribute, body: ObjectExpr): Block {
  const inner = { start: { line: body.range.start.line, character: body.range.start.character + 1 }, end: { line: body.range.end.line, character: Math.max(0, body.range.end.character - 1) } };
  return {
    type: attribute.name,
    labels: [],
    labelRanges: [],
    range: body.range,
    headerRange: { start: body.range.start, end: { line: body.range.start.line, character: body.range.start.character + 1 } },
    bodyRange: inner,
    attributes: body.entries
      .filter((e): e is typeof e & { key: string } => e.key !== undefined)
      .map((e) => ({ name: e.key, nameRange: e.keyRange, value: e.value, range: e.range })),
    blocks: [],
  };
}
