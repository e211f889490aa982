/**
 * One batch of a scan (whole folders, so a Terraform module is parsed once), the same in a
 * worker thread and inline: what each file came to.
 */
import type { Analyzer, Finding } from '../engine';
import { pathToUri } from '../diskHost';
import { toFindingData, type FileOutcome } from './protocol';

export function analyzeBatch(analyzer: Analyzer, files: string[]): FileOutcome[] {
  // A file the parser could not read within its budget holds no findings: it is not checked, and said so.
  const outcome = (file: string, found: Finding[]): FileOutcome => {
    const reason = analyzer.notChecked(pathToUri(file));
    return reason ? { file, error: `not checked: ${reason}` } : { file, findings: found.map(toFindingData) };
  };
  try {
    const results = analyzer.analyzeMany(files.map(pathToUri));
    return files.map((file) => outcome(file, results.get(pathToUri(file)) ?? []));
  } catch {
    // One file broke the batch: analyse its files one by one, so the others still count.
    return files.map((file) => {
      try {
        return outcome(file, analyzer.analyze(pathToUri(file)));
      } catch (error) {
        return { file, error: error instanceof Error ? error.stack ?? error.message : String(error) };
      }
    });
  }
}
