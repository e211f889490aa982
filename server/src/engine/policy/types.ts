/**
 * The parsed form of an IAM / KMS key policy, as rules see it.
 *
 * Everything keeps the `origin` of the value it came from, so a rule can squiggle exactly the
 * statement, action or principal at fault. Values the evaluator could not know stay in the
 * model (as `unknown` or `partial` strings) instead of being dropped: absence must never be
 * confused with "we could not see it".
 */
import type { Location } from '../types';
import type { Value } from '../model/values';

/**
 * Three-valued answers. `maybe` means the answer depends on something the evaluator could not
 * know (an input without a default, a `${…}` interpolation, one branch of a conditional).
 */
export type Tri = 'yes' | 'no' | 'maybe';

export type Effect = 'Allow' | 'Deny';

/**
 * One string of a policy element (an action, a principal identifier, a resource, a condition
 * value).
 *
 * `${…}` in `value` always stands for text we cannot see (a Terraform/CloudFormation
 * interpolation or an IAM policy variable); the matchers treat it as "any text" and answer
 * `maybe` rather than `yes`. The IAM escapes `${*}`, `${?}` and `${$}` are literal characters.
 */
export interface PolicyString {
  value: string;
  /** The text contains `${…}` the evaluator could not resolve. */
  partial: boolean;
  /**
   * The whole value is unknowable (an input without a default, a provider-computed attribute):
   * it may stand for any string, or any number of strings. `value` is `${<what it depends on>}`.
   */
  unknown?: boolean;
  /** Only present under one branch of an undecidable conditional. */
  conditional?: boolean;
  origin?: Location;
}

/** The principal types a key policy accepts. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

export interface PrincipalItem extends PolicyString {
  /**
   * `*` for the bare `"Principal": "*"`; `unknown` when even the type cannot be known (the whole
   * Principal is an input); otherwise the map key (`AWS`, `Service`, …, or a misspelling, which
   * never matches anything and is reported as CTK106).
   */
  type: PrincipalType | '*' | 'unknown' | (string & Record<never, never>);
}

/** A policy element that holds one or more strings (`Action`, `Resource`, `Principal`, …). */
export interface PolicyElement<T extends PolicyString = PolicyString> {
  items: T[];
  /** The element's value as written (the list, the map, the string). */
  origin?: Location;
}

/** One `operator: { key: values }` test of a `Condition` block. */
export interface Condition {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. Empty when `unknown`. */
  operator: string;
  /** As written; condition keys are compared case-insensitively. */
  key: string;
  values: PolicyString[];
  /** The operator or the whole block could not be known: the test may or may not hold. */
  unknown?: boolean;
  /** The operator is not an IAM condition operator: the policy is invalid, the test never holds. */
  invalidOperator?: boolean;
  /** Only present under one branch of an undecidable conditional. */
  conditional?: boolean;
  /** The key's values as written. */
  origin?: Location;
  operatorOrigin?: Location;
  keyOrigin?: Location;
}

export interface Statement {
  /** Position in the `Statement` list (statements from both branches of a conditional share it). */
  index: number;
  sid?: string;
  effect: Effect;
  /** The Effect could not be known; the statement may allow or deny. `effect` is then `Allow`. */
  effectUnknown?: boolean;
  principal?: PolicyElement<PrincipalItem>;
  notPrincipal?: PolicyElement<PrincipalItem>;
  actions?: PolicyElement;
  notActions?: PolicyElement;
  resources?: PolicyElement;
  notResources?: PolicyElement;
  /** All tests of the `Condition` block; every one must hold. */
  conditions: Condition[];
  /** The `Condition` block as written. */
  conditionOrigin?: Location;
  /** The statement exists only under one branch of an undecidable conditional. */
  conditional: boolean;
  /** The whole statement object. */
  origin?: Location;
  /** The evaluated statement, for fixes that need key positions (`keyOrigins`) or the trace. */
  source: Value;
}

export type PolicyProblemId =
  | 'invalidDocumentType'
  | 'unknownPolicyElement'
  | 'invalidVersion'
  | 'missingStatement'
  | 'invalidStatementType'
  | 'unknownStatementElement'
  | 'missingEffect'
  | 'invalidEffect'
  | 'missingPrincipal'
  | 'principalAndNotPrincipal'
  | 'invalidPrincipalForm'
  | 'unknownPrincipalType'
  | 'invalidPrincipalValue'
  | 'missingAction'
  | 'actionAndNotAction'
  | 'invalidActionType'
  | 'malformedAction'
  | 'unknownAction'
  | 'actionMatchesNothing'
  | 'missingResource'
  | 'invalidResourceType'
  | 'invalidConditionType'
  | 'unknownConditionOperator'
  | 'invalidConditionValue';

/** A CTK106 (key-policy-invalid) finding, before the rule turns it into a `Finding`. */
export interface PolicyProblem {
  ruleId: 'CTK106';
  messageId: PolicyProblemId;
  /** Placeholder values for the message (`policyProblemMessages`). */
  data: Record<string, string>;
  /** The offending value (or key, or statement when something is missing). */
  origin?: Location;
  /**
   * A replacement for the offending string, when one is obvious (`kms:GenerateDataKey*` for
   * `kms=GenerateDataKey*`, `Action` for `Actions`). Plain text: fixes quote it per syntax.
   */
  suggestion?: string;
  /** The statement it belongs to, when it belongs to one. */
  statementIndex?: number;
}

export interface ParsedPolicy {
  statements: Statement[];
  problems: PolicyProblem[];
  /**
   * Some statements could not be seen (the Statement list, or an item of it, is an unknown
   * value): that nothing grants a permission proves nothing.
   */
  hasUnknownStatements: boolean;
  version?: PolicyString;
  /** The whole document. */
  origin?: Location;
  /** The `Statement` list as written, where fixes insert statements. */
  statementListOrigin?: Location;
  document: Value;
}
