/**
 * A finding's identity across runs, for SARIF `partialFingerprints` and the CLI's baseline:
 * its rule, file, resource and the offending text with whitespace collapsed, hashed. Line
 * numbers are left out, so an edit elsewhere in the file (a block added above) keeps the
 * identity; changing the offending text itself (fixing it, or writing it differently) does not.
 */
import { createHash } from 'node:crypto';
import type { Range } from '../engine';
import type { ReportedFinding } from './types';

/** Offsets where each line of a text starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The text a range covers, given the file's text and its line starts. */
export function textAt(text: string, starts: number[], range: Range): string {
  const offset = (line: number, character: number): number => (line < starts.length ? Math.min(starts[line] + character, text.length) : text.length);
  return text.slice(offset(range.start.line, range.start.character), offset(range.end.line, range.end.character));
}

/**
 * Fingerprints of the findings, in their order. `textOf(file)` gives a file's text as scanned
 * (undefined when it cannot be read again: the rule and resource still identify the finding).
 * Findings alike in every part are told apart by their order in the file.
 */
export function fingerprints(findings: ReportedFinding[], textOf: (file: string, uri: string) => string | undefined): string[] {
  const seen = new Map<string, number>();
  // Only the last file's text is kept: the CLI's findings come sorted by file, and a scan of a
  // large workspace would otherwise hold the text of every file with a finding until the end.
  let last: { file: string; source: { text: string; starts: number[] } | undefined } | undefined;
  return findings.map(({ finding, file }) => {
    if (last?.file !== file) {
      const text = textOf(file, finding.uri);
      last = { file, source: text === undefined ? undefined : { text, starts: lineStarts(text) } };
    }
    const { source } = last;
    const offending = source ? textAt(source.text, source.starts, finding.range).replace(/\s+/g, ' ').trim().slice(0, 4000) : '';
    const hash = createHash('sha256').update([finding.ruleId, file, finding.resource, offending].join('\0')).digest('hex').slice(0, 32);
    const occurrence = seen.get(hash) ?? 0;
    seen.set(hash, occurrence + 1);
    return occurrence === 0 ? hash : `${hash}:${occurrence}`;
  });
}
