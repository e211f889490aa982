// Runs in test/e2e/workspaces/opentofu (see index.ts): a module of `.tofu` files only, so the
// extension is activated by OpenTofu files alone, which get the `opentofu` language id.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activeExtension, applyAction, describeDiagnostics, findQuickFix, inBlock, openFile, revertAndClose,
  seenIn, SOURCE, terraformBlock, waitFor, waitForNoRule, waitForRule, workspaceUri,
} from './helpers';

describe('OpenTofu workspace', () => {
  it('activates when a .tofu file is opened, which gets the opentofu language', async () => {
    const doc = await openFile('main.tofu');
    assert.strictEqual(doc.languageId, 'opentofu');
    await activeExtension();
  });

  it('flags the .tofu trail without a key, and not the one encrypted with the key of kms.tofu', async () => {
    const doc = await openFile('main.tofu');
    const diagnostics = await waitForRule(doc.uri);
    const bad = terraformBlock(doc, 'aws_cloudtrail', 'no_key');
    assert.ok(diagnostics.some(inBlock(bad)), `no CTK001 on aws_cloudtrail.no_key; saw ${describeDiagnostics(diagnostics)}`);
    assert.deepStrictEqual(diagnostics.filter(inBlock(terraformBlock(doc, 'aws_cloudtrail', 'encrypted'))).map((d) => d.message), []);
  });

  it('"Create a KMS key for this trail" fixes a .tofu file in native syntax', async () => {
    const doc = await openFile('fix-create-key.tofu');
    try {
      const [diagnostic] = await waitForRule(doc.uri);
      const action = await findQuickFix(doc, diagnostic, 'Create a KMS key for this trail');
      await applyAction(action);
      await waitForNoRule(doc.uri);
      assert.match(doc.getText(), /kms_key_id\s*= aws_kms_key\.\w+\.arn/, doc.getText());
      assert.match(doc.getText(), /resource "aws_kms_key" "\w+" \{/, doc.getText());
    } finally {
      await revertAndClose(doc);
    }
  });

  it('a main.tf beside main.tofu shows one note saying OpenTofu loads main.tofu, and no finding', async () => {
    const hidden = workspaceUri('main.tf');
    await vscode.workspace.fs.writeFile(hidden, Buffer.from('resource "aws_cloudtrail" "hidden" {\n  name = "hidden"\n}\n'));
    const doc = await openFile('main.tf');
    const ours = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE);
    const [note] = await waitFor('an information note from cloudtrail-kms-lint on main.tf', () => {
      const found = ours();
      return found.length > 0 && found;
    }, seenIn(doc.uri));
    assert.strictEqual(note.severity, vscode.DiagnosticSeverity.Information);
    assert.match(note.message, /^OpenTofu loads main\.tofu instead of main\.tf /);
    assert.deepStrictEqual(ours().map((d) => d.code), [undefined], `only the note: ${describeDiagnostics(ours())}`);
  });
});
