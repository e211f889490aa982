/**
 * A scan worker sends back only the files of a batch that have findings or an error, by their
 * place in the batch: every file must still be reported, each with exactly what it came to.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanFiles } from '../../../server/src/scan/parallelScan';
import { batchOutcomes, batchResults, type FileOutcome, type FindingData } from '../../../server/src/scan/protocol';
import { repoRoot } from '../../support/engine';

const finding = (resource: string): FindingData => ({
  ruleId: 'CTK001', messageId: 'noKey', data: {}, message: `${resource} has no key`, severity: 'error', uri: `file:///w/${resource}.tf`,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, resource, relatedInformation: [],
});

describe('scan worker messages', function () {
  this.timeout(120000);

  it('a batch comes back whole: files without findings, with findings and with errors, in order', () => {
    const outcomes: FileOutcome[] = [
      { file: '/w/a.tf', findings: [] },
      { file: '/w/b.tf', findings: [finding('b'), finding('b2')] },
      { file: '/w/c.tf', error: 'not checked: parsing stopped' },
      { file: '/w/d.tf', findings: [] },
      { file: '/w/e.tf', findings: [finding('e')] },
      { file: '/w/f.tf', findings: [] },
    ];
    const sent = batchOutcomes(outcomes);
    // Only the three files with something to say cross the thread, and without their paths.
    assert.deepEqual(sent.map((s) => s.at), [1, 2, 4]);
    assert.ok(sent.every((s) => !('file' in s)));
    assert.deepEqual([...batchResults(outcomes.map((o) => o.file), sent)], outcomes);
    assert.deepEqual([...batchResults(['/w/x.tf', '/w/y.tf'], [])], [{ file: '/w/x.tf', findings: [] }, { file: '/w/y.tf', findings: [] }]);
  });

  it('starts its workers with a small young generation, unless told otherwise, and keeps the other limits it is given', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-limits-'));
    try {
      const files = Array.from({ length: 70 }, (_, i) => {
        const file = path.join(dir, `m${String(i).padStart(2, '0')}`, 'main.tf');
        fs.mkdirSync(path.dirname(file));
        fs.writeFileSync(file, 'variable "x" {}\n');
        return file;
      });
      const limitsSeen = async (resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number }): Promise<Array<Record<string, number>>> => {
        const seen: Array<Record<string, number>> = [];
        await scanFiles(files, { roots: [dir], maxFileSize: 1e6, config: {} }, {
          onResult: () => undefined,
          onSkip: (file, reason) => { if (file === 'resource-limits') seen.push(JSON.parse(reason)); },
        }, { workers: 2, workerFile: path.join(repoRoot(), 'test', 'support', 'limits-scan-worker.js'), resourceLimits });
        return seen;
      };
      const byDefault = await limitsSeen();
      assert.equal(byDefault.length, 2);
      for (const limits of byDefault) assert.equal(limits.maxYoungGenerationSizeMb, 8);
      for (const limits of await limitsSeen({ maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 })) {
        assert.equal(limits.maxYoungGenerationSizeMb, 32);
        assert.equal(limits.maxOldGenerationSizeMb, 256);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a scan through two workers reports every file with the same findings as one analysed inline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-messages-'));
    try {
      const files: string[] = [];
      for (let i = 0; i < 90; i++) {
        const folder = path.join(dir, `m${String(i).padStart(2, '0')}`);
        fs.mkdirSync(folder);
        // One folder in three holds a trail without a key (a finding); the others a bucket or nothing CloudTrail's.
        const text = i % 3 === 0
          ? `resource "aws_cloudtrail" "t${i}" {\n  name = "t${i}"\n  s3_bucket_name = "b"\n}\n`
          : `resource "aws_s3_bucket" "b${i}" {\n  bucket = "b${i}"\n}\n`;
        fs.writeFileSync(path.join(folder, 'main.tf'), text);
        fs.writeFileSync(path.join(folder, 'variables.tf'), 'variable "x" {\n  default = 1\n}\n');
        files.push(path.join(folder, 'main.tf'), path.join(folder, 'variables.tf'));
      }
      const scan = async (workers: number): Promise<Map<string, string[]>> => {
        const results = new Map<string, string[]>();
        await scanFiles(files, { roots: [dir], maxFileSize: 1e6, config: {} }, {
          onResult: (file, found) => {
            assert.ok(!results.has(file), `${file} reported twice`);
            results.set(file, found.map((f) => `${f.ruleId} ${f.resource} ${f.range.start.line}`).sort());
          },
          onError: (file, error) => assert.fail(`${file}: ${error}`),
        }, { workers, workerFile: path.join(repoRoot(), 'out', 'server', 'src', 'scan', 'scanWorker.js') });
        return results;
      };
      const inline = await scan(1);
      const pooled = await scan(2);
      assert.equal(pooled.size, files.length);
      assert.deepEqual(new Map([...pooled].sort()), new Map([...inline].sort()));
      const withFindings = [...pooled.values()].filter((f) => f.length > 0).length;
      assert.equal(withFindings, 30, 'each trail file has its findings');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
