/**
 * Terraform native syntax (`*.tf`, `*.tfvars`) → the common model, through tree-sitter.
 *
 * Tree-sitter recovers from errors rather than giving up, which is what an editor needs: a
 * block left open while typing swallows the blocks after it as children, so blocks starting
 * at column 0 with a top-level keyword are lifted back to the top; an attribute whose value
 * is still being typed swallows the next `name =` into an ERROR node, which is split back
 * into two attributes. Positions from tree-sitter are already UTF-16 like LSP.
 */
import type { Position, Range } from '../../types';
import type { Attribute, Block, Comment, Expr, SourceFile } from '../../model/syntax';
import { terraformGrammarFile, type TreeSitterRuntime, type Parser, type SyntaxNode, type Tree } from './treeSitter';
import { failedParseNote, restartingNote, runtimeFailure, treeSitterCall } from '../../treeSitterRuntime';
import { isNode, rangeOf, spanRange } from './terraformNodes';
import { setSourceText, toExpr } from './terraformExpressions';
import { LineIndex, changedSpan, shiftLines, type ChangedSpan } from '../../model/text';
import { parseBudget } from '../../parseBudget';
import { blockEntriesOf, carryTopLevel, fileOfTopLevel, nodeStartsOf, type BlockEntry, type TopLevel, type TopNode } from './terraformTopLevel';


const TOP_LEVEL_BLOCKS = new Set(['resource', 'data', 'module', 'variable', 'locals', 'output', 'provider', 'terraform', 'moved', 'import', 'check', 'removed']);


const TOP_LEVEL_BLOCK_LINE = new RegExp(`^(?:${[...TOP_LEVEL_BLOCKS].join('|')})(?=[ \t"{])`, 'gm');

/**
 * The text tree-sitter is given: a backslash that starts no HCL escape (`\u` while `\u00e9`
 * is being typed, `\q`) becomes a space, which the grammar would otherwise reject along with
 * the whole block. Same length, so every position holds; string values are read from the
 * real text.
 */
function withoutBadEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(?:["nrt\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})?/g, (escape) => (escape.length === 1 ? ' ' : escape));
}

/**
 * What the top level of a tree says about reading it: whether a block's header runs over a
 * line break (HCL wants it on one line, so this is a half-typed word, `res`, read as the type
 * of the block on the next line), and where the top-level nodes start. Walked with a cursor:
 * asking for nodes would build a JS object for every block and every part of its header, at
 * every keystroke.
 */
function topLevelShape(root: SyntaxNode): { headerOverLines: boolean; nodeStarts: Set<number> } {
  const nodeStarts = new Set<number>();
  let headerOverLines = false;
  const cursor = root.walk();
  try {
    if (!cursor.gotoFirstChild()) return { headerOverLines, nodeStarts };
    // A getter read again each time (TypeScript would narrow it as a variable).
    const type = (): string => cursor.nodeType;
    while (type() !== 'body') if (!cursor.gotoNextSibling()) return { headerOverLines, nodeStarts };
    if (!cursor.gotoFirstChild()) return { headerOverLines, nodeStarts };
    do {
      nodeStarts.add(cursor.startIndex);
      if (headerOverLines || type() !== 'block') continue;
      const row = cursor.startPosition.row;
      if (!cursor.gotoFirstChild()) continue;
      do {
        if (type() === 'block_start') {
          headerOverLines = cursor.startPosition.row !== row;
          break;
        }
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    } while (cursor.gotoNextSibling());
    return { headerOverLines, nodeStarts };
  } finally {
    cursor.delete();
  }
}

/** Offsets of the lines (in `[start, end)`, whole lines) that start (at column 0) with a top-level block keyword. */
function topLevelBlockStarts(text: string, start = 0, end = text.length): number[] {
  return matchesIn(TOP_LEVEL_BLOCK_LINE, text, start, end).map(([offset]) => offset);
}

/** What ends a line for a multiline regex's `^`. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * `[start, end)` of the new text's whole lines that hold the edit `span`: anything a line-local
 * pattern finds outside them, it found in the old text too, at the same place before them and
 * moved by the edit's length after them.
 */
function editedLines(text: string, span: ChangedSpan): { start: number; end: number } {
  let start = span.start;
  while (start > 0 && !LINE_TERMINATOR.test(text[start - 1])) start--;
  let end = span.newEnd;
  while (end < text.length && !LINE_TERMINATOR.test(text[end])) end++;
  return { start, end: Math.min(text.length, end + 1) };
}

/**
 * `offsets` found in the old text by a pattern that matches within one line, carried over to the
 * new text: kept before the edited lines, found again in them (`scan`), moved after them.
 */
function carriedOver<T>(old: T[], offsetOf: (item: T) => number, move: (item: T, delta: number) => T, text: string, span: ChangedSpan, scan: (start: number, end: number) => T[]): T[] {
  const lines = editedLines(text, span);
  const delta = span.newEnd - span.oldEnd;
  const oldEnd = lines.end - delta;
  return [
    ...old.filter((item) => offsetOf(item) < lines.start),
    ...scan(lines.start, lines.end),
    ...old.filter((item) => offsetOf(item) >= oldEnd).map((item) => move(item, delta)),
  ];
}

/**
 * Where `regex` (global) matches in `[start, end)` of `text`, whole lines, as `[offset, length]`:
 * read in a copy of those lines, so that the search never runs on past them.
 */
function matchesIn(regex: RegExp, text: string, start: number, end: number): [number, number][] {
  const lines = start === 0 && end === text.length ? text : text.slice(start, end);
  return [...lines.matchAll(regex)].map((m) => [start + (m.index ?? 0), m[0].length]);
}

/**
 * Parses Terraform files. Keeps the last tree of each document it is asked to keep, so a
 * re-parse after a keystroke reuses it (tree-sitter then re-reads only the edited region).
 */
export class TerraformParser {
  private generation: number;
  private readonly kept = new Map<string, KeptParse>();
  private uri = '';
  private originalText = '';

  constructor(private readonly runtime: TreeSitterRuntime) {
    this.generation = runtime.generation;
  }

  /** The runtime's Terraform parser, asked for at each use (see `TreeSitterRuntime.parser`). */
  private get parser(): Parser {
    return this.runtime.parser(terraformGrammarFile());
  }

  /**
   * `keepTree` for documents open in an editor; files read from disk are parsed once. A text
   * tree-sitter cannot read within its budget (see `parseBudget`) yields a file with no blocks
   * and `notChecked` saying why, rather than holding the thread or the WASM memory. So does a
   * text on which tree-sitter's WASM instance fails (it aborts when its heap is full): the
   * runtime is then replaced, and the next file parses as usual.
   */
  parse(uri: string, text: string, keepTree = false): SourceFile {
    if (!this.ready()) return { ...notCheckedFile(uri, text, restartingNote('Terraform')), notCheckedTransient: true };
    try {
      return this.parseText(uri, text, keepTree);
    } catch (error) {
      const failure = runtimeFailure(error, this.runtime.current);
      if (failure === undefined) throw error;
      this.recover();
      return notCheckedFile(uri, text, failedParseNote('Terraform', failure));
    }
  }

  private parseText(uri: string, text: string, keepTree: boolean): SourceFile {
    const previous = this.kept.get(uri);
    const parserText = withoutBadEscapes(text);
    // The edit since the last parse, found once: the block starts and long runs of the new text
    // are those of the old one, looked for again only on the edited lines.
    const span = previous && keepTree ? changedSpan(previous.text.lines.text, parserText) : undefined;
    const prepared = prepare(parserText, previous?.text, span);
    const blockStarts = previous && span
      ? carriedOver(previous.starts, (start) => start, (start, delta) => start + delta, parserText, span, (start, end) => topLevelBlockStarts(parserText, start, end))
      : topLevelBlockStarts(parserText);
    if (previous && span) {
      const damaged = this.damagedPieceOnly(uri, text, previous, prepared, span, blockStarts);
      if (damaged) return damaged;
    }
    this.kept.delete(uri);
    let oldTree: Tree | undefined;
    if (previous && span) {
      applyTextChange(this.runtime, previous.tree, previous.text.lines, prepared.lines, span);
      oldTree = previous.tree;
    }
    const budget = parseBudget(parserText.length);
    const options = { includedRanges: includedRanges(prepared, 0, parserText.length), progressCallback: budget.progressCallback };
    let tree: Tree | null;
    // What tree-sitter re-read in structure, asked of the old tree before it goes: the top level
    // outside it is carried over (terraformTopLevel.ts).
    let changed: { startIndex: number; endIndex: number }[] | undefined;
    try {
      tree = this.treeSitterParse(parserText, oldTree, options);
      if (tree && oldTree && previous?.top && !tree.rootNode.hasError) changed = treeSitterCall(() => oldTree.getChangedRanges(tree!));
    } finally {
      previous?.tree.delete();
    }
    if (!tree) {
      // Cancelled by the budget: the parser keeps its half-built state until reset.
      this.parser.reset();
      return notCheckedFile(uri, text, budget.reason());
    }
    this.uri = uri;
    this.originalText = text;
    // Each cache is renewed by the kind of parse that fills it and carried over by the other, so
    // that typing into and out of a syntax error finds the untouched blocks read already.
    const previousPieces: PieceCache = previous?.pieces ?? { byText: new Map() };
    let blocks: BlockCache | undefined = new Map();
    let pieces: PieceCache = { byText: new Map() };
    let clean = false;
    let top: TopLevel | undefined;
    try {
      if (keepTree && previous?.top && span && changed) {
        setSourceText(text);
        const root = tree.rootNode;
        top = carryTopLevel(previous.top, root, text, prepared.lines, span, changed, readTopNode);
        if (top) {
          const nodeStarts = nodeStartsOf(top);
          clean = blockStarts.every((start) => start === 0 || nodeStarts.has(start));
          pieces = previousPieces;
          blocks = undefined;
          return fileOfTopLevel(uri, text, top, (attributes) => tfvarsBlock(attributes, rangeOf(root)));
        }
      }
      const previousBlocks: BlockCache = previous ? blocksOf(previous) : new Map();
      const shape = topLevelShape(tree.rootNode);
      if (tree.rootNode.hasError || shape.headerOverLines) {
        const file = this.parseTopLevelPieces(prepared, blockStarts, keepTree ? { previous: previousPieces, next: pieces, blocks: previousBlocks } : undefined);
        if (file) {
          blocks = previousBlocks;
          return file;
        }
      }
      pieces = previousPieces;
      if (keepTree && !tree.rootNode.hasError) clean = blockStarts.every((start) => start === 0 || shape.nodeStarts.has(start));
      // A header over lines is read by pieces when the file has several: no top level is kept to carry.
      const cache = keepTree ? { previous: previousBlocks, next: blocks, top: (read: TopLevel) => (top = shape.headerOverLines ? undefined : read) } : undefined;
      return toSourceFile(uri, text, tree.rootNode, cache);
    } finally {
      if (keepTree) this.kept.set(uri, { text: prepared, tree, blocks, pieces, clean, starts: blockStarts, top });
      else tree.delete();
    }
  }

  /**
   * The keystroke that breaks a block (its `{` deleted, its header half-typed) costs
   * tree-sitter a re-parse of everything after it, error recovery included, although the file
   * is then read piece by piece anyway. When the last clean parse's pieces were whole blocks
   * (`clean`), the text differs from it inside one piece only, and that piece alone does not
   * parse, the whole file does not either: every other piece is balanced, so the damage cannot
   * be closed by them. Unless the piece opens a heredoc or a `/*` comment, which a later piece
   * could end: then the whole file is parsed as usual. So the file is read by pieces at once,
   * the one damaged piece parsed, and the clean tree kept for the keystroke that repairs it.
   */
  private damagedPieceOnly(uri: string, text: string, previous: KeptParse, prepared: PreparedText, span: ChangedSpan, blockStarts: number[]): SourceFile | undefined {
    if (!previous.clean) return undefined;
    const piece = onlyChangedPiece(previous.text.lines.text, previous.starts, prepared.lines.text, span, blockStarts);
    if (!piece) return undefined;
    const pieceText = prepared.lines.text.slice(piece.start, piece.end);
    if (pieceText.includes('<<') || pieceText.includes('/*')) return undefined;
    const budget = parseBudget(piece.end - piece.start);
    const tree = this.treeSitterParse(prepared.lines.text, null, { includedRanges: includedRanges(prepared, piece.start, piece.end), progressCallback: budget.progressCallback });
    if (!tree) {
      this.parser.reset();
      return undefined;
    }
    // The damaged piece's reading goes into the new piece cache, so that the reading by pieces
    // below does not parse it a second time.
    const pieces: PieceCache = { byText: new Map() };
    try {
      if (!tree.rootNode.hasError && !topLevelShape(tree.rootNode).headerOverLines) return undefined;
      setSourceText(text);
      pieces.byText.set(text.slice(piece.start, piece.end), readPiece(tree.rootNode, prepared.lines.positionAt(piece.start).line));
    } finally {
      tree.delete();
    }
    this.uri = uri;
    this.originalText = text;
    const file = this.parseTopLevelPieces(prepared, blockStarts, { previous: previous.pieces, next: pieces, blocks: blocksOf(previous) });
    if (file) this.kept.set(uri, { ...previous, pieces });
    return file;
  }

  /** Whether the runtime works; the trees kept from a replaced instance are dropped. */
  private ready(): boolean {
    if (!this.runtime.usable) return false;
    if (this.generation !== this.runtime.generation) {
      // The trees kept belong to the failed instance: dropped, not deleted (see treeSitterRuntime.ts).
      this.kept.clear();
      this.generation = this.runtime.generation;
    }
    return true;
  }

  private recover(): void {
    this.kept.clear();
    this.runtime.replace();
    this.ready();
  }

  /** tree-sitter's parse; whatever it throws is the runtime failing. */
  private treeSitterParse(...args: Parameters<Parser['parse']>): Tree | null {
    return treeSitterCall(() => this.parser.parse(...args));
  }

  /**
   * A file with a syntax error, parsed again one top-level piece at a time (each piece starts
   * at a line that opens a block with a top-level keyword at column 0): one line of junk, a
   * stray `}` or a block left open then spoils only its own piece, not the blocks after it.
   * Tree-sitter's included ranges keep every position as in the whole file. Undefined when the
   * file is one piece (nothing to gain).
   *
   * A piece reads the same wherever it stands (it starts a line, and nothing outside it is
   * shown to the parser), so with `cache` a piece whose text the previous version had too is
   * not parsed again: its reading is moved to its new line; nor is a piece that is one block
   * the last clean parse read (the first keystroke into an error). A keystroke that leaves a
   * syntax error somewhere costs the parse of the one piece it is in.
   */
  private parseTopLevelPieces(prepared: PreparedText, blockStarts: number[], cache?: { previous: PieceCache; next: PieceCache; blocks: BlockCache }): SourceFile | undefined {
    const text = prepared.lines.text;
    if (blockStarts.length === 0 || (blockStarts.length === 1 && blockStarts[0] === 0)) return undefined;
    const starts = withFirst(blockStarts);
    setSourceText(this.originalText);
    const read: Piece[] = [];
    // The pieces outside the edit since the last reading by pieces are found by where they
    // stood, without slicing and hashing their text; the others by text, as below.
    const last = cache?.previous.read && { byStart: cache.previous.read.byStart, since: changedSpan(cache.previous.read.text, this.originalText) };
    if (cache) cache.next.read = { text: this.originalText, byStart: new Map() };
    for (const [k, start] of starts.entries()) {
      const end = starts[k + 1] ?? text.length;
      const line = prepared.lines.positionAt(start).line;
      const unmoved = last && pieceStillAt(last.byStart, last.since, start, end);
      const key = unmoved ? undefined : this.originalText.slice(start, end);
      const cached = unmoved ?? (cache && key !== undefined ? cache.previous.byText.get(key) ?? cache.next.byText.get(key) ?? pieceOfBlock(cache.blocks, key, line, prepared.lines.positionAt(end)) : undefined);
      if (cached) {
        // `line` alone is no position: `shiftLines` leaves it, so it is set here.
        const piece = { ...shiftLines(cached, line - cached.line), line };
        if (key !== undefined) cache?.next.byText.set(key, piece);
        cache?.next.read?.byStart.set(start, { end, piece });
        read.push(piece);
        continue;
      }
      const budget = parseBudget(end - start);
      const tree = this.treeSitterParse(text, null, { includedRanges: includedRanges(prepared, start, end), progressCallback: budget.progressCallback });
      if (!tree) {
        this.parser.reset();
        return notCheckedFile(this.uri, this.originalText, budget.reason());
      }
      try {
        const piece = readPiece(tree.rootNode, line);
        cache?.next.byText.set(key!, piece);
        cache?.next.read?.byStart.set(start, { end, piece });
        read.push(piece);
      } finally {
        tree.delete();
      }
    }
    return fileOfPieces(this.uri, this.originalText, read);
  }

  /**
   * Parses one HCL expression written somewhere else (a `.tf.json` string is a template:
   * `"${var.key}"`); ranges are relative to the expression text, on line 0.
   */
  parseExpression(expressionText: string): Expr {
    const prefix = 'x = ';
    const unknown = (end: number): Expr => ({ kind: 'unknown', text: expressionText, range: { start: { line: 0, character: 0 }, end: { line: 0, character: end } } });
    if (!this.ready()) return unknown(expressionText.length);
    let tree: Tree | null;
    try {
      tree = this.treeSitterParse(prefix + expressionText);
    } catch {
      this.recover();
      return unknown(expressionText.length);
    }
    if (!tree) return unknown(expressionText.length);
    try {
      const file = toSourceFile('', prefix + expressionText, tree.rootNode);
      const attribute = file.blocks[0]?.attributes[0];
      const expr: Expr = attribute?.value ?? unknown(0);
      return shiftExpr(expr, -prefix.length);
    } finally {
      tree.delete();
    }
  }

  /** Frees the tree kept for a closed document (trees live in WASM memory, not the JS heap). */
  forget(uri: string): void {
    this.kept.get(uri)?.tree.delete();
    this.kept.delete(uri);
  }
}

/** What an open document's parser keeps of its last parse (see `TerraformParser.parse`). */
interface KeptParse {
  /** The text of `tree`: the last text parsed whole. */
  text: PreparedText;
  tree: Tree;
  /** Built from `top` when first asked for (`blocksOf`): a keystroke that carries the top level over needs none. */
  blocks?: BlockCache;
  pieces: PieceCache;
  /** The top level of `tree` as read, when it has no error (see terraformTopLevel.ts). */
  top?: TopLevel;
  /** `tree` has no error and each of the text's top-level pieces is a run of whole top-level nodes. */
  clean: boolean;
  /** Where the text's top-level pieces start (`topLevelBlockStarts`). */
  starts: number[];
}

function blocksOf(kept: KeptParse): BlockCache {
  kept.blocks ??= new Map(kept.top ? blockEntriesOf(kept.top) : []);
  return kept.blocks;
}

/**
 * `[start, end)` of the one top-level piece of `newText` that holds every difference from
 * `oldText`, when both texts are cut into the same pieces (the others equal, moved only);
 * undefined otherwise.
 */
function onlyChangedPiece(oldText: string, oldBlockStarts: number[], newText: string, span: ChangedSpan, newBlockStarts: number[]): { start: number; end: number } | undefined {
  const { start, oldEnd, newEnd } = span;
  if (start === oldText.length && start === newText.length) return undefined;
  const oldStarts = withFirst(oldBlockStarts);
  const newStarts = withFirst(newBlockStarts);
  if (oldStarts.length !== newStarts.length || oldStarts.length < 2) return undefined;
  const delta = newText.length - oldText.length;
  let k = 0;
  while (k + 1 < newStarts.length && newStarts[k + 1] <= start) k++;
  const newPieceEnd = newStarts[k + 1] ?? newText.length;
  const oldPieceEnd = oldStarts[k + 1] ?? oldText.length;
  if (newEnd > newPieceEnd || oldEnd > oldPieceEnd) return undefined;
  for (let i = 0; i < newStarts.length; i++) {
    if (newStarts[i] !== oldStarts[i] + (i > k ? delta : 0)) return undefined;
  }
  return { start: newStarts[k], end: newPieceEnd };
}

function withFirst(starts: number[]): number[] {
  return starts[0] === 0 ? starts : [0, ...starts];
}

/** Tells the old tree what changed: the span between the common prefix and the common suffix. */
function applyTextChange(runtime: TreeSitterRuntime, tree: Tree, oldLines: LineIndex, newLines: LineIndex, { start, oldEnd, newEnd }: ChangedSpan): void {
  // web-tree-sitter measures offsets of a JS string in UTF-16 code units, like the string itself.
  tree.edit(new runtime.current.api.Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointOf(newLines, start),
    oldEndPosition: pointOf(oldLines, oldEnd),
    newEndPosition: pointOf(newLines, newEnd),
  }));
}

/** Tree-sitter's row/column for an offset (UTF-16 code units, like the string). */
function pointOf(lines: LineIndex, offset: number): { row: number; column: number } {
  const { line, character } = lines.positionAt(offset);
  return { row: line, column: character };
}

/** Runs of spaces and tabs at least this long are not shown to tree-sitter (see `includedRanges`). */
/**
 * Long runs the grammar reads in time (and WASM memory) that grows with the square of their
 * length: blanks (30,000 spaces after a block label: seconds), commas (200,000 after an
 * attribute: minutes) and `${` (a million in a string: gigabytes). Commas and `${` never
 * repeat in valid HCL (`,,` is no list, `${${` no expression), so leaving the inside of such a
 * run out of the parse keeps the syntax error where it is and loses nothing.
 */
const LONG_RUN = /[ \t]{256,}|,{256,}|(?:\$\{){128,}/g;

/** The text tree-sitter reads, with what every parse of it (whole or by pieces) needs, found once. */
interface PreparedText {
  lines: LineIndex;
  /** `[start, end)` of each long run (`LONG_RUN`), in order. */
  longRuns: [number, number][];
}

/**
 * `text` prepared for tree-sitter. After an edit (`previous` and the `span` between them) the
 * long runs are looked for again only on the edited lines: a run never crosses a line break.
 */
function prepare(text: string, previous?: PreparedText, span?: ChangedSpan): PreparedText {
  const runsIn = (start: number, end: number): [number, number][] => matchesIn(LONG_RUN, text, start, end).map(([offset, length]) => [offset, offset + length]);
  const longRuns = previous && span
    ? carriedOver(previous.longRuns, (run) => run[0], (run, delta): [number, number] => [run[0] + delta, run[1] + delta], text, span, runsIn)
    : runsIn(0, text.length);
  return { lines: new LineIndex(text), longRuns };
}

/**
 * The ranges of `text[start, end)` tree-sitter reads: all of it but the inside of long runs
 * (`LONG_RUN`; one character kept at each end, so the tokens around stay apart and a run of
 * commas or `${` stays an error). Left out, every position still holds, and string and comment
 * text is read from the real text.
 */
function includedRanges({ lines, longRuns }: PreparedText, start: number, end: number): { startIndex: number; endIndex: number; startPosition: { row: number; column: number }; endPosition: { row: number; column: number } }[] {
  const bounds = [start];
  for (const [runStart, runEnd] of longRuns) if (runStart >= start && runEnd <= end) bounds.push(runStart + 1, runEnd - 1);
  bounds.push(end);
  const points = bounds.map((offset) => pointOf(lines, offset));
  const ranges = [];
  for (let k = 0; k < bounds.length; k += 2) {
    ranges.push({ startIndex: bounds[k], endIndex: bounds[k + 1], startPosition: points[k], endPosition: points[k + 1] });
  }
  return ranges;
}

/**
 * Converted top-level blocks of a document's previous version, by column and text, with the
 * comments inside them. Converting (and finding comments, a walk of the whole tree) costs far
 * more than tree-sitter's incremental re-parse, so after a keystroke only the edited block is
 * converted again; the others are reused, moved to their new lines.
 */
export type BlockCache = Map<string, BlockEntry>;

/**
 * One top-level piece of a file with a syntax error, converted: what it adds to the file, and
 * the line it starts on (a cached piece is moved by the difference).
 */
interface Piece {
  line: number;
  range: Range;
  blocks: Block[];
  attributes: Attribute[];
  comments: Comment[];
  syntaxErrors: Range[];
}

/**
 * The converted pieces of a document's previous version (see `parseTopLevelPieces`): by text,
 * and each piece of the last reading by pieces by where it started in the text it was read from.
 */
interface PieceCache {
  byText: Map<string, Piece>;
  read?: { text: string; byStart: Map<number, { end: number; piece: Piece }> };
}

/**
 * The piece read last time at `[start, end)` of the new text, when the edit since (`since`) lies
 * wholly before or after it: the same text, at the same offsets or moved by the edit's length.
 */
function pieceStillAt(byStart: Map<number, { end: number; piece: Piece }>, since: ChangedSpan, start: number, end: number): Piece | undefined {
  const delta = since.newEnd - since.oldEnd;
  const found = end <= since.start ? byStart.get(start) : start >= since.newEnd ? byStart.get(start - delta) : undefined;
  if (!found) return undefined;
  const expectedEnd = end <= since.start ? end : end - delta;
  return found.end === expectedEnd ? found.piece : undefined;
}

/**
 * A piece that is one block of the last clean parse and blank lines, read as that parse read
 * it. Not when a line after its first starts with anything but `}` (a block nested at column 0
 * would be lifted to the top, which the block cache does not record).
 */
function pieceOfBlock(blocks: BlockCache, pieceText: string, line: number, end: Position): Piece | undefined {
  const blockText = pieceText.trimEnd();
  const cached = blocks.get(`0:${blockText}`);
  if (!cached || cached.lifted.length > 0 || /\n[^\s}]/.test(blockText)) return undefined;
  const { block, comments } = moveToLine(cached, line);
  return { line, range: { start: { line, character: 0 }, end }, blocks: [block], attributes: [], comments, syntaxErrors: [] };
}

function readPiece(root: SyntaxNode, line: number): Piece {
  const blocks: Block[] = [];
  const attributes: Attribute[] = [];
  const body = root.namedChildren.find((c) => c?.type === 'body');
  if (body) readBody(body, blocks, attributes, true);
  return { line, range: rangeOf(root), blocks, attributes, comments: commentsIn(root), syntaxErrors: root.hasError ? collectErrors(root) : [] };
}

function fileOfPieces(uri: string, text: string, pieces: Piece[]): SourceFile {
  const blocks = pieces.flatMap((p) => p.blocks);
  const attributes = pieces.flatMap((p) => p.attributes);
  if (attributes.length > 0) blocks.unshift(tfvarsBlock(attributes, { start: pieces[0].range.start, end: pieces[pieces.length - 1].range.end }));
  return { uri, format: 'terraform', text, blocks, comments: pieces.flatMap((p) => p.comments), syntaxErrors: pieces.flatMap((p) => p.syntaxErrors) };
}

/** A `.tfvars` file is all top-level attributes; they are exposed as one block so callers have one shape. */
function tfvarsBlock(attributes: Attribute[], wholeRange: Range): Block {
  return { type: 'tfvars', labels: [], labelRanges: [], range: wholeRange, headerRange: wholeRange, bodyRange: wholeRange, attributes, blocks: [] };
}

/** A file tree-sitter could not read within its budget: nothing in it is judged, and the note says why. */
function notCheckedFile(uri: string, text: string, reason: string): SourceFile {
  return { uri, format: 'terraform', text, blocks: [], comments: [], syntaxErrors: [], notChecked: reason };
}

function toSourceFile(uri: string, text: string, root: SyntaxNode, cache?: { previous: BlockCache; next: BlockCache; top: (top: TopLevel) => void }): SourceFile {
  setSourceText(text);
  const rootChildren = root.namedChildren.filter(isNode);
  const body = rootChildren.find((c) => c.type === 'body');
  if (body && cache && !root.hasError) {
    const top: TopLevel = { source: text, before: [], body: [], after: [] };
    for (const child of rootChildren) {
      if (child.type !== 'body') {
        (child.startIndex < body.startIndex ? top.before : top.after).push({ ...placeOf(child), lifted: [], attributes: [], comments: commentsIn(child) });
        continue;
      }
      for (const node of child.namedChildren) {
        if (!node) continue;
        if (node.type !== 'block') {
          top.body.push(readTopNode(node)!);
          continue;
        }
        const key = `${node.startPosition.column}:${text.slice(node.startIndex, node.endIndex)}`;
        const cached = cache.previous.get(key);
        const entry = cached ? moveToLine(cached, node.startPosition.row) : blockEntryOf(node);
        cache.next.set(key, entry);
        top.body.push(blockTop(node, entry));
      }
    }
    cache.top(top);
    return fileOfTopLevel(uri, text, top, (attributes) => tfvarsBlock(attributes, rangeOf(root)));
  }
  const blocks: Block[] = [];
  const attributes: Attribute[] = [];
  if (body) readBody(body, blocks, attributes, true);
  if (attributes.length > 0) blocks.unshift(tfvarsBlock(attributes, rangeOf(root)));
  return { uri, format: 'terraform', text, blocks, comments: commentsIn(root), syntaxErrors: root.hasError ? collectErrors(root) : [] };
}

/** Where a top-level node lies. */
const placeOf = (node: SyntaxNode): Pick<TopNode, 'start' | 'end' | 'row' | 'column'> => ({ start: node.startIndex, end: node.endIndex, row: node.startPosition.row, column: node.startPosition.column });

/**
 * A node of the body of an error-free tree, read as `toSourceFile` reads it; undefined for a
 * block whose header runs over lines (the file is then read by pieces, see `topLevelShape`).
 */
function readTopNode(node: SyntaxNode): TopNode | undefined {
  if (node.type !== 'block') return { ...placeOf(node), lifted: [], attributes: node.type === 'attribute' ? readAttribute(node) : [], comments: commentsIn(node) };
  const entry = blockEntryOf(node);
  if (entry.block.headerRange.end.line !== entry.block.range.start.line) return undefined;
  return blockTop(node, entry);
}

const blockTop = (node: SyntaxNode, entry: BlockEntry): TopNode => ({ ...placeOf(node), ...entry, attributes: [] });

/** A top-level block of an error-free tree, read with the blocks lifted out of it. */
function blockEntryOf(node: SyntaxNode): BlockEntry {
  const lifted: Block[] = [];
  const block = readBlock(node, lifted);
  return { block, lifted, comments: commentsIn(node) };
}

function commentsIn(node: SyntaxNode): Comment[] {
  if (node.type === 'comment') return [{ text: node.text, range: rangeOf(node) }];
  return node.descendantsOfType('comment').filter(isNode).map((c) => ({ text: c.text, range: rangeOf(c) }));
}

function collectErrors(root: SyntaxNode): Range[] {
  const errors: Range[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push(rangeOf(node));
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return errors;
}

/** A copy of a converted block (and its comments) with every position moved so that it starts on `line`. */
function moveToLine<T extends { block: Block }>(entry: T, line: number): T {
  return shiftLines(entry, line - entry.block.range.start.line);
}

/** Reads a body; `lifted` receives top-level blocks found nested under a block left open. */
function readBody(body: SyntaxNode, blocks: Block[], attributes: Attribute[], topLevel: boolean, lifted?: Block[]): void {
  for (const child of body.namedChildren) {
    if (!child) continue;
    if (child.type === 'attribute') attributes.push(...readAttribute(child));
    else if (child.type === 'block') {
      const block = readBlock(child, topLevel ? blocks : lifted ?? blocks);
      const startsAtColumnZero = child.startPosition.column === 0;
      if (!topLevel && lifted && startsAtColumnZero && TOP_LEVEL_BLOCKS.has(block.type)) lifted.push(block);
      else blocks.push(block);
    }
  }
}

function readBlock(node: SyntaxNode, topLevelSink: Block[]): Block {
  const children = node.children.filter(isNode);
  // A node's type is a call into the WASM parser: read each once.
  const types = children.map((c) => c.type);
  const child = (type: string): SyntaxNode | undefined => children[types.indexOf(type)];
  const typeNode = child('identifier');
  const labelNodes: SyntaxNode[] = [];
  for (const [i, c] of children.entries()) {
    if (types[i] === 'block_start') break;
    if (c !== typeNode && (types[i] === 'string_lit' || types[i] === 'identifier')) labelNodes.push(c);
  }
  const start = child('block_start');
  const end = child('block_end');
  const closed = end !== undefined && !end.children.some((c) => c?.isMissing);
  const block: Block = {
    type: typeNode?.text ?? '',
    labels: labelNodes.map(labelText),
    labelRanges: labelNodes.map(rangeOf),
    range: rangeOf(node),
    headerRange: spanRange(children[0], start ?? labelNodes[labelNodes.length - 1] ?? children[0]),
    bodyRange: start && closed ? { start: rangeOf(start).end, end: rangeOf(end).start } : undefined,
    attributes: [],
    blocks: [],
  };
  const body = child('body');
  if (body) readBody(body, block.blocks, block.attributes, false, topLevelSink);
  // A block left open ends where the next lifted block starts, not at the end of the file.
  const firstLifted = topLevelSink.find((b) => b.range.start.line > block.range.start.line);
  if (!closed && firstLifted) block.range = { start: block.range.start, end: firstLifted.range.start };
  return block;
}

function labelText(node: SyntaxNode): string {
  if (node.type === 'identifier') return node.text;
  return node.namedChildren.filter((c) => c?.type === 'template_literal').map((c) => c!.text).join('');
}

function readAttribute(node: SyntaxNode): Attribute[] {
  const children = node.children.filter(isNode);
  const types = children.map((c) => c.type);
  const name = children[0];
  const error = children[types.indexOf('ERROR')];
  const expression = children[types.lastIndexOf('expression')];
  // `name =` followed on the next line by `other = value`: tree-sitter reads the second name
  // into an ERROR node. Give the first attribute an unknown value and recover the second.
  if (error && expression) {
    const errorChildren = error.children.filter(isNode);
    const swallowed = errorChildren.find((c) => c.type === 'expression' || c.type === 'identifier');
    const swallowedName = swallowed ? swallowedIdentifier(swallowed) : undefined;
    // Depending on where the parser recovered, the second `=` is inside the ERROR or after it.
    const equalsFollows = errorChildren[errorChildren.length - 1]?.type === '=' || children[children.indexOf(error) + 1]?.type === '=';
    if (swallowed && swallowedName && equalsFollows) {
      return [
        { name: name.text, nameRange: rangeOf(name), value: { kind: 'unknown', text: '', range: rangeOf(error) }, range: spanRange(name, children[1] ?? name) },
        { name: swallowedName, nameRange: rangeOf(swallowed), value: toExpr(expression), range: spanRange(swallowed, expression) },
      ];
    }
  }
  const value: Expr = expression ? toExpr(expression) : { kind: 'unknown', text: '', range: { start: rangeOf(node).end, end: rangeOf(node).end } };
  return [{ name: name.text, nameRange: rangeOf(name), value, range: rangeOf(node) }];
}

function swallowedIdentifier(node: SyntaxNode): string | undefined {
  if (node.type === 'identifier') return node.text;
  const named = node.namedChildren.filter(isNode);
  if (named.length === 1 && named[0].type === 'variable_expr') return named[0].text;
  return undefined;
}

/** Moves every range on line 0 of an expression by `delta` characters. */
function shiftExpr<T>(value: T, delta: number): T {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const record = node as Record<string, unknown>;
    if ('line' in record && 'character' in record && typeof record.character === 'number') {
      if (record.line === 0) record.character = Math.max(0, record.character + delta);
      return;
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(value);
  return value;
}
