/**
 * The statements CTK101's fixes write name the trail the way its ARN is built: from partition,
 * Region, account and name (never the trail's own `arn`, a dependency cycle in Terraform), the
 * organization's management account for an organization trail, and `aws:SourceArn` only where
 * the trail's name and Region can be written.
 */
import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase } from '../../support/ruleTester';

const trail = (extra = ''): string =>
  `resource "aws_cloudtrail" "main" {\n  name                       = "main"\n  s3_bucket_name             = "logs"\n  kms_key_id                 = aws_kms_key.logs.arn\n  enable_log_file_validation = true\n${extra}}\n`;
const KEY = 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\n';

const noCycle = (text: string): void => assert.doesNotMatch(text, /aws_cloudtrail\.\w+\.arn/);

const cfnYaml = (trailProperties: string): string =>
  `Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n${trailProperties}      S3BucketName: logs\n      IsLogging: true\n      EnableLogFileValidation: true\n      KMSKeyId: !GetAtt LogsKey.Arn\n`;

const invalid: InvalidCase[] = [
  {
    name: 'fix for an organization trail: the encryption context names the management account (data.aws_organizations_organization)',
    files: { 'main.tf': KEY + trail('  is_organization_trail      = true\n') },
    errors: [{ messageId: 'noPolicy', line: 1 }],
    fixes: [{
      title: "Add a key policy with CloudTrail's statements",
      check: (files) => {
        const text = files['main.tf'];
        noCycle(text);
        assert.match(text, /"kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:\*:\$\{data\.aws_organizations_organization\.current\.master_account_id\}:trail\/\*"/);
        // The key's own statements stay with the account that holds it.
        assert.match(text, /AWS = "arn:aws:iam::\$\{data\.aws_caller_identity\.current\.account_id\}:root"/);
        assert.match(text, /\n\ndata "aws_caller_identity" "current" \{\}\n\ndata "aws_organizations_organization" "current" \{\}\n/);
      },
    }],
  },
  {
    name: 'fix with data.aws_region and the trail\'s name written out: aws:SourceArn from partition, Region, account and name',
    files: { 'main.tf': `data "aws_region" "current" {}\n\ndata "aws_caller_identity" "current" {}\n\n${KEY}${trail()}` },
    errors: [{ messageId: 'noPolicy', line: 5 }],
    fixes: [{
      title: "Add a key policy with CloudTrail's statements",
      check: (files) => {
        const text = files['main.tf'];
        noCycle(text);
        assert.match(text, /"aws:SourceArn" = "arn:aws:cloudtrail:\$\{data\.aws_region\.current\.id\}:\$\{data\.aws_caller_identity\.current\.account_id\}:trail\/main"/);
      },
    }],
  },
  {
    name: 'fix without a Region to write: the account-wide encryption-context pattern only',
    files: { 'main.tf': KEY + trail() },
    errors: [{ messageId: 'noPolicy', line: 1 }],
    fixes: [{ title: "Add a key policy with CloudTrail's statements", check: (files) => assert.doesNotMatch(files['main.tf'], /aws:SourceArn/) }],
  },
  {
    name: 'CloudFormation YAML fix: aws:SourceArn from pseudo-parameters and the trail\'s name',
    files: { 'template.yaml': cfnYaml('      TrailName: main\n') },
    errors: [{ messageId: 'noPolicy', line: 2 }],
    fixes: [{
      title: "Add a key policy with CloudTrail's statements",
      check: (files) => assert.match(files['template.yaml'], /aws:SourceArn: !Sub "?arn:\$\{AWS::Partition\}:cloudtrail:\$\{AWS::Region\}:\$\{AWS::AccountId\}:trail\/main"?\n/),
    }],
  },
  {
    name: 'CloudFormation YAML fix for an organization trail: no aws:SourceArn (no pseudo-parameter names the management account)',
    files: { 'template.yaml': cfnYaml('      TrailName: main\n      IsOrganizationTrail: true\n') },
    errors: [{ messageId: 'noPolicy', line: 2 }],
    fixes: [{ title: "Add a key policy with CloudTrail's statements", check: (files) => assert.doesNotMatch(files['template.yaml'], /aws:SourceArn/) }],
  },
  {
    name: 'CloudFormation JSON fix: the same aws:SourceArn as Fn::Sub',
    files: {
      'template.json': `${JSON.stringify({ Resources: {
        LogsKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
        Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { TrailName: 'main', S3BucketName: 'logs', IsLogging: true, EnableLogFileValidation: true, KMSKeyId: { 'Fn::GetAtt': ['LogsKey', 'Arn'] } } },
      } }, null, 2)}\n`,
    },
    errors: [{ messageId: 'noPolicy', line: 3 }],
    fixes: [{
      title: "Add a key policy with CloudTrail's statements",
      check: (files) => assert.match(files['template.json'], /"aws:SourceArn": \{\s*"Fn::Sub": "arn:\$\{AWS::Partition\}:cloudtrail:\$\{AWS::Region\}:\$\{AWS::AccountId\}:trail\/main"\s*\}/),
    }],
  },
];

ruleTests('CTK101', { valid: [], invalid });

ruleTests('CTK001', {
  valid: [],
  invalid: [{
    name: 'the key created for an organization trail names the management account in its encryption context',
    files: { 'main.tf': 'resource "aws_cloudtrail" "org" {\n  name                  = "org"\n  s3_bucket_name        = "logs"\n  is_organization_trail = true\n}\n' },
    errors: [{ messageId: 'missing', line: 1 }],
    fixes: [{
      title: 'Create a KMS key for this trail',
      check: (files) => {
        const text = files['main.tf'];
        noCycle(text);
        assert.match(text, /"kms:EncryptionContext:aws:cloudtrail:arn" = "arn:\$\{data\.aws_partition\.current\.partition\}:cloudtrail:\*:\$\{data\.aws_organizations_organization\.current\.master_account_id\}:trail\/\*"/);
        assert.match(text, /\ndata "aws_organizations_organization" "current" \{\}\n/);
      },
    }],
  }, {
    name: 'CloudFormation YAML: the key created for a named trail scopes CloudTrail to it with aws:SourceArn',
    files: { 'template.yaml': 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      TrailName: audit\n      S3BucketName: logs\n      IsLogging: true\n' },
    errors: [{ messageId: 'missing', line: 2 }],
    fixes: [{
      title: 'Create a KMS key for this trail',
      // The template writes no short-form tags, so the new text uses the long form too.
      check: (files) => assert.match(files['template.yaml'], /aws:SourceArn:\n +Fn::Sub: "arn:\$\{AWS::Partition\}:cloudtrail:\$\{AWS::Region\}:\$\{AWS::AccountId\}:trail\/audit"\n/),
    }],
  }],
});
