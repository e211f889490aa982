/**
 * Condition operators: parsing `ForAnyValue:StringLikeIfExists` and deciding a test against a
 * request context.
 *
 * IAM semantics followed (IAM User Guide, "IAM JSON policy elements: Condition operators"):
 * - condition keys are case-insensitive, values are case-sensitive unless the operator says
 *   `IgnoreCase` (Bool is compared case-insensitively: "true"/"True");
 * - several values for one key: any may match; for a negated operator (`StringNotEquals`,
 *   `ArnNotLike`, …) none may match;
 * - a key absent from the request: the test is false, except for negated operators (true),
 *   `…IfExists` (true), `ForAllValues:` (true) and `Null`, which tests exactly that;
 * - `ForAnyValue:` / `ForAllValues:` quantify over the values of a multi-valued key.
 *
 * Unknowns, decided conservatively and never as a definite answer:
 * - a policy value that is unknown (an input without a default) could be anything: `maybe`;
 * - a partial value such as `arn:aws:cloudtrail:*:${account}:trail/*` is a wildcard pattern in
 *   which each `${…}` is `*`: `maybe` when it could match, `no` when no value of the
 *   interpolation could make it match (`arn:aws:logs:…` never matches a CloudTrail ARN);
 * - a request value the caller does not know (a `${…}` in it, or a key reported `unknown`) is
 *   treated the same way;
 * - a test present under only one branch of a conditional that does not hold is `maybe`;
 * - numeric and date operators are compared when both sides are plain; IP and binary
 *   operators are always `maybe` when the key is present.
 * An operator that is not an IAM operator at all makes KMS reject the whole policy, so that
 * test never holds (`no`); parsePolicy reports it as CTK106.
 */
import type { Condition, PolicyString, Tri } from './types';
import { hasInterpolation, matchArn, matchText, triAnd, triAny, triCapped, triNot, triOr } from './wildcards';

type Family = 'string' | 'arn' | 'bool' | 'null' | 'numeric' | 'date' | 'ip' | 'binary';
type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

interface OperatorSpec {
  family: Family;
  negated?: boolean;
  wildcards?: boolean;
  foldCase?: boolean;
  comparison?: Comparison;
}

const OPERATORS: Record<string, OperatorSpec> = {
  StringEquals: { family: 'string' },
  StringNotEquals: { family: 'string', negated: true },
  StringEqualsIgnoreCase: { family: 'string', foldCase: true },
  StringNotEqualsIgnoreCase: { family: 'string', negated: true, foldCase: true },
  StringLike: { family: 'string', wildcards: true },
  StringNotLike: { family: 'string', negated: true, wildcards: true },
  ArnEquals: { family: 'arn', wildcards: true },
  ArnLike: { family: 'arn', wildcards: true },
  ArnNotEquals: { family: 'arn', negated: true, wildcards: true },
  ArnNotLike: { family: 'arn', negated: true, wildcards: true },
  Bool: { family: 'bool' },
  Null: { family: 'null' },
  NumericEquals: { family: 'numeric', comparison: 'eq' },
  NumericNotEquals: { family: 'numeric', comparison: 'eq', negated: true },
  NumericLessThan: { family: 'numeric', comparison: 'lt' },
  NumericLessThanEquals: { family: 'numeric', comparison: 'le' },
  NumericGreaterThan: { family: 'numeric', comparison: 'gt' },
  NumericGreaterThanEquals: { family: 'numeric', comparison: 'ge' },
  DateEquals: { family: 'date', comparison: 'eq' },
  DateNotEquals: { family: 'date', comparison: 'eq', negated: true },
  DateLessThan: { family: 'date', comparison: 'lt' },
  DateLessThanEquals: { family: 'date', comparison: 'le' },
  DateGreaterThan: { family: 'date', comparison: 'gt' },
  DateGreaterThanEquals: { family: 'date', comparison: 'ge' },
  IpAddress: { family: 'ip' },
  NotIpAddress: { family: 'ip', negated: true },
  BinaryEquals: { family: 'binary' },
};

/** Every base operator name, for suggestions. */
export const CONDITION_OPERATOR_NAMES: readonly string[] = Object.keys(OPERATORS);

const byLowerName = new Map(Object.keys(OPERATORS).map((name) => [name.toLowerCase(), name]));

export interface ConditionOperator extends OperatorSpec {
  /** The canonical base name, e.g. `StringLike` for `ForAnyValue:stringlikeIfExists`. */
  name: string;
  ifExists: boolean;
  set?: 'ForAnyValue' | 'ForAllValues';
}

/** Parses an operator as written; undefined when it is not an IAM condition operator. */
export function parseConditionOperator(text: string): ConditionOperator | undefined {
  const match = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/i.exec(text);
  if (!match) return undefined;
  const name = byLowerName.get(match[2].toLowerCase());
  if (name === undefined) return undefined;
  const ifExists = match[3] !== undefined;
  if (name === 'Null' && (ifExists || match[1])) return undefined;
  const operator: ConditionOperator = { ...OPERATORS[name], name, ifExists };
  if (match[1]) operator.set = match[1].toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
  return operator;
}

/** What the request says about one condition key. */
export type ContextEntry =
  | { kind: 'absent' }
  /** Present or not, with a value or not: the caller cannot tell. */
  | { kind: 'unknown' }
  /** Present; values may contain `${…}` for parts the caller does not know. */
  | { kind: 'values'; values: string[] };

/** Looks a condition key up in the request; keys are case-insensitive. */
export type ContextLookup = (key: string) => ContextEntry;

export function evaluateCondition(condition: Condition, lookup: ContextLookup): Tri {
  if (condition.invalidOperator) return 'no';
  const operator = parseConditionOperator(condition.operator);
  if (condition.unknown || !operator) return 'maybe';
  const result = evaluateOperator(operator, condition.values, lookup(condition.key));
  return condition.conditional && result === 'no' ? 'maybe' : result;
}

/** Every test of a statement's Condition block must hold. */
export const evaluateConditions = (conditions: readonly Condition[], lookup: ContextLookup): Tri =>
  triAnd(...conditions.map((c) => evaluateCondition(c, lookup)));

function evaluateOperator(operator: ConditionOperator, policyValues: PolicyString[], entry: ContextEntry): Tri {
  if (entry.kind === 'unknown') return 'maybe';
  if (operator.family === 'null') {
    const present = entry.kind === 'values';
    return triAny(policyValues, (v) => {
      if (v.unknown || v.partial) return 'maybe';
      const wantsAbsent = v.value.toLowerCase() === 'true';
      const wantsPresent = v.value.toLowerCase() === 'false';
      return triCapped((wantsAbsent && !present) || (wantsPresent && present) ? 'yes' : 'no', v.conditional);
    });
  }
  if (entry.kind === 'absent') {
    if (operator.ifExists || operator.set === 'ForAllValues') return 'yes';
    if (operator.set === 'ForAnyValue') return 'no';
    return operator.negated ? 'yes' : 'no';
  }
  const testOne = (requestValue: string): Tri => {
    const anyMatches = triAny(policyValues, (v) => triCapped(matchValue(operator, v, requestValue), v.conditional));
    return operator.negated ? triNot(anyMatches) : anyMatches;
  };
  const perValue = entry.values.map(testOne);
  if (operator.set === 'ForAllValues') return triAnd(...perValue);
  return triOr(...perValue);
}

function matchValue(operator: ConditionOperator, policyValue: PolicyString, requestValue: string): Tri {
  if (policyValue.unknown) return 'maybe';
  switch (operator.family) {
    case 'string':
      return matchText(policyValue.value, requestValue, { wildcards: !!operator.wildcards, foldCase: !!operator.foldCase });
    case 'arn':
      return matchArn(policyValue.value, requestValue, { wildcards: true });
    case 'bool':
      return matchText(policyValue.value, requestValue, { wildcards: false, foldCase: true });
    case 'numeric':
    case 'date':
      return compareOrdered(operator, policyValue.value, requestValue);
    default:
      return 'maybe';
  }
}

function compareOrdered(operator: ConditionOperator, policyText: string, requestText: string): Tri {
  if (hasInterpolation(policyText) || hasInterpolation(requestText)) return 'maybe';
  const parse = (text: string): number => (operator.family === 'date' && !/^\d+$/.test(text) ? Date.parse(text) : Number(text));
  const policyNumber = parse(policyText);
  const requestNumber = parse(requestText);
  if (Number.isNaN(policyNumber) || Number.isNaN(requestNumber)) return 'maybe';
  const holds = {
    eq: requestNumber === policyNumber,
    lt: requestNumber < policyNumber,
    le: requestNumber <= policyNumber,
    gt: requestNumber > policyNumber,
    ge: requestNumber >= policyNumber,
  }[operator.comparison ?? 'eq'];
  return holds ? 'yes' : 'no';
}
