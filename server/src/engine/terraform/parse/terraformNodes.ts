/** Small helpers over tree-sitter nodes shared by the Terraform adapter's files. */
import type { Range } from '../../types';
import type { SyntaxNode } from './treeSitter';

/** A node's range; tree-sitter positions of a JS string are already UTF-16, like LSP. */
export const rangeOf = (node: SyntaxNode): Range => ({
  start: { line: node.startPosition.row, character: node.startPosition.column },
  end: { line: node.endPosition.row, character: node.endPosition.column },
});

export const spanRange = (from: SyntaxNode, to: SyntaxNode): Range => ({ start: rangeOf(from).start, end: rangeOf(to).end });

export const isNode = (n: SyntaxNode | null): n is SyntaxNode => n !== null;
