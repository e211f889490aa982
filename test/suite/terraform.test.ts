// Runs in test/e2e/workspaces/terraform (see index.ts): the extension in a real VS Code
// extension host, driven only through the public `vscode` API.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activeExtension, applyAction, describeDiagnostics, findQuickFix, hoverText, inBlock, isOurs,
  openFile, revertAndClose, ruleDiagnostics, SOURCE, terraformBlock, waitFor, waitForNoRule,
  waitForRule, workspaceUri,
} from './helpers';

describe('Terraform workspace', () => {
  it('activates when a Terraform file is opened', async () => {
    await openFile('main.tf');
    await activeExtension();
  });

  it('flags trails without a customer-managed key on open, and only those', async () => {
    const doc = await openFile('main.tf');
    const badTrails = ['no_key', 'null_key', 'empty_key'];
    const diagnostics = await waitForRule(doc.uri, 'CTK001', badTrails.length);
    for (const name of badTrails) {
      const block = terraformBlock(doc, 'aws_cloudtrail', name);
      assert.ok(diagnostics.some(inBlock(block)),
        `no CTK001 on aws_cloudtrail.${name} (lines ${block.start + 1}-${block.end + 1}); saw ${describeDiagnostics(diagnostics)}`);
    }
    const good = terraformBlock(doc, 'aws_cloudtrail', 'encrypted');
    assert.deepStrictEqual(diagnostics.filter(inBlock(good)).map((d) => d.message), [],
      'aws_cloudtrail.encrypted uses a customer-managed key and must not be flagged');
    for (const d of diagnostics) {
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, `CTK001 defaults to warning: ${describeDiagnostics([d])}`);
    }
  });

  it('updates diagnostics after an edit, without saving', async () => {
    const doc = await openFile('edit-me.tf');
    try {
      await waitForRule(doc.uri);
      const block = terraformBlock(doc, 'aws_cloudtrail', 'edit_me');
      const insertAt = new vscode.Position(block.start + 1, 0);
      const addKey = new vscode.WorkspaceEdit();
      addKey.insert(doc.uri, insertAt, '  kms_key_id = aws_kms_key.logs.arn\n');
      assert.ok(await vscode.workspace.applyEdit(addKey));
      await waitForNoRule(doc.uri);
      assert.ok(doc.isDirty, 'the edit must not have been saved');

      // And back: removing the key brings the finding back.
      const removeKey = new vscode.WorkspaceEdit();
      removeKey.delete(doc.uri, new vscode.Range(insertAt, insertAt.translate(1)));
      assert.ok(await vscode.workspace.applyEdit(removeKey));
      await waitForRule(doc.uri);
    } finally {
      await revertAndClose(doc);
    }
  });

  describe('quick fixes', () => {
    const cases = [
      { file: 'fix-create-key.tf', trail: 'fix_create_key', title: 'Create a KMS key for this trail', expect: /kms_key_id\s*=/ },
      { file: 'fix-encrypt-with.tf', trail: 'fix_encrypt_with', title: 'Encrypt with ', expect: /kms_key_id\s*=/ },
      { file: 'fix-suppress.tf', trail: 'fix_suppress', title: 'Suppress CTK001', expect: /CTK001/ },
    ];
    for (const { file, trail, title, expect } of cases) {
      it(`"${title}…" removes the finding`, async () => {
        const doc = await openFile(file);
        try {
          const [diagnostic] = await waitForRule(doc.uri);
          const action = await findQuickFix(doc, diagnostic, title);
          if ('diagnostics' in action && action.diagnostics) {
            assert.ok(action.diagnostics.some(isOurs('CTK001')), `"${action.title}" should name the CTK001 diagnostic it fixes`);
          }
          await applyAction(action);
          await waitForNoRule(doc.uri);
          assert.match(doc.getText(), expect, `after "${action.title}":\n${doc.getText()}`);
          assert.ok(terraformBlock(doc, 'aws_cloudtrail', trail), 'the trail block is still there');
        } finally {
          await revertAndClose(doc);
        }
      });
    }
  });

  it('shows a hover on a trail', async () => {
    const doc = await openFile('main.tf');
    await waitForRule(doc.uri);
    const header = terraformBlock(doc, 'aws_cloudtrail', 'no_key').start;
    const line = doc.lineAt(header).text;
    // The resource type, the name, and the first attribute: a hover on any of them will do.
    const positions = [line.indexOf('aws_cloudtrail') + 2, line.indexOf('no_key') + 2]
      .map((character) => new vscode.Position(header, character))
      .concat(new vscode.Position(header + 1, 4));
    let seen = '';
    await waitFor('a hover mentioning the missing KMS key (CTK001 / KMS)', async () => {
      const texts = await Promise.all(positions.map(async (position) =>
        hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position))));
      seen = texts.map((text, i) => `@${positions[i].line + 1}:${positions[i].character + 1}: ${text || '(none)'}`).join(' | ');
      return texts.some((text) => /CTK001|KMS/i.test(text));
    }, () => seen);
  });

  it('"Scan Workspace" reports files that are not open', async () => {
    const unopened = workspaceUri('unopened/main.tf');
    assert.ok(!vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === unopened.toString()),
      'unopened/main.tf must not be open for this test to mean anything');
    await vscode.commands.executeCommand('cloudtrailKmsLint.scanWorkspace');
    await waitFor(
      'CTK001 for unopened/main.tf in vscode.languages.getDiagnostics()',
      () => vscode.languages.getDiagnostics().some(([uri, diagnostics]) =>
        uri.path.endsWith('/unopened/main.tf') && diagnostics.some(isOurs('CTK001'))),
      () => vscode.languages.getDiagnostics()
        .filter(([, diagnostics]) => diagnostics.some((d) => d.source === SOURCE))
        .map(([uri, diagnostics]) => `${vscode.workspace.asRelativePath(uri)}: ${describeDiagnostics(diagnostics)}`)
        .join('\n     ') || `(no ${SOURCE} diagnostics anywhere)`,
    );
  });

  it('applies a severity change from the cloudtrailKmsLint.rules setting', async () => {
    const doc = await openFile('severity.tf');
    const config = () => vscode.workspace.getConfiguration('cloudtrailKmsLint', doc.uri);
    const withSeverity = (severity: vscode.DiagnosticSeverity) => () =>
      ruleDiagnostics(doc.uri).some((d) => d.severity === severity);
    try {
      await waitForRule(doc.uri);
      await config().update('rules', { CTK001: 'error' }, vscode.ConfigurationTarget.Global);
      await waitFor('CTK001 with severity Error', withSeverity(vscode.DiagnosticSeverity.Error),
        () => describeDiagnostics(vscode.languages.getDiagnostics(doc.uri)));
      await config().update('rules', { CTK001: 'off' }, vscode.ConfigurationTarget.Global);
      await waitForNoRule(doc.uri);
    } finally {
      await config().update('rules', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('CTK001 back at its default severity (Warning)', withSeverity(vscode.DiagnosticSeverity.Warning),
      () => describeDiagnostics(vscode.languages.getDiagnostics(doc.uri)));
  });
});
