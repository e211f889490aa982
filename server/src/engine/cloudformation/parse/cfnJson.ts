/**
 * CloudFormation JSON → common expressions, with exact ranges. `jsonc-parser` is tolerant
 * (comments, trailing commas, half-typed input) and reports offsets; comments come from its
 * scanner because the tree does not keep them.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { Comment, Expr } from '../../model/syntax';
import type { ParsedDocument, SourceText } from './cfnText';
import { NestingLimit } from '../../model/nestingLimit';
import { parseJsonTree } from '../../model/jsonNodes';

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

export function parseJsonDocument(source: SourceText): ParsedDocument {
  const text = source.text;
  const errors: ParseError[] = [];
  const tree = parseJsonTree(text, errors, PARSE_OPTIONS);
  return {
    root: tree ? new JsonReader(source).expr(tree) : undefined,
    start: 0,
    end: text.length,
    // A comment opens with `//` or `/*`; ARNs and paths have single slashes only.
    comments: text.includes('//') || text.includes('/*') ? collectComments(text, source) : [],
    syntaxErrors: errors.map((error) => source.range(error.offset, error.offset + error.length)),
  };
}

function collectComments(text: string, source: SourceText): Comment[] {
  const comments: Comment[] = [];
  const scanner = createScanner(text, false);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      const offset = scanner.getTokenOffset();
      const length = scanner.getTokenLength();
      comments.push({ text: text.slice(offset, offset + length), range: source.range(offset, offset + length) });
    }
  }
  return comments;
}

/** Deeper than this, values are unknown: evaluation reads the model by recursion too. */
const MAX_VALUE_DEPTH = 100;

class JsonReader {
  private readonly nesting = new NestingLimit(MAX_VALUE_DEPTH);

  constructor(private readonly source: SourceText) {}

  expr(node: Node): Expr {
    return this.nesting.within(() => this.read(node), () => ({
      kind: 'unknown', text: this.source.text.slice(node.offset, node.offset + node.length), range: this.source.range(node.offset, node.offset + node.length),
    }));
  }

  private read(node: Node): Expr {
    const range = this.source.range(node.offset, node.offset + node.length);
    switch (node.type) {
      case 'object':
        return {
          kind: 'object',
          range,
          entries: (node.children ?? []).filter((property) => property.children?.length).map((property) => {
            const [key, value] = property.children as Node[];
            const keyRange = this.source.range(key.offset, key.offset + key.length);
            // Without a value the property node runs on over what follows; stop after the colon.
            const end = value
              ? property.offset + property.length
              : property.colonOffset !== undefined ? property.colonOffset + 1 : key.offset + key.length;
            return {
              key: typeof key.value === 'string' ? key.value : String(key.value ?? ''),
              keyRange,
              // `"KMSKeyId":` with the value still to be typed: unknown, not null.
              value: value ? this.expr(value) : { kind: 'unknown', text: '', range: this.source.range(end, end) },
              range: this.source.range(property.offset, end),
            };
          }),
        };
      case 'array':
        return { kind: 'tuple', range, items: (node.children ?? []).map((item) => this.expr(item)) };
      case 'string':
      case 'number':
      case 'boolean':
        return { kind: 'literal', value: node.value as string | number | boolean, range };
      case 'null':
        return { kind: 'literal', value: null, range };
      default:
        return { kind: 'unknown', text: this.source.text.slice(node.offset, node.offset + node.length), range };
    }
  }
}
