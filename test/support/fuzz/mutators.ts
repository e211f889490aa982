/**
 * Mutations of a valid file into the text an editor or a repository may hold: half-typed,
 * truncated, corrupted, enormous. Each returns the new text and the line span it touched in
 * the original, so a test can tell which top-level blocks are still intact.
 */
import type { Prng } from './prng';

export interface Mutant {
  text: string;
  /** Names of the mutations applied, in order: printed with a failure. */
  applied: string[];
  /** Lines of the original text the mutations touched (inclusive), or undefined when the whole file may be affected. */
  touched?: { first: number; last: number };
}

export type Mutator = (text: string, rng: Prng) => { text: string; touched?: { first: number; last: number } };

const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
};

const lineOf = (starts: number[], offset: number): number => {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/**
 * Replaces `length` characters at a random offset with `insert`, reporting the touched lines:
 * the line of the offset, and the next one too when a replaced character is its line break
 * (the two lines become one, so the next line's start is damaged as well).
 */
const splice = (text: string, rng: Prng, insert: (at: number) => string, length = 0): ReturnType<Mutator> => {
  const at = rng.int(text.length + 1);
  const line = lineOf(lineStarts(text), at);
  const joinsNext = text.slice(at, at + length).includes('\n');
  return { text: text.slice(0, at) + insert(at) + text.slice(at + length), touched: { first: line, last: joinsNext ? line + 1 : line } };
};

const withLines = (text: string, rng: Prng, edit: (lines: string[], i: number) => void): ReturnType<Mutator> => {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  edit(lines, i);
  return { text: lines.join('\n'), touched: { first: i, last: i } };
};

const JUNK = ['resou', '}', 'x =', '{', '"', 'resource "aws_s3_bucket"', '- ', ':', '  ]', '${', '<<EOF', '/*', '#', '\t', 'Resources:', '"a": ', ', ,'];
const CHARS = ['{', '}', '[', ']', '(', ')', '"', "'", '\\', '$', '%', ':', ',', '=', '#', '&', '*', '!', '|', '>', '\u0000', '\r', '\t', 'é', '😀', '\ud800'];

export const MUTATORS: Record<string, Mutator> = {
  truncate: (text, rng) => {
    const at = rng.int(text.length + 1);
    const line = lineOf(lineStarts(text), at);
    return { text: text.slice(0, at), touched: { first: line, last: Number.MAX_SAFE_INTEGER } };
  },
  deleteLine: (text, rng) => withLines(text, rng, (lines, i) => void lines.splice(i, 1)),
  duplicateLine: (text, rng) => withLines(text, rng, (lines, i) => void lines.splice(i, 0, lines[i])),
  junkLine: (text, rng) => withLines(text, rng, (lines, i) => void lines.splice(i, 0, rng.pick(JUNK))),
  insertChar: (text, rng) => splice(text, rng, () => rng.pick(CHARS)),
  deleteChar: (text, rng) => splice(text, rng, () => '', 1),
  byteFlip: (text, rng) => splice(text, rng, (at) => String.fromCharCode((text.charCodeAt(at) || 32) ^ (1 << rng.int(7))), 1),
  nul: (text, rng) => splice(text, rng, () => '\u0000'.repeat(1 + rng.int(4))),
  // Whole-file line-end changes: every line moves, so no block counts as intact.
  crlf: (text) => ({ text: text.replace(/\r?\n/g, '\r\n') }),
  loneCr: (text) => ({ text: text.replace(/\r?\n/g, '\r') }),
  hugeString: (text, rng) => splice(text, rng, () => `"${'A'.repeat(20000 + rng.int(80000))}"`),
  spaceRun: (text, rng) => splice(text, rng, () => ' '.repeat(500 + rng.int(1500))),
  // Moderate depth: the engine must stay bounded here; 10,000 levels are the limits tests' job.
  deepNesting: (text, rng) => {
    const depth = 50 + rng.int(150);
    const [open, close] = rng.pick([['[', ']'], ['{', '}'], ['(', ')'], ['{"a":', '}']]);
    return splice(text, rng, () => open.repeat(depth) + close.repeat(rng.int(2) === 0 ? depth : rng.int(depth)));
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/**
 * One to three mutations (exactly one when `single`), chosen and applied by `rng`; `touched`
 * spans them, and is known only for a single mutation (after the first, lines may shift).
 */
export function mutate(text: string, rng: Prng, names: readonly string[] = MUTATOR_NAMES, single = false): Mutant {
  const count = single ? 1 : 1 + rng.int(3);
  let current = text;
  const applied: string[] = [];
  let touched: Mutant['touched'] = { first: Number.MAX_SAFE_INTEGER, last: -1 };
  for (let i = 0; i < count; i++) {
    const name = rng.pick(names);
    const result = MUTATORS[name](current, rng);
    applied.push(name);
    current = result.text;
    touched = touched && result.touched
      ? { first: Math.min(touched.first, result.touched.first), last: Math.max(touched.last, result.touched.last) }
      : undefined;
    // After the first mutation lines may have shifted: only a single one keeps exact block bounds.
    if (i > 0) touched = undefined;
  }
  return { text: current, applied, touched };
}
