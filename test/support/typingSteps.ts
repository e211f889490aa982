/**
 * Edits as an editor sends them while someone types: one character at a time. Each step turns
 * the document's text into the next version, so a session can be replayed against a parser
 * that keeps state between versions and against a fresh one.
 */
export type Step = (text: string) => string;

/** Inserts `typed` one character at a time at `offset`, then deletes it one character at a time. */
export function typeAndErase(offset: number, typed: string): Step[] {
  const steps: Step[] = [];
  for (let k = 1; k <= typed.length; k++) steps.push((t) => t.slice(0, offset + k - 1) + typed[k - 1] + t.slice(offset + k - 1));
  for (let k = typed.length; k >= 1; k--) steps.push((t) => t.slice(0, offset + k - 1) + t.slice(offset + k));
  return steps;
}

/** Deletes `text[from, to)` one character at a time from the right, then types it back. */
export function breakAndRepair(text: string, from: number, to: number): Step[] {
  const removed = text.slice(from, to);
  const steps: Step[] = [];
  for (let k = to; k > from; k--) steps.push((t) => t.slice(0, k - 1) + t.slice(k));
  for (let k = from; k < to; k++) steps.push((t) => t.slice(0, k) + removed[k - from] + t.slice(k));
  return steps;
}
