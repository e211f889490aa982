/**
 * Conformance: every CloudFormation trail row of the corpus labels holds (YAML, JSON and
 * `.template` files; Terraform rows have their own test, key-policy rows are checked by the
 * key-policy rules' conformance test). Then every fix offered on a corpus trail is applied to
 * the real file: the template must still parse cleanly and the finding must be gone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analyzer, Finding } from '../../../server/src/engine';
import { parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';
import { applyEdits } from '../../support/applyEdits';
import { corpusAnalyzer, corpusDir, corpusUri, memoryAnalyzer, memUri } from '../../support/engine';
import { readLabels, type Label } from './labels';
import { trailFindingsOf, trailRowTests } from './trailConformance';

const isCloudFormationLabel = (l: Label): boolean =>
  /\.(ya?ml|json|template)$/i.test(l.localPath) && !/\.tf\.json$/i.test(l.localPath) && !l.verdict.startsWith('key_policy');

/**
 * Rows we knowingly do not meet, each with the reason. The test asserts the gap is still
 * there, so closing one makes it fail until the row moves back to the normal checks.
 */
const KNOWN_GAPS: Record<string, string> = {};

describe('corpus conformance: CloudFormation trails', () => {
  let analyzer: Analyzer;
  const cache = new Map<string, Finding[]>();
  before(async () => {
    analyzer = await corpusAnalyzer();
  });
  const fileFindings = (label: Label): Finding[] => {
    if (!cache.has(label.localPath)) cache.set(label.localPath, analyzer.analyze(corpusUri(label.localPath)));
    return cache.get(label.localPath)!;
  };
  const findingsOf = (label: Label): Finding[] => trailFindingsOf(fileFindings(label), label);

  const labels = readLabels().filter(isCloudFormationLabel);
  it('has CloudFormation rows to check', () => assert.ok(labels.length >= 20, `only ${labels.length} rows`));
  trailRowTests(labels, KNOWN_GAPS, fileFindings);

  describe('every fix offered on a corpus trail applies cleanly', () => {
    for (const label of labels.filter((l) => l.verdict === 'trail_no_cmk' && !KNOWN_GAPS[`${l.localPath} ${l.address}`])) {
      it(`${label.localPath} ${label.address}`, async () => {
        const finding = findingsOf(label).find((f) => f.ruleId === 'CTK001');
        assert.ok(finding, 'no CTK001 finding');
        if (finding.suppressedBy) {
          // Suppressed findings are not shown, so they offer no fixes.
          assert.deepEqual(finding.fixes, []);
          return;
        }
        assert.ok(finding.fixes.length >= 2, `expected at least "Create a KMS key" and a suppression; got ${finding.fixes.map((f) => f.title).join(' | ')}`);
        const text = fs.readFileSync(path.join(corpusDir(), label.localPath), 'utf8');
        const name = path.basename(label.localPath);
        for (const fix of finding.fixes) {
          assert.equal(fix.edits.length, 1, `"${fix.title}" edits one file`);
          const fixed = applyEdits(text, fix.edits[0].edits);
          const reparsed = parseCloudFormation(memUri(name), fixed);
          assert.ok(reparsed, `no longer a template after "${fix.title}"`);
          assert.deepEqual(reparsed.syntaxErrors, [], `does not parse cleanly after "${fix.title}"`);
          const after = (await memoryAnalyzer({ [name]: fixed })).analyze(memUri(name))
            .filter((f) => f.ruleId === 'CTK001' && f.resource === label.address && !f.suppressedBy);
          assert.deepEqual(after.map((f) => f.message), [], `"${fix.title}" left the finding`);
        }
      });
    }
  });
});
