import { ruleTests } from '../../support/ruleTester';

const trail = (key: string): string => `resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n  kms_key_id     = ${key}\n}\n`;
const cfnTemplate = (keyProperties: string, keyType = 'AWS::KMS::Key'): string =>
  `Resources:\n  LogsKey:\n    Type: ${keyType}\n    Properties:\n${keyProperties}  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n      KMSKeyId: !GetAtt LogsKey.Arn\n`;

ruleTests('CTK004', {
  valid: [
    { name: 'a key that does not set is_enabled (enabled by default)', files: { 'main.tf': `resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n${trail('aws_kms_key.k.arn')}` } },
    { name: 'is_enabled = true', files: { 'main.tf': `resource "aws_kms_key" "k" {\n  is_enabled = true\n}\n${trail('aws_kms_key.k.arn')}` } },
    { name: 'is_enabled from an input without a default (may be true)', files: { 'main.tf': `variable "enabled" {\n  type = bool\n}\nresource "aws_kms_key" "k" {\n  is_enabled = var.enabled\n}\n${trail('aws_kms_key.k.arn')}` } },
    { name: 'a disabled key no trail uses', files: { 'main.tf': `resource "aws_kms_key" "spare" {\n  is_enabled = false\n}\nresource "aws_kms_key" "k" {}\n${trail('aws_kms_key.k.arn')}` } },
    { name: 'CloudFormation Enabled: true', files: { 'template.yaml': cfnTemplate('      Enabled: true\n') } },
    { name: 'CloudFormation JSON without Enabled', files: { 'template.json': '{\n  "Resources": {\n    "LogsKey": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true}},\n    "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"S3BucketName": "logs", "IsLogging": true, "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}}}\n  }\n}\n' } },
  ],
  invalid: [
    {
      name: 'is_enabled = false',
      files: { 'main.tf': `resource "aws_kms_key" "k" {\n  is_enabled = false\n}\n${trail('aws_kms_key.k.arn')}` },
      errors: [{ messageId: 'disabled', line: 7, data: { trail: 'aws_cloudtrail.t', key: 'aws_kms_key.k', setting: 'is_enabled', value: 'false' } }],
    },
    {
      name: 'is_enabled from a variable whose default is false, through an alias',
      files: { 'main.tf': `variable "key_enabled" {\n  default = false\n}\nresource "aws_kms_key" "k" {\n  is_enabled = var.key_enabled\n}\nresource "aws_kms_alias" "a" {\n  name          = "alias/trail"\n  target_key_id = aws_kms_key.k.key_id\n}\n${trail('aws_kms_alias.a.arn')}` },
      errors: [{ messageId: 'disabled', line: 14, data: { key: 'aws_kms_key.k' } }],
    },
    {
      name: 'a replica key with enabled = false',
      files: { 'main.tf': `resource "aws_kms_replica_key" "r" {\n  primary_key_arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"\n  enabled         = false\n}\n${trail('aws_kms_replica_key.r.arn')}` },
      errors: [{ messageId: 'disabled', line: 8, data: { key: 'aws_kms_replica_key.r', setting: 'enabled' } }],
    },
    {
      name: 'CloudFormation YAML Enabled: false',
      files: { 'template.yaml': cfnTemplate('      Enabled: false\n') },
      errors: [{ messageId: 'disabled', line: 11, data: { key: 'LogsKey', setting: 'Enabled' } }],
    },
    {
      name: 'CloudFormation JSON "Enabled": false',
      files: { 'template.json': '{\n  "Resources": {\n    "LogsKey": {"Type": "AWS::KMS::Key", "Properties": {"Enabled": false}},\n    "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"S3BucketName": "logs", "IsLogging": true, "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}}}\n  }\n}\n' },
      errors: [{ messageId: 'disabled', line: 4, data: { key: 'LogsKey' } }],
    },
  ],
});
