/** A finding as the CLI reports it: 1-based positions, a path relative to the scan root. */
import type { FindingData } from '../scan/protocol';

export interface ReportedFinding {
  finding: FindingData;
  /** `/`-separated, relative to the scan root. */
  file: string;
}

export interface ScanResult {
  root: string;
  findings: ReportedFinding[];
  files: number;
  ms: number;
}
