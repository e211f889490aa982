/**
 * The editor's Scan Workspace over a multi-root workspace: every folder's files go through one
 * worker pool at once, each judged with its own folder's settings, with one progress count.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanGroups } from '../../../server/src/scan/parallelScan';
import type { FindingData } from '../../../server/src/scan/protocol';
import { repoRoot } from '../../support/engine';

const TRAIL = 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  enable_log_file_validation = true\n}\n';
const workerFile = (): string => path.join(repoRoot(), 'out', 'server', 'src', 'scan', 'scanWorker.js');

describe('scanGroups', function () {
  this.timeout(120000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-groups-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const folderOf = (root: string, count: number): string[] => Array.from({ length: count }, (_, i) => {
    const folder = path.join(dir, root, `m${String(i).padStart(2, '0')}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.tf'), TRAIL);
    return path.join(folder, 'main.tf');
  });

  for (const workers of [1, 2]) {
    it(`judges each folder's files with that folder's settings, in one pass with one progress count (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const a = folderOf('a', 45);
      const b = folderOf('b', 35);
      const roots = [path.join(dir, 'a'), path.join(dir, 'b')];
      const results = new Map<string, FindingData[]>();
      const progress: [number, number][] = [];
      await scanGroups([
        { files: a, setup: { roots, maxFileSize: 1e6, config: {} } },
        { files: b, setup: { roots, maxFileSize: 1e6, config: { rules: { CTK001: 'error' } } } },
      ], {
        onResult: (file, found) => results.set(file, found),
        onError: (file, error) => assert.fail(`${file}: ${error}`),
        onProgress: (done, total) => progress.push([done, total]),
      }, { workers, workerFile: workerFile() });
      assert.equal(results.size, 80);
      for (const file of a) assert.deepEqual(results.get(file)?.map((f) => [f.ruleId, f.severity]), [['CTK001', 'warning']], file);
      for (const file of b) assert.deepEqual(results.get(file)?.map((f) => [f.ruleId, f.severity]), [['CTK001', 'error']], file);
      assert.ok(progress.every(([, total]) => total === 80), JSON.stringify(progress));
      assert.ok(progress.every(([done], i) => i === 0 || done >= progress[i - 1][0]), JSON.stringify(progress));
      assert.equal(progress[progress.length - 1][0], 80);
    });
  }

  it('a cancel stops a worker in the middle of a batch that would never end', async () => {
    const files = [...folderOf('a', 60), ...folderOf('b', 10)];
    const stuck = path.join(path.dirname(files[0]), 'hangs-forever.tf');
    fs.writeFileSync(stuck, TRAIL);
    let cancelled = false;
    const results = new Set<string>();
    const scan = scanGroups([
      { files: [stuck, ...files.slice(0, 60)], setup: { roots: [dir], maxFileSize: 1e6, config: {} } },
      { files: files.slice(60), setup: { roots: [dir], maxFileSize: 1e6, config: {} } },
    ], {
      // Cancelled once the other worker has reported a batch: the stuck one is still spinning.
      onResult: (file) => { results.add(file); cancelled = true; },
      isCancelled: () => cancelled,
    }, { workers: 2, workerFile: path.join(repoRoot(), 'test', 'support', 'dying-scan-worker.js') });
    await scan; // without the stop it never resolves, and the test times out
    assert.ok(!results.has(stuck) && results.size > 0 && results.size < 70, `${results.size} files reported`);
  });

  it('stops handing out batches of any folder once cancelled', async () => {
    const files = [...folderOf('a', 50), ...folderOf('b', 50)];
    const roots = [path.join(dir, 'a'), path.join(dir, 'b')];
    let seen = 0;
    await scanGroups([
      { files: files.slice(0, 50), setup: { roots, maxFileSize: 1e6, config: {} } },
      { files: files.slice(50), setup: { roots, maxFileSize: 1e6, config: {} } },
    ], { onResult: () => { seen++; }, isCancelled: () => seen > 0 }, { workers: 2, workerFile: workerFile() });
    // A worker finishes the batch it holds, and may have been handed the next one just before
    // the first results (and so the cancel) were seen; no batch is handed out after that.
    assert.ok(seen > 0 && seen < 100, `${seen} of 100 files analysed`);
  });
});
