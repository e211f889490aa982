/**
 * Terraform expressions (tree-sitter nodes) → the common model's `Expr`: literals, templates
 * and heredocs, collections, traversals with index and splat steps, calls, conditionals and
 * operators. Anything else becomes an `unknown` expression the evaluator treats as computed.
 */
import type { Expr, ObjectEntry, TraversalStep } from '../../model/syntax';
import type { SyntaxNode } from './treeSitter';
import { isNode, rangeOf } from './terraformNodes';
import { NestingLimit } from '../../model/nestingLimit';

/** The text being converted; set by the file adapter before it converts, which runs synchronously. */
let source = '';

export function setSourceText(text: string): void {
  source = text;
}

/**
 * How deep expression nodes are converted (about a third of it in nesting levels: an element
 * is wrapped in `expression` and `collection_value`). Deeper values are unknown: real code
 * never nests this far, and converting (then evaluating) by recursion would overflow the stack.
 */
const nesting = new NestingLimit(300);

/** Converts any expression-like node. */
export function toExpr(node: SyntaxNode): Expr {
  return nesting.within(() => convert(node), () => unknown(node));
}

function convert(node: SyntaxNode): Expr {
  const type = node.type;
  // Wrapper nodes (most of a file's nodes) pass through without a range: reading a node's end
  // position is a call into the WASM parser.
  switch (type) {
    case 'expression':
      return expressionNode(node);
    case 'literal_value':
    case 'template_expr':
    case 'collection_value':
    case 'operation':
      return toExpr(node.namedChildren[0]!);
    case 'quoted_template':
    case 'heredoc_template':
      return templateExpr(node);
    case 'function_call':
      return functionCall(node);
    default:
  }
  const range = rangeOf(node);
  switch (type) {
    case 'numeric_lit':
      return { kind: 'literal', value: Number(node.text), range };
    case 'bool_lit':
      return { kind: 'literal', value: node.text === 'true', range };
    case 'null_lit':
      return { kind: 'literal', value: null, range };
    case 'string_lit':
      return { kind: 'literal', value: unescapeQuoted(quotedContent(node)), range };
    case 'tuple':
      return { kind: 'tuple', items: node.namedChildren.filter((c) => c?.type === 'expression').map((c) => toExpr(c!)), range };
    case 'object':
      return { kind: 'object', entries: node.namedChildren.filter((c) => c?.type === 'object_elem').map((c) => objectEntry(c!)), range };
    case 'conditional': {
      const [condition, then, otherwise] = node.namedChildren.filter(isNode).map(toExpr);
      if (!condition || !then || !otherwise) return unknown(node);
      return { kind: 'conditional', condition, then, else: otherwise, range };
    }
    case 'binary_operation': {
      // Operands are not wrapped: `var.a && var.b` is variable_expr get_attr "&&" variable_expr get_attr.
      const children = node.children.filter(isNode);
      const opIndex = children.findIndex((c) => !c.isNamed && c.type !== '(' && c.type !== ')' && c.type !== '.' && c.type !== '[' && c.type !== ']' && isOperator(c.type));
      if (opIndex <= 0 || opIndex === children.length - 1) return unknown(node);
      return { kind: 'binary', op: children[opIndex].type, left: sequenceExpr(children.slice(0, opIndex), node), right: sequenceExpr(children.slice(opIndex + 1), node), range };
    }
    case 'unary_operation': {
      const [op, ...operand] = node.children.filter(isNode);
      if (operand.length === 0) return unknown(node);
      return { kind: 'unary', op: op.type, operand: sequenceExpr(operand, node), range };
    }
    case 'variable_expr':
      return { kind: 'traversal', root: node.text, rootRange: range, steps: [], range };
    default:
      return unknown(node);
  }
}

export const unknown = (node: SyntaxNode): Expr => ({ kind: 'unknown', text: node.text, range: rangeOf(node) });

const OPERATORS = new Set(['&&', '||', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%']);
const isOperator = (type: string): boolean => OPERATORS.has(type);

/** An `expression` node: a primary (or a parenthesised expression) followed by postfix steps. */
function expressionNode(node: SyntaxNode): Expr {
  return sequenceExpr(node.children.filter(isNode), node);
}

/** A primary node followed by postfix nodes (`get_attr`, `index`, `splat`), as one expression. */
function sequenceExpr(children: SyntaxNode[], parent: SyntaxNode): Expr {
  let index = 0;
  let primary: Expr;
  if (children[0]?.type === '(') {
    const inner = children.find((c) => c.type === 'expression');
    primary = inner ? toExpr(inner) : unknown(parent);
    index = children.findIndex((c) => c.type === ')') + 1;
    if (index === 0) return primary;
  } else {
    if (!children[0]) return unknown(parent);
    primary = toExpr(children[0]);
    index = 1;
  }
  const steps: TraversalStep[] = [];
  for (const postfix of children.slice(index)) steps.push(...traversalSteps(postfix));
  if (steps.length === 0) return primary;
  const range = { start: rangeOf(children[0]).start, end: rangeOf(children[children.length - 1]).end };
  if (primary.kind === 'traversal' && !primary.source) return { ...primary, steps: [...primary.steps, ...steps], range };
  return { kind: 'traversal', root: '', rootRange: primary.range, source: primary, steps, range };
}

function traversalSteps(node: SyntaxNode): TraversalStep[] {
  const range = rangeOf(node);
  switch (node.type) {
    case 'get_attr': {
      const name = node.namedChildren.find((c) => c?.type === 'identifier');
      return name ? [{ kind: 'attr', name: name.text, range }] : [];
    }
    case 'index': {
      const inner = node.namedChildren[0];
      if (inner?.type === 'legacy_index') return [{ kind: 'index', key: { kind: 'literal', value: Number(inner.text.replace('.', '')), range }, range }];
      const key = inner?.namedChildren.find((c) => c?.type === 'expression');
      return key ? [{ kind: 'index', key: toExpr(key), range }] : [];
    }
    case 'splat': {
      const inner = node.namedChildren[0];
      const rest = inner ? inner.namedChildren.filter(isNode).flatMap(traversalSteps) : [];
      return [{ kind: 'splat', range }, ...rest];
    }
    default:
      return [];
  }
}

function objectEntry(node: SyntaxNode): ObjectEntry {
  const keyNode = node.childForFieldName('key');
  const valueNode = node.childForFieldName('val');
  const value: Expr = valueNode ? toExpr(valueNode) : unknown(node);
  const keyExpr = keyNode ? toExpr(keyNode) : undefined;
  let key: string | undefined;
  // An object key that is a bare name is that name (`{ Effect = "Allow" }`), not a reference.
  if (keyExpr?.kind === 'traversal' && !keyExpr.source && keyExpr.steps.length === 0) key = keyExpr.root;
  else if (keyExpr?.kind === 'literal' && keyExpr.value !== null) key = String(keyExpr.value);
  return { key, keyRange: keyNode ? rangeOf(keyNode) : rangeOf(node), value, range: rangeOf(node) };
}

function functionCall(node: SyntaxNode): Expr {
  const name = node.namedChildren.find((c) => c?.type === 'identifier');
  const argsNode = node.namedChildren.find((c) => c?.type === 'function_arguments');
  const args = argsNode ? argsNode.namedChildren.filter((c) => c?.type === 'expression').map((c) => toExpr(c!)) : [];
  const expandFinal = argsNode?.namedChildren.some((c) => c?.type === 'ellipsis') ?? false;
  return { kind: 'call', name: name?.text ?? '', args, range: rangeOf(node), expandFinal };
}

/** The raw text between a string's quotes (tree-sitter's literal nodes leave out edge whitespace). */
function quotedContent(node: SyntaxNode): string {
  const start = node.children.find((c) => c?.type === 'quoted_template_start');
  const end = node.children.find((c) => c?.type === 'quoted_template_end');
  if (!start) return node.text;
  return source.slice(start.endIndex, end && !end.isMissing ? end.startIndex : node.endIndex);
}

/**
 * A quoted template or heredoc. Literal text is taken from the source between the
 * interpolations, not from tree-sitter's `template_literal` nodes, which leave out the
 * whitespace around interpolations (`"pre ${x} post"`) and a heredoc's first indentation.
 */
function templateExpr(node: SyntaxNode): Expr {
  const heredoc = node.type === 'heredoc_template';
  const children = node.children.filter(isNode);
  const opening = heredoc ? children.find((c) => c.type === 'heredoc_identifier') : children.find((c) => c.type === 'quoted_template_start');
  const closing = heredoc ? children.filter((c) => c.type === 'heredoc_identifier')[1] : children.find((c) => c.type === 'quoted_template_end');
  if (!opening) return unknown(node);
  // A heredoc's content starts on the line after `<<EOT` and ends before the closing marker's line.
  let cursor = heredoc ? lineStartAfter(opening) : { index: opening.endIndex, position: rangeOf(opening).end };
  const endOfContent = closing
    ? (heredoc ? { index: closing.startIndex - closing.startPosition.column, position: { line: closing.startPosition.row, character: 0 } } : { index: closing.startIndex, position: rangeOf(closing).start })
    : { index: node.endIndex, position: rangeOf(node).end };
  const parts: Expr[] = [];
  const literal = (to: { index: number; position: { line: number; character: number } }): void => {
    if (to.index <= cursor.index) return;
    const raw = source.slice(cursor.index, to.index);
    const value = heredoc ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : unescapeQuoted(raw);
    parts.push({ kind: 'literal', value, range: { start: cursor.position, end: to.position } });
  };
  for (const child of children) {
    if (child.type !== 'template_interpolation' && child.type !== 'template_directive') continue;
    literal({ index: child.startIndex, position: rangeOf(child).start });
    const inner = child.type === 'template_interpolation' ? child.namedChildren.find((c) => c?.type === 'expression') : undefined;
    parts.push(inner ? toExpr(inner) : unknown(child));
    cursor = { index: child.endIndex, position: rangeOf(child).end };
  }
  literal(endOfContent);
  const range = rangeOf(node);
  if (!heredoc && parts.length === 0) return { kind: 'literal', value: '', range };
  if (!heredoc && parts.length === 1 && parts[0].kind === 'literal') return { ...parts[0], range };
  return { kind: 'template', parts, range, heredoc: heredoc || undefined };
}

function lineStartAfter(node: SyntaxNode): { index: number; position: { line: number; character: number } } {
  const lineBreak = source.indexOf('\n', node.endIndex);
  if (lineBreak === -1) return { index: node.endIndex, position: rangeOf(node).end };
  return { index: lineBreak + 1, position: { line: node.endPosition.row + 1, character: 0 } };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^])/g, (whole, esc: string) => {
      if (esc.length > 1) {
        const code = parseInt(esc.slice(1), 16);
        // `\U` with eight hex digits can name no character (above U+10FFFF): keep it as typed.
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      // An escape HCL does not know (`\q`, or `\u` without its four hex digits, as while it is
      // being typed) becomes its character: the string's other text still counts.
      return ESCAPES[esc] ?? esc;
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

