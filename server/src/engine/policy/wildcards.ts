/**
 * IAM wildcard matching with unknowns, and the three-valued logic the evaluator runs on.
 *
 * Both sides of a comparison are patterns: the policy string (where `*` and `?` are wildcards
 * for the operators that allow them) and the request value. On either side `${…}` stands for
 * text the evaluator could not see, i.e. "any text". Two patterns "may match" when some
 * concrete strings fit both; the answer is `yes` only when nothing unknown was involved, so a
 * match that rests on a guess is `maybe` and the caller decides which way to lean.
 */
import type { Tri } from './types';

export const triOr = (...values: Tri[]): Tri =>
  values.includes('yes') ? 'yes' : values.includes('maybe') ? 'maybe' : 'no';

export const triAnd = (...values: Tri[]): Tri =>
  values.includes('no') ? 'no' : values.includes('maybe') ? 'maybe' : 'yes';

export const triNot = (value: Tri): Tri => (value === 'yes' ? 'no' : value === 'no' ? 'yes' : 'maybe');

/** What something that only exists under one branch of a conditional can claim at most. */
export const triCapped = (value: Tri, uncertain: boolean | undefined): Tri =>
  uncertain && value === 'yes' ? 'maybe' : value;

/** `OR` over items, each capped when it is conditional. */
export const triAny = <T>(items: readonly T[], test: (item: T) => Tri): Tri => {
  let result: Tri = 'no';
  for (const item of items) {
    const r = test(item);
    if (r === 'yes') return 'yes';
    if (r === 'maybe') result = 'maybe';
  }
  return result;
};

const STAR = -1;
const ANY_CHAR = -2;
const UNKNOWN = -3;
/** A character code, or one of the markers above. */
type Token = number;

export interface Pattern {
  tokens: Token[];
  /** Contains `${…}`: a match is a guess. */
  hasUnknown: boolean;
}

interface CompileOptions {
  /** `*` and `?` are wildcards (StringLike, ArnLike, actions) rather than literal characters. */
  wildcards: boolean;
  foldCase: boolean;
}

/**
 * For each `{` in the text, the position after the `}` that closes it (-1 when it is never
 * closed), found in one pass with a stack: asking per `${` and scanning ahead would be
 * quadratic in a run of unclosed `${`.
 */
function interpolationEnds(text: string): Int32Array {
  const ends = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') open.push(i);
    else if (text[i] === '}' && open.length > 0) ends[open.pop() as number] = i + 1;
  }
  return ends;
}

/** The text holds `${…}` that stands for unseen text (IAM escapes like `${*}` do not count). */
export const hasInterpolation = (text: string): boolean =>
  compilePattern(text, { wildcards: false, foldCase: false }).hasUnknown;

export function compilePattern(text: string, options: CompileOptions): Pattern {
  const tokens: Token[] = [];
  let hasUnknown = false;
  const source = options.foldCase ? text.toLowerCase() : text;
  const ends = source.includes('${') ? interpolationEnds(source) : undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '$' && source[i + 1] === '{') {
      const end = ends ? ends[i + 1] : -1;
      if (end > 0) {
        const inner = source.slice(i + 2, end - 1);
        // IAM's escapes for characters that would otherwise be wildcards or start a variable.
        if (inner === '*' || inner === '?' || inner === '$') tokens.push(inner.charCodeAt(0));
        else if (tokens[tokens.length - 1] !== UNKNOWN) {
          tokens.push(UNKNOWN);
          hasUnknown = true;
        }
        i = end - 1;
        continue;
      }
    }
    if (options.wildcards && ch === '*') tokens.push(STAR);
    else if (options.wildcards && ch === '?') tokens.push(ANY_CHAR);
    else tokens.push(source.charCodeAt(i));
  }
  return { tokens, hasUnknown };
}

const isStar = (t: Token | undefined): boolean => t === STAR || t === UNKNOWN;

/**
 * Past this many (position, position) pairs two wildcard patterns are not compared: two
 * long strings with `*` in a policy would otherwise cost seconds.
 */
const MAX_PAIRS = 1 << 24;

/**
 * Whether some concrete string fits both patterns; undefined when they are too long to tell.
 * Filled from the ends backwards, one row at a time (no recursion, so a long string cannot
 * overflow the stack; memory linear in `b`).
 */
export function patternsIntersect(a: Pattern, b: Pattern): boolean | undefined {
  const n = a.tokens.length;
  const m = b.tokens.length;
  if (!a.tokens.some(isStar) && !b.tokens.some(isStar)) {
    // No `*` on either side: position by position, in linear time.
    return n === m && a.tokens.every((x, k) => x === b.tokens[k] || x === ANY_CHAR || b.tokens[k] === ANY_CHAR);
  }
  if ((n + 1) * (m + 1) > MAX_PAIRS) return undefined;
  // next[j]: can a.tokens[i + 1..] and b.tokens[j..] match; row[j] the same for i.
  let next = new Uint8Array(m + 1);
  let row = new Uint8Array(m + 1);
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      let result = false;
      if (i === n && j === m) result = true;
      else {
        const x = a.tokens[i];
        const y = b.tokens[j];
        if (i < n && isStar(x)) result = next[j] === 1 || (j < m && row[j + 1] === 1);
        if (!result && j < m && isStar(y)) result = row[j + 1] === 1 || (i < n && next[j] === 1);
        if (!result && i < n && j < m && !isStar(x) && !isStar(y)) {
          result = (x === y || x === ANY_CHAR || y === ANY_CHAR) && next[j + 1] === 1;
        }
      }
      row[j] = result ? 1 : 0;
    }
    [next, row] = [row, next];
  }
  return next[0] === 1;
}

export interface MatchOptions {
  /** `*` and `?` in the policy text are wildcards. */
  wildcards: boolean;
  foldCase?: boolean;
}

/**
 * Does the request value match the policy text? `yes` only when neither side has `${…}` (or
 * the policy text is a bare `*` wildcard, which matches whatever the request holds).
 */
export function matchText(policyText: string, requestText: string, options: MatchOptions): Tri {
  const foldCase = options.foldCase ?? false;
  const policy = compilePattern(policyText, { wildcards: options.wildcards, foldCase });
  const request = compilePattern(requestText, { wildcards: false, foldCase });
  const intersect = patternsIntersect(policy, request);
  if (intersect === undefined) return 'maybe';
  if (!intersect) return 'no';
  if (policy.tokens.length === 1 && policy.tokens[0] === STAR) return 'yes';
  if (!policy.hasUnknown && !request.hasUnknown) return 'yes';
  return unknownsWithinArnParts(policyText, requestText, options) ? 'maybe' : 'no';
}

/**
 * When both sides are ARNs, an interpolation inside one part (`arn:${partition}:cloudtrail:…`)
 * stands for text of that part, not for colons: compare part by part, so
 * `arn:aws:cloudtrail:*:111122223333:trail/*` cannot match `arn:${p}:cloudtrail:${r}:444455556666:trail/${t}`.
 */
function unknownsWithinArnParts(policyText: string, requestText: string, options: MatchOptions): boolean {
  const policyParts = splitArn(policyText);
  const requestParts = splitArn(requestText);
  if (policyParts.length !== 6 || requestParts.length !== 6 || policyParts[0] !== 'arn' || requestParts[0] !== 'arn') return true;
  if (isImpossiblePartition(policyParts[1], requestParts[1])) return false;
  return policyParts.every((part, k) => matchText(part, requestParts[k], options) !== 'no');
}

/**
 * AWS's partitions are a closed set ("Identify AWS resources with Amazon Resource Names",
 * IAM User Guide): a request whose partition is not known is still in one of them, so a policy
 * ARN typed with another literal partition (`arn:logs:…` for `arn:aws:…`) can never match it.
 */
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

function isImpossiblePartition(policyPartition: string, requestPartition: string): boolean {
  const literal = !/[*?]|\$\{/.test(policyPartition);
  return literal && requestPartition.includes('${') && !PARTITIONS.has(policyPartition);
}

/**
 * Split on `separator` outside `${…}` (so `arn:${AWS::Partition}:iam::…` splits right), into
 * at most `limit` parts; the last part keeps the rest.
 */
export function splitOutsideInterpolations(text: string, separator: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let start = 0;
  const ends = text.includes('${') ? interpolationEnds(text) : undefined;
  for (let i = 0; i < text.length && parts.length < limit - 1; i++) {
    if (ends && text[i] === '$' && text[i + 1] === '{') {
      const end = ends[i + 1];
      if (end > 0) {
        i = end - 1;
        continue;
      }
    }
    if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `arn:partition:service:region:account:resource` → its six parts (fewer when it is not an ARN). */
export const splitArn = (text: string): string[] => splitOutsideInterpolations(text, ':', 6);

/**
 * ArnEquals / ArnLike: each of the six colon-separated parts is matched on its own, wildcards
 * allowed in each (IAM: "Each of the six colon-delimited components of the ARN is checked
 * separately"). When either side does not have six parts (an ARN that is entirely `${…}`),
 * the whole strings are compared instead.
 */
export function matchArn(policyText: string, requestText: string, options: MatchOptions): Tri {
  if (options.wildcards && policyText === '*') return 'yes';
  const policyParts = splitArn(policyText);
  const requestParts = splitArn(requestText);
  if (policyParts.length === 6 && requestParts.length === 6 && policyParts[0] === 'arn') {
    if (isImpossiblePartition(policyParts[1], requestParts[1])) return 'no';
    return triAnd(...policyParts.map((part, k) => matchText(part, requestParts[k], options)));
  }
  return matchText(policyText, requestText, options);
}
