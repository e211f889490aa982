/**
 * CTK302 on event data stores: AWS-managed aliases, malformed ARNs, keys of the wrong kind
 * (Terraform and CloudFormation); and the forms a store accepts that a trail's Terraform
 * `kms_key_id` does not (alias names, key ids).
 */
import * as assert from 'node:assert/strict';
import { ruleTests } from '../../support/ruleTester';
import { yamlStoreTemplate } from './eventDataStoreCases';

const store = (key: string): string => `resource "aws_cloudtrail_event_data_store" "main" {\n  name       = "management-events"\n  kms_key_id = ${key}\n}\n`;
const LAKE = 'resource "aws_kms_key" "lake" {\n  enable_key_rotation = true\n}\n\n';

ruleTests('CTK302', {
  valid: [
    { name: 'an alias name', files: { 'main.tf': store('"alias/cloudtrail-lake"') } },
    { name: 'a bare key id', files: { 'main.tf': store('"1234abcd-12ab-34cd-56ef-1234567890ab"') } },
    { name: 'a multi-Region key ARN', files: { 'main.tf': store('"arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"') } },
    { name: "a key's key_id (an id is accepted for a store)", files: { 'main.tf': `${LAKE}${store('aws_kms_key.lake.key_id')}` } },
    { name: 'YAML: !GetAtt of a symmetric key', files: { 'template.yaml': yamlStoreTemplate('      KeySpec: SYMMETRIC_DEFAULT\n') } },
  ],
  invalid: [
    {
      name: 'alias/aws/cloudtrail: the fix creates a key',
      files: { 'main.tf': store('"alias/aws/cloudtrail"') },
      errors: [{ messageId: 'awsManaged', line: 3, data: { store: 'aws_cloudtrail_event_data_store.main', key: '"alias/aws/cloudtrail"' } }],
      fixes: [{ title: 'Create a KMS key for this event data store', check: (files) => assert.match(files['main.tf'], /kms_key_id = aws_kms_key\.main_events\.arn/) }],
    },
    {
      name: 'an AWS-managed alias ARN',
      files: { 'main.tf': store('"arn:aws:kms:us-east-1:111122223333:alias/aws/s3"') },
      errors: [{ messageId: 'awsManaged', line: 3 }],
    },
    {
      name: 'an S3 bucket ARN is malformed',
      files: { 'main.tf': store('"arn:aws:s3:::lake-bucket"') },
      errors: [{ messageId: 'malformed', line: 3, data: { attribute: 'kms_key_id' } }],
    },
    {
      name: 'an RSA key: customer_master_key_spec first',
      files: { 'main.tf': `resource "aws_kms_key" "signing" {\n  customer_master_key_spec = "RSA_2048"\n  key_usage                = "SIGN_VERIFY"\n}\n\n${LAKE}${store('aws_kms_key.signing.arn')}` },
      errors: [{ messageId: 'unsuitableKey', line: 12, data: { setting: 'customer_master_key_spec', actual: 'RSA_2048' } }],
      fixes: [{ title: 'Encrypt with aws_kms_key.lake (replaces the store if it already exists)', check: (files) => assert.match(files['main.tf'], /kms_key_id = aws_kms_key\.lake\.arn/) }],
    },
    {
      name: 'a signing key through an alias',
      files: { 'main.tf': `resource "aws_kms_key" "k" {\n  key_usage = "SIGN_VERIFY"\n}\n\nresource "aws_kms_alias" "k" {\n  name          = "alias/k"\n  target_key_id = aws_kms_key.k.key_id\n}\n\n${store('aws_kms_alias.k.name')}` },
      errors: [{ messageId: 'unsuitableKey', line: 12, data: { setting: 'key_usage', actual: 'SIGN_VERIFY' } }],
    },
    {
      name: 'YAML: an HMAC key',
      files: { 'template.yaml': yamlStoreTemplate('      KeySpec: HMAC_256\n      KeyUsage: GENERATE_VERIFY_MAC\n') },
      errors: [{ messageId: 'unsuitableKey', line: 12, data: { store: 'Store', setting: 'KeySpec', actual: 'HMAC_256' } }],
      fixes: [{ title: 'Create a KMS key for this event data store' }],
    },
  ],
});
