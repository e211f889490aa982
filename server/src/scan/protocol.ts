/** Messages between a scan and its worker threads, and the findings they carry (no fixes). */
import type { AnalyzerConfig, Finding } from '../engine';

/** A finding as it crosses a thread: plain data; fixes are built only for open documents. */
export type FindingData = Omit<Finding, 'fixes'>;

export interface WorkerSetup {
  roots: string[];
  maxFileSize: number;
  config: AnalyzerConfig;
}

/** A worker's start-up data: the setups of the scan's groups (one per workspace folder in the editor). */
export interface WorkerData {
  setups: WorkerSetup[];
}

/** `setup` indexes `WorkerData.setups`: the group the batch's files belong to. */
export type ToWorker = { type: 'batch'; files: string[]; setup: number } | { type: 'stop' };

/** What one file of a batch came to: its findings, or why its analysis failed. */
export type FileOutcome = { file: string; findings: FindingData[] } | { file: string; error: string };

/**
 * A file's outcome as a worker sends it: by its place in the batch (`at`), not its path, and
 * only for a file with findings or an error. Most files of a workspace have neither, and a
 * scan of 20,000 files would otherwise clone, send and decode 20,000 paths and empty lists.
 */
export type BatchOutcome = { at: number; findings: FindingData[] } | { at: number; error: string };

/** The outcomes of a batch worth sending, in the batch's order. */
export function batchOutcomes(outcomes: FileOutcome[]): BatchOutcome[] {
  const sent: BatchOutcome[] = [];
  outcomes.forEach((outcome, at) => {
    if ('error' in outcome) sent.push({ at, error: outcome.error });
    else if (outcome.findings.length > 0) sent.push({ at, findings: outcome.findings });
  });
  return sent;
}

/** Every file of a batch with what it came to (no finding for a file not sent), in the batch's order. */
export function* batchResults(files: string[], sent: BatchOutcome[]): Generator<FileOutcome> {
  let next = 0;
  for (let at = 0; at < files.length; at++) {
    const outcome = sent[next]?.at === at ? sent[next++] : undefined;
    const file = files[at];
    if (outcome && 'error' in outcome) yield { file, error: outcome.error };
    else yield { file, findings: outcome?.findings ?? [] };
  }
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'skipped'; file: string; reason: string }
  // The whole batch in one message rather than one per file: a 20,000-file scan otherwise sends
  // 20,000 messages, each serialised, queued and decoded on its own.
  | { type: 'batch-done'; outcomes: BatchOutcome[] };

export function toFindingData(finding: Finding): FindingData {
  const { ruleId, messageId, data, message, severity, uri, range, resource, relatedInformation, suppressedBy } = finding;
  return { ruleId, messageId, data, message, severity, uri, range, resource, relatedInformation, suppressedBy };
}

/**
 * Makes findings share one copy of each string they repeat. A finding that crossed a thread
 * arrives with fresh copies of every string (rule id, severity, file URI, message), and the
 * same messages recur across a workspace, so the findings a scan keeps (the CLI holds them all
 * until it writes its report) would otherwise hold thousands of copies of the same text.
 * Findings are changed in place; the table lives as long as the scan.
 */
export function stringSharer(): (finding: FindingData) => FindingData {
  const table = new Map<string, string>();
  const share = <T extends string>(value: T): T => {
    const known = table.get(value);
    if (known !== undefined) return known as T;
    table.set(value, value);
    return value;
  };
  return (finding) => {
    finding.ruleId = share(finding.ruleId);
    finding.messageId = share(finding.messageId);
    finding.message = share(finding.message);
    finding.severity = share(finding.severity);
    finding.uri = share(finding.uri);
    finding.resource = share(finding.resource);
    if (finding.suppressedBy !== undefined) finding.suppressedBy = share(finding.suppressedBy);
    for (const key of Object.keys(finding.data)) finding.data[key] = share(finding.data[key]);
    for (const related of finding.relatedInformation) {
      related.message = share(related.message);
      related.location.uri = share(related.location.uri);
    }
    return finding;
  };
}
