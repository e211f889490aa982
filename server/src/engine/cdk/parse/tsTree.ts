/**
 * A TypeScript file parsed with tree-sitter, copied into plain objects: the named nodes with
 * their field names and offsets. The WASM tree is deleted at once, so nothing is kept in the
 * parser's heap for the many files a scan reads; the copy is what the facts are built from.
 */
import type { Comment, SourceFile } from '../../model/syntax';
import type { Range } from '../../types';
import { LineIndex } from '../../model/text';
import { typeScriptParser, parserRuntime, type Parser } from './typescriptGrammar';
import type { Tree } from 'web-tree-sitter';
import { parseBudget } from '../../parseBudget';
import { failedParseNote, restartingNote, runtimeFailure, treeSitterCall } from '../../treeSitterRuntime';

export interface TsNode {
  type: string;
  /** Offsets into the text (UTF-16 code units, as the text is a JS string). */
  start: number;
  end: number;
  /** The field of the parent this node fills (`constructor`, `arguments`, `key`, `value`…). */
  field?: string;
  /** Named children only: punctuation is not kept. */
  children: TsNode[];
  parent?: TsNode;
}

export interface TsSource {
  uri: string;
  text: string;
  lines: LineIndex;
  root: TsNode;
  file: SourceFile;
}

export function parseTypeScript(uri: string, text: string): TsSource {
  return parseTree(uri, text, null, (tree, lines) => {
    try {
      return sourceOf(uri, text, lines, copy(tree.rootNode.walk()));
    } finally {
      tree.delete();
    }
  });
}

/**
 * `text` parsed by tree-sitter (with `oldTree`, edited to match it, tree-sitter re-reads only
 * what changed) and `read` from the tree, which it deletes or keeps; or the file unread and
 * why: the parser's budget ran out, or its runtime failed, while parsing or reading (it is then
 * replaced), or is being replaced.
 */
export function parseTree(uri: string, text: string, oldTree: Tree | null, read: (tree: Tree, lines: LineIndex) => TsSource): TsSource {
  const runtime = parserRuntime();
  const lines = new LineIndex(text);
  const unread = (notChecked: string, notCheckedTransient?: true): TsSource => ({
    uri, text, lines, root: { type: 'program', start: 0, end: text.length, children: [] },
    file: { uri, format: 'cdk', text, blocks: [], comments: [], syntaxErrors: [], notChecked, ...(notCheckedTransient && { notCheckedTransient }) },
  });
  if (!runtime.usable) return unread(restartingNote('TypeScript'), true);
  try {
    const parser = typeScriptParser();
    const budget = parseBudget(text.length, 'TypeScript');
    const tree = treeSitterCall(() => parser.parse(text, oldTree, { progressCallback: budget.progressCallback }));
    if (!tree) {
      // Cancelled by the budget: the parser keeps its half-built state until reset.
      parser.reset();
      return unread(budget.reason());
    }
    return read(tree, lines);
  } catch (error) {
    const failure = runtimeFailure(error, runtime.current);
    if (failure === undefined) throw error;
    runtime.replace();
    return unread(failedParseNote('TypeScript', failure));
  }
}

/**
 * The value a member of an object literal gives: a pair's value, or for `{ key }` the name `key`
 * itself (read as the identifier it is where the object is written); undefined for a method, a
 * spread or a comment.
 */
export const memberValue = (member: TsNode): TsNode | undefined =>
  member.type === 'pair' ? field(member, 'value') : member.type === 'shorthand_property_identifier' ? { ...member, type: 'identifier' } : undefined;

/** The arguments of a call or `new` expression, as written (comments left out). */
export const argumentsOf = (call: TsNode): TsNode[] => (field(call, 'arguments')?.children ?? []).filter((c) => c.type !== 'comment');

/**
 * Visits every node under `root` (itself included) in the order they are written, iteratively;
 * the children of a node for which `visit` returns `false` are skipped.
 */
export function walk(root: TsNode | undefined, visit: (node: TsNode) => boolean | void): void {
  const stack = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}

/** The file of a copied tree: its comments and syntax errors, in the order they are written. */
export function sourceOf(uri: string, text: string, lines: LineIndex, root: TsNode): TsSource {
  const range = (start: number, end: number): Range => ({ start: lines.positionAt(start), end: lines.positionAt(end) });
  const comments: Comment[] = [];
  const syntaxErrors: Range[] = [];
  walk(root, (node) => {
    if (node.type === 'comment') comments.push({ text: text.slice(node.start, node.end), range: range(node.start, node.end) });
    else if (node.type === 'ERROR') syntaxErrors.push(range(node.start, node.end));
  });
  return { uri, text, lines, root, file: { uri, format: 'cdk', text, blocks: [], comments, syntaxErrors } };
}

export type Cursor = ReturnType<NonNullable<ReturnType<Parser['parse']>>['rootNode']['walk']>;

/** Whether the cursor is on a node the copy keeps: a named one, or one tree-sitter says is missing (kept as an `ERROR`). */
export const isKept = (cursor: Cursor): boolean => cursor.nodeIsNamed || cursor.nodeIsMissing;

/** The node under the cursor, without its children. */
export function nodeAt(cursor: Cursor): TsNode {
  const node: TsNode = { type: cursor.nodeIsMissing ? 'ERROR' : cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
  const field = cursor.currentFieldName;
  if (field) node.field = field;
  return node;
}

/** Copies the named nodes under the cursor (and deletes it), iteratively (a deeply nested file must not overflow the stack). */
export function copy(cursor: Cursor): TsNode {
  try {
    const root: TsNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
    const stack: TsNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      let descended = false;
      if (isKept(cursor)) {
        const node = nodeAt(cursor);
        node.parent = stack[stack.length - 1];
        node.parent.children.push(node);
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          descended = true;
        }
      }
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) return root;
        stack.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The child filling a field. */
export const field = (node: TsNode | undefined, name: string): TsNode | undefined => node?.children.find((c) => c.field === name);

export const textOf = (source: TsSource, node: TsNode): string => source.text.slice(node.start, node.end);

export const rangeOf = (source: TsSource, node: { start: number; end: number }): Range => ({ start: source.lines.positionAt(node.start), end: source.lines.positionAt(node.end) });
