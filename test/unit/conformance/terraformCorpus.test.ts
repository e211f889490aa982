/**
 * Conformance: every Terraform trail row of the corpus labels holds. Key-policy rows are
 * checked by the key-policy rules' conformance test.
 */
import * as assert from 'node:assert/strict';
import type { Analyzer, Finding } from '../../../server/src/engine';
import { corpusAnalyzer, corpusUri } from '../../support/engine';
import { isTerraformLabel, readLabels, type Label } from './labels';

const TRAIL_RULES = new Set(['CTK001', 'CTK002', 'CTK003']);

/**
 * Rows we knowingly do not meet, each with the reason. The test asserts the gap is still
 * there, so closing one makes it fail until the row moves back to the normal checks.
 */
const KNOWN_GAPS: Record<string, string> = {
  'realworld/clouddrove-terraform-aws-cloudtrail-baseline/main.tf module.cloudtrail':
    'registry module source (clouddrove/cloudtrail/aws 1.4.3): its code is only on disk after `terraform init` (.terraform/modules), which the corpus does not include',
};

describe('corpus conformance: Terraform trails', () => {
  let analyzer: Analyzer;
  const cache = new Map<string, Finding[]>();
  before(async () => {
    analyzer = await corpusAnalyzer();
  });
  const findingsOf = (label: Label): Finding[] => {
    if (!cache.has(label.localPath)) cache.set(label.localPath, analyzer.analyze(corpusUri(label.localPath)));
    return cache.get(label.localPath)!.filter((f) => f.resource === label.address && TRAIL_RULES.has(f.ruleId));
  };
  const describeFindings = (fs: Finding[]): string => fs.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ') || 'none';

  for (const label of readLabels().filter(isTerraformLabel)) {
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
          const headerLine = found[0].range.start.line + 1;
          assert.ok(headerLine >= label.line, `CTK001 reported at line ${headerLine}, before the resource at ${label.line}`);
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
          const found = label.address === '(file)' ? (cache.get(label.localPath) ?? analyzer.analyze(corpusUri(label.localPath))) : findingsOf(label);
          assert.deepEqual(describeFindings(found), 'none', label.reason);
        });
        break;
      default:
        break;
    }
  }
});
