/**
 * The event data store fixtures (test/fixtures/event-data-store/, written from the provider's
 * and AWS's documented shapes) give exactly the findings EXPECTED.tsv lists: rule, message id
 * and line per file, and nothing at all on the resources listed as `none`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAnalyzer, type Finding } from '../../../server/src/engine';
import { createDiskHost, pathToUri } from '../../../server/src/diskHost';
import { repoRoot } from '../../support/engine';
import { fixtureCopy, realName } from '../../support/fixtureFolders';

const stored = path.join(repoRoot(), 'test', 'fixtures', 'event-data-store');
const rows = fs.readFileSync(path.join(stored, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1)
  .map((line) => line.split('\t')).map(([file, rule, messageId, resource, line]) => ({ file: realName(file), rule, messageId, resource, line: Number(line) }));

describe('event data store fixtures (EXPECTED.tsv)', () => {
  const findings = new Map<string, Finding[]>();
  // The YAML template is stored as `.yaml.txt`: it is read from a copy under its real name.
  let root = '';
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  before(async () => {
    root = fixtureCopy(stored);
    const analyzer = await createAnalyzer(createDiskHost({ roots: [root], maxFileSize: 5 * 1024 * 1024 }));
    for (const file of new Set(rows.map((r) => r.file))) findings.set(file, analyzer.analyze(pathToUri(path.join(root, file))));
  });

  for (const file of new Set(rows.map((r) => r.file))) {
    it(`${file}: the listed findings, on their lines, and no other`, () => {
      const expected = rows.filter((r) => r.file === file && r.rule !== 'none').map((r) => `${r.rule} ${r.messageId} @${r.line}`).sort();
      const actual = (findings.get(file) ?? []).map((f) => `${f.ruleId} ${f.messageId} @${f.range.start.line + 1}`).sort();
      assert.deepEqual(actual, expected);
    });
    for (const row of rows.filter((r) => r.file === file && r.rule === 'none')) {
      it(`${file}: nothing on ${row.resource}`, () => {
        assert.deepEqual((findings.get(file) ?? []).filter((f) => f.resource === row.resource).map((f) => f.message), []);
      });
    }
  }
});
