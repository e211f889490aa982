// Runs in test/e2e/workspaces/cdk (see index.ts): a CDK app in TypeScript and nothing else, so
// activation comes from its cdk.json; beside it, a TypeScript project that is no CDK app.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, applyAction, describeDiagnostics, findQuickFix, openFile, revertAndClose, waitForNoRule, waitForRule } from './helpers';

describe('CDK workspace', () => {
  it('activates in a CDK app and flags the trail without a key in its TypeScript', async () => {
    const doc = await openFile('lib/audit-stack.ts');
    await activeExtension();
    const [diagnostic] = await waitForRule(doc.uri);
    assert.match(doc.lineAt(diagnostic.range.start.line).text, /new Trail\(this, 'AuditTrail'/, describeDiagnostics([diagnostic]));
  });

  it('"Create a KMS key for this trail" writes the key, its CloudTrail statements and the imports, and the finding goes', async () => {
    const doc = await openFile('lib/audit-stack.ts');
    try {
      const [diagnostic] = await waitForRule(doc.uri);
      const action = await findQuickFix(doc, diagnostic, 'Create a KMS key for this trail');
      await applyAction(action);
      await waitForNoRule(doc.uri);
      const text = doc.getText();
      assert.match(text, /^import \* as cdk from 'aws-cdk-lib';/, text);
      assert.match(text, /const auditTrailKey = new cdk\.aws_kms\.Key\(this, 'AuditTrailKey', \{\n {6}description: 'Encrypts the log files of AuditTrail',\n {6}enableKeyRotation: true,\n {4}\}\);/, text);
      assert.match(text, /auditTrailKey\.addToResourcePolicy\(new cdk\.aws_iam\.PolicyStatement\(\{/, text);
      assert.match(text, /new Trail\(this, 'AuditTrail', \{\n {6}isMultiRegionTrail: true,\n {6}encryptionKey: auditTrailKey,\n {4}\}\);/, text);
    } finally {
      await revertAndClose(doc);
    }
  });

  it('leaves a TypeScript project that is no CDK app alone', async () => {
    const cdkDoc = await openFile('lib/audit-stack.ts');
    await waitForRule(cdkDoc.uri);
    const doc = await openFile('tools/not-cdk.ts');
    await waitForNoRule(doc.uri);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'cloudtrail-kms-lint'), []);
  });
});
