/**
 * The key-policy half end to end: the key the trail fixes create passes every key rule, and
 * hover shows the chain trail → alias → key → policy with one line per requirement.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine';
import { applyEdits } from '../../support/applyEdits';
import { memoryAnalyzer, memUri } from '../../support/engine';
import { renderedText } from '../../support/markdown';

const KEY_AND_ROTATION_RULES = /^CTK(1\d\d|201)$/;

async function applyFix(files: Record<string, string>, file: string, ruleId: string, title: string): Promise<Record<string, string>> {
  const analyzer = await memoryAnalyzer(files);
  const finding = analyzer.analyze(memUri(file)).find((f) => f.ruleId === ruleId);
  const fix = finding?.fixes.find((f) => f.title.startsWith(title));
  assert.ok(fix, `no "${title}" fix on ${ruleId}`);
  const fixed = { ...files };
  for (const { uri, edits } of fix.edits) {
    const name = Object.keys(fixed).find((n) => memUri(n) === uri)!;
    fixed[name] = applyEdits(fixed[name], edits);
  }
  return fixed;
}

const describeFindings = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId} ${f.messageId} ${f.resource}: ${f.message}`);

describe('keys created by the trail fixes', () => {
  it('Terraform "Create a KMS key for this trail" passes every key rule', async () => {
    const files = { 'main.tf': 'resource "aws_cloudtrail" "main" {\n  name                       = "main"\n  s3_bucket_name             = "logs"\n  enable_log_file_validation = true\n}\n' };
    const fixed = await applyFix(files, 'main.tf', 'CTK001', 'Create a KMS key for this trail');
    const analyzer = await memoryAnalyzer(fixed);
    const findings = analyzer.analyze(memUri('main.tf'));
    assert.deepEqual(describeFindings(findings), []);
    // …and it is judged, not skipped: the hover lists every requirement as met.
    const hover = analyzer.hover(memUri('main.tf'), { line: fixed['main.tf'].split('\n').findIndex((l) => l.startsWith('resource "aws_kms_key"')), character: 2 });
    assert.match(hover ?? '', /✓\?? CloudTrail can encrypt/);
    assert.doesNotMatch(hover ?? '', /✗/);
  });

  it('CloudFormation "Create a KMS key for this trail" passes every key rule', async () => {
    const files = { 'template.yaml': 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n      EnableLogFileValidation: true\n' };
    const fixed = await applyFix(files, 'template.yaml', 'CTK001', 'Create a KMS key for this trail');
    const findings = (await memoryAnalyzer(fixed)).analyze(memUri('template.yaml')).filter((f) => KEY_AND_ROTATION_RULES.test(f.ruleId));
    assert.deepEqual(describeFindings(findings), []);
  });
});

describe('hover', () => {
  const files = {
    'main.tf': `resource "aws_kms_key" "logs" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Sid       = "Root"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "logs" {
  name          = "alias/logs"
  target_key_id = aws_kms_key.logs.key_id
}

resource "aws_cloudtrail" "main" {
  name       = "main"
  kms_key_id = aws_kms_alias.logs.arn
}
`,
  };

  it('on a trail: the chain and each requirement', async () => {
    const hover = renderedText((await memoryAnalyzer(files)).hover(memUri('main.tf'), { line: 19, character: 4 }) ?? '');
    assert.ok(hover);
    assert.match(hover, /\*\*aws_cloudtrail\.main\*\*/);
    assert.match(hover, /aws_cloudtrail\.main → aws_kms_alias\.logs → aws_kms_key\.logs → policy/);
    assert.match(hover, /✗ CloudTrail can encrypt \(kms:GenerateDataKey\*\) \(missing\)/);
    assert.match(hover, /✗ CloudTrail can describe the key/);
    assert.match(hover, /✓ someone can decrypt the logs/);
    assert.match(hover, /✗ automatic key rotation/);
    assert.match(hover, /✗ log file validation/);
  });

  it('on a key: who uses it', async () => {
    const hover = renderedText((await memoryAnalyzer(files)).hover(memUri('main.tf'), { line: 0, character: 10 }) ?? '');
    assert.match(hover ?? '', /used by aws_cloudtrail\.main → aws_kms_alias\.logs → aws_kms_key\.logs/);
  });

  it('elsewhere: nothing', async () => {
    assert.equal((await memoryAnalyzer(files)).hover(memUri('main.tf'), { line: 14, character: 2 }), undefined);
  });
});
