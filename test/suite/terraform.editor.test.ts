// The editor experience beyond squiggles, in a real VS Code: the CloudTrail view's data, the
// rule page opened rendered from a diagnostic's code link, and the scan's closing counts.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, openFile, revertAndClose, waitFor, waitForRule } from './helpers';

interface Overview { address: string; location: { uri: string }; chains: { address: string }[][]; requirements: { id: string; mark: string }[] }

describe('editor experience (terraform workspace)', () => {
  it('the CloudTrail view lists each trail with its key chain and requirement marks', async () => {
    const extension = vscode.extensions.getExtension<{ trails(): Promise<readonly Overview[]> }>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const api = await extension.activate();
    const trails = await waitFor('trails from cloudtrailKmsLint/trails', async () => {
      const list = await api.trails();
      return list.some((t) => t.address === 'aws_cloudtrail.encrypted') && list;
    }, () => 'no aws_cloudtrail.encrypted yet');
    const byName = new Map(trails.map((t) => [t.address, t]));
    const encrypted = byName.get('aws_cloudtrail.encrypted')!;
    assert.deepEqual(encrypted.chains.map((c) => c.map((s) => s.address).slice(0, 2)), [['aws_cloudtrail.encrypted', 'aws_kms_key.logs']]);
    const noKey = byName.get('aws_cloudtrail.no_key');
    assert.ok(noKey, [...byName.keys()].join(', '));
    assert.equal(noKey.requirements.find((r) => r.id === 'encrypt')?.mark, 'unmet');
    assert.deepEqual(noKey.requirements.map((r) => r.id), ['encrypt', 'scoped', 'describe', 'readers', 'decrypt-open', 'rotation', 'validation']);
    // The view itself is contributed and can be shown.
    await vscode.commands.executeCommand('cloudtrailKmsLint.trails.focus');
  });

  it('a diagnostic\'s rule link runs the command that opens the rule page in the Markdown preview', async () => {
    const doc = await openFile('main.tf');
    try {
      const [diagnostic] = await waitForRule(doc.uri, 'CTK001', 3);
      const code = diagnostic.code;
      assert.ok(typeof code === 'object' && code.target.scheme === 'command', `code link: ${JSON.stringify(code)}`);
      const target = code.target;
      assert.equal(target.path, 'cloudtrailKmsLint.showRuleDoc');
      await vscode.commands.executeCommand(target.path, ...JSON.parse(decodeURIComponent(target.query)));
      await waitFor('a Markdown preview tab of CTK001.md', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputWebview && /CTK001/.test(t.label)),
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', '));
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.path.endsWith('/docs/rules/CTK001.md') && vscode.window.visibleTextEditors.some((e) => e.document === d)),
        'the rule page is not opened as an editable text editor');
    } finally {
      await revertAndClose(doc);
    }
  });

  it('Scan Workspace returns the counts its closing message shows', async () => {
    const summary = await vscode.commands.executeCommand<{ files: number; findings: number; filesWithFindings: number; cancelled: boolean }>('cloudtrailKmsLint.scanWorkspace');
    assert.ok(summary && !summary.cancelled, JSON.stringify(summary));
    assert.ok(summary.files > 5 && summary.findings >= 1 && summary.filesWithFindings >= 1, JSON.stringify(summary));
  });
});
