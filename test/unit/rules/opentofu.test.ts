/**
 * OpenTofu files: `*.tofu` and `*.tofu.json` are judged and fixed like `*.tf` and `*.tf.json`,
 * in one module with them; a `.tf` (`.tf.json`) file beside a `.tofu` (`.tofu.json`) file of the
 * same base name is not part of the module, as OpenTofu loads only the `.tofu` one
 * (opentofu.org, Files and Directories, "Extension Precedence"). The fixture folder
 * test/fixtures/opentofu/ and its EXPECTED.tsv are checked at the end.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleTests } from '../../support/ruleTester';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

const KEY = 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n';
const TRAIL = 'resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n}\n';
const ENCRYPTED = 'resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n  kms_key_id     = aws_kms_key.logs.arn\n}\n';
const JSON_TRAIL = `${JSON.stringify({ resource: { aws_cloudtrail: { t: { name: 't', s3_bucket_name: 'logs' } } } }, null, 2)}\n`;
const JSON_ENCRYPTED = `${JSON.stringify({ resource: { aws_cloudtrail: { t: { name: 't', s3_bucket_name: 'logs', kms_key_id: '${aws_kms_key.logs.arn}' } } } }, null, 2)}\n`;

ruleTests('CTK001', {
  valid: [
    { name: 'OpenTofu: a .tofu trail using a key declared in a .tf file of the module', files: { 'main.tofu': ENCRYPTED, 'kms.tf': KEY } },
    { name: 'OpenTofu: a .tofu.json trail using a key declared in a .tofu file', files: { 'main.tofu.json': JSON_ENCRYPTED, 'kms.tofu': KEY } },
    { name: 'OpenTofu: main.tf is hidden by main.tofu, so its keyless trail is not judged', files: { 'main.tf': TRAIL, 'main.tofu': `${KEY}${ENCRYPTED}` } },
    { name: 'OpenTofu: main.tf.json is hidden by main.tofu.json', files: { 'main.tf.json': JSON_TRAIL, 'main.tofu.json': JSON_ENCRYPTED, 'kms.tf': KEY } },
  ],
  invalid: [
    {
      name: 'OpenTofu: a .tofu trail without a key, fixed in native syntax',
      files: { 'main.tofu': `${KEY}\n${TRAIL}` },
      errors: [{ messageId: 'missing', line: 5, data: { trail: 'aws_cloudtrail.t' } }],
      fixes: [
        { title: 'Encrypt with aws_kms_key.logs', output: { 'main.tofu': `${KEY}\n${ENCRYPTED}` } },
        { title: 'Create a KMS key for this trail', check: (files) => assert.match(files['main.tofu'], /resource "aws_kms_key" "t_logs" \{/) },
        { title: 'Suppress CTK001 for aws_cloudtrail.t', output: { 'main.tofu': `${KEY}\n# cloudtrail-kms-lint:ignore CTK001 reason: <why this is acceptable>\n${TRAIL}` } },
      ],
    },
    {
      name: 'OpenTofu: a .tofu.json trail without a key, fixed in JSON syntax',
      files: { 'main.tofu.json': JSON_TRAIL, 'kms.tofu': KEY },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [{ title: 'Encrypt with aws_kms_key.logs', check: (files) => assert.equal(JSON.parse(files['main.tofu.json']).resource.aws_cloudtrail.t.kms_key_id, '${aws_kms_key.logs.arn}') }],
    },
    {
      name: 'OpenTofu: a .tofu trail reads a variable of a .tf file of the module',
      files: { 'main.tofu': 'resource "aws_cloudtrail" "t" {\n  kms_key_id = var.key\n}\n', 'variables.tf': 'variable "key" {\n  default = ""\n}\n' },
      errors: [{ messageId: 'empty', line: 2 }],
    },
    {
      name: 'OpenTofu: x.tofu.json hides x.tf.json only, not x.tf',
      files: { 'main.tf': TRAIL, 'main.tofu.json': '{"variable": {"unused": {}}}\n' },
      errors: [{ messageId: 'missing', line: 1 }],
    },
    {
      name: 'OpenTofu: x.tofu hides x.tf only, not x.tf.json',
      files: { 'main.tf.json': JSON_TRAIL, 'main.tofu': '' },
      errors: [{ messageId: 'missing', line: 4 }],
    },
  ],
});

ruleTests('CTK101', {
  valid: [
    {
      name: 'OpenTofu: the key without a policy is in kms.tf, which kms.tofu (policy from an input) hides',
      files: { 'kms.tofu': 'variable "policy" {}\nresource "aws_kms_key" "logs" {\n  policy = var.policy\n}\n', 'kms.tf': KEY, 'main.tofu': ENCRYPTED },
      file: 'kms.tofu',
    },
  ],
  invalid: [
    {
      name: 'OpenTofu: a .tofu key without a policy used by a .tofu trail',
      files: { 'kms.tofu': KEY, 'main.tofu': ENCRYPTED },
      errors: [{ messageId: 'noPolicy', line: 1, data: { key: 'aws_kms_key.logs' } }],
      fixes: [{ title: "Add a key policy with CloudTrail's statements", check: (files) => assert.match(files['kms.tofu'], /policy = jsonencode\(/) }],
    },
  ],
});

describe('OpenTofu module files', () => {
  it('a hidden .tf file gets no findings, and a note saying which file OpenTofu loads instead', async () => {
    const analyzer = await memoryAnalyzer({ 'main.tf': TRAIL, 'main.tofu': `${KEY}${ENCRYPTED}`, 'other.tf': TRAIL.replace('"t"', '"u"') });
    assert.deepEqual(analyzer.analyze(memUri('main.tf')), []);
    assert.equal(analyzer.hover(memUri('main.tf'), { line: 0, character: 12 }), undefined);
    assert.match(analyzer.ignoredBecause(memUri('main.tf')) ?? '', /^OpenTofu loads main\.tofu instead of main\.tf \(.*\): nothing in this file is part of the module, so nothing in it is checked$/);
    assert.equal(analyzer.ignoredBecause(memUri('main.tofu')), undefined);
    assert.equal(analyzer.ignoredBecause(memUri('other.tf')), undefined);
    assert.deepEqual(analyzer.analyze(memUri('other.tf')).map((f) => `${f.ruleId} ${f.resource}`), ['CTK001 aws_cloudtrail.u', 'CTK202 aws_cloudtrail.u']);
  });

  it('names the .tofu.json file that hides a .tf.json file, in the case it is written', async () => {
    const analyzer = await memoryAnalyzer({ 'Archive.tf.json': JSON_TRAIL, 'Archive.tofu.json': JSON_ENCRYPTED });
    assert.match(analyzer.ignoredBecause(memUri('Archive.tf.json')) ?? '', /^OpenTofu loads Archive\.tofu\.json instead of Archive\.tf\.json /);
  });

  it('no fix of the module edits a hidden file', async () => {
    const files = { 'main.tf': TRAIL, 'main.tofu': `${KEY}\n${TRAIL}`, 'kms.tf': 'resource "aws_kms_key" "k" {}\n', 'kms.tofu': '' };
    const analyzer = await memoryAnalyzer(files);
    const findings = analyzer.analyze(memUri('main.tofu'));
    assert.deepEqual(findings.map((f) => f.ruleId), ['CTK001', 'CTK202']);
    const edited = new Set(findings.flatMap((f) => f.fixes).flatMap((fix) => fix.edits.map((e) => e.uri)));
    assert.deepEqual([...edited], [memUri('main.tofu')]);
    assert.ok(!findings[0].fixes.some((f) => f.title.includes('aws_kms_key.k')), 'the hidden kms.tf key is offered');
  });
});

describe('test/fixtures/opentofu: EXPECTED.tsv', () => {
  const dir = path.join(repoRoot(), 'test', 'fixtures', 'opentofu');
  const names = fs.readdirSync(dir).filter((n) => n !== 'EXPECTED.tsv' && n !== 'README.md');
  const files = Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')]));
  const rows = fs.readFileSync(path.join(dir, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
    const [file, rule, messageId, resource, lineNo] = line.split('\t');
    return { file, rule, messageId, resource, line: Number(lineNo) };
  });

  it('names files of the folder', () => {
    for (const row of rows) assert.ok(names.includes(row.file), row.file);
  });

  for (const row of rows) {
    const what = row.rule === 'none' ? `no finding for ${row.resource}` : `${row.rule} ${row.messageId} on ${row.resource} at line ${row.line}`;
    it(`${row.file}: ${what}`, async () => {
      const analyzer = await memoryAnalyzer(files);
      const findings = analyzer.analyze(memUri(row.file));
      const ofResource = findings.filter((f) => f.resource === row.resource).map((f) => `${f.ruleId} ${f.messageId} ${f.range.start.line + 1}`);
      if (row.rule === 'none') {
        assert.deepEqual(ofResource, []);
        // The resource exists where the row says: the row is not vacuous.
        assert.match(files[row.file].split('\n')[row.line - 1] ?? '', new RegExp(`"${row.resource.split('.').pop()}"`));
      } else {
        assert.deepEqual(ofResource, [`${row.rule} ${row.messageId} ${row.line}`]);
      }
    });
  }

  it('the hidden files have no findings at all, and each has its note', async () => {
    const analyzer = await memoryAnalyzer(files);
    for (const [hidden, loaded] of [['main.tf', 'main.tofu'], ['archive.tf.json', 'archive.tofu.json']]) {
      assert.deepEqual(analyzer.analyze(memUri(hidden)), [], hidden);
      assert.match(analyzer.ignoredBecause(memUri(hidden)) ?? '', new RegExp(`^OpenTofu loads ${loaded.replace(/\./g, '\\.')} instead of`));
    }
    assert.deepEqual(analyzer.analyze(memUri('notify.tofu.json')), [], 'notify.tofu.json holds only a variable');
    for (const read of ['main.tofu', 'archive.tofu.json', 'notify.tf', 'notify.tofu.json', 'variables.tf']) assert.equal(analyzer.ignoredBecause(memUri(read)), undefined, read);
  });
});
