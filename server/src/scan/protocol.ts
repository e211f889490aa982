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

export type FromWorker =
  | { type: 'ready' }
  | { type: 'skipped'; file: string; reason: string }
  // The whole batch in one message rather than one per file: a 20,000-file scan otherwise sends
  // 20,000 messages, each serialised, queued and decoded on its own.
  | { type: 'batch-done'; outcomes: FileOutcome[] };

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
