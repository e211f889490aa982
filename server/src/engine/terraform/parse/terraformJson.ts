/**
 * Terraform JSON syntax (`*.tf.json`, `*.tfvars.json`) → the common model, in the same shape
 * the native adapter gives the same configuration, so the evaluator and the rules never ask
 * which syntax a file was written in.
 *
 * The mapping follows Terraform's "JSON Configuration Syntax": a top-level property names a
 * block type, nested properties are its labels, the innermost object is the body, and any of
 * those levels may be an array of objects instead (repeated blocks). `"//"` properties where a
 * body or a label is expected are comments. Strings are string templates, except where the
 * docs say otherwise (a variable's `type`, `provider`, `depends_on`: bare expressions; a
 * variable's `default`, a module's `source`/`version` and everything in `.tfvars.json`:
 * literal). Without provider schemas JSON cannot tell a nested block from an object-valued
 * argument, so a body's properties are all attributes: `"lifecycle": {…}` is an attribute
 * whose value is an object, where native syntax has a nested block.
 *
 * A template is handed to the native expression parser as the quoted HCL string with the same
 * meaning; every range inside the result is then the JSON string's range, since the mapping
 * from HCL-string offsets back to JSON-string offsets (escapes differ) is not worth its risk:
 * findings and fixes anchor on the whole value anyway.
 */
import { ParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { parseJsonTree } from '../../model/jsonNodes';
import type { Range } from '../../types';
import type { Attribute, Block, Comment, Expr, ObjectEntry, SourceFile } from '../../model/syntax';
import { LineIndex } from '../../model/text';

/** Parses one native-syntax expression; ranges in its result are ignored. */
export type ExpressionParser = (expressionText: string) => Expr;

/** Label count per top-level block type. */
const BLOCK_LABELS: Record<string, number> = {
  resource: 2, data: 2, ephemeral: 2, module: 1, variable: 1, output: 1, provider: 1, check: 1,
  locals: 0, terraform: 0, moved: 0, import: 0, removed: 0,
};

/** How a JSON string is read: a template (the default), as written, or as a bare expression. */
type StringMode = 'template' | 'literal' | 'expression';

/** Arguments whose strings are not templates, per block type (Terraform's JSON syntax docs). */
const ARGUMENT_MODES: Record<string, Record<string, StringMode>> = {
  variable: { type: 'expression', default: 'literal' },
  module: { source: 'literal', version: 'literal', providers: 'expression', depends_on: 'expression' },
  resource: { provider: 'expression', depends_on: 'expression' },
  data: { provider: 'expression', depends_on: 'expression' },
  ephemeral: { provider: 'expression', depends_on: 'expression' },
  output: { depends_on: 'expression' },
};

const COMMENT_KEY = '//';

/** Terraform rejects comments and trailing commas in JSON: report them, keep parsing. */
const PARSE_OPTIONS = { allowTrailingComma: false, disallowComments: true, allowEmptyContent: true };

export function parseTerraformJson(uri: string, text: string, parseExpression: ExpressionParser): SourceFile {
  const errors: ParseError[] = [];
  const root = parseJsonTree(text, errors, PARSE_OPTIONS);
  const reader = new TerraformJsonReader(text, parseExpression, root ? unclosedContainers(root, errors, text.length) : new Set());
  const syntaxErrors = errors.map((error) => reader.range(error.offset, error.offset + error.length));
  const blocks = root ? reader.read(root, uri.endsWith('.tfvars.json'), errors.length > 0) : [];
  const comments = reader.comments.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { uri, format: 'terraform-json', text, blocks, comments, syntaxErrors };
}

/**
 * Objects and arrays whose closing brace or bracket is missing. jsonc-parser ends them at the
 * end of the text, like a closed one that happens to end there; it reports one error per
 * unclosed container at the end, and those are the outermost of the containers ending there.
 */
function unclosedContainers(root: Node, errors: ParseError[], textLength: number): Set<Node> {
  let left = errors.filter((e) => (e.error === ParseErrorCode.CloseBraceExpected || e.error === ParseErrorCode.CloseBracketExpected) && e.offset >= textLength).length;
  const unclosed = new Set<Node>();
  for (let node: Node | undefined = root; node && left > 0; node = node.children?.[node.children.length - 1]) {
    if (node.type !== 'object' && node.type !== 'array') continue;
    if (endOf(node) !== textLength) break;
    unclosed.add(node);
    left--;
  }
  return unclosed;
}

const bodiesOf = (node: Node | undefined): Node[] => {
  if (node?.type === 'object') return [node];
  if (node?.type === 'array') return (node.children ?? []).filter((item) => item.type === 'object');
  return [];
};

const keyOf = (property: Node): Node | undefined => property.children?.[0];
const valueOf = (property: Node): Node | undefined => property.children?.[1];
const keyText = (property: Node): string | undefined => {
  const value: unknown = keyOf(property)?.value;
  return typeof value === 'string' ? value : undefined;
};
const endOf = (node: Node): number => node.offset + node.length;

class TerraformJsonReader {
  readonly comments: Comment[] = [];
  private readonly index: LineIndex;
  /** Properties that broken input nested too deep and that are read as top-level ones instead. */
  private readonly lifted = new Set<Node>();

  constructor(private readonly text: string, private readonly parseExpression: ExpressionParser, private readonly unclosed: Set<Node>) {
    this.index = new LineIndex(text);
  }

  range(start: number, end: number): Range {
    return { start: this.index.positionAt(start), end: this.index.positionAt(end) };
  }

  private rangeOf(node: Node): Range {
    return this.range(node.offset, endOf(node));
  }

  read(root: Node, tfvars: boolean, broken: boolean): Block[] {
    const topLevel = bodiesOf(root).flatMap((body) => this.properties(body));
    if (tfvars) return this.tfvarsBlock(root, topLevel);
    if (broken) this.liftMisplacedBlocks(root, topLevel);
    const blocks: Block[] = [];
    for (const property of [...topLevel, ...this.lifted].sort((a, b) => a.offset - b.offset)) {
      const type = keyText(property);
      const key = keyOf(property);
      if (type === undefined || !key) continue;
      // A key Terraform does not know: salvage it as a block without labels if it looks like one.
      const labelCount = BLOCK_LABELS[type] ?? (bodiesOf(valueOf(property)).length > 0 ? 0 : undefined);
      if (labelCount !== undefined) this.readBlocks(blocks, type, property, labelCount, []);
    }
    return blocks;
  }

  /** A `.tfvars.json` file: values are taken literally, as Terraform does. */
  private tfvarsBlock(root: Node, properties: Node[]): Block[] {
    const attributes = properties.map((property) => this.attribute(property, 'literal'));
    if (attributes.length === 0) return [];
    const range = this.rangeOf(root);
    return [{ type: 'tfvars', labels: [], labelRanges: [], range, headerRange: range, bodyRange: range, attributes, blocks: [] }];
  }

  /** The properties of an object, without `"//"` comments (recorded) and lifted ones. */
  private properties(object: Node): Node[] {
    const properties: Node[] = [];
    for (const property of object.children ?? []) {
      if (property.type !== 'property' || this.lifted.has(property)) continue;
      if (keyText(property) === COMMENT_KEY) this.comment(property);
      else properties.push(property);
    }
    return properties;
  }

  private comment(property: Node): void {
    const value = valueOf(property);
    const said = value?.type === 'string' ? String(value.value) : value ? this.text.slice(value.offset, endOf(value)) : '';
    this.comments.push({ text: `# ${said}`, range: this.rangeOf(property) });
  }

  /**
   * Walks the label levels below `property` (a block type or a label key) and makes one block
   * per body found at the last level.
   */
  private readBlocks(sink: Block[], type: string, property: Node, labelsLeft: number, labels: Node[]): void {
    const value = valueOf(property);
    if (labelsLeft > 0) {
      for (const object of bodiesOf(value)) {
        for (const inner of this.properties(object)) {
          if (keyText(inner) !== undefined) this.readBlocks(sink, type, inner, labelsLeft - 1, [...labels, keyOf(inner)!]);
        }
      }
      return;
    }
    const headerKey = labels[labels.length - 1] ?? keyOf(property)!;
    const common = {
      type,
      labels: labels.map((label) => String(label.value)),
      labelRanges: labels.map((label) => this.rangeOf(label)),
      headerRange: this.rangeOf(headerKey),
      blocks: [],
    };
    const bodies = bodiesOf(value);
    if (bodies.length === 0) {
      // `"main":` with the body still to be typed (or not an object): a block without braces.
      sink.push({ ...common, range: this.range(headerKey.offset, endOf(property)), bodyRange: undefined, attributes: [] });
      return;
    }
    bodies.forEach((body, i) => {
      // Repeated blocks share the key; later ones start at their own brace so ranges never overlap.
      const start = i === 0 ? headerKey.offset : body.offset;
      const liftedInside = [...this.lifted].filter((p) => p.offset > body.offset && p.offset < endOf(body)).map((p) => p.offset);
      const closed = !this.unclosed.has(body) && liftedInside.length === 0;
      const end = liftedInside.length > 0 ? Math.min(...liftedInside) : endOf(body);
      const modes = ARGUMENT_MODES[type] ?? {};
      sink.push({
        ...common,
        range: this.range(start, end),
        bodyRange: closed ? this.range(body.offset + 1, endOf(body) - 1) : undefined,
        attributes: this.properties(body).map((p) => this.attribute(p, modes[keyText(p) ?? ''] ?? 'template')),
      });
    });
  }

  private attribute(property: Node, mode: StringMode): Attribute {
    const key = keyOf(property)!;
    const value = valueOf(property);
    const end = endOf(property);
    return {
      name: String(key.value ?? ''),
      nameRange: this.rangeOf(key),
      // `"kms_key_id":` with the value still to be typed: unknown, not null.
      value: value ? this.expr(value, mode) : { kind: 'unknown', text: '', range: this.range(end, end) },
      range: this.rangeOf(property),
    };
  }

  private expr(node: Node, mode: StringMode): Expr {
    const range = this.rangeOf(node);
    switch (node.type) {
      case 'object':
        return { kind: 'object', entries: (node.children ?? []).filter((p) => !this.lifted.has(p) && keyOf(p)).map((p) => this.entry(p, mode)), range };
      case 'array':
        return { kind: 'tuple', items: (node.children ?? []).map((item) => this.expr(item, mode)), range };
      case 'string':
        return this.string(String(node.value), range, mode);
      case 'number':
      case 'boolean':
        return { kind: 'literal', value: node.value as number | boolean, range };
      case 'null':
        return { kind: 'literal', value: null, range };
      default:
        return { kind: 'unknown', text: this.text.slice(node.offset, endOf(node)), range };
    }
  }

  private entry(property: Node, mode: StringMode): ObjectEntry {
    const key = keyOf(property)!;
    const value = valueOf(property);
    const end = endOf(property);
    const written = String(key.value ?? '');
    // Keys of an object value are templates too; one with an interpolation is computed.
    const computed = mode === 'template' && toQuotedHclTemplate(written) !== undefined;
    return {
      key: computed ? undefined : mode === 'template' ? unescapeTemplateLiteral(written) : written,
      keyRange: this.rangeOf(key),
      value: value ? this.expr(value, mode) : { kind: 'unknown', text: '', range: this.range(end, end) },
      range: this.rangeOf(property),
    };
  }

  private string(value: string, range: Range, mode: StringMode): Expr {
    if (mode === 'literal') return { kind: 'literal', value, range };
    // Generators (hcl2json among them) wrap references in `${…}` even where a bare one is meant.
    if (mode === 'expression' && value.startsWith('${') && endOfSequence(value, 2) === value.length) return this.parsed(value.slice(2, -1), value, range);
    const template = toQuotedHclTemplate(value);
    if (template === undefined) {
      if (mode === 'expression') return this.parsed(value, value, range);
      return { kind: 'literal', value: unescapeTemplateLiteral(value), range };
    }
    return this.parsed(template, value, range);
  }

  /** Runs the native expression parser; its result carries `range` everywhere. */
  private parsed(expressionText: string, value: string, range: Range): Expr {
    try {
      return withRangeEverywhere(this.parseExpression(expressionText), range);
    } catch {
      return { kind: 'unknown', text: value, range };
    }
  }

  /**
   * Broken input nests what follows an unclosed object inside it. As the native adapter lifts
   * blocks starting at column 0, lift properties named like a top-level block type that sit
   * where top-level keys sit (first on their line, at the column of the first top-level key).
   * Only for files with syntax errors, so a valid file is read exactly as written.
   */
  private liftMisplacedBlocks(root: Node, topLevel: Node[]): void {
    const first = topLevel[0] ? keyOf(topLevel[0]) : undefined;
    if (!first) return;
    const column = this.index.positionAt(first.offset).character;
    const topLevelSet = new Set(topLevel);
    const visit = (node: Node): void => {
      for (const child of node.children ?? []) {
        if (child.type === 'property' && !topLevelSet.has(child) && this.looksTopLevel(child, column)) this.lifted.add(child);
        visit(child);
      }
    };
    visit(root);
  }

  private looksTopLevel(property: Node, column: number): boolean {
    const type = keyText(property);
    if (type === undefined || BLOCK_LABELS[type] === undefined || bodiesOf(valueOf(property)).length === 0) return false;
    const position = this.index.positionAt(property.offset);
    return position.character === column && this.index.line(position.line).slice(0, column).trim() === '';
  }
}

/**
 * The quoted native-syntax string that means what the JSON string's decoded `value` means as
 * a template, or undefined when it has no interpolation or directive (then it is a literal).
 * Literal text is escaped for a quoted HCL string; `${…}` / `%{…}` sequences are copied as they
 * are, since their inner strings are already written the native way (`"${lookup(m, "k")}"`).
 */
export function toQuotedHclTemplate(value: string): string | undefined {
  let out = '';
  let templated = false;
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if ((c === '$' || c === '%') && value[i + 1] === c && value[i + 2] === '{') {
      out += value.slice(i, i + 3);
      i += 3;
    } else if ((c === '$' || c === '%') && value[i + 1] === '{') {
      const end = endOfSequence(value, i + 2);
      out += value.slice(i, end);
      templated = true;
      i = end;
    } else {
      out += escapeHclChar(c);
      i++;
    }
  }
  return templated ? `"${out}"` : undefined;
}

/** The index after the `}` closing a sequence whose body starts at `i`. */
function endOfSequence(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfQuoted(text, i + 1);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
    i++;
  }
  return text.length;
}

/** The index after the `"` closing a string inside a sequence, which may hold sequences too. */
function endOfQuoted(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = endOfSequence(text, i + 2);
    else i++;
  }
  return text.length;
}

const HCL_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeHclChar(c: string): string {
  const escaped = HCL_ESCAPES[c];
  if (escaped) return escaped;
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}

/** A template without sequences: only `$${` and `%%{` mean something. */
const unescapeTemplateLiteral = (value: string): string => value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/** A copy of `expr` whose every range (`range`, `rootRange`, `keyRange`) is `range`. */
function withRangeEverywhere(expr: Expr, range: Range): Expr {
  const copy = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => copy(item));
    if (typeof node !== 'object' || node === null) return node;
    if (key !== undefined && /^(range|rootRange|keyRange)$/.test(key)) {
      return { start: { ...range.start }, end: { ...range.end } };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, copy(v, k)]));
  };
  return copy(expr) as Expr;
}
