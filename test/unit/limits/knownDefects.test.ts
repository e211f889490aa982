/**
 * Limits whose outcome is wrong today, each with a reproducer in the shared robustness cases
 * (named in the test): 10,000-level nesting (05), a YAML alias bomb (07), a symlink to `/` (16).
 * They assert the outcome a user should get, through the CLI, under a memory cap and a time limit.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanCli, useLimitsWorkspace, TRAIL_WITHOUT_KEY } from '../../support/scanCli';

describe('limits: nesting, alias bombs, a link to the root', function () {
  this.timeout(120000);
  const w = useLimitsWorkspace();

  const assertReported = (args: string[] = [w.ws]): void => {
    const run = scanCli(args, { maxOldSpaceMb: 512, timeoutMs: 30000 });
    assert.equal(run.signal, null, `the CLI was not killed; stderr: ${run.stderr.slice(0, 300)}`);
    assert.ok(run.report, `a report on stdout (exit ${run.status}); stderr: ${run.stderr.slice(0, 300)}`);
    assert.ok(run.report.findings.some((f) => f.file.endsWith(path.join('ok', 'main.tf')) && f.ruleId === 'CTK001'));
  };

  const DEPTH = 10000;
  it('05: 10,000-level nesting in JSON, YAML and HCL gives a bounded outcome and the report', () => {
    const trail = '{"Type":"AWS::CloudTrail::Trail","Properties":{"S3BucketName":"b","IsLogging":true}}';
    w.put('json/template.json', `{"Resources":{"T":${trail}},"Metadata":{"Deep":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}`);
    w.put('yaml/template.yaml', `Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: b\n      IsLogging: true\nMetadata:\n  Deep: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`);
    w.put('hcl/main.tf', TRAIL_WITHOUT_KEY.replace('}\n', `  tags = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n}\n`));
    assertReported();
  });

  it('07: a YAML alias bomb stays within memory and the report is printed', () => {
    const lines = ['Resources:', '  T:', '    Type: AWS::CloudTrail::Trail', '    Properties: {S3BucketName: b, IsLogging: true}', 'Metadata:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    w.put('bomb/template.yaml', `${lines.join('\n')}\n`);
    assertReported();
  });

  it('16: a symlink to / inside the workspace is not walked', () => {
    fs.symlinkSync('/', path.join(w.ws, 'root'));
    const run = scanCli([w.ws], { timeoutMs: 60000 });
    assert.ok(run.report, 'a report');
    const below = `${path.join(w.ws, 'root')}${path.sep}`;
    assert.deepEqual(run.reads.filter((r) => /^(readdirSync|opendirSync|promises\.readdir|promises\.opendir|readdir)\t/.test(r) && (r.includes(below) || /\t\/(usr|etc|proc)\b/.test(r))).slice(0, 3), []);
  });
});
