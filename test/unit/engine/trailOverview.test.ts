/**
 * The overview of a workspace's trails (what the CloudTrail view and `cloudtrailKmsLint/trails`
 * show): each trail's key chain and one line per requirement, marked met / not met / unknown,
 * with where each is decided.
 */
import * as assert from 'node:assert/strict';
import type { TrailOverview } from '../../../server/src/engine';
import { memoryAnalyzer, memUri } from '../../support/engine';

const marks = (trail: TrailOverview): Record<string, string> => Object.fromEntries(trail.requirements.map((r) => [r.id, r.mark]));

const GOOD_POLICY = `jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      {
        Sid = "CloudTrailEncrypt", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" },
        Action = "kms:GenerateDataKey*", Resource = "*",
        Condition = { StringLike = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:111122223333:trail/*" } }
      },
      { Sid = "CloudTrailDescribe", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "kms:DescribeKey", Resource = "*" },
    ]
  })`;

describe('trail overview', () => {
  it('a trail through an alias to a key without CloudTrail grants: the chain, and what is missing where', async () => {
    const main = `resource "aws_kms_key" "logs" {
  enable_key_rotation = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" }]
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
`;
    const [trail, ...others] = (await memoryAnalyzer({ 'main.tf': main })).trailOverviews(memUri('main.tf'));
    assert.equal(others.length, 0);
    assert.equal(trail.address, 'aws_cloudtrail.main');
    assert.deepEqual(trail.location, { uri: memUri('main.tf'), range: trail.location.range });
    assert.equal(trail.location.range.start.line, 13);
    assert.deepEqual(trail.chains.map((c) => c.map((s) => s.address)), [['aws_cloudtrail.main', 'aws_kms_alias.logs', 'aws_kms_key.logs', 'policy']]);
    assert.deepEqual(marks(trail), { encrypt: 'unmet', scoped: 'unknown', describe: 'unmet', readers: 'met', 'decrypt-open': 'met', rotation: 'met', validation: 'unmet' });
    const encrypt = trail.requirements.find((r) => r.id === 'encrypt');
    assert.equal(encrypt?.location?.range.start.line, 2, 'the policy decides it: the line opens there');
    assert.equal(trail.requirements.find((r) => r.id === 'rotation')?.location?.range.start.line, 1);
  });

  it('every requirement met for a key whose policy lets CloudTrail encrypt, scoped, and describe', async () => {
    const main = `resource "aws_kms_key" "logs" {
  enable_key_rotation = true
  policy = ${GOOD_POLICY}
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  kms_key_id                 = aws_kms_key.logs.arn
  enable_log_file_validation = true
}
`;
    const [trail] = (await memoryAnalyzer({ 'main.tf': main })).trailOverviews(memUri('main.tf'));
    // The trail's region is not written, so the scoping condition is met only as far as can be seen.
    assert.deepEqual(Object.values(marks(trail)).filter((m) => m !== 'met' && m !== 'likely'), [], JSON.stringify(trail.requirements));
    assert.equal(marks(trail).describe, 'met');
  });

  it('no key: encryption not met, the key requirements unknown, never claimed', async () => {
    const main = 'resource "aws_cloudtrail" "main" {\n  name = "main"\n  enable_log_file_validation = true\n}\n';
    const [trail] = (await memoryAnalyzer({ 'main.tf': main })).trailOverviews(memUri('main.tf'));
    assert.equal(trail.chains.length, 0);
    assert.match(trail.keyNote ?? '', /no KMS key/);
    assert.deepEqual(marks(trail), { encrypt: 'unmet', scoped: 'unknown', describe: 'unknown', readers: 'unknown', 'decrypt-open': 'unknown', rotation: 'unknown', validation: 'met' });
  });

  it('a key from a variable without a value: unknown, saying on what', async () => {
    const main = 'variable "key_arn" {}\n\nresource "aws_cloudtrail" "main" {\n  name       = "main"\n  kms_key_id = var.key_arn\n}\n';
    const [trail] = (await memoryAnalyzer({ 'main.tf': main })).trailOverviews(memUri('main.tf'));
    assert.match(trail.keyNote ?? '', /var\.key_arn/);
    assert.equal(marks(trail).encrypt, 'unknown');
  });

  it('a CloudFormation template: each trail with its own key', async () => {
    const template = `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      KMSKeyId: !Ref Key
  Plain:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
`;
    const trails = (await memoryAnalyzer({ 'template.yaml': template })).trailOverviews(memUri('template.yaml'));
    assert.deepEqual(trails.map((t) => [t.address, t.chains.map((c) => c.map((s) => s.address).join(' → '))]),
      [['Trail', ['Trail → Key → default key policy']], ['Plain', []]]);
    assert.equal(marks(trails[0]).encrypt, 'unmet');
    assert.equal(marks(trails[0]).rotation, 'met');
  });

  it('a file with no trail: nothing', async () => {
    assert.deepEqual((await memoryAnalyzer({ 'main.tf': 'resource "aws_s3_bucket" "b" {}\n' })).trailOverviews(memUri('main.tf')), []);
  });
});

describe('hover links', () => {
  it('each step of the chain opens where it is written', async () => {
    const main = 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\nresource "aws_cloudtrail" "main" {\n  name       = "main"\n  kms_key_id = aws_kms_key.logs.arn\n}\n';
    const hover = (await memoryAnalyzer({ 'main.tf': main })).hover(memUri('main.tf'), { line: 5, character: 4 }) ?? '';
    assert.ok(hover.includes(`[aws_kms_key.logs](${memUri('main.tf')}#L1)`), hover);
    // The checklist comes right after the chain, one line per requirement, none repeated.
    const checks = hover.split('\n').filter((l) => /^- [✓✗?]/.test(l));
    assert.equal(checks.length, 6, hover);
    assert.equal(new Set(checks).size, checks.length);
  });
});
