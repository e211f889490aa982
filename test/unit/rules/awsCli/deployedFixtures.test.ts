/**
 * test/fixtures/deployed/EXPECTED.tsv as assertions, for the saved AWS CLI output in that
 * folder (the state files there are another input's). Each file's findings are exactly its
 * rows, for the rules this build has; a `none` row means no finding for that resource (or, with
 * `-`, none in the file).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../../server/src/engine/rules';
import { memoryAnalyzer, memUri, repoRoot } from '../../../support/engine';

const DIR = path.join(repoRoot(), 'test', 'fixtures', 'deployed');
/** `terraform show -json` of a state is read by the Terraform adapter, not this one. */
const isCliOutput = (name: string): boolean => name.endsWith('.json') && !name.startsWith('state');

interface Row { file: string; rule: string; messageId: string; resource: string; line: number }
const rows: Row[] = fs.readFileSync(path.join(DIR, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1)
  .map((l) => l.split('\t'))
  .map(([file, rule, messageId, resource, line]) => ({ file, rule, messageId, resource, line: Number(line) }));
const known = new Set<string>(RULES.map((r) => r.meta.id));
const files = Object.fromEntries(fs.readdirSync(DIR).filter(isCliOutput).map((name) => [name, fs.readFileSync(path.join(DIR, name), 'utf8')]));

describe('deployed fixtures (AWS CLI output): EXPECTED.tsv', () => {
  for (const file of Object.keys(files)) {
    it(`${file}: its findings are its rows`, async () => {
      const analyzer = await memoryAnalyzer(files);
      const findings = analyzer.analyze(memUri(file));
      const expected = rows.filter((r) => r.file === file && r.rule !== 'none' && known.has(r.rule)).map((r) => `${r.rule} ${r.messageId} ${r.resource} line ${r.line}`);
      assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.messageId} ${f.resource} line ${f.range.start.line + 1}`).sort(), expected.sort());
      for (const none of rows.filter((r) => r.file === file && r.rule === 'none')) {
        assert.deepEqual(findings.filter((f) => none.resource === '-' || f.resource === none.resource).map((f) => f.message), [], `${none.resource}: none`);
      }
      assert.deepEqual(findings.flatMap((f) => f.fixes.map((x) => x.title)), [], 'no finding in saved output has a fix');
    });
  }

  it('the bare policy\'s finding points back at the KmsKeyId of the trail that uses the key', async () => {
    const analyzer = await memoryAnalyzer(files);
    const [finding] = analyzer.analyze(memUri('0a1b2c3d-2222-4a5b-8c9d-0123456789ab.key-policy.json')).filter((f) => f.ruleId === 'CTK101');
    assert.deepEqual(finding.relatedInformation.map((r) => `${path.basename(r.location.uri)}:${r.location.range.start.line + 1}`), ['trails-us-east-1.json:51']);
  });

  it('the trails overview lists each trail of the folder, judged against the key policy saved for its key', async () => {
    const analyzer = await memoryAnalyzer(files);
    const overviews = analyzer.trailOverviews(memUri('trails-us-east-1.json'));
    const encrypt = (name: string) => overviews.find((o) => o.address.endsWith(`trail/${name}`))?.requirements.find((r) => r.id === 'encrypt')?.mark;
    assert.deepEqual(overviews.map((o) => o.address.slice(o.address.lastIndexOf('/') + 1)), ['unencrypted', 'empty-key', 'encrypted', 'default-policy', 'aws-managed-key', 'multi-region-key']);
    assert.deepEqual(['unencrypted', 'encrypted', 'default-policy'].map(encrypt), ['unmet', 'met', 'unmet']);
  });
});
