/**
 * The CI command as a pipeline runs it: the built `bin/cloudtrail-kms-lint.js`, its exit codes,
 * the JSON contract, SARIF valid against the SARIF 2.1.0 schema, and bad input.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { corpusDir, repoRoot } from '../../support/engine';

const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], cwd = repoRoot()) => spawnSync(process.execPath, [bin(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('cloudtrail-kms-lint scan', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-cli-'));
    fs.mkdirSync(path.join(dir, 'infra'));
    fs.writeFileSync(path.join(dir, 'infra', 'main.tf'), 'resource "aws_cloudtrail" "main" {\n  name = "main"\n  enable_log_file_validation = true\n}\n\n# cloudtrail-kms-lint:ignore CTK001 encrypted by the organization trail\nresource "aws_cloudtrail" "quiet" {\n  name = "quiet"\n  enable_log_file_validation = true\n}\n');
    fs.writeFileSync(path.join(dir, 'infra', 'ok.tf'), 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n');
    fs.writeFileSync(path.join(dir, 'template.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      EnableLogFileValidation: true\n      S3BucketName: logs\n      KmsKeyId: alias/trail\n');
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "not-a-template"}\n');
    fs.writeFileSync(path.join(dir, 'binary.json'), Buffer.from([0x7b, 0x00, 0x01, 0x02]));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the JSON contract and exits 1 on an unsuppressed warning', () => {
    const result = run(['scan', dir, '--format', 'json']);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.version, 1);
    assert.equal(typeof report.stats.files, 'number');
    assert.equal(typeof report.stats.ms, 'number');
    const summary = report.findings.map((f: { ruleId: string; file: string; line: number; resource: string; suppressed: boolean }) => `${f.ruleId} ${f.file}:${f.line} ${f.resource}${f.suppressed ? ' suppressed' : ''}`);
    assert.deepEqual(summary, [
      'CTK001 infra/main.tf:1 aws_cloudtrail.main',
      'CTK001 infra/main.tf:7 aws_cloudtrail.quiet suppressed',
      'CTK001 template.yaml:9 Trail',
    ]);
    const first = report.findings[0];
    assert.deepEqual(Object.keys(first).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'resource', 'ruleId', 'severity', 'suppressed']);
    assert.equal(first.column, 1);
    assert.equal(first.severity, 'warning');
  });

  it('--fail-on error passes warnings; --fail-on none never fails', () => {
    assert.equal(run(['scan', dir, '--fail-on', 'error']).status, 0);
    assert.equal(run(['scan', dir, '--fail-on', 'none', '--format', 'json']).status, 0);
  });

  it('text output groups by file and counts problems', () => {
    const result = run(['scan', dir]);
    assert.match(result.stdout, /infra\/main\.tf\n {2}1:1 +warning +aws_cloudtrail\.main does not set kms_key_id/);
    assert.match(result.stdout, /2 problems \(0 errors, 2 warnings, 0 information\)/);
    assert.match(result.stdout, /1 suppressed/);
    assert.doesNotMatch(result.stdout, /\x1b\[/, 'no colour when not on a terminal');
  });

  it('writes SARIF 2.1.0 that validates against the schema, with suppressions recorded', () => {
    const result = run(['scan', dir, '--format', 'sarif', '--fail-on', 'none']);
    assert.equal(result.status, 0, result.stderr);
    const sarif = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } }; results: any[] }[] };
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The published schema has a pattern that is invalid with the `u` flag; ajv must compile it without.
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run0 = sarif.runs[0];
    assert.ok(run0.tool.driver.rules.some((r: { id: string; help: { markdown: string } }) => r.id === 'CTK001' && r.help.markdown.length > 100), 'rules carry their docs as help');
    const quiet = run0.results.find((r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => r.locations[0].physicalLocation.region.startLine === 7);
    assert.equal(quiet.suppressions[0].kind, 'inSource');
    assert.equal(run0.results[0].locations[0].physicalLocation.artifactLocation.uri, 'infra/main.tf');
  });

  it('says what is wrong and exits 2 on bad usage or a missing path', () => {
    const missing = run(['scan', path.join(dir, 'nope')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /does not exist/);
    const badFormat = run(['scan', dir, '--format', 'xml']);
    assert.equal(badFormat.status, 2);
    assert.match(badFormat.stderr, /--format must be text, json or sarif/);
    assert.equal(run([]).status, 2);
    const lspWithoutTransport = run(['lsp']);
    assert.equal(lspWithoutTransport.status, 2);
    assert.match(lspWithoutTransport.stderr, /^cloudtrail-kms-lint: .*--stdio[\s\S]*usage: cloudtrail-kms-lint lsp --stdio/);
  });

  it('skips binary files with a message, and survives a symlink loop', () => {
    fs.symlinkSync(dir, path.join(dir, 'infra', 'loop'));
    try {
      const result = run(['scan', dir, '--format', 'json', '--fail-on', 'none']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stderr, /binary\.json: binary/);
      assert.equal(JSON.parse(result.stdout).findings.length, 3, 'the loop is not followed twice');
    } finally {
      fs.unlinkSync(path.join(dir, 'infra', 'loop'));
    }
  });

  it('scans the whole corpus with several workers, finding what one worker finds', () => {
    const one = run(['scan', corpusDir(), '--format', 'json', '--fail-on', 'none']);
    const env = { ...process.env, CLOUDTRAIL_KMS_LINT_WORKERS: '1' };
    const single = spawnSync(process.execPath, [bin(), 'scan', corpusDir(), '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', env });
    const strip = (out: string) => JSON.parse(out).findings;
    assert.deepEqual(strip(one.stdout), strip(single.stdout));
    assert.ok(strip(one.stdout).length > 20);
  });
});
