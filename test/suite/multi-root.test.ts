// A multi-root workspace (test/e2e/workspaces/multi-root/folders.code-workspace): each folder's
// own .vscode/settings.json decides the severity of CTK001 for its files.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { describeDiagnostics, isOurs, waitFor, waitForRule } from './helpers';

const fileIn = (folderIndex: number, name: string): vscode.Uri => {
  const folder = vscode.workspace.workspaceFolders?.[folderIndex];
  assert.ok(folder, `workspace folder ${folderIndex} is missing`);
  return vscode.Uri.joinPath(folder.uri, name);
};

describe('multi-root workspace', () => {
  it('opens two folders', () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['multi-root', 'other']);
  });

  it('each folder\'s settings apply to its own files', async () => {
    const errorFolder = await vscode.workspace.openTextDocument(fileIn(0, 'main.tf'));
    await vscode.window.showTextDocument(errorFolder, { preview: false });
    const [diagnostic] = await waitForRule(errorFolder.uri);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error, 'multi-root/.vscode/settings.json makes CTK001 an error');

    const offFolder = await vscode.workspace.openTextDocument(fileIn(1, 'main.tf'));
    await vscode.window.showTextDocument(offFolder, { preview: false });
    // The file is analysed (CTK202 shows), and CTK001 is off there.
    await waitForRule(offFolder.uri, 'CTK202');
    const ours = vscode.languages.getDiagnostics(offFolder.uri).filter(isOurs('CTK001'));
    assert.equal(ours.length, 0, describeDiagnostics(ours));
    // And the first folder keeps its own severity.
    await waitFor('CTK001 still an error in multi-root/main.tf', () =>
      vscode.languages.getDiagnostics(errorFolder.uri).some((d) => isOurs('CTK001')(d) && d.severity === vscode.DiagnosticSeverity.Error),
    () => describeDiagnostics(vscode.languages.getDiagnostics(errorFolder.uri)));
  });
});
