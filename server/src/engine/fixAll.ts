/**
 * "Fix all": applies one finding's fix at a time and analyses again, until nothing fixable is
 * left, then returns the whole change as one edit. Re-analysing between fixes (rather than
 * merging precomputed edits) keeps every intermediate text valid: two fixes that insert
 * statements into the same policy never collide.
 */
import type { Analyzer } from './analyzer';
import type { RuleId, TextEdit } from './types';
import { LineIndex } from './model/text';
import { applyTextEdits } from './edits/applyTextEdits';

/** Enough for every key-policy rule to fire once per key in a busy file, with a bound. */
const MAX_ROUNDS = 25;

export function fixAll(analyzer: Analyzer, uri: string, text: string, rules: ReadonlySet<RuleId>): TextEdit | undefined {
  let current = text;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      analyzer.setDocument(uri, current);
      const fix = analyzer.analyze(uri)
        .filter((f) => rules.has(f.ruleId) && !f.suppressedBy)
        .flatMap((f) => f.fixes.filter((x) => x.kind !== 'suppress').slice(0, 1))
        .find((x) => x.edits.every((e) => e.uri === uri));
      if (!fix) break;
      const next = applyTextEdits(current, fix.edits.flatMap((e) => e.edits));
      if (next === current) break;
      current = next;
    }
  } finally {
    analyzer.setDocument(uri, text);
  }
  return current === text ? undefined : minimalEdit(text, current);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** One edit replacing only the span between the common prefix and suffix. */
function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  // Never start or end inside a CRLF or a surrogate pair: an LSP position between them
  // cannot be represented, and clients clamp it to a different place.
  const splits = (i: number): boolean => i > 0 && i < before.length &&
    ((before[i - 1] === '\r' && before[i] === '\n') || (isHighSurrogate(before.charCodeAt(i - 1)) && isLowSurrogate(before.charCodeAt(i))));
  if (splits(start)) start--;
  if (splits(endBefore)) {
    endBefore++;
    endAfter++;
  }
  const lines = new LineIndex(before);
  return { range: { start: lines.positionAt(start), end: lines.positionAt(endBefore) }, newText: after.slice(start, endAfter) };
}
