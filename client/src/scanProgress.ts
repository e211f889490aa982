/**
 * "Scan Workspace" as VS Code users know it from other linters: a notification with "N of M
 * files" and the folder being read, a Cancel button that stops the server's workers, and a
 * closing message with the counts and a way to the Problems panel. The progress itself comes
 * from the server over LSP (`$/progress` on a token the client hands it), so any other LSP
 * client gets the same reports.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
// Types only: nothing of the server is bundled into the client.
import type { ScanSummary } from '../../server/src/lsp/scan';

export type { ScanSummary };

export const SERVER_SCAN_COMMAND = 'cloudtrailKmsLint.server.scanWorkspace';
const DIAGNOSTIC_SOURCE = 'cloudtrail-kms-lint';

export async function scanWithProgress(client: LanguageClient, exclude: string[], onDone: () => void): Promise<ScanSummary | undefined> {
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'CloudTrail KMS Lint: scanning workspace', cancellable: true },
    async (progress, cancel) => {
      const token = randomUUID();
      let reported = 0;
      const listener = client.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage === undefined ? undefined : Math.max(0, value.percentage - reported);
        if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
        progress.report({ message: value.message, increment });
      });
      try {
        return await client.sendRequest(ExecuteCommandRequest.type,
          { command: SERVER_SCAN_COMMAND, arguments: [{ exclude }], workDoneToken: token }, cancel) as ScanSummary | undefined;
      } finally {
        listener.dispose();
      }
    });
  onDone();
  if (summary) void announce(summary);
  return summary;
}

/** "12 problems in 4 files, 1,240 files scanned in 2.1 s", open documents' problems included. */
export function summaryMessage(summary: ScanSummary, problems: number, filesWithProblems: number): string {
  const n = (count: number, one: string, many: string): string => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  const seconds = (summary.ms / 1000).toFixed(1);
  const found = problems === 0 ? 'No CloudTrail KMS problems' : `${n(problems, 'problem', 'problems')} in ${n(filesWithProblems, 'file', 'files')}`;
  return `${summary.cancelled ? 'Scan cancelled: ' : ''}${found}, ${n(summary.files, 'file', 'files')} scanned in ${seconds} s`;
}

async function announce(summary: ScanSummary): Promise<void> {
  let problems = 0;
  let files = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
    problems += ours;
    if (ours > 0) files++;
  }
  const open = 'Open Problems';
  const choice = await vscode.window.showInformationMessage(summaryMessage(summary, problems, files), open);
  if (choice === open) await vscode.commands.executeCommand('workbench.actions.view.problems');
}
