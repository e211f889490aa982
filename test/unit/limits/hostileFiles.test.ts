/**
 * Hostile workspaces through the CLI: each gets a bounded, clear outcome, the findings of the
 * ordinary module beside it are still reported, and nothing outside the workspace is read.
 * Big inputs are generated in a temp folder here, never committed.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanCli, useLimitsWorkspace, TRAIL_WITHOUT_KEY, type ScanRun } from '../../support/scanCli';

const OPENS = /^(openSync|readFileSync|open|readFile|createReadStream|promises\.open|promises\.readFile)\t/;

describe('limits: hostile files through the CLI', function () {
  this.timeout(180000);
  const w = useLimitsWorkspace();

  /** The ordinary module's finding is in the report, and the CLI ended normally. */
  const assertOkModuleReported = (run: ScanRun): void => {
    assert.equal(run.signal, null, `not killed (stderr: ${run.stderr.slice(0, 500)})`);
    assert.ok(run.report, `a JSON report on stdout (exit ${run.status}, stderr: ${run.stderr.slice(0, 500)})`);
    assert.ok(run.report.findings.some((f) => f.file.endsWith(path.join('ok', 'main.tf')) && f.ruleId === 'CTK001'), JSON.stringify(run.report.findings.map((f) => [f.ruleId, f.file])));
  };

  it('a 50 MB file is skipped with a message naming it and its size limit', () => {
    const p = path.join(w.ws, 'big', 'huge.tf');
    fs.mkdirSync(path.dirname(p));
    const line = `# ${'x'.repeat(1021)}\n`;
    const fd = fs.openSync(p, 'w');
    for (let i = 0; i < 50 * 1024; i++) fs.writeSync(fd, line);
    fs.closeSync(fd);
    const run = scanCli([w.ws]);
    assertOkModuleReported(run);
    assert.match(run.stderr, /skipped .*huge\.tf: .*(large|size|bytes)/i);
    assert.ok(!run.reads.some((r) => /^readFileSync\t/.test(r) && r.endsWith('huge.tf')), 'not read whole');
  });

  it('a 20 MB one-line JSON template is skipped by default and analysed within the limits when allowed', () => {
    const pad = JSON.stringify(Array.from({ length: 20 * 1024 }, (_, i) => `${i}`.padEnd(1000, 'p')));
    w.put('cfn/template.json', `{"Resources":{"Trail":{"Type":"AWS::CloudTrail::Trail","Properties":{"S3BucketName":"b","IsLogging":true}}},"Metadata":{"Pad":${pad}}}`);
    const skipped = scanCli([w.ws]);
    assertOkModuleReported(skipped);
    assert.match(skipped.stderr, /skipped .*template\.json/);
    const analysed = scanCli([w.ws, '--max-file-size', String(30 * 2 ** 20)]);
    assertOkModuleReported(analysed);
    assert.ok(analysed.report!.findings.some((f) => f.file.endsWith('template.json') && f.ruleId === 'CTK001' && f.resource === 'Trail'));
    console.log(`      20 MB one-line JSON: ${analysed.ms} ms, peak RSS ${analysed.maxRssMb} MB`);
  });

  it('a 1 MB line (a trail name) is read and its trail reported', () => {
    w.put('long/main.tf', TRAIL_WITHOUT_KEY.replace('"main"\n', `"${'n'.repeat(2 ** 20)}"\n`).replace('"main" {', '"long" {'));
    const run = scanCli([w.ws]);
    assertOkModuleReported(run);
    assert.ok(run.report!.findings.some((f) => f.resource === 'aws_cloudtrail.long' && f.ruleId === 'CTK001'));
  });

  it('symlink loops end the walk', () => {
    fs.mkdirSync(path.join(w.ws, 'loop'));
    fs.symlinkSync('..', path.join(w.ws, 'loop', 'up'));
    fs.symlinkSync('b', path.join(w.ws, 'loop', 'a.tf'));
    fs.symlinkSync('a.tf', path.join(w.ws, 'loop', 'b'));
    const run = scanCli([w.ws]);
    assertOkModuleReported(run);
    assert.equal(run.report!.findings.filter((f) => f.ruleId === 'CTK001').length, 1, 'the trail once, not once per path through the loop');
  });

  it('a symlink leaving the workspace is not followed: nothing outside is read or reported', () => {
    const outside = path.join(w.tmp, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'main.tf'), TRAIL_WITHOUT_KEY.replace('"main" {', '"outside_sentinel" {'));
    fs.symlinkSync(outside, path.join(w.ws, 'linked'));
    fs.mkdirSync(path.join(w.ws, 'files'));
    fs.symlinkSync(path.join(outside, 'main.tf'), path.join(w.ws, 'files', 'linked.tf'));
    const run = scanCli([w.ws]);
    assertOkModuleReported(run);
    assert.ok(!run.stdout.includes('outside_sentinel'), 'no finding from outside the workspace');
    assert.deepEqual(run.reads.filter((r) => OPENS.test(r) && r.includes(outside)), []);
  });

  it('a FIFO named like a Terraform file does not block the scan', function () {
    try {
      execFileSync('mkfifo', [path.join(w.ws, 'ok', 'pipe.tf')]);
    } catch {
      this.skip(); // no mkfifo on this system
    }
    const run = scanCli([w.ws], { timeoutMs: 30000 });
    assertOkModuleReported(run);
  });

  it('a directory named x.tf is walked as a folder, not read as a file', () => {
    w.put('x.tf/main.tf', TRAIL_WITHOUT_KEY.replace('"main" {', '"in_dir" {'));
    const run = scanCli([w.ws]);
    assertOkModuleReported(run);
    assert.ok(run.report!.findings.some((f) => f.resource === 'aws_cloudtrail.in_dir'));
  });

  it('an unreadable file is skipped with a message (or, as root, who can read it, analysed)', () => {
    const p = w.put('locked/main.tf', TRAIL_WITHOUT_KEY.replace('"main" {', '"locked" {'));
    fs.chmodSync(p, 0o000);
    let readable = true;
    try {
      fs.readFileSync(p);
    } catch {
      readable = false;
    }
    const run = scanCli([w.ws]);
    fs.chmodSync(p, 0o644);
    assertOkModuleReported(run);
    const reported = run.report!.findings.some((f) => f.resource === 'aws_cloudtrail.locked');
    if (readable) assert.ok(reported, 'this user can read it, so it is checked');
    else assert.match(run.stderr, /skipped .*locked.*main\.tf/);
  });

  it('file("../../…") and templatefile("/etc/…") outside the workspace are never read: a sentinel never shows', () => {
    const outside = path.join(w.tmp, 'secrets');
    fs.mkdirSync(outside);
    const token = `SENTINEL-${process.pid}-${Date.now()}`;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: token, Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' }] });
    fs.writeFileSync(path.join(outside, 'policy.json'), policy);
    fs.writeFileSync(path.join(outside, 'policy.tpl'), policy);
    w.put('mod/main.tf', [
      'resource "aws_kms_key" "a" {', '  policy = file("../../secrets/policy.json")', '}',
      'resource "aws_kms_key" "b" {', `  policy = templatefile("${path.join(outside, 'policy.tpl')}", {})`, '}',
      'resource "aws_kms_key" "c" {', '  policy = file("/etc/passwd")', '}',
      'resource "aws_kms_key" "d" {', '  policy = templatefile("/etc/shadow", {})', '}',
      'resource "aws_cloudtrail" "t" {', '  name           = "t"', '  s3_bucket_name = "b"', '  kms_key_id     = aws_kms_key.a.arn', '}',
    ].join('\n'));
    const run = scanCli([w.ws]);
    assertOkModuleReported(run);
    assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), 'the sentinel is in no output');
    assert.ok(run.reads.some((r) => OPENS.test(r) && r.endsWith(path.join('mod', 'main.tf'))), 'the tracer sees the reads of the module itself');
    assert.deepEqual(run.reads.filter((r) => OPENS.test(r) && (r.includes(outside) || r.includes('/etc/passwd') || r.includes('/etc/shadow'))), []);
  });

  it('50,000 empty files: bounded time and memory', () => {
    for (let d = 0; d < 50; d++) {
      const dir = path.join(w.ws, 'many', `d${d}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(dir, `f${f}.${['tf', 'yaml', 'json', 'tf.json'][f % 4]}`), '');
    }
    const run = scanCli([w.ws], { timeoutMs: 170000 });
    assertOkModuleReported(run);
    console.log(`      50,000 empty files: ${run.ms} ms, peak RSS ${run.maxRssMb} MB, ${run.report!.stats.files} files counted`);
    assert.ok(run.report!.stats.files >= 50000, `${run.report!.stats.files} files`);
    assert.ok(run.ms < 150000, `${run.ms} ms`);
    assert.ok((run.maxRssMb ?? 0) < 1024, `${run.maxRssMb} MB`);
  });
});
