/**
 * Gating CI on a Terraform plan: the built CLI reads `terraform show -json` output by content
 * (any `.json` name), reports a trail or key by its plan address, and exits as --fail-on says.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/engine';

const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const fixture = (name: string): string => path.join(repoRoot(), 'test', 'fixtures', 'terraform-plan', name);

interface JsonReport {
  findings: { ruleId: string; file: string; line: number; resource: string; severity: string; suppressed: boolean }[];
}
const summaryOf = (report: JsonReport): string[] =>
  report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line} ${f.resource}${f.suppressed ? ' suppressed' : ''}`);
/** The 1-based line of the first occurrence of `needle` in a fixture. */
const lineIn = (name: string, needle: string): number => {
  const text = fs.readFileSync(fixture(name), 'utf8');
  assert.ok(text.includes(needle), `${needle} is not in ${name}`);
  return text.slice(0, text.indexOf(needle)).split('\n').length;
};

describe('cloudtrail-kms-lint scan plan.json', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-plan-'));
    fs.copyFileSync(fixture('module-null-key.json'), path.join(dir, 'plan.json'));
    for (const name of ['key-policy-no-cloudtrail.json', 'key-policy-module.json', 'key-policy-after-apply.json', 'key-deleted.json']) {
      fs.mkdirSync(path.join(dir, path.basename(name, '.json')));
      fs.copyFileSync(fixture(name), path.join(dir, path.basename(name, '.json'), 'tfplan.json'));
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports the child-module trail without a key by its plan address and exits 1', () => {
    const result = run(['scan', 'plan.json', '--format', 'json'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(summaryOf(JSON.parse(result.stdout) as JsonReport), [
      'CTK001 warning plan.json:27 module.trail.aws_cloudtrail.this',
    ]);
  });

  it('--fail-on none exits 0 with the same findings', () => {
    const result = run(['scan', 'plan.json', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).findings[0].resource, 'module.trail.aws_cloudtrail.this');
  });

  it('fails the gate on a key whose policy does not let CloudTrail encrypt, reported at its planned policy', () => {
    const result = run(['scan', 'key-policy-no-cloudtrail', '--format', 'json', '--fail-on', 'error'], dir);
    assert.equal(result.status, 1, result.stderr);
    const policyLine = lineIn('key-policy-no-cloudtrail.json', '"policy": "');
    assert.deepEqual(summaryOf(JSON.parse(result.stdout) as JsonReport), [
      `CTK101 error tfplan.json:${policyLine} aws_kms_key.trail`,
      `CTK103 warning tfplan.json:${policyLine} aws_kms_key.trail`,
    ]);
  });

  it('passes a plan whose key, used by a child-module trail, lets CloudTrail in', () => {
    const result = run(['scan', 'key-policy-module', '--format', 'json', '--fail-on', 'information'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(summaryOf(JSON.parse(result.stdout) as JsonReport), []);
  });

  it('does not fail on a key policy known only after apply, nor on a key the apply destroys', () => {
    for (const folder of ['key-policy-after-apply', 'key-deleted']) {
      const result = run(['scan', folder, '--format', 'json', '--fail-on', 'information'], dir);
      assert.equal(result.status, 0, `${folder}: ${result.stdout}${result.stderr}`);
      assert.deepEqual(summaryOf(JSON.parse(result.stdout) as JsonReport), [], folder);
    }
  });
});
