/**
 * The common syntax model every format adapter produces (Terraform native syntax, Terraform
 * JSON, CloudFormation YAML/JSON, key-policy JSON). Rules and the evaluator only see this.
 *
 * A document is a tree of blocks with attributes whose values are expressions. CloudFormation
 * fits the same shape: a resource is a block labelled with its logical id, `Properties` become
 * attributes, and intrinsic functions (`!Ref`, `Fn::GetAtt`, …) become calls named as in the
 * long form. Every node keeps its exact range so findings and fixes land on the right text.
 */
import type { Range } from '../types';

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | TraversalExpr
  | CallExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | UnknownExpr;

export interface LiteralExpr {
  kind: 'literal';
  value: string | number | boolean | null;
  range: Range;
}

/** A string with interpolations: `"arn:${var.partition}:kms:…"`, a heredoc, or a CloudFormation `!Sub`. */
export interface TemplateExpr {
  kind: 'template';
  parts: Expr[];
  range: Range;
  /** True for heredocs (`<<EOT`), whose text a fix must edit line by line. */
  heredoc?: boolean;
}

export interface TupleExpr {
  kind: 'tuple';
  items: Expr[];
  range: Range;
}

export interface ObjectEntry {
  /** The key as written when it is a plain name or string; undefined for a computed key. */
  key: string | undefined;
  keyRange: Range;
  value: Expr;
  range: Range;
}

export interface ObjectExpr {
  kind: 'object';
  entries: ObjectEntry[];
  range: Range;
}

export type TraversalStep =
  | { kind: 'attr'; name: string; range: Range }
  | { kind: 'index'; key: Expr; range: Range }
  | { kind: 'splat'; range: Range };

/** `var.x`, `aws_kms_key.k[0].arn`, `module.m.*.key_arn`, `local.a`, `count.index`. */
export interface TraversalExpr {
  kind: 'traversal';
  /** The first name (`var`, `aws_kms_key`, `module`); empty when the traversal starts from `source`. */
  root: string;
  /** An expression the steps apply to, for `f(x)[0]` or `(a ? b : c).arn`. */
  source?: Expr;
  rootRange: Range;
  steps: TraversalStep[];
  range: Range;
}

/** A Terraform function call or a CloudFormation intrinsic (`Ref`, `Fn::If`, `Fn::GetAtt`, …). */
export interface CallExpr {
  kind: 'call';
  name: string;
  args: Expr[];
  range: Range;
  /** Terraform's `f(list...)` argument expansion. */
  expandFinal?: boolean;
}

export interface ConditionalExpr {
  kind: 'conditional';
  condition: Expr;
  then: Expr;
  else: Expr;
  range: Range;
}

export interface BinaryExpr {
  kind: 'binary';
  op: string;
  left: Expr;
  right: Expr;
  range: Range;
}

export interface UnaryExpr {
  kind: 'unary';
  op: string;
  operand: Expr;
  range: Range;
}

/** Syntax the evaluator does not interpret (for expressions, broken input): its value is unknown. */
export interface UnknownExpr {
  kind: 'unknown';
  text: string;
  range: Range;
}

export interface Attribute {
  name: string;
  nameRange: Range;
  value: Expr;
  /** Whole `name = value` (HCL) or `Name: value` (YAML/JSON) text. */
  range: Range;
}

export interface Block {
  type: string;
  labels: string[];
  labelRanges: Range[];
  /** From the block type to the end of the closing brace. */
  range: Range;
  /** The first line: type and labels, what a finding without a better anchor squiggles. */
  headerRange: Range;
  /**
   * Where the body's content starts and ends, exclusive of the braces; undefined for a block
   * whose braces are missing (half-typed). Fixes insert attributes relative to this.
   */
  bodyRange: Range | undefined;
  attributes: Attribute[];
  blocks: Block[];
}

/** A comment, kept for suppressions. `range` covers the whole comment. */
export interface Comment {
  text: string;
  range: Range;
}

export type SourceFormat = 'terraform' | 'terraform-json' | 'terraform-plan' | 'terraform-state' | 'cloudformation' | 'policy-json' | 'aws-cli' | 'cdk';

/** One parsed file in the common model. */
export interface SourceFile {
  uri: string;
  format: SourceFormat;
  text: string;
  blocks: Block[];
  comments: Comment[];
  /** Syntax errors the parser recovered from; reported at most once per file, as information. */
  syntaxErrors: Range[];
  /** Why the file could not be read within the parser's budget: it then holds nothing, and is reported as not checked. */
  notChecked?: string;
  /** The note is about the parser's state, not about the text (it was being restarted): the file is parsed again next time. */
  notCheckedTransient?: boolean;
}

export const findAttribute = (block: { attributes: Attribute[] }, name: string): Attribute | undefined =>
  block.attributes.find((a) => a.name === name);
