/** Messages between a scan and its worker threads, and the findings they carry (no fixes). */
import type { AnalyzerConfig, Finding } from '../engine';

/** A finding as it crosses a thread: plain data; fixes are built only for open documents. */
export type FindingData = Omit<Finding, 'fixes'>;

export interface WorkerSetup {
  roots: string[];
  maxFileSize: number;
  config: AnalyzerConfig;
}

export type ToWorker = { type: 'batch'; files: string[] } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; file: string; findings: FindingData[] }
  | { type: 'skipped'; file: string; reason: string }
  | { type: 'batch-done' }
  | { type: 'failed'; file: string; error: string };

export function toFindingData(finding: Finding): FindingData {
  const { ruleId, messageId, data, message, severity, uri, range, resource, relatedInformation, suppressedBy } = finding;
  return { ruleId, messageId, data, message, severity, uri, range, resource, relatedInformation, suppressedBy };
}
