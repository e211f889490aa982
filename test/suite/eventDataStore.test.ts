// Runs in test/e2e/workspaces/eventDataStore (see index.ts): CloudTrail Lake event data stores,
// a CloudFormation template and a Terraform module with no trail at all.
import * as assert from 'assert';
import {
  activeExtension, applyAction, describeDiagnostics, findQuickFix, inBlock, openFile,
  revertAndClose, waitForNoRule, waitForRule, yamlResource,
} from './helpers';

describe('event data store workspace', () => {
  it('activates when an event data store template is opened', async () => {
    await openFile('lake.yaml');
    await activeExtension();
  });

  it('flags the store without KmsKeyId (CTK301), and not the one with a key', async () => {
    const doc = await openFile('lake.yaml');
    const diagnostics = await waitForRule(doc.uri, 'CTK301');
    const block = yamlResource(doc, 'StoreWithoutKey');
    assert.ok(diagnostics.some(inBlock(block)), `no CTK301 on StoreWithoutKey; saw ${describeDiagnostics(diagnostics)}`);
    assert.match(diagnostics[0].message, /cannot be changed or removed/);
    assert.deepStrictEqual(diagnostics.filter(inBlock(yamlResource(doc, 'GoodStore'))).map((d) => d.message), [], 'GoodStore has a good key');
  });

  it('the quick fix creates a key with the event data store policy and clears the finding', async () => {
    const doc = await openFile('lake.yaml');
    try {
      const [diagnostic] = await waitForRule(doc.uri, 'CTK301');
      const action = await findQuickFix(doc, diagnostic, 'Create a KMS key for this event data store');
      await applyAction(action);
      await waitForNoRule(doc.uri, 'CTK301');
      assert.match(doc.getText(), /Sid: AllowCloudTrailEncryptEds/, `after "${action.title}":\n${doc.getText()}`);
    } finally {
      await revertAndClose(doc);
    }
  });

  it("flags a Terraform store key whose policy is a trail's (CTK303)", async () => {
    const doc = await openFile('main.tf');
    const [diagnostic] = await waitForRule(doc.uri, 'CTK303');
    assert.match(diagnostic.message, /kms:Decrypt/);
  });
});
