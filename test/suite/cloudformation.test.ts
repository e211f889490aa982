// Runs in test/e2e/workspaces/cloudformation (see index.ts): a workspace with no Terraform at
// all, so activation has to come from the CloudFormation side.
import * as assert from 'assert';
import {
  activeExtension, applyAction, describeDiagnostics, findQuickFix, inBlock, openFile,
  revertAndClose, waitForNoRule, waitForRule, yamlResource,
} from './helpers';

describe('CloudFormation workspace', () => {
  it('activates when a CloudFormation template is opened', async () => {
    await openFile('template.yaml');
    await activeExtension();
  });

  it('flags a trail without KMSKeyId and one with a misspelled KmsKeyId, and only those', async () => {
    const doc = await openFile('template.yaml');
    const diagnostics = await waitForRule(doc.uri, 'CTK001', 2);
    for (const logicalId of ['TrailWithoutKey', 'TrailMisspelledKey']) {
      const block = yamlResource(doc, logicalId);
      assert.ok(diagnostics.some(inBlock(block)),
        `no CTK001 on ${logicalId} (lines ${block.start + 1}-${block.end + 1}); saw ${describeDiagnostics(diagnostics)}`);
    }
    const good = yamlResource(doc, 'EncryptedTrail');
    assert.deepStrictEqual(diagnostics.filter(inBlock(good)).map((d) => d.message), [],
      'EncryptedTrail uses a customer-managed key and must not be flagged');
  });

  it('flags a trail in a JSON template', async () => {
    const doc = await openFile('template.json');
    await waitForRule(doc.uri);
  });

  it('a quick fix adds KMSKeyId and removes the finding', async () => {
    const doc = await openFile('fix-me.yaml');
    try {
      const [diagnostic] = await waitForRule(doc.uri);
      // A new key, or else a key already in the template.
      const action = await findQuickFix(doc, diagnostic, 'Create a KMS key for this trail', 'Encrypt with ');
      await applyAction(action);
      await waitForNoRule(doc.uri);
      assert.match(doc.getText(), /\bKMSKeyId:/, `after "${action.title}":\n${doc.getText()}`);
    } finally {
      await revertAndClose(doc);
    }
  });
});
