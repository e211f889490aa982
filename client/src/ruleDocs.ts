/**
 * Rule pages open rendered: the diagnostic's code link (Problems panel, hover) runs a command
 * that shows the rule's Markdown, shipped in the extension's docs/rules/, in VS Code's
 * Markdown preview rather than as an editable text tab. Other LSP clients keep the server's
 * plain link to the file.
 */
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const SHOW_RULE_COMMAND = 'cloudtrailKmsLint.showRuleDoc';
const RULE_ID = /^CTK\d{3}$/;

export function ruleDocUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`);
}

export async function showRuleDoc(extensionUri: vscode.Uri, ruleId: unknown): Promise<void> {
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) return;
  await vscode.commands.executeCommand('markdown.showPreview', ruleDocUri(extensionUri, ruleId));
}

/** Rewrites each of our diagnostics' code link to the command above. */
export const ruleDocLinks: Middleware['handleDiagnostics'] = (uri, diagnostics, next) => {
  for (const diagnostic of diagnostics) {
    const code = diagnostic.code;
    if (diagnostic.source !== 'cloudtrail-kms-lint' || typeof code !== 'object' || !RULE_ID.test(String(code.value))) continue;
    const args = encodeURIComponent(JSON.stringify([String(code.value)]));
    diagnostic.code = { value: code.value, target: vscode.Uri.parse(`command:${SHOW_RULE_COMMAND}?${args}`) };
  }
  next(uri, diagnostics);
};
