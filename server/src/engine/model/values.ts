/**
 * What the evaluator knows about a value before anything is deployed.
 *
 * Known values carry the place they were written (`origin`), so a rule can point at the exact
 * string, statement or list item at fault, even when it reached the attribute through
 * variables, locals or module inputs; `trace` records that path for `relatedInformation`.
 */
import type { Location, RelatedInformation } from '../types';
import type { Block } from './syntax';

interface ValueBase {
  /** Where this value was written, when it was written somewhere (a literal, a default). */
  origin?: Location;
  /** The references followed to get here, outermost first (trail → variable default …). */
  trace?: RelatedInformation[];
}

/**
 * A string. When `partial` is set, some interpolations could not be evaluated and appear in
 * `value` as written (`arn:aws:iam::${data.aws_caller_identity.current.account_id}:root`):
 * enough to recognise an ARN's shape, not to compare it exactly.
 */
export interface StringValue extends ValueBase {
  kind: 'string';
  value: string;
  partial?: boolean;
  /** For a partial string: an input without a default it is built from, if any (CTK002). */
  input?: UnknownValue;
}
export interface NumberValue extends ValueBase { kind: 'number'; value: number }
export interface BoolValue extends ValueBase { kind: 'bool'; value: boolean }
export interface NullValue extends ValueBase { kind: 'null' }
/** CloudFormation's `AWS::NoValue`: the property is removed. */
export interface NoValue extends ValueBase { kind: 'novalue' }
export interface ListValue extends ValueBase { kind: 'list'; items: Value[] }
export interface ObjectValue extends ValueBase {
  kind: 'object';
  /** Keys in source order; the location of each key is in `keyOrigins`. */
  entries: Map<string, Value>;
  keyOrigins?: Map<string, Location>;
}

/**
 * An attribute of a declared resource (`aws_kms_key.k.arn`, `!GetAtt Key.Arn`, `!Ref Alias`).
 * Known to be set at apply time; what it points at is the resource itself.
 */
export interface ResourceAttributeValue extends ValueBase {
  kind: 'resource-attribute';
  resource: ResourceRef;
  attribute: string;
}

/**
 * A value nobody can know here.
 * - `input`: an input without a default (variable, parameter, module input): CTK002.
 * - `runtime`: computed by the provider or outside the workspace (a registry module's output,
 *   `Fn::ImportValue`, a data source); assumed set.
 * - `error`: evaluating it would fail (an index past a `count` of 0); `try()` skips it.
 */
export interface UnknownValue extends ValueBase {
  kind: 'unknown';
  cause: 'input' | 'runtime' | 'error';
  /** Human words for what it depends on: `var.kms_key_arn`, `parameter KeyArn`. */
  detail: string;
}

/** Both branches of a conditional whose condition depends on an unknown input. */
export interface OneOfValue extends ValueBase {
  kind: 'one-of';
  options: Value[];
  /** The unknown condition that made both branches possible. */
  because: UnknownValue;
}

export type Value =
  | StringValue | NumberValue | BoolValue | NullValue | NoValue
  | ListValue | ObjectValue
  | ResourceAttributeValue | UnknownValue | OneOfValue;

/** A declared resource, data source or module call the evaluator resolved a reference to. */
export interface ResourceRef {
  uri: string;
  /** `resource`, `data`, `module` (Terraform) or `resource` (CloudFormation). */
  mode: 'resource' | 'data' | 'module';
  /** `aws_kms_key`, `AWS::KMS::Key`, `module`. */
  type: string;
  name: string;
  /** `aws_kms_key.logs`, `data.aws_kms_alias.a`, `module.kms`, `LogsKey`. */
  address: string;
  block: Block;
}

export const isKnownScalar = (v: Value): v is StringValue | NumberValue | BoolValue | NullValue =>
  v.kind === 'string' || v.kind === 'number' || v.kind === 'bool' || v.kind === 'null';
