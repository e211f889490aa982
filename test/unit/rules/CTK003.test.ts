import { ruleTests } from '../../support/ruleTester';

const trail = (value: string): string => `resource "aws_cloudtrail" "t" {\n  kms_key_id = ${value}\n}\n`;

ruleTests('CTK003', {
  valid: [
    { name: 'key ARN', files: { 'main.tf': trail('"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"') } },
    { name: 'multi-Region key ARN', files: { 'main.tf': trail('"arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"') } },
    { name: 'alias ARN of a customer alias', files: { 'main.tf': trail('"arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/trail-logs"') } },
    { name: 'a key reference through its ARN attribute', files: { 'main.tf': `resource "aws_kms_key" "k" {}\n${trail('aws_kms_key.k.arn')}` } },
    { name: 'a data-source alias through target_key_arn', files: { 'main.tf': `data "aws_kms_alias" "a" {\n  name = "alias/trail"\n}\n${trail('data.aws_kms_alias.a.target_key_arn')}` } },
    { name: 'a key ARN built from parts', files: { 'main.tf': `variable "key_id" {}\n${trail('"arn:aws:kms:us-east-1:111122223333:key/${var.key_id}"')}` } },
    { name: 'symmetric key resource', files: { 'main.tf': `resource "aws_kms_key" "k" {\n  customer_master_key_spec = "SYMMETRIC_DEFAULT"\n  key_usage                = "ENCRYPT_DECRYPT"\n}\n${trail('aws_kms_key.k.arn')}` } },
    { name: 'data source of a customer alias', files: { 'main.tf': `data "aws_kms_alias" "a" {\n  name = "alias/trail"\n}\n${trail('data.aws_kms_alias.a.target_key_arn')}` } },
  ],
  invalid: [
    {
      name: 'AWS-managed alias literal',
      files: { 'main.tf': trail('"alias/aws/s3"') },
      errors: [{ messageId: 'awsManaged', line: 2, data: { key: '"alias/aws/s3"' } }],
      fixes: [{ title: 'Create a KMS key for this trail' }],
    },
    {
      name: 'AWS-managed alias ARN through a variable',
      files: { 'main.tf': `variable "k" {\n  default = "arn:aws:kms:us-east-1:111122223333:alias/aws/cloudtrail"\n}\n${trail('var.k')}` },
      errors: [{ messageId: 'awsManaged', line: 5 }],
    },
    {
      name: 'data source of an AWS-managed alias',
      files: { 'main.tf': `data "aws_kms_alias" "s3" {\n  name = "alias/aws/s3"\n}\n${trail('data.aws_kms_alias.s3.target_key_arn')}` },
      errors: [{ messageId: 'awsManaged', line: 5 }],
    },
    {
      name: 'a placeholder word is not an ARN (the provider rejects it at plan)',
      files: { 'main.tf': trail('"kms_key_id"') },
      errors: [{ messageId: 'notArn', line: 2, data: { key: '"kms_key_id"', attribute: 'kms_key_id' } }],
    },
    {
      name: 'a bare key id from a variable default',
      files: { 'main.tf': `variable "trail_key" {\n  default = "1234abcd-12ab-34cd-56ef-1234567890ab"\n}\n${trail('var.trail_key')}` },
      errors: [{ messageId: 'notArn', line: 5, data: { key: '"1234abcd-12ab-34cd-56ef-1234567890ab"' } }],
    },
    {
      name: 'an alias name instead of its ARN',
      files: { 'main.tf': trail('"alias/trail-logs"') },
      errors: [{ messageId: 'notArn', line: 2, data: { suggestion: 'arn:aws:kms:<region>:<account>:alias/trail-logs' } }],
    },
    {
      name: 'key_id of a declared key, fixed to its arn',
      files: { 'main.tf': `resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n${trail('aws_kms_key.k.key_id')}` },
      errors: [{ messageId: 'notArn', line: 5, data: { key: 'aws_kms_key.k.key_id', suggestion: 'aws_kms_key.k.arn' } }],
      fixes: [{ title: 'Encrypt with aws_kms_key.k', output: { 'main.tf': `resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n${trail('aws_kms_key.k.arn')}` } }],
    },
    {
      name: 'target_key_id of a data-source alias',
      files: { 'main.tf': `data "aws_kms_alias" "a" {\n  name = "alias/trail"\n}\n${trail('data.aws_kms_alias.a.target_key_id')}` },
      errors: [{ messageId: 'notArn', line: 5, data: { suggestion: 'data.aws_kms_alias.a.target_key_arn' } }],
    },
    {
      name: 'an S3 bucket ARN is not a key',
      files: { 'main.tf': trail('"arn:aws:s3:::my-bucket"') },
      errors: [{ messageId: 'malformed', line: 2, data: { key: '"arn:aws:s3:::my-bucket"' } }],
    },
    {
      name: 'asymmetric key, offered the symmetric one instead',
      files: { 'main.tf': `resource "aws_kms_key" "signing" {\n  customer_master_key_spec = "RSA_2048"\n  key_usage                = "SIGN_VERIFY"\n}\nresource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n${trail('aws_kms_key.signing.arn')}` },
      errors: [{ messageId: 'unsuitableKey', line: 9, data: { key: 'aws_kms_key.signing', actual: 'RSA_2048' } }],
      fixes: [{ title: 'Encrypt with aws_kms_key.logs' }],
    },
    {
      name: 'HMAC key behind an alias',
      files: { 'main.tf': `resource "aws_kms_key" "mac" {\n  key_spec  = "HMAC_256"\n  key_usage = "GENERATE_VERIFY_MAC"\n}\nresource "aws_kms_alias" "a" {\n  name          = "alias/mac"\n  target_key_id = aws_kms_key.mac.key_id\n}\n${trail('aws_kms_alias.a.arn')}` },
      errors: [{ messageId: 'unsuitableKey', line: 10, data: { actual: 'HMAC_256' } }],
    },
  ],
});
