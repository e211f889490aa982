/**
 * CTK001 on CloudFormation templates (YAML short and long form, JSON, SAM, CDK output), with
 * every trail fix applied and compared to the expected template text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../../support/engine';
import { ruleTests } from '../../../support/ruleTester';

const cfnFixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'cfn-fixes', name), 'utf8');

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A YAML template with a key `LogsKey` and the trail `Trail` whose properties are `trailProperties` (6-space lines). */
const yamlTemplate = (trailProperties: string, head = ''): string =>
  `AWSTemplateFormatVersion: "2010-09-09"\n${head}Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Sub "\${AWS::StackName} trail logs"\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n${trailProperties}`;

const jsonTemplate = (trailProperties: string): string =>
  `{\n  "Resources": {\n    "LogsKey": {\n      "Type": "AWS::KMS::Key"\n    },\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "S3BucketName": "logs"${trailProperties}\n      }\n    }\n  }\n}\n`;

const KEY_PARAMETER = (defaultValue: string): string =>
  `Parameters:\n  KeyArn:\n    Type: String\n    Default: "${defaultValue}"\nConditions:\n  HasKey: !Not [!Equals [!Ref KeyArn, ""]]\n`;

ruleTests('CTK001', {
  valid: [
    { name: 'YAML !GetAtt Key.Arn', files: { 'template.yaml': yamlTemplate('      KMSKeyId: !GetAtt LogsKey.Arn\n') } },
    { name: 'YAML long form Fn::GetAtt', files: { 'template.yaml': yamlTemplate('      KMSKeyId:\n        Fn::GetAtt: [LogsKey, Arn]\n') } },
    {
      name: 'YAML !Ref of an alias resource',
      files: { 'template.yaml': yamlTemplate('      KMSKeyId: !Ref LogsAlias\n').replace('  Trail:\n', '  LogsAlias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/trail-logs\n      TargetKeyId: !Ref LogsKey\n  Trail:\n') },
    },
    { name: 'Fn::ImportValue (set by another stack)', files: { 'template.yaml': yamlTemplate('      KMSKeyId: !ImportValue security-TrailKeyArn\n') } },
    { name: 'JSON literal key ARN', files: { 'template.json': jsonTemplate(`,\n        "KMSKeyId": "${KEY_ARN}"`) } },
    { name: 'JSON {"Fn::GetAtt": [...]}', files: { 'template.json': jsonTemplate(',\n        "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}') } },
    { name: 'customer alias name', files: { 'template.yaml': yamlTemplate('      KMSKeyId: alias/MyAliasName\n') } },
    { name: '!If whose parameter default picks the key', files: { 'template.yaml': yamlTemplate('      KMSKeyId: !If [HasKey, !Ref KeyArn, !Ref AWS::NoValue]\n', KEY_PARAMETER(KEY_ARN)) } },
    { name: 'CDK-synthesized template with its key (Fn::GetAtt array over several lines)', files: { 'template.json': cfnFixture('cdk/encrypted.json') } },
    { name: '.template file (YAML)', files: { 'trail.template': yamlTemplate('      KMSKeyId: !GetAtt LogsKey.Arn\n') } },
    {
      name: 'AWS::CloudTrail::Trail mentioned only as data (a Config rule scope)',
      files: { 'template.yaml': 'Resources:\n  Rule:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Scope:\n        ComplianceResourceTypes:\n          - AWS::CloudTrail::Trail\n' },
    },
  ],
  invalid: [
    {
      name: 'YAML short form, KMSKeyId absent: every fix',
      files: { 'template.yaml': cfnFixture('short-form/template.yaml') },
      errors: [{ messageId: 'missing', line: 21, data: { trail: 'AuditTrail', attribute: 'KMSKeyId' } }],
      fixes: [
        { title: 'Encrypt with LogsKey', output: { 'template.yaml': cfnFixture('short-form/use-key.yaml') } },
        { title: 'Create a KMS key for this trail', output: { 'template.yaml': cfnFixture('short-form/create-key.yaml') } },
        { title: 'Suppress CTK001 for AuditTrail', output: { 'template.yaml': cfnFixture('short-form/suppress.yaml') } },
      ],
    },
    {
      name: 'YAML long form, 4-space indentation: fixes in long form',
      files: { 'template.yaml': cfnFixture('long-form/template.yaml') },
      errors: [{ messageId: 'missing', line: 21 }],
      fixes: [
        { title: 'Encrypt with TrailKey', output: { 'template.yaml': cfnFixture('long-form/use-key.yaml') } },
        { title: 'Create a KMS key for this trail', output: { 'template.yaml': cfnFixture('long-form/create-key.yaml') } },
      ],
    },
    {
      name: 'JSON, KMSKeyId absent: every fix',
      files: { 'template.json': cfnFixture('json/template.json') },
      errors: [{ messageId: 'missing', line: 11 }],
      fixes: [
        { title: 'Encrypt with LogsKey', output: { 'template.json': cfnFixture('json/use-key.json') } },
        { title: 'Create a KMS key for this trail', output: { 'template.json': cfnFixture('json/create-key.json') } },
        { title: 'Suppress CTK001 for AuditTrail', output: { 'template.json': cfnFixture('json/suppress.json') } },
      ],
    },
    {
      name: 'KMSKeyId: "" (YAML)',
      files: { 'template.yaml': yamlTemplate('      KMSKeyId: ""\n      IsLogging: true\n') },
      errors: [{ messageId: 'empty', line: 11, data: { value: '""' } }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.yaml': yamlTemplate('      KMSKeyId: !GetAtt LogsKey.Arn\n      IsLogging: true\n') } }],
    },
    {
      name: '"KMSKeyId": "" (JSON)',
      files: { 'template.json': jsonTemplate(',\n        "KMSKeyId": ""') },
      errors: [{ messageId: 'empty', line: 10 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.json': jsonTemplate(',\n        "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}') } }],
    },
    {
      name: '!If to !Ref AWS::NoValue: the parameter default makes the condition false',
      files: { 'template.yaml': yamlTemplate('      KMSKeyId: !If [HasKey, !Ref KeyArn, !Ref AWS::NoValue]\n', KEY_PARAMETER('')) },
      errors: [{ messageId: 'empty', line: 17 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.yaml': yamlTemplate('      KMSKeyId: !GetAtt LogsKey.Arn\n', KEY_PARAMETER('')) } }],
    },
    {
      name: 'block-style Fn::If in long form, replaced from its key line',
      files: { 'template.yaml': 'Parameters:\n  Encrypt:\n    Type: String\n    Default: "no"\nConditions:\n  Encrypted:\n    Fn::Equals: [Ref: Encrypt, "yes"]\nResources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId:\n        Fn::If:\n          - Encrypted\n          - Ref: LogsKey\n          - Ref: AWS::NoValue\n      IsLogging: true\n' },
      errors: [{ messageId: 'empty', line: 14 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.yaml': 'Parameters:\n  Encrypt:\n    Type: String\n    Default: "no"\nConditions:\n  Encrypted:\n    Fn::Equals: [Ref: Encrypt, "yes"]\nResources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId:\n        Fn::GetAtt: [LogsKey, Arn]\n      IsLogging: true\n' } }],
    },
    {
      name: 'KmsKeyId misspelled (YAML): rename, or point the renamed property at a key',
      files: { 'template.yaml': yamlTemplate('      KmsKeyId: !GetAtt LogsKey.Arn\n') },
      errors: [{ messageId: 'misspelled', line: 11, data: { written: 'KmsKeyId', attribute: 'KMSKeyId' } }],
      fixes: [
        { title: 'Rename KmsKeyId to KMSKeyId', output: { 'template.yaml': yamlTemplate('      KMSKeyId: !GetAtt LogsKey.Arn\n') } },
        { title: 'Encrypt with LogsKey', output: { 'template.yaml': yamlTemplate('      KMSKeyId: !GetAtt LogsKey.Arn\n') } },
      ],
    },
    {
      name: 'KMSKeyID misspelled (JSON): the rename keeps the quotes',
      files: { 'template.json': jsonTemplate(',\n        "KMSKeyID": {"Fn::GetAtt": ["LogsKey", "Arn"]}') },
      errors: [{ messageId: 'misspelled', line: 10, data: { written: 'KMSKeyID' } }],
      fixes: [{ title: 'Rename KMSKeyID to KMSKeyId', output: { 'template.json': jsonTemplate(',\n        "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}') } }],
    },
    {
      name: 'misspelled with an empty value (JSON): "Encrypt with" renames and sets the value',
      files: { 'template.json': jsonTemplate(',\n        "KmsKeyId": ""') },
      errors: [{ messageId: 'misspelled', line: 10 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.json': jsonTemplate(',\n        "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}') } }],
    },
    {
      name: 'YAML flow-style Properties: the key goes inside the braces',
      files: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: {IsLogging: true, S3BucketName: logs}\n' },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [
        { title: 'Encrypt with LogsKey', output: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: {IsLogging: true, S3BucketName: logs, KMSKeyId: {Fn::GetAtt: [LogsKey, Arn]}}\n' } },
        { title: 'Suppress CTK001 for Trail', output: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  # cloudtrail-kms-lint:ignore CTK001 reason: <why this is acceptable>\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: {IsLogging: true, S3BucketName: logs}\n' } },
      ],
    },
    {
      name: 'YAML flow-style Properties with short-form tags elsewhere',
      files: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: { S3BucketName: !Ref Bucket }\n' },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: { S3BucketName: !Ref Bucket, KMSKeyId: !GetAtt LogsKey.Arn }\n' } }],
    },
    {
      name: 'no Properties at all (YAML): Properties is added',
      files: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Sub "${AWS::StackName} logs"\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    DependsOn: LogsKey\n' },
      errors: [{ messageId: 'missing', line: 6 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.yaml': 'Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Sub "${AWS::StackName} logs"\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    DependsOn: LogsKey\n    Properties:\n      KMSKeyId: !GetAtt LogsKey.Arn\n' } }],
    },
    {
      name: 'empty "Properties": {} (JSON)',
      files: { 'template.json': '{\n    "Resources": {\n        "LogsKey": {"Type": "AWS::KMS::Key"},\n        "Trail": {\n            "Type": "AWS::CloudTrail::Trail",\n            "Properties": {}\n        }\n    }\n}\n' },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [{ title: 'Encrypt with LogsKey', output: { 'template.json': '{\n    "Resources": {\n        "LogsKey": {"Type": "AWS::KMS::Key"},\n        "Trail": {\n            "Type": "AWS::CloudTrail::Trail",\n            "Properties": {\n                "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}\n            }\n        }\n    }\n}\n' } }],
    },
    {
      name: 'CRLF line breaks are kept',
      files: { 'template.yaml': 'Resources:\r\n  LogsKey:\r\n    Type: AWS::KMS::Key\r\n  Trail:\r\n    Type: AWS::CloudTrail::Trail\r\n    Properties:\r\n      IsLogging: true\r\n' },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [
        { title: 'Encrypt with LogsKey', output: { 'template.yaml': 'Resources:\r\n  LogsKey:\r\n    Type: AWS::KMS::Key\r\n  Trail:\r\n    Type: AWS::CloudTrail::Trail\r\n    Properties:\r\n      IsLogging: true\r\n      KMSKeyId:\r\n        Fn::GetAtt: [LogsKey, Arn]\r\n' } },
        { title: 'Create a KMS key for this trail', check: (files) => assert.doesNotMatch(files['template.yaml'], /[^\r]\n/) },
      ],
    },
    {
      name: 'SAM template (Transform, Globals, a function and a trail)',
      files: { 'template.yaml': cfnFixture('sam/template.yaml') },
      errors: [{ messageId: 'missing', line: 28 }],
      fixes: [{ title: 'Create a KMS key for this trail', output: { 'template.yaml': cfnFixture('sam/create-key.yaml') } }],
    },
    {
      name: 'CDK-synthesized template (1-space JSON, aws:cdk:path Metadata, hashed logical ids)',
      files: { 'template.json': cfnFixture('cdk/template.json') },
      errors: [{ messageId: 'missing', line: 87, data: { trail: 'TrailE3F8B7C2' } }],
      fixes: [
        { title: 'Encrypt with TrailKey5A3C7E21', output: { 'template.json': cfnFixture('cdk/use-key.json') } },
        { title: 'Suppress CTK001 for TrailE3F8B7C2', output: { 'template.json': cfnFixture('cdk/suppress.json') } },
        { title: 'Create a KMS key for this trail', check: (files) => {
          assert.match(files['template.json'], /\n {2}"TrailE3F8B7C2LogsKey": \{\n {3}"Type": "AWS::KMS::Key",\n {3}"Properties": \{\n {4}"Description"/);
          assert.match(files['template.json'], /\n {4}"KMSKeyId": \{"Fn::GetAtt": \["TrailE3F8B7C2LogsKey", "Arn"\]\}\n {3}\},\n {3}"DependsOn"/);
        } },
      ],
    },
    {
      name: 'a logical id already taken: the new key is numbered, and keeps the trail\'s Condition',
      files: { 'template.yaml': 'Conditions:\n  IsProd: !Equals [!Ref AWS::AccountId, "111122223333"]\nResources:\n  TrailLogsKey:\n    Type: AWS::SNS::Topic\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Condition: IsProd\n    Properties:\n      IsLogging: true\n' },
      errors: [{ messageId: 'missing', line: 6 }],
      fixes: [{ title: 'Create a KMS key for this trail', check: (files) => {
        assert.match(files['template.yaml'], /KMSKeyId: !GetAtt TrailLogsKey2\.Arn\n {2}TrailLogsKey2:\n {4}Type: AWS::KMS::Key\n {4}Condition: IsProd\n/);
        assert.match(files['template.yaml'], /\n {2}TrailLogsKey2Alias:\n {4}Type: AWS::KMS::Alias\n {4}Condition: IsProd\n {4}Properties:\n {6}AliasName: alias\/trail-logs-2\n {6}TargetKeyId: !Ref TrailLogsKey2\n$/);
      } }],
    },
    {
      name: 'suppressed by our Metadata entry',
      files: { 'template.yaml': 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Metadata:\n      cloudtrail-kms-lint:\n        ignore: [CTK001]\n' },
      errors: [{ messageId: 'missing', line: 2, suppressedBy: 'Metadata cloudtrail-kms-lint.ignore' }],
    },
    {
      name: 'suppressed by Checkov Metadata (checkov.skip CKV_AWS_35)',
      files: { 'template.yaml': 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_35\n            comment: org trail encrypts centrally\n' },
      errors: [{ messageId: 'missing', line: 2, suppressedBy: 'Metadata checkov.skip CKV_AWS_35' }],
    },
    {
      name: 'suppressed by a KICS file comment with the CloudFormation query id',
      files: { 'template.yaml': '# kics-scan disable=050a9ba8-d1cb-4c61-a5e8-8805a70d3b85\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n' },
      errors: [{ messageId: 'missing', line: 3, suppressedBy: 'kics-scan disable=050a9ba8-d1cb-4c61-a5e8-8805a70d3b85' }],
    },
    {
      name: 'trivy:ignore with an expired date in a YAML template does not suppress',
      files: { 'template.yaml': 'Resources:\n  # trivy:ignore:AVD-AWS-0015:exp:2001-02-03\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n' },
      errors: [{ messageId: 'missing', line: 3 }],
    },
    {
      name: 'suppressed by cfn-guard Metadata (JSON)',
      files: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {"guard": {"SuppressedRules": ["CLOUD_TRAIL_ENCRYPTION_ENABLED"]}}\n    }\n  }\n}\n' },
      errors: [{ messageId: 'missing', line: 3, suppressedBy: 'Metadata guard.SuppressedRules CLOUD_TRAIL_ENCRYPTION_ENABLED' }],
    },
    {
      name: 'suppressed by our YAML comment; one for another rule does not',
      files: { 'template.yaml': 'Resources:\n  # cloudtrail-kms-lint:ignore CTK001 the org trail encrypts\n  A:\n    Type: AWS::CloudTrail::Trail\n  # cloudtrail-kms-lint:ignore CTK202\n  B:\n    Type: AWS::CloudTrail::Trail\n' },
      errors: [
        { messageId: 'missing', line: 3, suppressedBy: 'cloudtrail-kms-lint:ignore' },
        { messageId: 'missing', line: 6 },
      ],
    },
    {
      name: 'JSON Metadata without our entry: the suppression joins it',
      files: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {\n        "Owner": "security"\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'missing', line: 3 }],
      fixes: [{ title: 'Suppress CTK001 for Trail', output: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {\n        "Owner": "security",\n        "cloudtrail-kms-lint": {\n          "ignore": [\n            "CTK001"\n          ]\n        }\n      }\n    }\n  }\n}\n' } }],
    },
    {
      name: 'JSON Metadata with our entry for another rule: the id joins its list',
      files: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {\n        "cloudtrail-kms-lint": {"ignore": ["CTK202"]}\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'missing', line: 3 }],
      fixes: [{ title: 'Suppress CTK001 for Trail', output: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {\n        "cloudtrail-kms-lint": {"ignore": ["CTK202", "CTK001"]}\n      }\n    }\n  }\n}\n' } }],
    },
  ],
});
