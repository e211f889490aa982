/**
 * A baseline: the findings a codebase already had when it adopted the check, written with
 * `--write-baseline FILE` and read with `--baseline FILE`, so CI reports and fails only on new
 * ones. Findings are matched by their fingerprint (rule, file, resource and the offending text),
 * never by line, so unrelated edits do not bring them back; fixing one and writing it again
 * the same way later does.
 */
import * as fs from 'node:fs';

export interface BaselineEntry {
  ruleId: string;
  file: string;
  resource: string;
  fingerprint: string;
}

interface BaselineFile {
  version: 1;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

export function readBaseline(filePath: string): Set<string> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(filePath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(`cannot read the baseline ${filePath}: ${code ?? (error instanceof Error ? error.message : String(error))}`);
  }
  const file = value as Partial<BaselineFile>;
  if (typeof value !== 'object' || value === null || file.version !== 1 || !Array.isArray(file.findings) || file.findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new BaselineError(`${filePath} is not a baseline written by --write-baseline (version 1, findings with fingerprints)`);
  }
  return new Set(file.findings.map((f) => f.fingerprint));
}

export function writeBaseline(filePath: string, entries: BaselineEntry[]): void {
  const sorted = [...entries].sort((a, b) => (a.file === b.file ? (a.fingerprint < b.fingerprint ? -1 : 1) : a.file < b.file ? -1 : 1));
  const file: BaselineFile = { version: 1, findings: sorted };
  fs.writeFileSync(filePath, `${JSON.stringify(file, null, 2)}\n`);
}
