// Beside the extensions users already have: a stand-in (scripts/e2e/standIn.mjs) contributes its
// own `terraform` language and grammar and registers `yaml.customTags` as Red Hat YAML does.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, describeDiagnostics, isOurs, openFile, waitFor, waitForRule } from './helpers';

const STAND_IN_ID = 'e2e-stand-in.terraform-and-yaml';

describe('beside a Terraform and YAML extension', () => {
  it('both extensions activate on a .tf file, and each trail is reported once', async () => {
    const doc = await openFile('main.tf');
    assert.equal(doc.languageId, 'terraform');
    const standIn = vscode.extensions.getExtension(STAND_IN_ID);
    assert.ok(standIn, `the stand-in ${STAND_IN_ID} is not loaded`);
    await waitFor('both extensions active', () => standIn.isActive && vscode.extensions.getExtension(EXTENSION_ID)?.isActive,
      () => `stand-in active: ${standIn.isActive}, ours: ${vscode.extensions.getExtension(EXTENSION_ID)?.isActive}`);
    await waitForRule(doc.uri, 'CTK001', 2);
    await waitFor('the stand-in\'s own diagnostic', () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'stand-in'),
      () => describeDiagnostics(vscode.languages.getDiagnostics(doc.uri)));
    // Settle, then count: still exactly one CTK001 per trail.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ours = vscode.languages.getDiagnostics(doc.uri).filter(isOurs('CTK001'));
    assert.deepEqual(ours.map((d) => d.range.start.line).sort((a, b) => a - b), [1, 6], describeDiagnostics(ours));
  });

  it('the yaml.customTags default carries CloudFormation\'s short tags once the setting is registered', () => {
    const inspected = vscode.workspace.getConfiguration('yaml').inspect<string[]>('customTags');
    const tags = inspected?.defaultValue;
    assert.ok(Array.isArray(tags) && ['!Ref', '!GetAtt', '!Sub', '!If sequence', '!Join sequence'].every((t) => tags.includes(t)), JSON.stringify(inspected));
    assert.deepEqual(vscode.workspace.getConfiguration('yaml').get('customTags'), tags, 'no user value: the contributed default applies');
  });
});
