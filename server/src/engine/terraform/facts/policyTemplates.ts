/**
 * Terraform's template language, as far as key policies use it: `templatefile()` and
 * `data "template_file"` substitute `${name}` with their variables, `$${` is a literal `${`,
 * and a directive (`%{ for … }`) makes the result unknowable here.
 *
 * Substitution writes into the destination text directly, so a variable lands inside or
 * outside a JSON string exactly as it will in the rendered policy.
 */
import type { Location } from '../../types';
import type { LineIndex } from '../../model/text';
import type { ResourceRef, Value } from '../../model/values';
import { PolicyText } from '../../analysis/policyJson';
import type { SourcedText } from '../../analysis/sourcedText';

/** What an expression contributes to a policy text: text to splice in, or an evaluated value. */
export type Piece =
  | { kind: 'text'; render(out: PolicyText): void }
  /** `document`: the value is that `aws_iam_policy_document`'s. */
  | { kind: 'value'; value: Value; document?: ResourceRef };

/** Splices a piece into a policy text at the current position. */
export function appendPiece(out: PolicyText, piece: Piece, written: string, where?: Location, lines?: LineIndex): void {
  if (piece.kind === 'text') piece.render(out);
  else out.appendValue(piece.value, written, where, lines);
}

const IDENTIFIER = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*$/;
const JSONENCODE_OF_IDENTIFIER = /^\s*jsonencode\(\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\)\s*$/;

export type TemplateVariables = (name: string) => Piece | undefined;

/**
 * Renders `template` into `out`. Returns false when the template uses directives, whose
 * result cannot be known without running them.
 */
export function renderTemplate(template: SourcedText, variables: TemplateVariables, out: PolicyText): boolean {
  const text = template.text;
  let copied = 0;
  const copyUpTo = (end: number): void => {
    if (end > copied) out.appendSourced(template, copied, end);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      // `$${` and `%%{` are escapes for a literal `${` / `%{`.
      copyUpTo(i);
      copied = i + 1;
      i += 2;
      continue;
    }
    if (c === '%' && text[i + 1] === '{') return false;
    if (c !== '$' || text[i + 1] !== '{') continue;
    const end = closingBrace(text, i + 2);
    if (end === -1) return false;
    copyUpTo(i);
    const expression = text.slice(i + 2, end);
    const where = template.location(i, end + 1);
    const name = IDENTIFIER.exec(expression)?.[1] ?? JSONENCODE_OF_IDENTIFIER.exec(expression)?.[1];
    const piece = name !== undefined ? variables(name) : undefined;
    const unknown: Piece = { kind: 'value', value: { kind: 'unknown', cause: 'runtime', detail: expression.trim(), origin: where } };
    appendPiece(out, piece ?? unknown, expression.trim(), where);
    copied = end + 1;
    i = end;
  }
  copyUpTo(text.length);
  return true;
}

/** Whether a template uses `%{ … }` directives (an escaped `%%{` does not count). */
export const usesDirectives = (text: string): boolean => /(^|[^%])%\{/.test(text);

/** The `}` closing an interpolation that starts at `from`, skipping nested braces and strings. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  let quote = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** A policy text of its own, for a piece whose text must be read before it is used (a template). */
export function renderedText(piece: Piece): PolicyText {
  const out = new PolicyText();
  appendPiece(out, piece, '');
  return out;
}
