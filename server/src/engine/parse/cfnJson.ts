/**
 * CloudFormation JSON → common expressions, with exact ranges. `jsonc-parser` is tolerant
 * (comments, trailing commas, half-typed input) and reports offsets; comments come from its
 * scanner because the tree does not keep them.
 */
import { createScanner, parseTree, SyntaxKind } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { Comment, Expr } from '../model/syntax';
import type { ParsedDocument, SourceText } from './cfnText';
import { NestingLimit } from '../model/nestingLimit';

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

export function parseJsonDocument(source: SourceText): ParsedDocument {
  // A byte-order mark is an "invalid symbol" to jsonc-parser; a space keeps every offset.
  const text = source.text.charCodeAt(0) === 0xfeff ? ` ${source.text.slice(1)}` : source.text;
  const errors: ParseError[] = [];
  // jsonc-parser reads by recursion: what lies deeper than this would overflow the stack.
  const tree = parseTree(blankPastDepth(text, MAX_PARSE_DEPTH), errors, PARSE_OPTIONS);
  return {
    root: tree ? new JsonReader(source).expr(tree) : undefined,
    start: 0,
    end: text.length,
    comments: text.includes('/') ? collectComments(text, source) : [],
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

/** Deeper than this, JSON is not read at all (no template, policy or plan nests like this). */
const MAX_PARSE_DEPTH = 1000;
/** Deeper than this, values are unknown: evaluation reads the model by recursion too. */
const MAX_VALUE_DEPTH = 100;

/**
 * The text with the inside of every bracket at nesting level `limit` blanked (line breaks
 * kept, so every position holds): `[[[…]]]` past the limit reads as an empty `[]` at the
 * limit, which `JsonReader` turns into an unknown value anyway. Linear; strings are skipped.
 */
export function blankPastDepth(text: string, limit: number): string {
  let depth = 0;
  let blankFrom = -1;
  const blanked: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (ch === 0x5b /* [ */ || ch === 0x7b /* { */) {
      if (++depth === limit) blankFrom = i + 1;
    } else if (ch === 0x5d /* ] */ || ch === 0x7d /* } */) {
      if (depth === limit && blankFrom !== -1) {
        blanked.push([blankFrom, i]);
        blankFrom = -1;
      }
      depth = Math.max(0, depth - 1);
    }
  }
  if (blankFrom !== -1) blanked.push([blankFrom, text.length]);
  if (blanked.length === 0) return text;
  let result = '';
  let from = 0;
  for (const [start, end] of blanked) {
    result += text.slice(from, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ');
    from = end;
  }
  return result + text.slice(from);
}

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
