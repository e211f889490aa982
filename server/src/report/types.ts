/** A finding as the CLI reports it: 1-based positions, a path relative to the scan root. */
import type { FindingData } from '../scan/protocol';

export interface ReportedFinding {
  finding: FindingData;
  /** `/`-separated, relative to the scan root. */
  file: string;
  /** Its identity across runs (see fingerprint.ts); set before the report is written. */
  fingerprint?: string;
}

/** A file the scan meant to check but could not (its analysis failed or stopped its worker). */
export interface UncheckedFile {
  file: string;
  reason: string;
}

export interface ScanResult {
  root: string;
  findings: ReportedFinding[];
  files: number;
  ms: number;
  /** Files that could not be checked: the report is incomplete, and the CLI exits 2. */
  unchecked?: UncheckedFile[];
  /** Findings left out because the baseline holds them. */
  baselined?: number;
}
