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
import { parseCloudFormation } from '../../../server/src/engine/parse/cloudformation';
import { applyEdits } from '../../support/applyEdits';
import { corpusAnalyzer, corpusDir, corpusUri, memoryAnalyzer, memUri } from '../../support/engine';
import { readLabels, type Label } from './labels';

const TRAIL_RULES = new Set(['CTK001', 'CTK002', 'CTK003']);
/** What `not_applicable` forbids: any CTK0xx or CTK1xx finding. */
const TRAIL_AND_KEY_RULES = /^CTK[01]\d\d$/;

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
  const findingsOf = (label: Label): Finding[] => fileFindings(label).filter((f) => f.resource === label.address && TRAIL_RULES.has(f.ruleId));
  const describeFindings = (fs: Finding[]): string => fs.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ') || 'none';

  const labels = readLabels().filter(isCloudFormationLabel);
  it('has CloudFormation rows to check', () => assert.ok(labels.length >= 20, `only ${labels.length} rows`));

  for (const label of labels) {
    const title = `${label.localPath} ${label.address}: ${label.verdict}`;
    const gap = KNOWN_GAPS[`${label.localPath} ${label.address}`];
    if (gap) {
      it(`${title} (known gap: ${gap})`, () => {
        assert.deepEqual(describeFindings(findingsOf(label)), 'none', 'the gap is closed: move this row back to the normal checks');
      });
      continue;
    }
    switch (label.verdict) {
      case 'trail_no_cmk':
        it(title, () => {
          const found = findingsOf(label).filter((f) => f.ruleId === 'CTK001');
          assert.equal(found.length, 1, `expected CTK001 on ${label.address} (${label.reason}); got ${describeFindings(findingsOf(label))}`);
          const line = found[0].range.start.line + 1;
          assert.ok(line >= label.line, `CTK001 reported at line ${line}, before the resource at ${label.line}`);
        });
        break;
      case 'trail_cmk_ok':
        it(title, () => {
          const wrong = findingsOf(label).filter((f) => f.ruleId === 'CTK001' || f.ruleId === 'CTK003');
          assert.deepEqual(describeFindings(wrong), 'none', label.reason);
        });
        break;
      case 'trail_cmk_unresolved':
        it(title, () => {
          const found = findingsOf(label);
          assert.ok(!found.some((f) => f.ruleId === 'CTK001'), `CTK001 must not fire (${label.reason})`);
          assert.ok(found.some((f) => f.ruleId === 'CTK002'), `expected CTK002 (${label.reason}); got ${describeFindings(found)}`);
        });
        break;
      case 'not_applicable':
        it(title, () => {
          const all = fileFindings(label).filter((f) => TRAIL_AND_KEY_RULES.test(f.ruleId));
          const found = label.address === '(file)' ? all : all.filter((f) => f.resource === label.address);
          assert.deepEqual(describeFindings(found), 'none', label.reason);
        });
        break;
      default:
        break;
    }
  }

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
