/**
 * CloudFormation intrinsic functions in the common model: every spelling (`!Ref X`,
 * `{"Ref": "X"}`, `!GetAtt A.B`, `Fn::GetAtt: [A, B]`) becomes one `CallExpr` named in the
 * long form, with the same argument list, so the evaluator has one shape to interpret.
 */
import type { CallExpr, Expr, LiteralExpr, ObjectExpr } from '../../model/syntax';
import type { SourceText } from './cfnText';

/** Short-form tag names (without `!`) → long-form function names. */
export const SHORT_FORM_FUNCTIONS: ReadonlyMap<string, string> = new Map(
  [
    'Ref', 'Condition',
    'GetAtt', 'Sub', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'ImportValue',
    'Equals', 'Not', 'And', 'Or', 'Base64', 'Cidr', 'GetAZs', 'Transform',
    // AWS::LanguageExtensions
    'ToJsonString', 'Length',
  ].map((name) => [name, name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`]),
);

/** Functions whose whole value is their one argument, even when that value is a list. */
const SINGLE_ARGUMENT = new Set([
  'Ref', 'Condition', 'Fn::Base64', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Transform',
  'Fn::ToJsonString', 'Fn::Length',
]);

/** Functions whose arguments are conditions, where `{Condition: X}` is a call, not a map. */
const CONDITION_ARGUMENTS = new Set(['Fn::And', 'Fn::Or', 'Fn::Not']);

/**
 * The call for intrinsic `name` written with `value` as its argument(s), spanning `range`
 * (the tag and its value, or the one-key mapping).
 */
export function intrinsicCall(name: string, value: Expr, range: CallExpr['range'], source: SourceText): CallExpr {
  return { kind: 'call', name, args: intrinsicArguments(name, value, source), range };
}

function intrinsicArguments(name: string, value: Expr, source: SourceText): Expr[] {
  if (SINGLE_ARGUMENT.has(name)) return [value];
  if (value.kind === 'tuple') return value.items;
  if (name === 'Fn::GetAtt' && value.kind === 'literal' && typeof value.value === 'string') {
    return splitGetAtt(value as LiteralExpr & { value: string }, source);
  }
  return [value];
}

/** `!GetAtt Key.Arn` → `[Key, Arn]`; splits at the first dot (`Stack.Outputs.Name` → `[Stack, Outputs.Name]`). */
function splitGetAtt(literal: LiteralExpr & { value: string }, source: SourceText): Expr[] {
  const dot = literal.value.indexOf('.');
  if (dot < 0) return [literal];
  const resource = literal.value.slice(0, dot);
  const attribute = literal.value.slice(dot + 1);
  // Exact ranges when the text is the value itself, plain or in simple quotes; otherwise
  // (escapes, folded lines) both halves point at the whole scalar.
  const start = source.offsetAt(literal.range.start);
  const written = source.slice(literal.range);
  const quoted = /^["']/.test(written) && written.slice(1, -1) === literal.value;
  if (written !== literal.value && !quoted) {
    return [{ ...literal, value: resource }, { ...literal, value: attribute }];
  }
  const valueStart = start + (quoted ? 1 : 0);
  return [
    { kind: 'literal', value: resource, range: source.range(valueStart, valueStart + dot) },
    { kind: 'literal', value: attribute, range: source.range(valueStart + dot + 1, valueStart + literal.value.length) },
  ];
}

/** The long-form intrinsic an object spells, if it is one: exactly one key, `Ref`, `Fn::…`, or `Condition` where a condition is expected. */
function longFormName(object: ObjectExpr, conditionContext: boolean): string | undefined {
  if (object.entries.length !== 1) return undefined;
  const key = object.entries[0].key;
  if (key === undefined) return undefined;
  if (key === 'Ref' || key.startsWith('Fn::')) return key;
  if (key === 'Condition' && conditionContext) return key;
  return undefined;
}

/**
 * Rewrites long-form intrinsics (one-key mappings) into calls, through the whole expression,
 * including the arguments of calls the YAML reader already made from short-form tags.
 * `conditionContext` is true inside the `Conditions` section; the arguments of `Fn::And`,
 * `Fn::Or` and `Fn::Not` are condition contexts wherever they are.
 */
export function normalizeIntrinsics(expr: Expr, source: SourceText, conditionContext: boolean): Expr {
  switch (expr.kind) {
    case 'object': {
      const name = longFormName(expr, conditionContext);
      if (name !== undefined) {
        const call = intrinsicCall(name, expr.entries[0].value, expr.range, source);
        return normalizeCall(call, source, conditionContext);
      }
      const values = expr.entries.map((entry) => normalizeIntrinsics(entry.value, source, conditionContext));
      if (values.every((value, i) => value === expr.entries[i].value)) return expr;
      return { ...expr, entries: expr.entries.map((entry, i) => ({ ...entry, value: values[i] })) };
    }
    case 'tuple': {
      const items = expr.items.map((item) => normalizeIntrinsics(item, source, conditionContext));
      return items.every((item, i) => item === expr.items[i]) ? expr : { ...expr, items };
    }
    case 'call':
      return normalizeCall(expr, source, conditionContext);
    default:
      return expr;
  }
}

function normalizeCall(call: CallExpr, source: SourceText, conditionContext: boolean): CallExpr {
  const argumentContext = conditionContext || CONDITION_ARGUMENTS.has(call.name);
  const args = call.args.map((arg) => normalizeIntrinsics(arg, source, argumentContext));
  return args.every((arg, i) => arg === call.args[i]) ? call : { ...call, args };
}
