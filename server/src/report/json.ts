/** `--format json`: the contract other tools parse (see README, "CLI"). */
import type { ScanResult } from './types';

export function formatJson(result: ScanResult): string {
  return JSON.stringify({
    version: 1,
    findings: result.findings.map(({ finding, file }) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      file,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      resource: finding.resource,
      message: finding.message,
      suppressed: finding.suppressedBy !== undefined,
    })),
    stats: { files: result.files, ms: result.ms },
  }, null, 2);
}
