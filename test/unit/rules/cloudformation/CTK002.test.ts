/**
 * CTK002 on CloudFormation templates: the key depends on a parameter without a default. The
 * only fix is a suppression, a comment in YAML and a Metadata entry in JSON.
 */
import { ruleTests } from '../../../support/ruleTester';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const yamlTrail = (parameter: string, keyId: string): string =>
  `Parameters:\n  KeyArn:\n    Type: String\n${parameter}Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      KMSKeyId: ${keyId}\n`;

ruleTests('CTK002', {
  valid: [
    { name: 'parameter with a key default', files: { 'template.yaml': yamlTrail(`    Default: ${KEY_ARN}\n`, '!Ref KeyArn') } },
    { name: 'a key of the template', files: { 'template.yaml': 'Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: !GetAtt Key.Arn\n' } },
    {
      name: 'both branches of a condition on an input are keys',
      files: { 'template.yaml': `Parameters:\n  Region:\n    Type: String\nConditions:\n  East: !Equals [!Ref Region, us-east-1]\nResources:\n  Key:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: !If [East, !GetAtt Key.Arn, ${KEY_ARN}]\n` },
    },
    { name: 'an SSM parameter type with a default path', files: { 'template.yaml': yamlTrail('    Default: /security/trail-key-arn\n', '!Ref KeyArn').replace('Type: String', 'Type: AWS::SSM::Parameter::Value<String>') } },
  ],
  invalid: [
    {
      name: 'YAML: a key ARN built with !Sub from a parameter without a default',
      files: { 'template.yaml': yamlTrail('', '!Sub "arn:${AWS::Partition}:kms:us-east-1:111122223333:key/${KeyArn}"') },
      errors: [{ messageId: 'unresolved', line: 9, data: { input: 'parameter KeyArn, which has no default' } }],
    },
    {
      name: 'YAML: !Ref of a parameter without a default',
      files: { 'template.yaml': yamlTrail('', '!Ref KeyArn') },
      errors: [{ messageId: 'unresolved', line: 9, data: { trail: 'Trail', input: 'parameter KeyArn, which has no default' } }],
      fixes: [{
        title: 'Suppress CTK002 for Trail',
        output: { 'template.yaml': 'Parameters:\n  KeyArn:\n    Type: String\nResources:\n  # cloudtrail-kms-lint:ignore CTK002 reason: <why this is acceptable>\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      KMSKeyId: !Ref KeyArn\n' },
      }],
    },
    {
      name: 'JSON: {"Ref": parameter without a default}',
      files: { 'template.json': '{\n  "Parameters": {\n    "KeyArn": {"Type": "String"}\n  },\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "KMSKeyId": {"Ref": "KeyArn"}\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'unresolved', line: 9 }],
      fixes: [{
        title: 'Suppress CTK002 for Trail',
        output: { 'template.json': '{\n  "Parameters": {\n    "KeyArn": {"Type": "String"}\n  },\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "KMSKeyId": {"Ref": "KeyArn"}\n      },\n      "Metadata": {\n        "cloudtrail-kms-lint": {\n          "ignore": [\n            "CTK002"\n          ]\n        }\n      }\n    }\n  }\n}\n' },
      }],
    },
    {
      name: 'encryption switched by a condition on a parameter without a default',
      files: { 'template.yaml': 'Parameters:\n  UseKey:\n    Type: String\n    AllowedValues: ["true", "false"]\nConditions:\n  Encrypt: !Equals [!Ref UseKey, "true"]\nResources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: !If [Encrypt, !GetAtt LogsKey.Arn, !Ref AWS::NoValue]\n' },
      errors: [{ messageId: 'unresolved', line: 13, data: { input: 'parameter UseKey, which has no default' } }],
    },
  ],
});
