/**
 * The top level of an error-free Terraform file as it was read, node by node, so that the next
 * keystroke reads only the nodes it changed.
 *
 * Reading the top level again at each keystroke, even to find the one block to convert again,
 * cost more than tree-sitter's incremental re-parse: every top-level node was asked for its type,
 * offsets and position (calls into WASM that build JS objects), and every block's text was sliced
 * and hashed to look it up. After an edit, tree-sitter says which ranges of the new tree differ in
 * structure from the old one (`getChangedRanges`); every node outside those ranges and the edit is
 * the node of the last parse, at the same offsets before the edit and moved by the edit's length
 * after it. So only the nodes in between are read; the others are carried over, and checked
 * against the new tree by their count and by where the first carried node after the edit starts.
 */
import type { Attribute, Block, Comment, SourceFile } from '../../model/syntax';
import type { ChangedSpan as Span, LineIndex } from '../../model/text';
import { shiftLines } from '../../model/text';
import type { SyntaxNode } from './treeSitter';

/** One named node of the top level (a block, an attribute of a `.tfvars` file, a comment), read. */
export interface TopNode {
  /** `[start, end)` offsets in the text of the parse that read it. */
  start: number;
  end: number;
  row: number;
  column: number;
  block?: Block;
  /** Blocks at column 0 with a top-level keyword nested in `block`, read as top-level blocks before it (see `readBody`). */
  lifted: Block[];
  attributes: Attribute[];
  /** The comments it holds (a block's, or the comment it is). */
  comments: Comment[];
}

/** The top level of a parse: the body's nodes, and the comments beside the body (before or after it). */
export interface TopLevel {
  /** The text the parse read (the document's own, for the block cache's keys). */
  source: string;
  before: TopNode[];
  body: TopNode[];
  after: TopNode[];
}

/** How a node of the new tree is read (the parser's own conversion); undefined when it cannot be carried over (a header over lines). */
export type ReadTopNode = (node: SyntaxNode) => TopNode | undefined;

/**
 * The new tree's top level from the old one's: read inside the changed region (`changed`, the
 * ranges tree-sitter reports, and the edit), carried over outside it. Undefined when the new tree
 * does not line up with the old one as expected: the caller then reads the tree whole.
 */
export function carryTopLevel(old: TopLevel, root: SyntaxNode, source: string, lines: LineIndex, span: Span, changed: { startIndex: number; endIndex: number }[], read: ReadTopNode): TopLevel | undefined {
  const region: Region = {
    start: Math.min(span.start, ...changed.map((range) => range.startIndex)),
    end: Math.max(span.newEnd, ...changed.map((range) => range.endIndex)),
  };
  const move = moverTo(lines, span);
  // The comments beside the body are carried only when they lie outside the region.
  const before = carried([...old.before], region, span, move);
  const after = carried([...old.after], region, span, move);
  if (!before || !after) return undefined;
  const rootChildren = root.namedChildren;
  const newBody = rootChildren[before.length];
  if (rootChildren.length !== before.length + 1 + after.length || newBody?.type !== 'body') return undefined;
  const besideBody = [...before.map((node, k) => [k, node] as const), ...after.map((node, k) => [before.length + 1 + k, node] as const)];
  for (const [k, node] of besideBody) if (rootChildren[k]?.startIndex !== node.start || rootChildren[k]?.type !== 'comment') return undefined;
  const body = carryBody(old.body, newBody, region, span, move, read);
  return body && { source, before, body, after };
}

/** `[start, end)` of the new text that is read again: the edit and what tree-sitter says changed. */
interface Region {
  start: number;
  end: number;
}

/** Where an old node lies against the region: wholly before it, wholly after the edit and the region, or in it. */
function sideOf(node: TopNode, region: Region, span: Span): 'before' | 'after' | 'inside' {
  if (node.end <= region.start) return 'before';
  return node.start >= span.oldEnd && node.start + span.newEnd - span.oldEnd >= region.end ? 'after' : 'inside';
}

/** Nodes that all lie outside the region, kept or moved; undefined when one lies in it or cannot be moved. */
function carried(nodes: TopNode[], region: Region, span: Span, move: (node: TopNode) => TopNode | undefined): TopNode[] | undefined {
  const result: TopNode[] = [];
  for (const node of nodes) {
    const side = sideOf(node, region, span);
    const kept = side === 'before' ? node : side === 'after' ? move(node) : undefined;
    if (!kept) return undefined;
    result.push(kept);
  }
  return result;
}

/** The body's nodes: those before the region kept, those in it read, those after it moved. */
function carryBody(old: TopNode[], body: SyntaxNode, region: Region, span: Span, move: (node: TopNode) => TopNode | undefined, read: ReadTopNode): TopNode[] | undefined {
  let kept = 0;
  while (kept < old.length && sideOf(old[kept], region, span) === 'before') kept++;
  let next = kept;
  while (next < old.length && sideOf(old[next], region, span) !== 'after') next++;
  const moved = carried(old.slice(next), region, span, move);
  if (!moved) return undefined;
  const reread: TopNode[] = [];
  let node = body.firstNamedChildForIndex(region.start);
  while (node && node.startIndex !== moved[0]?.start) {
    // Past the region and not where the first carried node should start: the trees differ there.
    if (node.startIndex >= region.end) return undefined;
    const top = read(node);
    if (!top) return undefined;
    reread.push(top);
    node = node.nextNamedSibling;
  }
  if (!node && moved.length > 0) return undefined;
  const result = [...old.slice(0, kept), ...reread, ...moved];
  if (result.length !== body.namedChildCount) return undefined;
  for (let k = 1; k < result.length; k++) if (result[k].start < result[k - 1].end) return undefined;
  return result;
}

/**
 * Moves a node after the edit to its new offsets and lines. Undefined when its start would not
 * stay at the same column (a node on the edit's last line moves sideways: it is read again).
 */
function moverTo(lines: LineIndex, span: Span): (node: TopNode) => TopNode | undefined {
  const delta = span.newEnd - span.oldEnd;
  return (node) => {
    const start = node.start + delta;
    const position = lines.positionAt(start);
    if (position.character !== node.column) return undefined;
    const lineDelta = position.line - node.row;
    const { block, lifted, attributes, comments } = shiftLines({ block: node.block, lifted: node.lifted, attributes: node.attributes, comments: node.comments }, lineDelta);
    return { start, end: node.end + delta, row: position.line, column: node.column, block, lifted, attributes, comments };
  };
}

/** The file a top level reads as (the same a whole conversion of the tree gives). */
export function fileOfTopLevel(uri: string, text: string, top: TopLevel, tfvarsBlock: (attributes: Attribute[]) => Block): SourceFile {
  const blocks: Block[] = [];
  const attributes: Attribute[] = [];
  for (const node of top.body) {
    blocks.push(...node.lifted);
    if (node.block) blocks.push(node.block);
    attributes.push(...node.attributes);
  }
  if (attributes.length > 0) blocks.unshift(tfvarsBlock(attributes));
  const comments = [...top.before, ...top.body, ...top.after].flatMap((node) => node.comments);
  return { uri, format: 'terraform', text, blocks, comments, syntaxErrors: [] };
}

/** Where the body's nodes start (what `clean` checks the block starts against). */
export const nodeStartsOf = (top: TopLevel): Set<number> => new Set(top.body.map((node) => node.start));

/** The block cache (see `BlockCache` in terraform.ts) of a top level: keyed by column and text. */
export function blockEntriesOf(top: TopLevel): [string, BlockEntry][] {
  return top.body.flatMap((node) => (node.block ? [[`${node.column}:${top.source.slice(node.start, node.end)}`, { block: node.block, lifted: node.lifted, comments: node.comments }] as [string, BlockEntry]] : []));
}

/** A top-level block as read: the block, the blocks lifted out of it, its comments. */
export interface BlockEntry {
  block: Block;
  lifted: Block[];
  comments: Comment[];
}
