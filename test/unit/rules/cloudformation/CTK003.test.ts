/**
 * CTK003 on CloudFormation templates: the key cannot be a customer-managed key CloudTrail can
 * use. Fixes point the trail at a usable key of the template or create one.
 */
import { ruleTests } from '../../../support/ruleTester';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A key `LogsKey` and the trail, whose `KMSKeyId` is `keyId`. */
const yamlTrail = (keyId: string, resources = ''): string =>
  `Resources:\n${resources}  LogsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: ${keyId}\n      IsLogging: true\n`;

const SIGNING_KEY = '  SigningKey:\n    Type: AWS::KMS::Key\n    Properties:\n      KeySpec: RSA_2048\n      KeyUsage: SIGN_VERIFY\n';

ruleTests('CTK003', {
  valid: [
    { name: 'literal key ARN', files: { 'template.yaml': yamlTrail(KEY_ARN) } },
    { name: 'customer alias name', files: { 'template.yaml': yamlTrail('alias/trail-logs') } },
    { name: 'bare key id (KMSKeyId accepts one, unlike Terraform)', files: { 'template.yaml': yamlTrail('1234abcd-12ab-34cd-56ef-1234567890ab') } },
    { name: '!Ref of the key (its key id)', files: { 'template.yaml': yamlTrail('!Ref LogsKey') } },
    { name: 'symmetric key of the template', files: { 'template.yaml': yamlTrail('!GetAtt LogsKey.Arn') } },
    {
      name: 'alias resource targeting a symmetric key',
      files: { 'template.yaml': yamlTrail('!Ref LogsAlias', '  LogsAlias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/trail\n      TargetKeyId: !Ref LogsKey\n') },
    },
    { name: 'Fn::ImportValue', files: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {"KMSKeyId": {"Fn::ImportValue": "security-TrailKeyArn"}}\n    }\n  }\n}\n' } },
  ],
  invalid: [
    {
      name: 'AWS-managed alias alias/aws/cloudtrail (YAML)',
      files: { 'template.yaml': yamlTrail('alias/aws/cloudtrail') },
      errors: [{ messageId: 'awsManaged', line: 9, data: { trail: 'Trail', key: '"alias/aws/cloudtrail"' } }],
      fixes: [
        { title: 'Encrypt with LogsKey', output: { 'template.yaml': yamlTrail('alias/aws/cloudtrail').replace('KMSKeyId: alias/aws/cloudtrail', 'KMSKeyId:\n        Fn::GetAtt: [LogsKey, Arn]') } },
        { title: 'Create a KMS key for this trail' },
        { title: 'Suppress CTK003 for Trail', output: { 'template.yaml': yamlTrail('alias/aws/cloudtrail').replace('  Trail:\n', '  # cloudtrail-kms-lint:ignore CTK003 reason: <why this is acceptable>\n  Trail:\n') } },
      ],
    },
    {
      name: 'AWS-managed alias ARN (JSON)',
      files: { 'template.json': '{\n  "Resources": {\n    "LogsKey": {"Type": "AWS::KMS::Key"},\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "KMSKeyId": "arn:aws:kms:us-east-1:111122223333:alias/aws/cloudtrail",\n        "IsLogging": true\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'awsManaged', line: 7 }],
      fixes: [
        { title: 'Encrypt with LogsKey', output: { 'template.json': '{\n  "Resources": {\n    "LogsKey": {"Type": "AWS::KMS::Key"},\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]},\n        "IsLogging": true\n      }\n    }\n  }\n}\n' } },
        { title: 'Create a KMS key for this trail' },
      ],
    },
    {
      name: 'AWS-managed alias through a parameter default',
      files: { 'template.yaml': `Parameters:\n  KeyId:\n    Type: String\n    Default: alias/aws/s3\n${yamlTrail('!Ref KeyId')}` },
      errors: [{ messageId: 'awsManaged', line: 13, data: { key: '"alias/aws/s3"' } }],
    },
    {
      name: 'an S3 bucket ARN is not a key',
      files: { 'template.yaml': yamlTrail('arn:aws:s3:::audit-logs') },
      errors: [{ messageId: 'malformed', line: 9, data: { key: '"arn:aws:s3:::audit-logs"' } }],
    },
    {
      name: 'asymmetric signing key: offered the symmetric one, never another unusable key',
      files: { 'template.yaml': yamlTrail('!GetAtt SigningKey.Arn', SIGNING_KEY) },
      errors: [{ messageId: 'unsuitableKey', line: 14, data: { key: 'SigningKey', actual: 'RSA_2048' } }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.yaml': yamlTrail('!GetAtt LogsKey.Arn', SIGNING_KEY) } }],
    },
  ],
});
