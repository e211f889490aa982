/**
 * Why a statement's conditions never match CloudTrail's request, in words a message can use:
 * which condition names which part of the trail (partition, Region, account, trail name) with
 * a value the trail does not have, or a pattern written under an operator without wildcards.
 *
 * Only parts known on both sides are compared: a `${…}` on either side could be anything, so
 * it never explains a mismatch (the evaluator says `maybe` for it, never `no`).
 */
import type { PolicyRequest } from './evaluate';
import { contextLookup } from './evaluate';
import { evaluateCondition, parseConditionOperator } from './matchers';
import type { Statement } from './types';
import { CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY } from './cloudtrailRequests';
import { hasInterpolation, matchText, splitArn } from './wildcards';

export type MismatchedPart = 'partition' | 'region' | 'account' | 'trail';

export interface ConditionMismatch {
  /** The condition key as written: `aws:SourceArn`. */
  key: string;
  operator: string;
  /** A pattern under an operator that has no wildcards (`StringEquals`): its `*` is a literal star. */
  literalStar?: boolean;
  /** The part of the trail's ARN (or account) the condition names differently. */
  part?: MismatchedPart;
  /** What the condition names (the part, or the whole value for a literal star). */
  written: string;
  /** What the trail has. */
  actual?: string;
}

const ARN_KEYS = new Set([CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY, 'aws:SourceArn'].map((k) => k.toLowerCase()));
const ACCOUNT_KEY = 'aws:sourceaccount';
/** ARN parts in the order a reader checks them, by index in `arn:partition:service:region:account:resource`. */
const PARTS: [number, MismatchedPart][] = [[1, 'partition'], [3, 'region'], [4, 'account'], [5, 'trail']];

/** The first condition of `statement` that certainly fails for `request`, explained; undefined when none can be. */
export function explainConditionMismatch(statement: Statement, request: PolicyRequest): ConditionMismatch | undefined {
  const lookup = contextLookup(request);
  for (const condition of statement.conditions) {
    const key = condition.key.toLowerCase();
    if (!ARN_KEYS.has(key) && key !== ACCOUNT_KEY) continue;
    const operator = parseConditionOperator(condition.operator);
    if (!operator || operator.negated || evaluateCondition(condition, lookup) !== 'no') continue;
    const entry = lookup(condition.key);
    if (entry.kind !== 'values' || entry.values.length !== 1) continue;
    const actual = entry.values[0];
    for (const value of condition.values) {
      if (value.unknown) continue;
      const base = { key: condition.key, operator: condition.operator };
      if (operator.family === 'string' && !operator.wildcards && /[*?]/.test(value.value)) return { ...base, literalStar: true, written: value.value };
      if (key === ACCOUNT_KEY) {
        if (!hasInterpolation(value.value) && !hasInterpolation(actual)) return { ...base, part: 'account', written: value.value, actual };
        continue;
      }
      const written = splitArn(value.value);
      const trail = splitArn(actual);
      if (written.length !== 6 || trail.length !== 6) continue;
      const wildcards = operator.family === 'arn' || !!operator.wildcards;
      for (const [index, part] of PARTS) {
        if (hasInterpolation(written[index]) || hasInterpolation(trail[index])) continue;
        if (matchText(written[index], trail[index], { wildcards, foldCase: !!operator.foldCase }) === 'no') {
          const strip = (text: string): string => (part === 'trail' ? text.replace(/^trail\//, '') : text);
          return { ...base, part, written: strip(written[index]), actual: strip(trail[index]) };
        }
      }
    }
  }
  return undefined;
}
