/**
 * CloudFormation YAML → common expressions, with exact ranges.
 *
 * Walks the `yaml` Document nodes rather than `toJS()`, which drops tags. Every CloudFormation
 * short tag is declared for scalars, sequences and mappings, so none is "unresolved"; short
 * forms become calls here, long forms later (they need the section to know what
 * `{Condition: X}` means). Comments come from the CST, the only place that keeps their offsets.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser } from 'yaml';
import { NestingLimit } from '../../model/nestingLimit';
import type { CollectionTag, CST, Document, ParsedNode, ScalarTag } from 'yaml';
import type { Comment, Expr, ObjectEntry, ObjectExpr } from '../../model/syntax';
import { intrinsicCall, SHORT_FORM_FUNCTIONS } from './cfnIntrinsics';
import type { ParsedDocument, SourceText } from './cfnText';

const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = [...SHORT_FORM_FUNCTIONS.keys()].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
]);

const COMPOSER_OPTIONS = { customTags: CLOUDFORMATION_TAGS, prettyErrors: false, version: '1.2', schema: 'core' } as const;

/** Every document of a YAML stream, in order. Documents convert to expressions on first use. */
export function parseYamlDocuments(source: SourceText): ParsedDocument[] {
  const tokens = Array.from(new Parser().parse(source.text));
  const comments = collectComments(tokens, source);
  const documents = Array.from(new Composer(COMPOSER_OPTIONS).compose(tokens, true, source.text.length));
  const standalone = documents.length === 1 && tokens.every((t) => t.type !== 'directive' && t.type !== 'doc-end' && !containsAlias(t));
  let previousEnd = 0;
  return documents.map((document, index) => {
    const [start, , composedEnd] = document.range;
    // Comments between two documents belong to the one they precede (a header comment).
    const last = index === documents.length - 1;
    const ownComments = comments.filter((c) => c.offset >= previousEnd && (last || c.offset < composedEnd)).map((c) => c.comment);
    previousEnd = composedEnd;
    // After a bad error the composed range stops early; the text up to the next document is
    // still this document's, and salvage reads it.
    const end = last ? source.text.length : documents[index + 1].range[0];
    let root: Expr | undefined;
    let converted = false;
    return {
      get root() {
        if (!converted) {
          converted = true;
          root = document.contents ? new YamlReader(source, document).expr(document.contents as ParsedNode) : undefined;
        }
        return root;
      },
      start,
      end,
      comments: ownComments,
      syntaxErrors: document.errors.map((error) => source.range(error.pos[0], error.pos[1])),
      standalone,
    };
  });
}

/** Whether a CST token holds an alias (`*name`) anywhere inside (a loop: nesting can be deep). */
function containsAlias(root: CST.Token | null | undefined): boolean {
  const pending: (CST.Token | null | undefined)[] = [root];
  while (pending.length > 0) {
    const token = pending.pop();
    if (!token) continue;
    switch (token.type) {
      case 'alias':
        return true;
      case 'document':
        pending.push(token.value);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        for (const item of token.items) pending.push(item.key, item.value);
        break;
      default:
    }
  }
  return false;
}

/** All `#` comments of the CST, wherever the parser attached them. */
function collectComments(tokens: CST.Token[], source: SourceText): { offset: number; comment: Comment }[] {
  const found: { offset: number; comment: Comment }[] = [];
  if (!source.text.includes('#')) return found;
  const sourceTokens = (list: readonly CST.SourceToken[] | undefined): void => {
    if (!list) return;
    for (const token of list) {
      if (token.type === 'comment') {
        found.push({ offset: token.offset, comment: { text: token.source, range: source.range(token.offset, token.offset + token.source.length) } });
      }
    }
  };
  // Typed by CST token kind: a generic walk over every field is several times slower.
  const visit = (token: CST.Token | null | undefined): void => {
    if (!token) return;
    switch (token.type) {
      case 'comment':
        sourceTokens([token]);
        return;
      case 'document':
        sourceTokens(token.start);
        visit(token.value);
        sourceTokens(token.end);
        return;
      case 'doc-end':
        sourceTokens(token.end);
        return;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        for (const item of token.items) {
          sourceTokens(item.start);
          visit(item.key);
          sourceTokens(item.sep);
          visit(item.value);
        }
        if (token.type === 'flow-collection') sourceTokens(token.end);
        return;
      case 'block-scalar':
        sourceTokens(token.props as CST.SourceToken[]);
        return;
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        sourceTokens(token.end);
        return;
      default:
    }
  };
  for (const token of tokens) visit(token);
  return found.sort((a, b) => a.offset - b.offset);
}

const MAX_VALUE_DEPTH = 100;
const ALIAS_BUDGET_MIN = 1_000_000;
const ALIAS_BUDGET_FACTOR = 10;

class YamlReader {
  /** Aliases being expanded, so a self-referencing anchor cannot recurse forever. */
  private readonly expanding = new Set<unknown>();
  /** Each anchored node read once, with the text an expansion of it stands for (aliases inside counted). */
  private readonly expanded = new Map<unknown, { expr: Expr; cost: number }>();
  /** Text read so far through aliases: an alias bomb ("billion laughs") stops at the budget. */
  private aliasCost = 0;
  private readonly nesting = new NestingLimit(MAX_VALUE_DEPTH);
  private readonly aliasBudget: number;

  constructor(private readonly source: SourceText, private readonly document: Document.Parsed) {
    // Ten times the file, at least 1 MB of characters: far more than anchors in real templates repeat.
    this.aliasBudget = Math.max(ALIAS_BUDGET_MIN, ALIAS_BUDGET_FACTOR * source.text.length);
  }

  expr(node: ParsedNode | null | undefined, fallbackOffset = 0): Expr {
    if (!node) return { kind: 'literal', value: null, range: this.source.range(fallbackOffset, fallbackOffset) };
    // Deeper values are unknown: no template nests like this, and evaluation recurses too.
    return this.nesting.within(() => this.taggedExpr(node), () => ({
      kind: 'unknown', text: this.source.text.slice(node.range[0], node.range[1]), range: this.source.range(node.range[0], node.range[1]),
    }));
  }

  private taggedExpr(node: ParsedNode): Expr {
    const expr = this.untagged(node);
    const tag = node.tag;
    if (!tag || tag.startsWith('tag:yaml.org,2002:') || tag === '!') return expr;
    const name = SHORT_FORM_FUNCTIONS.get(tag.slice(1));
    const start = this.tagStart(node.range[0], tag);
    const range = this.source.range(start, this.source.offsetAt(expr.range.end));
    if (name === undefined) return { kind: 'unknown', text: this.source.text.slice(start, this.source.offsetAt(expr.range.end)), range };
    return intrinsicCall(name, expr, range, this.source);
  }

  private untagged(node: ParsedNode): Expr {
    const [start, valueEnd] = node.range;
    if (isScalar(node)) {
      return { kind: 'literal', value: literalValue(node.value), range: this.source.range(start, this.source.trimEnd(start, valueEnd)) };
    }
    if (isMap(node)) {
      const entries = node.items.map((pair) => this.entry(pair.key as ParsedNode | null, pair.value as ParsedNode | null));
      return { kind: 'object', entries, range: this.collectionRange(start, valueEnd, !!node.flow, entries.at(-1)?.range.end) };
    }
    if (isSeq(node)) {
      const items = node.items.map((item) => (isPair(item)
        ? this.singleEntryObject(item.key as ParsedNode | null, item.value as ParsedNode | null)
        : this.expr(item as ParsedNode | null, start)));
      return { kind: 'tuple', items, range: this.collectionRange(start, valueEnd, !!node.flow, items.at(-1)?.range.end) };
    }
    if (isAlias(node)) return this.alias(node);
    return { kind: 'unknown', text: this.source.text.slice(start, valueEnd), range: this.source.range(start, valueEnd) };
  }

  private entry(key: ParsedNode | null, value: ParsedNode | null): ObjectEntry {
    const keyStart = key ? key.range[0] : value ? value.range[0] : 0;
    const keyRange = key ? this.source.range(keyStart, this.source.trimEnd(keyStart, key.range[1])) : this.source.range(keyStart, keyStart);
    const keyEnd = this.source.offsetAt(keyRange.end);
    const valueExpr = this.expr(value, keyEnd);
    const entryEnd = value ? valueExpr.range.end : keyRange.end;
    return { key: keyName(key), keyRange, value: valueExpr, range: { start: keyRange.start, end: entryEnd } };
  }

  /** `[a: b]`: a flow sequence item that is a one-pair mapping. */
  private singleEntryObject(key: ParsedNode | null, value: ParsedNode | null): ObjectExpr {
    const entry = this.entry(key, value);
    return { kind: 'object', entries: [entry], range: entry.range };
  }

  /**
   * A block collection's `range` runs on over trailing comments and blank lines; it really
   * ends with its last item. A flow collection ends at its closing bracket.
   */
  private collectionRange(start: number, valueEnd: number, flow: boolean, lastItemEnd: ObjectEntry['range']['end'] | undefined) {
    if (!flow && lastItemEnd) return { start: this.source.positionAt(start), end: lastItemEnd };
    return this.source.range(start, this.source.trimEnd(start, valueEnd));
  }

  /**
   * CloudFormation has no anchors, but YAML does: read the anchored node, anchored where the
   * alias is written (the parts inside still point at the anchor's text).
   */
  private alias(node: ParsedNode): Expr {
    const [start, valueEnd] = node.range;
    const range = this.source.range(start, this.source.trimEnd(start, valueEnd));
    const target = isAlias(node) ? node.resolve(this.document) : undefined;
    const unknown: Expr = { kind: 'unknown', text: this.source.text.slice(start, valueEnd), range };
    if (!target || this.expanding.has(target)) return unknown;
    let entry = this.expanded.get(target);
    if (!entry) {
      const costBefore = this.aliasCost;
      this.expanding.add(target);
      try {
        const expr = this.expr(target as ParsedNode);
        const [targetStart, targetEnd] = (target as ParsedNode).range;
        entry = { expr, cost: targetEnd - targetStart + this.aliasCost - costBefore };
      } finally {
        this.expanding.delete(target);
      }
      this.aliasCost = costBefore;
      this.expanded.set(target, entry);
    }
    // Past the budget the value is unknown: an expansion too large to be a real template's.
    if (this.aliasCost + entry.cost > this.aliasBudget) return unknown;
    this.aliasCost += entry.cost;
    return { ...entry.expr, range };
  }

  /**
   * A node's range starts at its value, after the tag; the call must start at the tag, found by
   * reading back over whitespace (and an anchor) from the value.
   */
  private tagStart(valueStart: number, tag: string): number {
    const text = this.source.text;
    let position = valueStart;
    for (let token = 0; token < 2; token++) {
      while (position > 0 && /\s/.test(text[position - 1])) position--;
      let tokenStart = position;
      while (tokenStart > 0 && !/[\s[\]{},]/.test(text[tokenStart - 1])) tokenStart--;
      const word = text.slice(tokenStart, position);
      if (word === tag || (word.startsWith('!') && word.length > 1)) return tokenStart;
      if (!word.startsWith('&')) break;
      position = tokenStart;
    }
    return valueStart;
  }
}

function keyName(key: ParsedNode | null): string | undefined {
  if (!key) return '';
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return undefined;
}

function literalValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
