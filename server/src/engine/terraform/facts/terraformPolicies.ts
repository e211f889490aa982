/**
 * A Terraform `policy = …` expression → the policy document it produces, evaluated, with
 * origins down to each statement in whatever form it is written: `jsonencode({…})` (the
 * evaluator's values), a JSON heredoc, `file()` / `templatefile()` (read through the host,
 * which refuses paths outside the workspace), `data "template_file"`, and
 * `data "aws_iam_policy_document"` (see policyDocumentData.ts), also through locals,
 * variable defaults, conditionals and the `join("", data.x[*].json)` idiom.
 *
 * It also records which ranges hold JSON text, so a fix knows to write JSON there and HCL
 * elsewhere.
 */
import type { Location } from '../../types';
import type { Expr, TemplateExpr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import { LineIndex } from '../../model/text';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import type { ResourceRef, Value } from '../../model/values';
import { oneOf } from '../../model/valueOps';
import { PolicyText, parsePolicyText } from '../../analysis/policyJson';
import { appendPiece, renderTemplate, renderedText, usesDirectives, type Piece, type TemplateVariables } from './policyTemplates';
import { buildPolicyDocument } from './policyDocumentData';

/** Text read as JSON, and what `${…}` means in it: Terraform interpolation, a template variable, or nothing. */
export interface JsonRegion {
  location: Location;
  interpolation: 'terraform' | 'template' | 'none';
}

export interface ResolvedPolicy {
  value: Value;
  /** Set when the policy is an `aws_iam_policy_document`: findings and fixes go to it. */
  document?: ResourceRef;
}

const MAX_DEPTH = 16;
const DOCUMENT_TYPE = 'aws_iam_policy_document';

export class TerraformPolicyReader {
  /** Every range read as JSON text so far, for the fixes. */
  readonly jsonRegions: JsonRegion[] = [];
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly documents = new Map<string, Value>();

  constructor(
    readonly evaluator: TerraformEvaluator,
    /** Reads a file the module refers to (`file()`, `templatefile()`); undefined when it cannot. */
    private readonly readText: (uri: string) => string | undefined,
  ) {}

  resolve(expr: Expr, uri: string): ResolvedPolicy {
    const piece = this.piece(expr, uri, 0);
    return { value: this.valueOf(piece), document: piece.kind === 'value' ? piece.document : undefined };
  }

  /** The evaluated document of a `data "aws_iam_policy_document"`. */
  documentValue(document: ResourceRef): Value {
    let value = this.documents.get(document.address);
    if (!value) {
      // A document that names itself among its sources is unknowable, not infinite.
      this.documents.set(document.address, { kind: 'unknown', cause: 'runtime', detail: `${document.address} refers to itself` });
      value = buildPolicyDocument(document, this.evaluator, (expr) => this.resolve(expr, document.uri).value);
      this.documents.set(document.address, value);
    }
    return value;
  }

  private addJsonRegion(region: JsonRegion): void {
    const same = (r: JsonRegion): boolean => r.location.uri === region.location.uri && r.interpolation === region.interpolation &&
      r.location.range.start.line === region.location.range.start.line && r.location.range.start.character === region.location.range.start.character;
    if (!this.jsonRegions.some(same)) this.jsonRegions.push(region);
  }

  lines(uri: string): LineIndex | undefined {
    let index = this.lineIndexes.get(uri);
    if (!index) {
      const text = this.evaluator.module.files.find((f) => f.uri === uri)?.text ?? this.readText(uri);
      if (text === undefined) return undefined;
      index = new LineIndex(text);
      this.lineIndexes.set(uri, index);
    }
    return index;
  }

  /** A piece's policy value: JSON text is parsed; a string value is JSON text too. */
  private valueOf(piece: Piece): Value {
    if (piece.kind === 'value') {
      const { value } = piece;
      if (value.kind === 'one-of') return { ...value, options: value.options.map((option) => this.valueOf({ kind: 'value', value: option })) };
      if (value.kind !== 'string') return value;
      if (value.partial) return { kind: 'unknown', cause: 'runtime', detail: 'a policy text with interpolations', origin: value.origin };
      return this.valueOf({ kind: 'text', render: (out) => out.appendMapped(value.value, value.origin, value.origin && this.lines(value.origin.uri)) });
    }
    const text = new PolicyText();
    piece.render(text);
    const parsed = parsePolicyText(text);
    // Text that does not parse (a template we could not render faithfully) is not judged.
    if (!parsed.value || parsed.errors.length > 0) return { kind: 'unknown', cause: 'runtime', detail: 'policy text that is not valid JSON here', origin: text.location(0, text.text.length) };
    return parsed.value;
  }

  private piece(expr: Expr, uri: string, depth: number): Piece {
    if (depth > MAX_DEPTH) return unknownPiece('a policy nested too deeply', { uri, range: expr.range });
    const special =
      expr.kind === 'template' ? this.templatePiece(expr, uri, depth)
      : expr.kind === 'call' ? this.callPiece(expr, uri, depth)
      : expr.kind === 'traversal' ? this.traversalPiece(expr, uri, depth)
      : expr.kind === 'conditional' ? this.conditionalPiece(expr, uri, depth)
      : undefined;
    return special ?? this.evaluatedPiece(expr, uri);
  }

  private evaluatedPiece(expr: Expr, uri: string): Piece {
    const value = this.evaluator.evaluate(expr, uri);
    if (value.kind === 'resource-attribute' && value.resource.mode === 'data') {
      const piece = this.dataSourcePiece(value.resource, value.attribute, 0);
      if (piece) return piece;
    }
    return { kind: 'value', value };
  }

  private templatePiece(expr: TemplateExpr, uri: string, depth: number): Piece | undefined {
    const lines = this.lines(uri);
    if (!lines) return undefined;
    // `"${data.x.json}"`, Terraform 0.11 style, is the reference itself.
    if (!expr.heredoc && expr.parts.length === 1 && expr.parts[0].kind !== 'literal') return this.piece(expr.parts[0], uri, depth + 1);
    return {
      kind: 'text',
      render: (out) => {
        if (expr.heredoc) this.addJsonRegion({ location: { uri, range: expr.range }, interpolation: 'terraform' });
        for (const part of expr.parts) {
          const where: Location = { uri, range: part.range };
          if (part.kind === 'literal' && expr.heredoc) appendHeredocLiteral(out, lines, where);
          else if (part.kind === 'literal') out.appendMapped(String(part.value ?? ''), where, lines);
          else appendPiece(out, this.piece(part, uri, depth + 1), lines.slice(part.range), where, lines);
        }
      },
    };
  }

  private callPiece(expr: Extract<Expr, { kind: 'call' }>, uri: string, depth: number): Piece | undefined {
    const [first, second] = expr.args;
    switch (expr.name) {
      case 'jsonencode':
        return first && { kind: 'value', value: this.evaluator.evaluate(first, uri) };
      case 'file':
        return first && this.filePiece(first, uri, undefined);
      case 'templatefile':
        return first && this.filePiece(first, uri, second ? this.variablesOf(second, uri, depth) : () => undefined);
      case 'trimspace': case 'chomp':
        return first && this.piece(first, uri, depth + 1);
      case 'join': {
        // `join("", data.x[*].json)`: the one document, or nothing when its count is 0.
        const list = second?.kind === 'tuple' && second.items.length === 1 ? second.items[0] : second;
        const piece = list?.kind === 'traversal' && expr.args.length === 2 ? this.traversalPiece(list, uri, depth) : undefined;
        return piece?.kind === 'value' && piece.document ? piece : undefined;
      }
      default:
        return undefined;
    }
  }

  private traversalPiece(expr: Extract<Expr, { kind: 'traversal' }>, uri: string, depth: number): Piece | undefined {
    if (expr.source) return undefined;
    const names = expr.steps.filter((s): s is Extract<typeof s, { kind: 'attr' }> => s.kind === 'attr').map((s) => s.name);
    const module = this.evaluator.module;
    if (expr.root === 'data' && names.length === 3) {
      const resource = module.resources.get(`data.${names[0]}.${names[1]}`);
      return resource && this.dataSourcePiece(resource, names[2], depth);
    }
    if (expr.steps.length !== 1 || names.length !== 1) return undefined;
    if (expr.root === 'local') {
      const local = module.locals.get(names[0]);
      return local && this.piece(local.attribute.value, local.uri, depth + 1);
    }
    if (expr.root === 'var' && !this.evaluator.caller) {
      const tfvar = module.tfvars.get(names[0]);
      if (tfvar) return this.piece(tfvar.attribute.value, tfvar.uri, depth + 1);
      const declared = module.variables.get(names[0]);
      const fallback = declared && findAttribute(declared.block, 'default');
      return fallback && declared && this.piece(fallback.value, declared.uri, depth + 1);
    }
    return undefined;
  }

  private conditionalPiece(expr: Extract<Expr, { kind: 'conditional' }>, uri: string, depth: number): Piece {
    const condition = this.evaluator.evaluate(expr.condition, uri);
    const decided = condition.kind === 'bool' ? condition.value : undefined;
    if (decided !== undefined) return this.piece(decided ? expr.then : expr.else, uri, depth + 1);
    const because = condition.kind === 'one-of' ? condition.because : condition.kind === 'unknown' ? condition : { kind: 'unknown' as const, cause: 'runtime' as const, detail: 'a condition' };
    const options = [expr.then, expr.else].map((branch) => this.valueOf(this.piece(branch, uri, depth + 1)));
    return { kind: 'value', value: oneOf(options, because) };
  }

  private dataSourcePiece(resource: ResourceRef, attribute: string, depth: number): Piece | undefined {
    if (resource.type === DOCUMENT_TYPE && (attribute === 'json' || attribute === 'minified_json')) {
      return { kind: 'value', value: this.documentValue(resource), document: resource };
    }
    if (resource.type !== 'template_file' || attribute !== 'rendered') return undefined;
    const template = findAttribute(resource.block, 'template');
    if (!template) return undefined;
    const source = renderedText(this.piece(template.value, resource.uri, depth + 1));
    const vars = findAttribute(resource.block, 'vars');
    const variables = vars ? this.variablesOf(vars.value, resource.uri, depth) : () => undefined;
    return this.renderedTemplatePiece(source, variables, 'template');
  }

  private filePiece(pathExpr: Expr, uri: string, variables: TemplateVariables | undefined): Piece | undefined {
    const fileUri = this.pathUri(pathExpr, uri);
    const lines = fileUri === undefined ? undefined : this.lines(fileUri);
    if (!fileUri || !lines) return undefined;
    const source = new PolicyText();
    source.appendSource({ uri: fileUri, lines }, 0, lines.text.length);
    const whole: Location = { uri: fileUri, range: { start: { line: 0, character: 0 }, end: lines.positionAt(lines.text.length) } };
    this.addJsonRegion({ location: whole, interpolation: variables ? 'template' : 'none' });
    if (!variables) return { kind: 'text', render: (out) => out.appendSourced(source) };
    return this.renderedTemplatePiece(source, variables, fileUri);
  }

  private renderedTemplatePiece(source: PolicyText, variables: TemplateVariables, what: string): Piece {
    if (usesDirectives(source.text)) return unknownPiece(`${what} uses template directives`, source.location(0, source.text.length));
    return { kind: 'text', render: (out) => void renderTemplate(source, variables, out) };
  }

  /** `{ name = expr, … }` of `templatefile()` / `template_file`, each read lazily. */
  private variablesOf(expr: Expr, uri: string, depth: number): TemplateVariables {
    if (expr.kind === 'object') {
      return (name) => {
        const entry = expr.entries.find((e) => e.key === name);
        return entry && this.piece(entry.value, uri, depth + 1);
      };
    }
    const value = this.evaluator.evaluate(expr, uri);
    return (name) => {
      const entry = value.kind === 'object' ? value.entries.get(name) : undefined;
      return entry && { kind: 'value', value: entry };
    };
  }

  /** The URI a path expression names (`"${path.module}/policy.json"`), resolved like Terraform does. */
  private pathUri(expr: Expr, uri: string): string | undefined {
    const text = this.pathText(expr, uri);
    if (text === undefined) return undefined;
    try {
      if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return new URL(text).href;
      if (text.startsWith('/')) return new URL(`file://${text}`).href;
      // Relative paths are relative to the working directory: the root module.
      return new URL(text, `${this.rootDirUri()}/`).href;
    } catch {
      return undefined;
    }
  }

  private pathText(expr: Expr, uri: string): string | undefined {
    if (expr.kind === 'literal') return typeof expr.value === 'string' ? expr.value : undefined;
    if (expr.kind === 'traversal' && expr.root === 'path' && expr.steps.length === 1 && expr.steps[0].kind === 'attr') {
      return expr.steps[0].name === 'module' ? this.evaluator.module.dirUri : this.rootDirUri();
    }
    if (expr.kind === 'template' && !expr.heredoc) {
      const parts = expr.parts.map((p) => this.pathText(p, uri));
      return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
    }
    const value = this.evaluator.evaluate(expr, uri);
    return value.kind === 'string' && !value.partial ? value.value : undefined;
  }

  private rootDirUri(): string {
    let evaluator = this.evaluator;
    while (evaluator.caller) evaluator = evaluator.caller.evaluator;
    return evaluator.module.dirUri;
  }
}

/** A heredoc's literal text, character for character, undoing `$${` and `%%{` escapes. */
function appendHeredocLiteral(out: PolicyText, lines: LineIndex, where: Location): void {
  const source = { uri: where.uri, lines };
  const start = lines.offsetAt(where.range.start);
  const end = lines.offsetAt(where.range.end);
  let from = start;
  for (let i = start; i < end - 2; i++) {
    const c = lines.text[i];
    if ((c === '$' || c === '%') && lines.text[i + 1] === c && lines.text[i + 2] === '{') {
      out.appendSource(source, from, i);
      from = i + 1;
      i++;
    }
  }
  out.appendSource(source, from, end);
}

const unknownPiece = (detail: string, origin?: Location): Piece => ({ kind: 'value', value: { kind: 'unknown', cause: 'runtime', detail, origin } });
