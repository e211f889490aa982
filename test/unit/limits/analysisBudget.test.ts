/**
 * The analysis of one file runs under a time limit (`timeLimitMs`, the `timeLimit` setting,
 * `--time-limit`): over it, the file gets no findings and a note saying it was not checked,
 * and the other files are analysed as usual.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

const TRAIL = 'resource "aws_cloudtrail" "t" {\n  name                       = "t"\n  s3_bucket_name             = "b"\n  enable_log_file_validation = true\n  kms_key_id                 = local.cfg.key\n}\n';
const NO_KEY = TRAIL.replace('local.cfg.key', '""');

/** A trail whose key is read from a wide object of locals: thousands of evaluations, each cheap. */
function wideObject(n: number): string {
  const entries = Array.from({ length: n }, (_, i) => `    a${i} = local.l${i}`);
  const locals = Array.from({ length: n }, (_, i) => `  l${i} = "v${i}"`);
  return `${TRAIL}\nlocals {\n  cfg = {\n    key = ""\n${entries.join('\n')}\n  }\n${locals.join('\n')}\n}\n`;
}

describe('the analysis time limit', () => {
  it('stops a file over the limit with a note, and it gets no findings', async () => {
    const analyzer = await memoryAnalyzer({ 'slow/main.tf': wideObject(3000) }, { timeLimitMs: 1 });
    assert.deepEqual(analyzer.analyze(memUri('slow/main.tf')), []);
    assert.match(analyzer.notChecked(memUri('slow/main.tf')) ?? '', /^analysis stopped after 0\.0 s \(the time limit, parsing not counted\)$/);
  });

  it('leaves the same file checked under the default limit, and the note goes once it is', async () => {
    const analyzer = await memoryAnalyzer({ 'slow/main.tf': wideObject(3000) }, { timeLimitMs: 1 });
    analyzer.analyze(memUri('slow/main.tf'));
    analyzer.configure({});
    const findings = analyzer.analyze(memUri('slow/main.tf'));
    assert.deepEqual(findings.map((f) => f.ruleId), ['CTK001']);
    assert.equal(analyzer.notChecked(memUri('slow/main.tf')), undefined);
  });

  it('does not affect the other files of a batch', async () => {
    const analyzer = await memoryAnalyzer({ 'slow/main.tf': wideObject(3000), 'slow/other.tf': '# nothing\n', 'fast/main.tf': NO_KEY }, { timeLimitMs: 1 });
    const results = analyzer.analyzeMany([memUri('slow/main.tf'), memUri('slow/other.tf'), memUri('fast/main.tf')]);
    assert.deepEqual(results.get(memUri('slow/main.tf')), []);
    // The module stopped once: its other file is not checked either, without spending the limit again.
    assert.match(analyzer.notChecked(memUri('slow/other.tf')) ?? '', /analysis stopped/);
    assert.deepEqual(results.get(memUri('fast/main.tf'))?.map((f) => f.ruleId), ['CTK001']);
    assert.equal(analyzer.notChecked(memUri('fast/main.tf')), undefined);
  });

  it('does not count the parse, which has a budget of its own', async () => {
    // A big file that parses slowly but evaluates in a few steps stays checked under a short limit.
    const padding = Array.from({ length: 3000 }, (_, i) => `# line ${i} ${'x'.repeat(60)}`).join('\n');
    const analyzer = await memoryAnalyzer({ 'big/main.tf': `${padding}\n${NO_KEY}` }, { timeLimitMs: 50 });
    assert.deepEqual(analyzer.analyze(memUri('big/main.tf')).map((f) => f.ruleId), ['CTK001']);
  });

  it('the CLI lists a file over --time-limit as not checked and exits 2, after the report', function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-limit-'));
    fs.mkdirSync(path.join(dir, 'slow'));
    fs.mkdirSync(path.join(dir, 'fast'));
    fs.writeFileSync(path.join(dir, 'slow', 'main.tf'), wideObject(3000));
    fs.writeFileSync(path.join(dir, 'fast', 'main.tf'), NO_KEY);
    const run = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js'), 'scan', '.', '--format', 'json', '--time-limit', '1'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[] };
    assert.deepEqual(report.findings.map((f) => [f.ruleId, f.file]), [['CTK001', path.join('fast', 'main.tf')]]);
    assert.match(run.stderr, /slow[/\\]main\.tf.*not checked: analysis stopped after 0\.0 s/);
  });
});
