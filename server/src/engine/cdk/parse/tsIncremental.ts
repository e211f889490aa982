/**
 * Open TypeScript documents parsed keystroke by keystroke. A document's last tree is kept (in
 * the parser's WASM heap) with its copy; the next text is parsed with the old tree, edited to
 * match it, so tree-sitter re-reads only what changed, and only the nodes around the change are
 * copied out of the tree again: every node outside it is taken from the last copy, its offsets
 * moved by the edit's length.
 *
 * What lies outside the change is known to read the same: its text is the same, and tree-sitter
 * says where the structure of the new tree differs from the old (`getChangedRanges`), which is
 * counted as part of the change, and so is a node that holds a syntax error. tree-sitter's error
 * recovery reads a text differently when the tree it starts from has a node holding an error it
 * may reuse: a text with a syntax error is parsed from a tree without any such node to reuse (the
 * last tree, when every error it has touches the edit; else the document's last tree without an
 * error, kept for this). The trees of a replaced runtime are dropped, not deleted (see
 * `treeSitterRuntime.ts`), and the document is then parsed whole, as it is whenever anything
 * goes wrong.
 */
import type { Tree } from 'web-tree-sitter';
import { changedSpan, type ChangedSpan, type LineIndex } from '../../model/text';
import { parserRuntime } from './typescriptGrammar';
import { copy, isKept, nodeAt, parseTree, sourceOf, type Cursor, type TsNode, type TsSource } from './tsTree';

interface Kept {
  tree: Tree;
  source: TsSource;
  /** The last tree of the document without a syntax error (a copy of its own), and its text. */
  clean?: Clean;
  /** The runtime's generation the trees were made in. */
  generation: number;
}

interface Clean {
  tree: Tree;
  text: string;
  lines: LineIndex;
}

/** `[start, end)` in one text's offsets. */
interface Span {
  start: number;
  end: number;
}

export class TsDocuments {
  private readonly kept = new Map<string, Kept>();

  /** The document's text parsed, with its last tree and copy when it has them. */
  parse(uri: string, text: string): TsSource {
    const runtime = parserRuntime();
    let previous = this.kept.get(uri);
    this.kept.delete(uri);
    // A tree of a replaced runtime belongs to the failed instance: dropped, not deleted.
    if (previous && previous.generation !== runtime.generation) previous = undefined;
    if (previous && previous.source.text === text) {
      this.kept.set(uri, previous);
      return previous.source;
    }
    const edit = previous && editOf(runtime, previous, text);
    const generation = runtime.generation;
    // The last text without a syntax error stays with the document until one without replaces it.
    let clean = previous?.clean;
    let kept = false;
    const keep = (tree: Tree, source: TsSource): TsSource => {
      if (!tree.rootNode.hasError) {
        if (clean) clean.tree.delete();
        const copied = copyOf(tree);
        clean = copied && { tree: copied, text, lines: source.lines };
      }
      this.kept.set(uri, { tree, source, clean, generation });
      kept = true;
      return source;
    };
    const whole = (tree: Tree, lines: LineIndex): TsSource => keep(tree, readWhole(uri, text, lines, tree));
    const changed = (tree: Tree, lines: LineIndex): TsSource => {
      try {
        return keep(tree, reread(uri, text, lines, tree, previous!, edit!));
      } catch (error) {
        tree.delete();
        throw error;
      }
    };
    try {
      if (!edit) return parseTree(uri, text, null, whole);
      return parseTree(uri, text, previous!.tree, (tree, lines) => {
        // A syntax error: tree-sitter's error recovery reads differently from a fresh parse when
        // it reuses a node of the last tree that holds an error (an unclosed quote of the last
        // text, reused whole, cannot pair with one typed now). When every error of the last text
        // touches the edit, tree-sitter reuses no node that holds one (a node touching the edit
        // is read again), and the tree is the one a parse from nothing gives (the equivalence
        // tests check it on seeded edits and typing that leaves errors).
        if (!tree.rootNode.hasError || errorsTouch(previous!.source, edit)) return changed(tree, lines);
        // Else the text is parsed again from the document's last tree without an error, edited
        // to match, whose nodes hold none. (A parse from nothing is what a new document, or a
        // tree that cannot be copied or edited, gets.) The copy still takes from the last one what
        // the two trees have alike. Seeded sessions of tens of thousands of edits, most leaving
        // errors, give a whole parse's tree every time this way; reusing the nodes of the last
        // tree that hold errors does not.
        tree.delete();
        const fromClean = clean && cleanEdited(runtime, clean, text);
        try {
          return parseTree(uri, text, fromClean ?? null, changed);
        } finally {
          if (fromClean && generation === parserRuntime().generation) fromClean.delete();
        }
      });
    } finally {
      if (previous && generation === parserRuntime().generation) {
        previous.tree.delete();
        // Nothing kept (the parse ran out of budget, or failed): the clean tree goes too.
        if (!kept && clean) clean.tree.delete();
      }
    }
  }

  /** Frees the tree kept for a closed document (trees live in WASM memory, not the JS heap). */
  forget(uri: string): void {
    this.drop(this.kept.get(uri), parserRuntime().generation);
    this.kept.delete(uri);
  }

  private drop(kept: Kept | undefined, generation: number): void {
    if (kept && kept.generation === generation) {
      kept.tree.delete();
      kept.clean?.tree.delete();
    }
  }
}

/** The whole tree copied (the tree is kept; it is deleted if the copy fails). */
function readWhole(uri: string, text: string, lines: LineIndex, tree: Tree): TsSource {
  try {
    return sourceOf(uri, text, lines, copy(tree.rootNode.walk()));
  } catch (error) {
    tree.delete();
    throw error;
  }
}

/** The change from the kept text to `text`, told to the kept tree; undefined when it cannot be (nothing is then reused). */
function editOf(runtime: ReturnType<typeof parserRuntime>, previous: Kept, text: string): ChangedSpan | undefined {
  const span = changedSpan(previous.source.text, text);
  try {
    editTree(runtime, previous.tree, previous.source.lines, span, text);
    return span;
  } catch {
    return undefined;
  }
}

/** Tells `tree` (of the text `lines` indexes) that `span` of it became that of `text`. */
function editTree(runtime: ReturnType<typeof parserRuntime>, tree: Tree, lines: LineIndex, span: ChangedSpan, text: string): void {
  tree.edit(new runtime.current.api.Edit({
    startIndex: span.start,
    oldEndIndex: span.oldEnd,
    newEndIndex: span.newEnd,
    startPosition: pointOf(lines, span.start),
    oldEndPosition: pointOf(lines, span.oldEnd),
    newEndPosition: pointAfter(lines, span.start, text.slice(span.start, span.newEnd)),
  }));
}

/** Whether every syntax error of `source` overlaps or touches the edited span of its text. */
function errorsTouch(source: TsSource, edit: { start: number; oldEnd: number }): boolean {
  return source.file.syntaxErrors.every((error) => source.lines.offsetAt(error.end) >= edit.start && source.lines.offsetAt(error.start) <= edit.oldEnd);
}

function copyOf(tree: Tree): Tree | undefined {
  try {
    return tree.copy();
  } catch {
    return undefined;
  }
}

/**
 * A copy of the last tree without a syntax error, edited to match `text` (the span the two texts
 * differ in): none of its nodes holds an error, so none that a parse with it reuses does.
 * Undefined when it cannot be made (the text is then parsed from nothing).
 */
function cleanEdited(runtime: ReturnType<typeof parserRuntime>, clean: Clean, text: string): Tree | undefined {
  const tree = copyOf(clean.tree);
  if (!tree) return undefined;
  try {
    editTree(runtime, tree, clean.lines, changedSpan(clean.text, text), text);
    return tree;
  } catch {
    tree.delete();
    return undefined;
  }
}

/**
 * The new tree copied, reusing the last copy outside the change: from the root down, a child
 * that lies wholly before or after the changed span is the last copy's node at the same
 * place (moved by the edit's length when after it); a child the change touches is followed
 * down when the last copy had one node of its type there, else copied whole from the tree.
 * A node before the change is the last copy's own node, given its new parent: nothing reads
 * the last copy once the new one is made.
 */
function reread(uri: string, text: string, lines: LineIndex, tree: Tree, previous: Kept, edit: ChangedSpan): TsSource {
  const delta = edit.newEnd - edit.oldEnd;
  // The change in the new text: what was typed, and where tree-sitter reads a different structure.
  const changed: Span = { start: edit.start, end: edit.newEnd };
  for (const range of tree.getChangedRanges(previous.tree)) {
    changed.start = Math.min(changed.start, range.startIndex);
    changed.end = Math.max(changed.end, range.endIndex);
  }
  const old: Span = { start: changed.start, end: changed.end - delta };
  // A node holding a syntax error, in the last copy or in the new tree, is not reused: a missing
  // token tree-sitter inserts (or no longer inserts) at its end depends on the next token, past
  // the node, and the changed ranges, which skip zero-width nodes, miss it.
  const errors = {
    old: previous.source.file.syntaxErrors.map((error) => ({ start: previous.source.lines.offsetAt(error.start), end: previous.source.lines.offsetAt(error.end) })),
    fresh: tree.rootNode.hasError,
  };
  let cursor = tree.rootNode.walk();
  const root: TsNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
  let oldNode: TsNode | undefined = previous.source.root;
  let node = root;
  try {
    while (oldNode) {
      const next = rereadChildren(cursor, node, oldNode, changed, old, delta, errors);
      cursor.delete();
      if (!next) break;
      cursor = next.cursor;
      node = next.node;
      oldNode = next.oldNode;
    }
  } catch (error) {
    cursor.delete();
    throw error;
  }
  return sourceOf(uri, text, lines, root);
}

/**
 * The children of `node` (the cursor's node, not yet moved), with `oldNode` its counterpart in
 * the last copy; the one child to follow down next, if any.
 */
function rereadChildren(cursor: Cursor, node: TsNode, oldNode: TsNode, changed: Span, old: Span, delta: number, errors: { old: Span[]; fresh: boolean }): { cursor: Cursor; node: TsNode; oldNode: TsNode } | undefined {
  let follow: { cursor: Cursor; node: TsNode; oldNode: TsNode } | undefined;
  if (!cursor.gotoFirstChild()) return undefined;
  let k = 0; // the old children before `k` are behind the cursor
  const oldChildren = oldNode.children;
  do {
    if (!isKept(cursor)) continue;
    const fresh = nodeAt(cursor);
    // A node that only touches the change may have changed too (tree-sitter may insert a missing
    // `;` at its end, and a zero-width node is not in the changed ranges): it is read again.
    const before = fresh.end < changed.start;
    const after = fresh.start > changed.end;
    let child: TsNode | undefined;
    if (before || after) {
      const shift = after ? delta : 0;
      while (k < oldChildren.length && oldChildren[k].start + shift < fresh.start) k++;
      const match = oldChildren[k];
      if (match && match.start + shift === fresh.start && match.end + shift === fresh.end && match.type === fresh.type && match.field === fresh.field
        && !errors.old.some((e) => e.start >= match.start && e.end <= match.end) && !(errors.fresh && cursor.currentNode.hasError)) child = shift === 0 ? match : moved(match, shift);
    } else if (!follow) {
      const overlapping = oldChildren.filter((c) => c.start <= old.end && c.end >= old.start);
      const counterpart = overlapping.length === 1 && overlapping[0].type === fresh.type && overlapping[0].field === fresh.field ? overlapping[0] : undefined;
      if (counterpart && cursor.gotoFirstChild()) {
        cursor.gotoParent();
        follow = { cursor: cursor.currentNode.walk(), node: fresh, oldNode: counterpart };
        child = fresh;
      }
    }
    child ??= copyHere(cursor, fresh);
    child.parent = node;
    node.children.push(child);
  } while (cursor.gotoNextSibling());
  return follow;
}

/** The node under the cursor copied whole (with the type and field `nodeAt` read: a missing node is an `ERROR`). */
function copyHere(cursor: Cursor, fresh: TsNode): TsNode {
  const whole = copy(cursor.currentNode.walk());
  whole.type = fresh.type;
  if (fresh.field) whole.field = fresh.field;
  return whole;
}

/** A copy of a subtree of the last copy, its offsets moved by `shift`. */
function moved(root: TsNode, shift: number): TsNode {
  const top: TsNode = { ...root, start: root.start + shift, end: root.end + shift, children: [] };
  delete top.parent;
  const stack: [TsNode, TsNode][] = [[root, top]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    for (const child of from.children) {
      const copied: TsNode = { type: child.type, start: child.start + shift, end: child.end + shift, children: [], parent: to };
      if (child.field) copied.field = child.field;
      to.children.push(copied);
      if (child.children.length > 0) stack.push([child, copied]);
    }
  }
  return top;
}

/** Tree-sitter's row/column for an offset (UTF-16 code units, like the string). */
function pointOf(lines: LineIndex, offset: number): { row: number; column: number } {
  const { line, character } = lines.positionAt(offset);
  return { row: line, column: character };
}

/** The point after `inserted` is written at `start` of the old text. */
function pointAfter(lines: LineIndex, start: number, inserted: string): { row: number; column: number } {
  const at = pointOf(lines, start);
  const breaks = inserted.split('\n');
  return breaks.length === 1 ? { row: at.row, column: at.column + inserted.length } : { row: at.row + breaks.length - 1, column: breaks[breaks.length - 1].length };
}
