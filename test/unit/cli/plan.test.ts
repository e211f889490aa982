/**
 * Gating CI on a Terraform plan: the built CLI reads `terraform show -json` output by content
 * (any `.json` name), reports a trail by its plan address, and exits as --fail-on says.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/engine';

const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('cloudtrail-kms-lint scan plan.json', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-plan-'));
    fs.copyFileSync(path.join(repoRoot(), 'test', 'fixtures', 'terraform-plan', 'module-null-key.json'), path.join(dir, 'plan.json'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports the child-module trail without a key by its plan address and exits 1', () => {
    const result = run(['scan', 'plan.json', '--format', 'json'], dir);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; line: number; resource: string; severity: string; suppressed: boolean }[] };
    assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line} ${f.resource}${f.suppressed ? ' suppressed' : ''}`), [
      'CTK001 warning plan.json:27 module.trail.aws_cloudtrail.this',
    ]);
  });

  it('--fail-on none exits 0 with the same findings', () => {
    const result = run(['scan', 'plan.json', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).findings[0].resource, 'module.trail.aws_cloudtrail.this');
  });
});
