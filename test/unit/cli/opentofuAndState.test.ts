/**
 * The built CLI on an OpenTofu module (test/fixtures/opentofu: `.tofu` and `.tofu.json` files
 * that hide `.tf` and `.tf.json` ones) and on a saved state (`terraform show -json` of a state,
 * test/fixtures/deployed/state.json), in JSON and in SARIF 2.1.0 valid against the schema.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { repoRoot } from '../../support/engine';

const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const fixtures = (...parts: string[]): string => path.join(repoRoot(), 'test', 'fixtures', ...parts);

interface JsonReport {
  findings: { ruleId: string; file: string; line: number; resource: string; severity: string; message: string }[];
  stats: { files: number };
}
interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}
const summaryOf = (report: JsonReport): string[] => report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.resource}`);
const sarifSummaryOf = (results: SarifResult[]): string[] =>
  results.map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`);

function validSarif(stdout: string): { runs: { results: SarifResult[] }[] } {
  const sarif = JSON.parse(stdout) as { runs: { results: SarifResult[] }[] };
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  return sarif;
}

describe('cloudtrail-kms-lint scan on OpenTofu files and a Terraform state', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-tofu-'));
    fs.cpSync(fixtures('opentofu'), path.join(dir, 'tofu'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'deployed'));
    // Any name: a state is recognised by its content.
    fs.copyFileSync(fixtures('deployed', 'state.json'), path.join(dir, 'deployed', 'prod-show.json'));
    fs.copyFileSync(fixtures('deployed', 'state-empty.json'), path.join(dir, 'deployed', 'empty.json'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('JSON: the .tofu files are judged, the .tf files they hide are not, the .tf file they do not hide is', () => {
    const result = run(['scan', 'tofu', '--format', 'json'], dir);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(summaryOf(report), [
      'CTK003 archive.tofu.json:8 aws_cloudtrail.archive',
      'CTK101 main.tofu:3 aws_kms_key.trail',
      'CTK001 notify.tf:3 aws_cloudtrail.secondary',
    ]);
    assert.ok(report.stats.files >= 5, 'the .tofu and .tofu.json files are walked');
  });

  it('SARIF: the same results, on the .tofu files', () => {
    const result = run(['scan', 'tofu', '--format', 'sarif', '--fail-on', 'none', '--sarif-root', dir], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(sarifSummaryOf(validSarif(result.stdout).runs[0].results), [
      'CTK003 tofu/archive.tofu.json:8',
      'CTK101 tofu/main.tofu:3',
      'CTK001 tofu/notify.tf:3',
    ]);
  });

  it('a single .tofu file named on the command line is scanned', () => {
    const result = run(['scan', path.join('tofu', 'main.tofu'), '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.ruleId), ['CTK101']);
  });

  it('JSON: a state\'s keyless trail is CTK001 by its address; its encrypted trail and an empty state are clean', () => {
    const result = run(['scan', 'deployed', '--format', 'json'], dir);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    // The state's event data store (module.lake) has "kms_key_id": "" too (test/fixtures/deployed/EXPECTED.tsv).
    assert.deepEqual(summaryOf(report), ['CTK001 prod-show.json:28 aws_cloudtrail.unencrypted', 'CTK301 prod-show.json:133 module.lake.aws_cloudtrail_event_data_store.this[0]']);
    assert.match(report.findings[0].message, /^aws_cloudtrail\.unencrypted sets kms_key_id to "", which means no KMS key/);
  });

  it('SARIF: the state finding, at its kms_key_id line', () => {
    const result = run(['scan', 'deployed', '--format', 'sarif', '--fail-on', 'none', '--sarif-root', dir], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(sarifSummaryOf(validSarif(result.stdout).runs[0].results), ['CTK001 deployed/prod-show.json:28', 'CTK301 deployed/prod-show.json:133']);
  });
});
