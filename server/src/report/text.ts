/** `--format text`: grouped by file like ESLint's "stylish"; colour only on a terminal. */
import type { Severity } from '../engine';
import type { ScanResult } from './types';

const COLOURS: Record<Severity | 'dim' | 'bold', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  information: ['\x1b[36m', '\x1b[39m'],
  hint: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

export function formatText(result: ScanResult, colour: boolean): string {
  const paint = (style: keyof typeof COLOURS, s: string): string => (colour ? `${COLOURS[style][0]}${s}${COLOURS[style][1]}` : s);
  const byFile = new Map<string, typeof result.findings>();
  for (const reported of result.findings) {
    if (reported.finding.suppressedBy) continue;
    const list = byFile.get(reported.file) ?? [];
    list.push(reported);
    byFile.set(reported.file, list);
  }
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const [file, findings] of byFile) {
    lines.push('', paint('bold', file));
    for (const { finding } of findings) {
      counts[finding.severity]++;
      const where = `${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
      lines.push(`  ${paint('dim', where.padEnd(7))} ${paint(finding.severity, finding.severity.padEnd(11))} ${finding.message}  ${paint('dim', finding.ruleId)}`);
    }
  }
  const suppressed = result.findings.filter((f) => f.finding.suppressedBy).length;
  const total = counts.error + counts.warning + counts.information + counts.hint;
  lines.push('');
  const summary = `${total} problem${total === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.information + counts.hint} information) in ${result.files} file${result.files === 1 ? '' : 's'}, ${result.ms} ms${suppressed ? `; ${suppressed} suppressed` : ''}`;
  lines.push(total > 0 ? paint(counts.error > 0 ? 'error' : 'warning', summary) : summary);
  if (result.baselined) lines.push(`${result.baselined} more in the baseline, not shown`);
  const unchecked = result.unchecked ?? [];
  if (unchecked.length > 0) {
    lines.push('', paint('error', `${unchecked.length} file${unchecked.length === 1 ? '' : 's'} could not be checked (the result above is incomplete):`));
    for (const { file, reason } of unchecked) lines.push(`  ${file}: ${reason}`);
  }
  return lines.join('\n');
}
