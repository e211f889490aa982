/**
 * Regression tests for the quick-fix cases of `../shared/robustness-cases` (each named after
 * its case folder; inputs are read from there, in place): what the case's README expects holds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyzer, Finding, Fix, RuleId } from '../../../server/src/engine';
import { fixAll } from '../../../server/src/engine/fixAll';
import { applyEdits } from '../../support/applyEdits';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

const FIX_ALL_RULES = new Set<RuleId>(['CTK101', 'CTK102', 'CTK103', 'CTK104', 'CTK105', 'CTK106', 'CTK107', 'CTK201', 'CTK202']);

function caseFile(caseName: string, file: string): string {
  const dir = process.env.ROBUSTNESS_CASES ?? path.resolve(repoRoot(), '..', 'shared', 'robustness-cases');
  return fs.readFileSync(path.join(dir, caseName, file), 'utf8');
}

const applyFix = (text: string, fix: Fix): string => applyEdits(text, fix.edits.flatMap((e) => e.edits));

async function single(name: string, text: string): Promise<{ analyzer: Analyzer; findings: Finding[] }> {
  const analyzer = await memoryAnalyzer({ [name]: text });
  return { analyzer, findings: analyzer.analyze(memUri(name)) };
}

describe('robustness cases: quick fixes', function () {
  this.timeout(20000);

  it('02-tfjson-fixes-write-hcl: no fix writes HCL into a .tf.json file, and fix-all is idempotent', async () => {
    const text = caseFile('02-tfjson-fixes-write-hcl', 'trail.tf.json');
    const { analyzer, findings } = await single('trail.tf.json', text);
    assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['CTK001', 'CTK202'], 'the trail is still judged');
    for (const finding of findings) {
      for (const fix of finding.fixes) {
        const fixed = applyFix(text, fix);
        assert.doesNotThrow(() => JSON.parse(fixed), `"${fix.title}" leaves invalid JSON:\n${fixed}`);
        analyzer.setDocument(memUri('trail.tf.json'), fixed);
        const after = analyzer.analyze(memUri('trail.tf.json')).filter((f) => f.ruleId === finding.ruleId && !f.suppressedBy);
        assert.deepEqual(after, [], `"${fix.title}" leaves ${finding.ruleId}`);
        analyzer.closeDocument(memUri('trail.tf.json'));
      }
    }
    // Every fix is offered, each written as Terraform JSON (checked above: JSON, and the finding gone).
    assert.deepEqual(findings.map((f) => `${f.ruleId}: ${f.fixes.map((x) => x.title).join(' | ')}`), [
      'CTK001: Create a KMS key for this trail | Suppress CTK001 for aws_cloudtrail.main',
      'CTK202: Turn on log file validation | Suppress CTK202 for aws_cloudtrail.main',
    ]);
    const edit = fixAll(analyzer, memUri('trail.tf.json'), text, FIX_ALL_RULES);
    assert.ok(edit);
    const once = applyEdits(text, [edit]);
    assert.deepEqual(JSON.parse(once).resource.aws_cloudtrail.main, { name: 'main', s3_bucket_name: 'logs', enable_log_file_validation: true });
    assert.equal(fixAll(analyzer, memUri('trail.tf.json'), once, FIX_ALL_RULES), undefined, 'a second fix-all changes the file again');
  });

  it('02-tfjson-fixes-write-hcl: "Encrypt with" writes a Terraform JSON expression', async () => {
    const text = caseFile('02-tfjson-fixes-write-hcl', 'trail.tf.json');
    const key = '{\n  "resource": {\n    "aws_kms_key": {\n      "logs": {\n        "policy": "${jsonencode({Statement = [{Effect = \\"Allow\\", Principal = {Service = \\"cloudtrail.amazonaws.com\\"}, Action = \\"kms:GenerateDataKey*\\", Resource = \\"*\\"}]})}"\n      }\n    }\n  }\n}\n';
    const analyzer = await memoryAnalyzer({ 'trail.tf.json': text, 'key.tf.json': key });
    const finding = analyzer.analyze(memUri('trail.tf.json')).find((f) => f.ruleId === 'CTK001');
    const fix = finding?.fixes.find((f) => f.title.startsWith('Encrypt with aws_kms_key.logs'));
    assert.ok(fix, `offered: ${finding?.fixes.map((f) => f.title).join(' | ')}`);
    const fixed = applyFix(text, fix);
    assert.equal(JSON.parse(fixed).resource.aws_cloudtrail.main.kms_key_id, '${aws_kms_key.logs.arn}');
    analyzer.setDocument(memUri('trail.tf.json'), fixed);
    assert.deepEqual(analyzer.analyze(memUri('trail.tf.json')).filter((f) => f.ruleId === 'CTK001'), []);
  });

  it('03-suppress-fix-on-key-policy-resource: "Suppress" on an aws_kms_key_policy suppresses, and is not offered again', async () => {
    const text = caseFile('03-suppress-fix-on-key-policy-resource', 'main.tf');
    const { analyzer, findings } = await single('main.tf', text);
    const targets = findings.filter((f) => f.ruleId === 'CTK101' || f.ruleId === 'CTK103');
    assert.deepEqual(targets.map((f) => f.ruleId).sort(), ['CTK101', 'CTK103']);
    for (const finding of targets) {
      const suppress = finding.fixes.find((f) => f.kind === 'suppress');
      assert.ok(suppress, `no suppression for ${finding.ruleId}`);
      assert.equal(suppress.title, `Suppress ${finding.ruleId} for aws_kms_key_policy.trail`);
      const fixed = applyFix(text, suppress);
      assert.match(fixed, new RegExp(`# cloudtrail-kms-lint:ignore ${finding.ruleId} .*\\nresource "aws_kms_key_policy" "trail"`));
      analyzer.setDocument(memUri('main.tf'), fixed);
      const after = analyzer.analyze(memUri('main.tf')).filter((f) => f.ruleId === finding.ruleId);
      assert.equal(after.length, 1);
      assert.ok(after[0].suppressedBy, `${finding.ruleId} is still reported after "${suppress.title}"`);
      assert.deepEqual(after[0].fixes, [], 'a suppressed finding offers nothing, not even its suppression again');
      // The other finding is not silenced by this rule's comment.
      const other = analyzer.analyze(memUri('main.tf')).find((f) => f.ruleId !== finding.ruleId && targets.some((t) => t.ruleId === f.ruleId));
      assert.ok(other && !other.suppressedBy);
    }
    // A comment above the key itself, as users wrote by hand, still suppresses too.
    analyzer.setDocument(memUri('main.tf'), `# cloudtrail-kms-lint:ignore CTK101 reviewed\n${text}`);
    assert.ok(analyzer.analyze(memUri('main.tf')).find((f) => f.ruleId === 'CTK101')?.suppressedBy);
  });

  it('04-encrypt-with-key-introduces-error: a key CloudTrail cannot use comes after "Create a KMS key" and says why', async () => {
    const text = caseFile('04-encrypt-with-key-introduces-error', 'template.yaml');
    const { analyzer, findings } = await single('template.yaml', text);
    const finding = findings.find((f) => f.ruleId === 'CTK001');
    assert.ok(finding);
    const titles = finding.fixes.map((f) => f.title);
    assert.deepEqual(titles, [
      'Create a KMS key for this trail',
      'Encrypt with LogsKey, though its key policy does not let CloudTrail encrypt yet',
      'Suppress CTK001 for AuditTrail',
    ]);
    // The first fix, the one offered first, adds no error.
    analyzer.setDocument(memUri('template.yaml'), applyFix(text, finding.fixes[0]));
    assert.deepEqual(analyzer.analyze(memUri('template.yaml')).filter((f) => f.severity === 'error').map((f) => f.message), []);
  });

  it('10-yaml-fix-regex-redos: fixes of a template with a 120,000-space string are computed at once', async function () {
    // Before, the layout scan backtracked over the run of spaces: 9.9 s for these fixes.
    this.timeout(5000);
    const text = caseFile('10-yaml-fix-regex-redos', 'template.yaml');
    assert.ok(/ {120000}/.test(text));
    const { findings } = await single('template.yaml', text);
    const fixes = findings.flatMap((f) => f.fixes);
    const create = fixes.find((f) => f.title === 'Create a KMS key for this trail');
    assert.ok(create, `offered: ${fixes.map((f) => f.title).join(' | ')}`);
    const doc = YAML.parseDocument(applyFix(text, create), { customTags: ['!Sub', '!Ref', '!GetAtt'].map((tag) => ({ tag, resolve: (v: string) => v })) });
    assert.deepEqual(doc.errors.map((e) => e.message), []);
  });

  it('15-crlf-fixes-mixed-line-ends: fixes write CRLF into a CRLF file, and fix-all ends no edit inside a CRLF', async () => {
    const text = caseFile('15-crlf-fixes-mixed-line-ends', 'key-policy.json');
    assert.ok(text.includes('\r\n'));
    const { analyzer, findings } = await single('key-policy.json', text);
    const fixes = findings.flatMap((f) => f.fixes);
    assert.ok(fixes.length >= 3, `offered: ${fixes.map((f) => f.title).join(' | ')}`);
    for (const fix of fixes) {
      for (const edit of fix.edits.flatMap((e) => e.edits)) assert.doesNotMatch(edit.newText, /(^|[^\r])\n/, `"${fix.title}" inserts a bare LF`);
    }
    const edit = fixAll(analyzer, memUri('key-policy.json'), text, FIX_ALL_RULES);
    assert.ok(edit);
    assert.doesNotMatch(edit.newText, /(^|[^\r])\n/, 'fix-all inserts a bare LF');
    // A client applies the edit the same way the engine does: no position falls between CR and LF.
    const client = TextDocument.applyEdits(TextDocument.create(memUri('key-policy.json'), 'json', 1, text), [edit]);
    assert.equal(client, applyEdits(text, [edit]));
    assert.doesNotMatch(client, /\r(?!\n)|(?<!\r)\n/);
    JSON.parse(client);
  });
});
