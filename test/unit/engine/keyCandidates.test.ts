import * as assert from 'node:assert/strict';
import { memoryAnalyzer, memUri } from '../../support/engine';

const GOOD_POLICY = `jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Encrypt", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "kms:GenerateDataKey*", Resource = "*",
        Condition = { StringLike = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:111122223333:trail/*" } } },
      { Sid = "Describe", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "kms:DescribeKey", Resource = "*" },
    ]
  })`;

describe('"Encrypt with …" suggestions', () => {
  it('list keys whose policy lets CloudTrail encrypt first', async () => {
    const analyzer = await memoryAnalyzer({
      'main.tf': `resource "aws_kms_key" "app" {\n  enable_key_rotation = true\n}\n\nresource "aws_kms_key" "trail" {\n  enable_key_rotation = true\n  policy = ${GOOD_POLICY}\n}\n\nresource "aws_cloudtrail" "t" {\n  enable_log_file_validation = true\n}\n`,
    });
    const finding = analyzer.analyze(memUri('main.tf')).find((f) => f.ruleId === 'CTK001');
    assert.ok(finding);
    assert.deepEqual(finding.fixes.filter((f) => f.title.startsWith('Encrypt with')).map((f) => f.title), ['Encrypt with aws_kms_key.trail', 'Encrypt with aws_kms_key.app, though its key policy does not let CloudTrail encrypt yet']);
    // The key CloudTrail cannot use comes after "Create a KMS key", so it is never the first choice.
    const titles = finding.fixes.map((f) => f.title);
    assert.ok(titles.indexOf('Create a KMS key for this trail') < titles.findIndex((t) => t.startsWith('Encrypt with aws_kms_key.app')));
  });

  it('list a key whose policy is not known here after one that lets CloudTrail encrypt, though it is written first', async () => {
    // A separate aws_kms_key_policy may give the first key its policy: it is not judged here.
    const analyzer = await memoryAnalyzer({
      'main.tf': `resource "aws_kms_key" "app" {\n  enable_key_rotation = true\n}\n\nresource "aws_kms_key_policy" "app" {\n  key_id = aws_kms_key.app.id\n  policy = var.app_policy\n}\n\nresource "aws_kms_key" "trail" {\n  enable_key_rotation = true\n  policy = ${GOOD_POLICY}\n}\n\nresource "aws_cloudtrail" "t" {\n  enable_log_file_validation = true\n}\n`,
    });
    const finding = analyzer.analyze(memUri('main.tf')).find((f) => f.ruleId === 'CTK001');
    assert.ok(finding);
    const titles = finding.fixes.map((f) => f.title);
    assert.deepEqual(titles.filter((t) => t.startsWith('Encrypt with')), ['Encrypt with aws_kms_key.trail', 'Encrypt with aws_kms_key.app']);
    assert.ok(titles.indexOf('Encrypt with aws_kms_key.app') < titles.indexOf('Create a KMS key for this trail'), 'a key not known to be unusable comes before creating one');
  });
});
