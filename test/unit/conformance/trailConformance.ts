/**
 * The trail rows of the corpus labels as mocha tests, one per row, for any format: the
 * Terraform and CloudFormation conformance tests differ only in which rows they take and which
 * gaps they know of.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine';
import type { Label } from './labels';

const TRAIL_RULES = new Set(['CTK001', 'CTK002', 'CTK003']);
/** What `not_applicable` forbids: any CTK0xx or CTK1xx finding. */
const TRAIL_AND_KEY_RULES = /^CTK[01]\d\d$/;

export const describeFindings = (fs: Finding[]): string => fs.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ') || 'none';

/** The trail-rule findings of a row's resource. */
export const trailFindingsOf = (fileFindings: Finding[], label: Label): Finding[] =>
  fileFindings.filter((f) => f.resource === label.address && TRAIL_RULES.has(f.ruleId));

/**
 * Registers one test per row. `knownGaps` maps `"<path> <address>"` to the reason a row is not
 * met; such a test asserts the gap is still there, so closing it makes the test fail until the
 * row moves back to the normal checks.
 */
export function trailRowTests(labels: Label[], knownGaps: Record<string, string>, fileFindings: (label: Label) => Finding[]): void {
  const findingsOf = (label: Label): Finding[] => trailFindingsOf(fileFindings(label), label);
  for (const label of labels) {
    const title = `${label.localPath} ${label.address}: ${label.verdict}`;
    const gap = knownGaps[`${label.localPath} ${label.address}`];
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
}
