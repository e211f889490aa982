/**
 * CTK301 on Terraform (native and JSON) and CloudFormation (YAML and JSON) event data stores:
 * absent, empty, empty under defaults, the trail's spelling of the property; and what is not
 * judged (a store `count` leaves uncreated, a key from an input with no default).
 */
import * as assert from 'node:assert/strict';
import { ruleTests } from '../../support/ruleTester';
import { yamlStoreTemplate } from './eventDataStoreCases';

const KEY = 'resource "aws_kms_key" "lake" {\n  enable_key_rotation = true\n}\n\n';
const store = (body: string): string => `resource "aws_cloudtrail_event_data_store" "main" {\n  name = "management-events"\n${body}}\n`;
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LAKE_KEY = '      EnableKeyRotation: true\n';

ruleTests('CTK301', {
  valid: [
    { name: 'a key reference', files: { 'main.tf': `${KEY}${store('  kms_key_id = aws_kms_key.lake.arn\n')}` } },
    { name: 'an alias name (accepted for a store)', files: { 'main.tf': store('  kms_key_id = "alias/cloudtrail-lake"\n') } },
    { name: 'a variable defaulting to a key ARN', files: { 'main.tf': `variable "key" {\n  default = "${KEY_ARN}"\n}\n\n${store('  kms_key_id = var.key\n')}` } },
    { name: 'a key from an input without a default is not guessed', files: { 'main.tf': `variable "key" {}\n\n${store('  kms_key_id = var.key\n')}` } },
    { name: 'a store count = 0 leaves uncreated', files: { 'main.tf': store('  count = 0\n') } },
    { name: 'a trail is not a store (CTK001 judges it)', files: { 'main.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n}\n' } },
    { name: 'Terraform JSON with a key', files: { 'main.tf.json': `{\n  "resource": {\n    "aws_cloudtrail_event_data_store": {\n      "main": {\n        "name": "events",\n        "kms_key_id": "${KEY_ARN}"\n      }\n    }\n  }\n}\n` } },
    { name: 'YAML !GetAtt LakeKey.Arn', files: { 'template.yaml': yamlStoreTemplate(LAKE_KEY) } },
    { name: 'YAML !Ref LakeKey (a key id is accepted)', files: { 'template.yaml': yamlStoreTemplate(LAKE_KEY, '      KmsKeyId: !Ref LakeKey\n') } },
  ],
  invalid: [
    {
      name: 'no kms_key_id: the fix creates a key with the event data store policy',
      files: { 'main.tf': 'resource "aws_cloudtrail_event_data_store" "main" {\n  name = "management-events"\n}\n' },
      errors: [{ messageId: 'missing', line: 1, data: { store: 'aws_cloudtrail_event_data_store.main', attribute: 'kms_key_id' } }],
      fixes: [{ title: 'Create a KMS key for this event data store (replaces the store if it already exists)', output: { 'main.tf': `resource "aws_cloudtrail_event_data_store" "main" {
  name       = "management-events"
  kms_key_id = aws_kms_key.main_events.arn
}

resource "aws_kms_key" "main_events" {
  description             = "Encrypts the events of aws_cloudtrail_event_data_store.main"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Enable IAM User Permissions"
        Effect = "Allow"
        Principal = {
          AWS = "arn:\${data.aws_partition.current.partition}:iam::\${data.aws_caller_identity.current.account_id}:root"
        }
        Action   = "kms:*"
        Resource = "*"
      },
      {
        Sid    = "AllowCloudTrailEncryptEds"
        Effect = "Allow"
        Principal = {
          Service = "cloudtrail.amazonaws.com"
        }
        Action = [
          "kms:GenerateDataKey",
          "kms:Decrypt",
        ]
        Resource = "*"
      },
      {
        Sid    = "Allow CloudTrail to describe key"
        Effect = "Allow"
        Principal = {
          Service = "cloudtrail.amazonaws.com"
        }
        Action   = "kms:DescribeKey"
        Resource = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "main_events" {
  name          = "alias/main-events"
  target_key_id = aws_kms_key.main_events.key_id
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
` } }],
    },
    {
      name: 'kms_key_id = "": "Encrypt with" says the store is replaced',
      files: { 'main.tf': `${KEY}${store('  kms_key_id = ""\n')}` },
      errors: [{ messageId: 'empty', line: 7 }],
      fixes: [{
        title: 'Encrypt with aws_kms_key.lake (replaces the store if it already exists)',
        output: { 'main.tf': `${KEY}resource "aws_cloudtrail_event_data_store" "main" {\n  name = "management-events"\n  kms_key_id = aws_kms_key.lake.arn\n}\n` },
      }],
    },
    {
      name: 'a variable defaulting to null names it',
      files: { 'main.tf': `variable "lake_key_arn" {\n  type    = string\n  default = null\n}\n\n${store('  kms_key_id = var.lake_key_arn\n')}` },
      errors: [{ messageId: 'empty', line: 8, data: { because: ' (var.lake_key_arn defaults to null)' } }],
    },
    {
      name: 'Terraform JSON without a key: the fix writes JSON',
      files: { 'main.tf.json': '{\n  "resource": {\n    "aws_kms_key": {\n      "lake": {\n        "enable_key_rotation": true\n      }\n    },\n    "aws_cloudtrail_event_data_store": {\n      "main": {\n        "name": "events"\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'missing', line: 9 }],
      fixes: [{ title: 'Encrypt with aws_kms_key.lake', check: (files) => assert.equal(JSON.parse(files['main.tf.json']).resource.aws_cloudtrail_event_data_store.main.kms_key_id, '${aws_kms_key.lake.arn}') }],
    },
    {
      name: 'YAML: no KmsKeyId; the fix creates an AWS::KMS::Key with the store policy',
      files: { 'template.yaml': yamlStoreTemplate(LAKE_KEY, '') },
      errors: [{ messageId: 'missing', line: 7, data: { store: 'Store', attribute: 'KmsKeyId' } }],
      fixes: [
        // The template writes no short-form tag, so neither does the fix; LakeKey has no policy yet, and the title says so.
        { title: 'Encrypt with LakeKey, though its key policy does not let CloudTrail encrypt yet', output: { 'template.yaml': yamlStoreTemplate(LAKE_KEY, '      KmsKeyId:\n        Fn::GetAtt: [LakeKey, Arn]\n') } },
        { title: 'Create a KMS key for this event data store', check: (files) => assert.match(files['template.yaml'], /StoreEventsKey:\n    Type: AWS::KMS::Key\n[^]*Sid: AllowCloudTrailEncryptEds/) },
      ],
    },
    {
      name: "YAML: the trail's spelling KMSKeyId sets no key",
      files: { 'template.yaml': yamlStoreTemplate(LAKE_KEY, '      KMSKeyId: !GetAtt LakeKey.Arn\n') },
      errors: [{ messageId: 'misspelled', line: 11, data: { written: 'KMSKeyId' } }],
      fixes: [{ title: 'Rename KMSKeyId to KmsKeyId', output: { 'template.yaml': yamlStoreTemplate(LAKE_KEY) } }],
    },
    {
      name: 'JSON: KmsKeyId "" and Ref AWS::NoValue',
      files: { 'template.json': '{\n  "Resources": {\n    "A": {\n      "Type": "AWS::CloudTrail::EventDataStore",\n      "Properties": {\n        "KmsKeyId": ""\n      }\n    },\n    "B": {\n      "Type": "AWS::CloudTrail::EventDataStore",\n      "Properties": {\n        "KmsKeyId": { "Ref": "AWS::NoValue" }\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'empty', line: 6 }, { messageId: 'empty', line: 12 }],
      fixes: [{ title: 'Create a KMS key for this event data store', check: (files) => assert.equal(JSON.parse(files['template.json']).Resources.AEventsKey.Properties.KeyPolicy.Statement[1].Sid, 'AllowCloudTrailEncryptEds') }],
    },
  ],
});
