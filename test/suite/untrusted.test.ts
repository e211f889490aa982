// Runs in test/e2e/workspaces/untrusted with Workspace Trust enabled and the folder not trusted
// (Restricted Mode). The extension never executes user code, so it declares
// `capabilities.untrustedWorkspaces.supported: true` and must work fully here.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, EXTENSION_ID, findQuickFix, openFile, waitForRule } from './helpers';

describe('Untrusted workspace (Restricted Mode)', () => {
  it('declares support for untrusted workspaces', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    assert.ok(manifest, `extension ${EXTENSION_ID} is not loaded`);
    assert.strictEqual(manifest.capabilities?.untrustedWorkspaces?.supported, true,
      `capabilities.untrustedWorkspaces is ${JSON.stringify(manifest.capabilities?.untrustedWorkspaces)}`);
  });

  it('runs with the workspace untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false,
      'the runner should open this folder untrusted (security.workspace.trust.enabled: true)');
  });

  it('activates, reports CTK001 and offers its quick fixes', async () => {
    const doc = await openFile('main.tf');
    await activeExtension();
    const [diagnostic] = await waitForRule(doc.uri);
    await findQuickFix(doc, diagnostic, 'Create a KMS key for this trail');
  });
});
