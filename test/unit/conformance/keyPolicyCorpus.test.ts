/**
 * Conformance: every key-policy row of the corpus labels holds, in every format (Terraform,
 * CloudFormation, key-policy JSON files).
 *
 * - `key_policy_missing_cloudtrail_grants`: CTK101 fires on that key;
 * - `key_policy_ok`: CTK101 does not; when the reason is tagged `[no-DescribeKey]` or
 *   `[DescribeKey-under-enc-context]`, CTK103 fires;
 * - `not_applicable`: no CTK1xx on that address (on the whole file for `(file)` rows), which is
 *   what keeps S3 bucket policies and keys merely *named* for CloudTrail out.
 *
 * A `(standalone key policy)` row is the policy file itself: its findings are the file's.
 */
import * as assert from 'node:assert/strict';
import type { Analyzer, Finding } from '../../../server/src/engine';
import { corpusAnalyzer, corpusUri } from '../../support/engine';
import { readLabels, type Label } from './labels';

const KEY_RULE = /^CTK1\d\d$/;
const DESCRIBE_TAG = /\[(no-DescribeKey|DescribeKey-under-enc-context)\]/;

/**
 * Rows we knowingly do not meet, each with the reason. The test asserts the gap is still
 * there, so closing one makes it fail until the row moves back to the normal checks.
 */
const KNOWN_GAPS: Record<string, string> = {};

const isKeyRow = (l: Label): boolean => l.verdict.startsWith('key_policy') || l.verdict === 'not_applicable';

describe('corpus conformance: key policies', () => {
  let analyzer: Analyzer;
  const cache = new Map<string, Finding[]>();
  before(async () => {
    analyzer = await corpusAnalyzer();
  });
  const fileFindings = (label: Label): Finding[] => {
    if (!cache.has(label.localPath)) cache.set(label.localPath, analyzer.analyze(corpusUri(label.localPath)));
    return cache.get(label.localPath)!.filter((f) => KEY_RULE.test(f.ruleId));
  };
  const findingsOf = (label: Label): Finding[] =>
    label.address.startsWith('(') ? fileFindings(label) : fileFindings(label).filter((f) => f.resource === label.address);
  const describeFindings = (fs: Finding[]): string => fs.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ') || 'none';

  const labels = readLabels().filter(isKeyRow);
  it('has key-policy rows to check', () => assert.ok(labels.filter((l) => l.verdict.startsWith('key_policy')).length >= 20));

  for (const label of labels) {
    const title = `${label.localPath} ${label.address}: ${label.verdict}`;
    const gap = KNOWN_GAPS[`${label.localPath} ${label.address}`];
    if (gap) {
      it(`${title} (known gap: ${gap})`, () => {
        assert.equal(findingsOf(label).some((f) => f.ruleId === 'CTK101'), label.verdict !== 'key_policy_missing_cloudtrail_grants', 'the gap is closed: move this row back to the normal checks');
      });
      continue;
    }
    const expectDescribe = DESCRIBE_TAG.test(label.reason);
    switch (label.verdict) {
      case 'key_policy_missing_cloudtrail_grants':
        it(title, () => {
          const found = findingsOf(label);
          assert.ok(found.some((f) => f.ruleId === 'CTK101'), `expected CTK101 (${label.reason}); got ${describeFindings(found)}`);
          if (expectDescribe) assert.ok(found.some((f) => f.ruleId === 'CTK103'), `expected CTK103 too; got ${describeFindings(found)}`);
          const first = found.find((f) => f.ruleId === 'CTK101')!;
          assert.ok(first.range.start.line + 1 >= label.line || label.address.startsWith('('), `CTK101 at line ${first.range.start.line + 1}, before the key at ${label.line}`);
        });
        break;
      case 'key_policy_ok':
        it(`${title}${expectDescribe ? ' (CTK103 expected)' : ''}`, () => {
          const found = findingsOf(label);
          assert.ok(!found.some((f) => f.ruleId === 'CTK101'), `CTK101 must not fire (${label.reason}); got ${describeFindings(found)}`);
          if (expectDescribe) assert.ok(found.some((f) => f.ruleId === 'CTK103'), `expected CTK103 (${label.reason}); got ${describeFindings(found)}`);
        });
        break;
      case 'not_applicable':
        it(title, () => assert.equal(describeFindings(findingsOf(label)), 'none', label.reason));
        break;
      default:
        break;
    }
  }
});
