import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase, type ValidCase } from '../../support/ruleTester';
import { cloudTrailBucketKeyDecryptStatement, cloudTrailDescribeStatement } from '../../../server/src/engine/policy';
import type { JsonObject } from '../../../server/src/engine/policy';
import { ACCOUNT, DESCRIBE, ENCRYPT, KEY_FORMS, ROOT, inForm, lineOf, policyLine, policyOf, statementLine, type FormCase, type PolicyForm } from './keyPolicyCases';

const ADDED_DECRYPT = cloudTrailBucketKeyDecryptStatement({ partition: 'aws', accountId: ACCOUNT });
const ADDED_DESCRIBE = cloudTrailDescribeStatement({ partition: 'aws', accountId: ACCOUNT });
const DECRYPT: JsonObject = { Sid: 'Decrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' };
const TITLE = 'Let CloudTrail decrypt with the key for the S3 Bucket Key';

interface BucketOptions {
  /** `bucket_key_enabled` / `BucketKeyEnabled` as written. */
  bucketKey?: string;
  algorithm?: string;
  /** The bucket's key: `aws_kms_key.logs.arn` / `{"Fn::GetAtt": …}` by default; `null` writes none. */
  key?: string | null;
}

const sseConfiguration = (o: BucketOptions): string => `resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm${o.key === null ? '' : '    '} = "${o.algorithm ?? 'aws:kms'}"${o.key === null ? '' : `\n      kms_master_key_id = ${o.key ?? 'aws_kms_key.logs.arn'}`}
    }
    bucket_key_enabled = ${o.bucketKey ?? 'true'}
  }
}
`;

/** The same case with the trail's bucket declared beside it, encrypted with a Bucket Key. */
function withBucket(form: PolicyForm, policy: JsonObject, o: BucketOptions = {}): FormCase {
  const c = inForm(form, policy);
  const files = { ...c.files };
  if (form === 'cloudformation') {
    const template = JSON.parse(files['template.json']);
    template.Resources.LogsBucket = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: o.bucketKey === undefined ? true : JSON.parse(o.bucketKey),
            ServerSideEncryptionByDefault: { SSEAlgorithm: o.algorithm ?? 'aws:kms', ...(o.key === null ? {} : { KMSMasterKeyID: o.key ? JSON.parse(o.key) : { 'Fn::GetAtt': ['LogsKey', 'Arn'] } }) },
          }],
        },
      },
    };
    template.Resources.Trail.Properties.S3BucketName = { Ref: 'LogsBucket' };
    files['template.json'] = `${JSON.stringify(template, null, 2)}\n`;
    return { ...c, files };
  }
  files['main.tf'] = files['main.tf'].replace('s3_bucket_name             = "logs"', 's3_bucket_name             = aws_s3_bucket.logs.id') +
    `\nresource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n\n${sseConfiguration(o)}`;
  return { ...c, files };
}

const missingInEveryForm = KEY_FORMS.map((form): InvalidCase => {
  const input = withBucket(form, policyOf(ROOT, ENCRYPT, DESCRIBE));
  return {
    name: `${form}: the bucket has a Bucket Key under the trail's key, CloudTrail may not decrypt`,
    ...input,
    errors: [{ messageId: 'missing', line: policyLine(form, input), data: { actions: 'kms:Decrypt', bucket: form === 'cloudformation' ? 'LogsBucket' : 'aws_s3_bucket.logs' } }],
    fixes: [{ title: TITLE, output: withBucket(form, policyOf(ROOT, ENCRYPT, DESCRIBE, ADDED_DECRYPT)).files }],
  };
});

const YAML = (decrypt: boolean, bucketKey = 'true'): string => `Resources:
  LogsKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: kms:GenerateDataKey*
            Resource: "*"
            Condition:
              StringLike:
                kms:EncryptionContext:aws:cloudtrail:arn: !Sub arn:aws:cloudtrail:*:\${AWS::AccountId}:trail/*
          - Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: ${decrypt ? '[kms:DescribeKey, kms:Decrypt]' : 'kms:DescribeKey'}
            Resource: "*"
  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - BucketKeyEnabled: ${bucketKey}
            ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt LogsKey.Arn
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref LogsBucket
      IsLogging: true
      EnableLogFileValidation: true
      KMSKeyId: !GetAtt LogsKey.Arn
`;

/** The provider v3 form: encryption written inside `aws_s3_bucket`. */
const INLINE = `${inForm('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE)).files['main.tf'].replace('s3_bucket_name             = "logs"', 's3_bucket_name             = aws_s3_bucket.logs.bucket')}
resource "aws_s3_bucket" "logs" {
  bucket = "logs"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_alias.logs.arn
      }
      bucket_key_enabled = true
    }
  }
}

resource "aws_kms_alias" "logs" {
  name          = "alias/logs"
  target_key_id = aws_kms_key.logs.key_id
}
`;

const valid: ValidCase[] = [
  ...KEY_FORMS.map((form) => ({ name: `${form}: CloudTrail may decrypt and describe`, ...withBucket(form, policyOf(ROOT, ENCRYPT, DESCRIBE, DECRYPT)) })),
  { name: 'no Bucket Key', ...withBucket('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE), { bucketKey: 'false' }) },
  { name: 'a Bucket Key with SSE-S3', ...withBucket('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE), { algorithm: 'AES256', key: null }) },
  { name: 'a Bucket Key with the AWS managed key aws/s3 (no kms_master_key_id)', ...withBucket('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE), { key: null }) },
  { name: "a Bucket Key under another key than the trail's", ...withBucket('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE), { key: 'var.bucket_key_arn' }) },
  { name: 'Bucket Key setting from an input without a default', ...withBucket('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE), { bucketKey: 'var.bucket_key' }) },
  { name: "Decrypt under an encryption-context condition: what that request carries is not known", ...withBucket('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE, { ...DECRYPT, Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::logs' } } })) },
  {
    name: "Decrypt for another account's trails while the trail's account is not known here: not guessed",
    ...withBucket('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE, { ...DECRYPT, Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } })),
  },
  { name: 'CloudFormation: Decrypt beside DescribeKey', files: { 'template.yaml': YAML(true) } },
  { name: 'CloudFormation: BucketKeyEnabled false', files: { 'template.yaml': YAML(false, 'false') } },
  {
    name: 'the trail names its bucket as text: which bucket is not known',
    files: { 'main.tf': `${inForm('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE)).files['main.tf']}\nresource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n\n${sseConfiguration({})}` },
  },
];

ruleTests('CTK107', {
  valid,
  invalid: [
    ...missingInEveryForm,
    (() => {
      const c = withBucket('heredoc', policyOf(ROOT, ENCRYPT));
      return {
        name: 'DescribeKey missing too: both named, both added',
        ...c,
        errors: [{ messageId: 'missing', line: policyLine('heredoc', c), data: { actions: 'kms:Decrypt and kms:DescribeKey' } }],
        fixes: [{ title: "Add CloudTrail's DescribeKey statement", output: withBucket('heredoc', policyOf(ROOT, ENCRYPT, ADDED_DESCRIBE, ADDED_DECRYPT)).files }],
      };
    })(),
    (() => {
      const deny: JsonObject = { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' };
      const c = withBucket('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE, DECRYPT, deny));
      return { name: 'a Deny wins over the grant (no statement-adding fix)', ...c, errors: [{ messageId: 'denied', line: statementLine('jsonencode', c, 'NoDecrypt') }], fixes: [] };
    })(),
    (() => {
      const c = withBucket('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE, { ...DECRYPT, Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other` } } }));
      return { name: 'Decrypt only for another trail than main', ...c, errors: [{ messageId: 'conditionsNeverMatch', line: statementLine('heredoc', c, 'Decrypt') }] };
    })(),
    {
      name: 'provider v3: inline server_side_encryption_configuration, the key named through its alias',
      files: { 'main.tf': INLINE },
      errors: [{ messageId: 'missing', line: lineOf(INLINE, '  policy = '), data: { bucket: 'aws_s3_bucket.logs', trail: 'aws_cloudtrail.main' } }],
      fixes: [{ title: TITLE, check: (files) => assert.match(files['main.tf'], /"Sid": "Allow CloudTrail to decrypt with the S3 Bucket Key"/) }],
    },
    {
      name: 'CloudFormation YAML: a Bucket Key under the trail key',
      files: { 'template.yaml': YAML(false) },
      errors: [{ messageId: 'missing', line: lineOf(YAML(false), 'KeyPolicy:'), data: { bucket: 'LogsBucket', trail: 'Trail' } }],
      fixes: [{ title: TITLE, check: (files) => assert.match(files['template.yaml'], /            Resource: "\*"\n          - Sid: Allow CloudTrail to decrypt with the S3 Bucket Key\n            Effect: Allow\n/) }],
    },
  ],
});
