import { ruleTests } from '../../support/ruleTester';

const PROVIDERS = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nprovider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n\n';
const bucket = (extra = ''): string => `resource "aws_s3_bucket" "logs" {\n${extra}  bucket = "trail-logs"\n}\n\n`;
const trail = (key: string, bucketName = 'aws_s3_bucket.logs.id'): string =>
  `resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = ${bucketName}\n  kms_key_id     = ${key}\n}\n`;
const key = (extra = ''): string => `resource "aws_kms_key" "logs" {\n${extra}  enable_key_rotation = true\n}\n\n`;
const MRK = 'arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';

const cfn = (keyId: string): string =>
  `Resources:\n  LogsBucket:\n    Type: AWS::S3::Bucket\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: !Ref LogsBucket\n      IsLogging: true\n      KMSKeyId: ${keyId}\n`;

ruleTests('CTK005', {
  valid: [
    { name: 'key and bucket under the same provider', files: { 'main.tf': PROVIDERS + bucket() + key() + trail('aws_kms_key.logs.arn') } },
    {
      name: 'a replica of a multi-Region key in the bucket\'s Region (the trail is in another Region)',
      files: { 'main.tf': `${PROVIDERS}${bucket('  provider = aws.west\n')}resource "aws_kms_replica_key" "west" {\n  provider        = aws.west\n  primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"\n}\n\n${trail('aws_kms_replica_key.west.arn')}` },
    },
    { name: 'a key ARN in the bucket\'s Region', files: { 'main.tf': PROVIDERS + bucket('  provider = aws.west\n') + trail(`"${MRK}"`) } },
    { name: 'the bucket is not declared here: its Region is not known', files: { 'main.tf': PROVIDERS + trail(`"${MRK}"`, '"central-trail-logs"') } },
    { name: 'no provider Region written (inherited from the caller)', files: { 'main.tf': bucket() + trail(`"${MRK}"`) } },
    { name: 'the provider Region from a variable without a default', files: { 'main.tf': `variable "region" {}\n\nprovider "aws" {\n  region = var.region\n}\n\n${bucket()}${trail(`"${MRK}"`)}` } },
    { name: 'CloudFormation YAML: a key ARN of a named Region against the stack\'s Region, which is not known', files: { 'template.yaml': cfn(MRK) } },
    {
      name: 'CloudFormation JSON: the same',
      files: { 'template.json': JSON.stringify({ Resources: { LogsBucket: { Type: 'AWS::S3::Bucket' }, Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { Ref: 'LogsBucket' }, IsLogging: true, KMSKeyId: MRK } } } }, null, 2) },
    },
  ],
  invalid: [
    {
      name: 'a key ARN written out in another Region than the bucket\'s provider',
      files: { 'main.tf': PROVIDERS + bucket() + trail(`"${MRK}"`) },
      errors: [{ messageId: 'otherRegion', line: 17, data: { trail: 'aws_cloudtrail.main', key: MRK, keyRegion: 'us-west-2', keyBecause: 'its ARN', bucket: 'aws_s3_bucket.logs', bucketRegion: 'eu-west-1', bucketBecause: 'provider aws' } }],
      fixes: [],
    },
    {
      name: 'the key under an aliased provider in another Region',
      files: { 'main.tf': PROVIDERS + bucket() + key('  provider = aws.west\n') + trail('aws_kms_key.logs.arn') },
      errors: [{ messageId: 'otherRegion', line: 22, data: { key: 'aws_kms_key.logs', keyRegion: 'us-west-2', keyBecause: 'provider aws.west', bucketRegion: 'eu-west-1' } }],
    },
    {
      name: 'the bucket\'s own region argument (AWS provider 6) differs from the key\'s, through an alias',
      files: { 'main.tf': `${PROVIDERS}${bucket('  region = "us-east-1"\n')}${key()}resource "aws_kms_alias" "logs" {\n  name          = "alias/trail"\n  target_key_id = aws_kms_key.logs.key_id\n}\n\n${trail('aws_kms_alias.logs.arn')}` },
      errors: [{ messageId: 'otherRegion', line: 27, data: { key: 'aws_kms_alias.logs', keyRegion: 'eu-west-1', bucketRegion: 'us-east-1', bucketBecause: 'its region argument' } }],
    },
  ],
});
