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
    // Files that could not be checked: a consumer must not read their absence of findings as clean.
    unchecked: result.unchecked ?? [],
    stats: { files: result.files, ms: result.ms, unchecked: result.unchecked?.length ?? 0, baselined: result.baselined ?? 0 },
  }, null, 2);
}
