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
    const tree = treeSitterCall(() => parser.parse(text, null, { progressCallback: budget.progressCallback }));
    if (!tree) {
      // Cancelled by the budget: the parser keeps its half-built state until reset.
      parser.reset();
      return unread(budget.reason());
    }
    return readTree(uri, text, lines, tree);
  } catch (error) {
    const failure = runtimeFailure(error, runtime.current);
    if (failure === undefined) throw error;
    runtime.replace();
    return unread(failedParseNote('TypeScript', failure));
  }
}

/** The tree copied into plain objects, and deleted. */
function readTree(uri: string, text: string, lines: LineIndex, tree: Tree): TsSource {
  const range = (start: number, end: number): Range => ({ start: lines.positionAt(start), end: lines.positionAt(end) });
  const comments: Comment[] = [];
  const syntaxErrors: Range[] = [];
  try {
    const root = copy(tree.rootNode.walk(), (node) => {
      if (node.type === 'comment') comments.push({ text: text.slice(node.start, node.end), range: range(node.start, node.end) });
      else if (node.type === 'ERROR') syntaxErrors.push(range(node.start, node.end));
    });
    return { uri, text, lines, root, file: { uri, format: 'cdk', text, blocks: [], comments, syntaxErrors } };
  } finally {
    tree.delete();
  }
}

type Cursor = ReturnType<NonNullable<ReturnType<Parser['parse']>>['rootNode']['walk']>;

/** Copies the named nodes under the cursor, iteratively (a deeply nested file must not overflow the stack). */
function copy(cursor: Cursor, visit: (node: TsNode) => void): TsNode {
  try {
    const root: TsNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
    const stack: TsNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      let descended = false;
      if (cursor.nodeIsNamed || cursor.nodeIsMissing) {
        const node: TsNode = { type: cursor.nodeIsMissing ? 'ERROR' : cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
        const field = cursor.currentFieldName;
        if (field) node.field = field;
        node.parent = stack[stack.length - 1];
        node.parent.children.push(node);
        visit(node);
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
