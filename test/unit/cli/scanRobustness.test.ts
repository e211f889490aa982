/**
 * A scan never loses a report: a skipped file does not hide its folder (robustness case 01),
 * a symlink out of the workspace is not walked (case 16), and a worker that dies is replaced,
 * its batch retried file by file, the file that killed it named, the report still written and
 * the exit code 2 after it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanFiles } from '../../../server/src/scan/parallelScan';
import { scan } from '../../../server/src/cli';
import { parseScanArgs } from '../../../server/src/cliArgs';
import type { FindingData } from '../../../server/src/scan/protocol';
import { repoRoot } from '../../support/engine';

const casesDir = (): string => path.resolve(repoRoot(), '..', 'shared', 'robustness-cases');
const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [bin(), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
const dyingWorker = (): string => path.join(repoRoot(), 'test', 'support', 'dying-scan-worker.js');
const TRAIL = 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  enable_log_file_validation = true\n}\n';

describe('scan robustness', function () {
  this.timeout(120000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-robust-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('01-skipped-file-hides-folder: a binary file that sorts first does not hide main.tf', () => {
    const folder = path.join(casesDir(), '01-skipped-file-hides-folder');
    for (const workers of ['1', '2']) {
      const result = run(['scan', folder, '--format', 'json', '--fail-on', 'warning'], { CLOUDTRAIL_KMS_LINT_WORKERS: workers });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /skipped .*a\.tf: binary/);
      const findings = JSON.parse(result.stdout).findings.map((f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`);
      assert.deepEqual(findings, ['CTK001 main.tf:5']);
    }
  });

  it('01-skipped-file-hides-folder: also when the first file is too large, in a batch a worker analyses', async () => {
    // Over the inline limit, so workers analyse the folders in batches (analyzeMany).
    for (let i = 0; i < 70; i++) {
      fs.mkdirSync(path.join(dir, `m${i}`));
      fs.writeFileSync(path.join(dir, `m${i}`, 'a.tf'), ' '.repeat(2000));
      fs.copyFileSync(path.join(casesDir(), '01-skipped-file-hides-folder', 'main.tf'), path.join(dir, `m${i}`, 'main.tf'));
    }
    const result = run(['scan', dir, '--format', 'json', '--max-file-size', '1000'], { CLOUDTRAIL_KMS_LINT_WORKERS: '2' });
    assert.equal(result.status, 1, result.stderr.slice(0, 500));
    const report = JSON.parse(result.stdout);
    assert.equal(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'CTK001').length, 70);
  });

  it('16-symlink-walk-outside-workspace: a link to / is not walked, and the report counts one file', () => {
    // The case builds ws/main.tf from the project's example and links ws/root to /.
    assert.match(fs.readFileSync(path.join(casesDir(), '16-symlink-walk-outside-workspace', 'cmd.sh'), 'utf8'), /ln -s \/ ws\/root/);
    fs.copyFileSync(path.join(repoRoot(), 'examples', 'terraform', 'trail-no-key.tf'), path.join(dir, 'main.tf'));
    fs.symlinkSync('/', path.join(dir, 'root'));
    const started = Date.now();
    const result = run(['scan', dir, '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.status, 0, result.stderr.slice(0, 500));
    const report = JSON.parse(result.stdout);
    assert.equal(report.stats.files, 1);
    assert.deepEqual(report.findings.map((f: { ruleId: string }) => f.ruleId), ['CTK001']);
    assert.deepEqual(result.stderr.trim().split('\n'), [`cloudtrail-kms-lint: skipped ${path.join(dir, 'root')}: symbolic link to a folder outside the scanned paths`]);
    assert.ok(Date.now() - started < 30000, 'bounded by the workspace, not the machine');
  });

  it('16-symlink-walk-outside-workspace: the case folder itself, which holds only its script and notes, gives a report-only run a report and exit 0', () => {
    const result = run(['scan', path.join(casesDir(), '16-symlink-walk-outside-workspace'), '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.unchecked, []);
    assert.match(result.stderr, /nothing was checked: .*a report-only run, --fail-on none, passes/);
  });

  it('12-wasm-memory-exhaustion: the two 2 MB files of "${" are checked like any other, and the exit code is 0', () => {
    const result = run(['scan', path.join(casesDir(), '12-wasm-memory-exhaustion'), '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.findings.map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`), ['CTK001 other/normal.tf']);
    assert.deepEqual(report.unchecked, []);
    assert.equal(report.stats.files, 3);
    assert.equal(result.stderr, '');
  });

  it('16-symlink-walk-outside-workspace: also under an address-space limit (ulimit -v), where WebAssembly cannot reserve its usual memory', () => {
    fs.copyFileSync(path.join(repoRoot(), 'examples', 'terraform', 'trail-no-key.tf'), path.join(dir, 'main.tf'));
    fs.symlinkSync('/', path.join(dir, 'root'));
    const result = spawnSync('bash', ['-c', 'ulimit -v 4000000 && exec "$0" "$@"', process.execPath, bin(), 'scan', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.findings.map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`), ['CTK001 main.tf']);
    assert.equal(report.stats.files, 1);
  });

  it('follows a symlinked folder that stays inside the scanned path', () => {
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real', 'main.tf'), TRAIL);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'main.tf'), TRAIL);
      fs.mkdirSync(path.join(dir, 'links'));
      fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'links', 'inside'));
      fs.symlinkSync(outside, path.join(dir, 'links', 'outside'));
      const result = run(['scan', path.join(dir, 'links'), path.join(dir, 'real'), '--format', 'json']);
      const files = JSON.parse(result.stdout).findings.map((f: { file: string }) => f.file);
      // The link to real/ is inside the scanned paths: walked first, through the link (real/ is
      // then the same folder, not walked twice); the other one is not walked.
      assert.equal(result.status, 1, result.stderr);
      assert.equal(files.length, 1, result.stdout);
      assert.match(files[0], /links\/inside\/main\.tf$/);
      assert.doesNotMatch(result.stderr, /links\/inside/);
      assert.match(result.stderr, /links\/outside: symbolic link to a folder outside the scanned paths/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('replaces a worker that runs out of memory, retries its batch file by file and names the file that killed it', async () => {
    const files: string[] = [];
    for (let i = 0; i < 80; i++) {
      const folder = path.join(dir, `m${String(i).padStart(2, '0')}`);
      fs.mkdirSync(folder);
      const name = i === 41 ? 'exhausts-memory.tf' : 'main.tf';
      fs.writeFileSync(path.join(folder, name), TRAIL);
      files.push(path.join(folder, name));
    }
    const results = new Map<string, FindingData[]>();
    const errors: [string, string][] = [];
    await scanFiles(files, { roots: [dir], maxFileSize: 1e6, config: {} }, {
      onResult: (file, found) => results.set(file, found),
      onError: (file, error) => errors.push([file, error]),
    }, { workers: 2, workerFile: dyingWorker(), resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    assert.equal(errors.length, 1);
    assert.equal(errors[0][0], files[41]);
    assert.match(errors[0][1], /memory limit/);
    assert.equal(results.size, 79, 'every other file of the dead batch was retried and checked');
    for (const file of files) if (file !== files[41]) assert.deepEqual(results.get(file)?.map((f) => f.ruleId), ['CTK001'], file);
  });

  it('the CLI writes its report, lists the file it could not check, and exits 2 after it', async () => {
    for (let i = 0; i < 70; i++) {
      const folder = path.join(dir, `m${String(i).padStart(2, '0')}`);
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, i === 7 ? 'exhausts-memory.tf' : 'main.tf'), TRAIL);
    }
    const limits = { workers: 2, workerFile: dyingWorker(), resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } };
    const stderr = captureStderr();
    let code: number;
    try {
      code = await scan(parseScanArgs([dir, '--format', 'json', '--output-file', path.join(dir, 'report.json')]), limits);
    } finally {
      stderr.restore();
    }
    assert.equal(code, 2);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    assert.equal(report.findings.length, 69, 'the findings of every other file are reported');
    assert.deepEqual(report.unchecked.map((u: { file: string }) => u.file), ['m07/exhausts-memory.tf']);
    assert.match(report.unchecked[0].reason, /memory limit/);
    assert.match(stderr.text(), /1 file could not be checked:\n {2}m07\/exhausts-memory\.tf: .*memory limit/);

    const text = path.join(dir, 'report.txt');
    const stderr2 = captureStderr();
    try {
      assert.equal(await scan(parseScanArgs([dir, '--output-file', text]), limits), 2);
    } finally {
      stderr2.restore();
    }
    assert.match(fs.readFileSync(text, 'utf8'), /69 problems[\s\S]*1 file could not be checked \(the result above is incomplete\):\n {2}m07\/exhausts-memory\.tf: /);
  });
});

function captureStderr(): { text(): string; restore(): void } {
  const original = process.stderr.write.bind(process.stderr);
  let captured = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    captured += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  return { text: () => captured, restore: () => { process.stderr.write = original; } };
}
