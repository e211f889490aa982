/**
 * Where a finding about part of a policy is shown. A statement spans many lines; squiggling
 * all of them hides the code, so a multi-line range is cut to its first line (`statement {`,
 * `"Sid": "…",`, `- Sid: …`). A part written in a file the user does not edit with this key
 * (a `.json` read by `file()`) is shown at the policy attribute instead.
 */
import type { Location } from '../types';
import type { LineIndex } from '../model/text';

export interface AnchorOptions {
  /** Where findings go when the part cannot be shown where it is written. */
  summary: Location;
  /** Whether findings located in this file reach the user together with this key's. */
  isShownIn(uri: string): boolean;
  lines(uri: string): LineIndex | undefined;
}

export function policyAnchor(options: AnchorOptions): (origin: Location | undefined) => Location {
  return (origin) => {
    if (!origin || !options.isShownIn(origin.uri)) return options.summary;
    const lines = options.lines(origin.uri);
    return lines ? { uri: origin.uri, range: firstLineOf(origin.range, lines) } : origin;
  };
}

function firstLineOf(range: Location['range'], lines: LineIndex): Location['range'] {
  if (range.start.line === range.end.line) return range;
  const text = lines.line(range.start.line);
  const content = text.replace(/[\s,]+$/, '');
  const end = Math.max(range.start.character + 1, content.length);
  return { start: range.start, end: { line: range.start.line, character: end } };
}
