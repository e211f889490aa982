import { ruleTests } from '../../support/ruleTester';
import { DESCRIBE, ENCRYPT, ROOT, TRAIL, inForm, policyOf } from './keyPolicyCases';

const POLICY = `  policy = jsonencode(${JSON.stringify(policyOf(ROOT, ENCRYPT, DESCRIBE))})`;
const key = (attributes: string): string => `resource "aws_kms_key" "logs" {\n${attributes}${POLICY}\n}\n\n${TRAIL}`;

const CFN = (rotation: string): string => `Resources:
  LogsKey:
    Type: AWS::KMS::Key
    Properties:
${rotation}      Description: trail logs
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      EnableLogFileValidation: true
      KMSKeyId: !GetAtt LogsKey.Arn
`;

const CFN_JSON = `{
  "Resources": {
    "LogsKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "KeyPolicy": ${JSON.stringify(policyOf(ROOT, ENCRYPT, DESCRIBE))}
      }
    },
    "Trail": {
      "Type": "AWS::CloudTrail::Trail",
      "Properties": {
        "S3BucketName": "logs",
        "EnableLogFileValidation": true,
        "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]}
      }
    }
  }
}
`;

const SEPARATE_POLICY = `resource "aws_kms_key" "logs" {\n  description = "trail logs"\n}\n\nresource "aws_kms_key_policy" "logs" {\n  key_id = aws_kms_key.logs.key_id\n${POLICY}\n}\n\n${TRAIL}`;

ruleTests('CTK201', {
  valid: [
    { name: 'rotation on', files: { 'main.tf': key('  enable_key_rotation = true\n') } },
    { name: 'rotation on through a variable default', files: { 'main.tf': `variable "rotate" {\n  default = true\n}\n\n${key('  enable_key_rotation = var.rotate\n')}` } },
    { name: 'rotation from an input without a default is not judged', files: { 'main.tf': `variable "rotate" {}\n\n${key('  enable_key_rotation = var.rotate\n')}` } },
    { name: 'a key no trail uses and no CloudTrail policy', files: { 'main.tf': 'resource "aws_kms_key" "app" {\n  description = "app data"\n}\n' } },
    { name: 'an asymmetric key cannot rotate (CTK003 reports it)', files: { 'main.tf': key('  customer_master_key_spec = "RSA_2048"\n') } },
    { name: 'a replica key inherits rotation from its primary', files: { 'main.tf': key('').replace('resource "aws_kms_key" "logs"', 'resource "aws_kms_replica_key" "logs"').replace('aws_kms_key.logs.arn', 'aws_kms_replica_key.logs.arn') } },
    { name: 'a policy document has no rotation', ...inForm('standalone', policyOf(ROOT, ENCRYPT, DESCRIBE)) },
    { name: 'CloudFormation: rotation on', files: { 'template.yaml': CFN('      EnableKeyRotation: true\n') } },
  ],
  invalid: [
    {
      name: 'rotation not set',
      files: { 'main.tf': key('  description = "trail logs"\n') },
      errors: [{ messageId: 'missing', line: 1, data: { key: 'aws_kms_key.logs', attribute: 'enable_key_rotation' } }],
      // The new line joins the run it lands in (`policy` is one line here): both are re-aligned.
      fixes: [{ title: 'Enable automatic key rotation', output: { 'main.tf': key('  description         = "trail logs"\n').replace(POLICY, `${POLICY.replace('policy =', 'policy              =')}\n  enable_key_rotation = true`) } }],
    },
    {
      name: 'rotation turned off',
      files: { 'main.tf': key('  enable_key_rotation = false\n') },
      errors: [{ messageId: 'disabled', line: 2, data: { value: 'false' } }],
      fixes: [{ title: 'Enable automatic key rotation', output: { 'main.tf': key('  enable_key_rotation = true\n') } }],
    },
    {
      name: 'rotation off through a variable default',
      files: { 'main.tf': `variable "rotate" {\n  default = false\n}\n\n${key('  enable_key_rotation = var.rotate\n')}` },
      errors: [{ messageId: 'disabled', line: 6 }],
    },
    {
      name: 'the policy is an aws_kms_key_policy of its own: the suppression goes above the key, whose rotation it is',
      files: { 'main.tf': SEPARATE_POLICY },
      errors: [{ messageId: 'missing', line: 1 }],
      fixes: [{ title: 'Suppress CTK201 for aws_kms_key.logs', output: { 'main.tf': `# cloudtrail-kms-lint:ignore CTK201 reason: <why this is acceptable>\n${SEPARATE_POLICY}` } }],
    },
    {
      name: 'a key whose only link to CloudTrail is its policy',
      files: { 'main.tf': `resource "aws_kms_key" "org" {\n${POLICY}\n}\n` },
      errors: [{ messageId: 'missing', line: 1 }],
      fixes: [{ title: 'Enable automatic key rotation' }],
    },
    {
      name: 'CloudFormation: EnableKeyRotation false',
      files: { 'template.yaml': CFN('      EnableKeyRotation: false\n') },
      errors: [{ messageId: 'disabled', line: 5 }],
      fixes: [
        { title: 'Enable automatic key rotation', output: { 'template.yaml': CFN('      EnableKeyRotation: true\n') } },
        { title: 'Suppress CTK201 for LogsKey', output: { 'template.yaml': CFN('      EnableKeyRotation: false\n').replace('  LogsKey:', '  # cloudtrail-kms-lint:ignore CTK201 reason: <why this is acceptable>\n  LogsKey:') } },
      ],
    },
    {
      name: 'CloudFormation JSON: suppressed through Metadata',
      files: { 'template.json': CFN_JSON },
      errors: [{ messageId: 'missing', line: 3 }],
      fixes: [{ title: 'Suppress CTK201 for LogsKey', output: { 'template.json': CFN_JSON.replace('\n      }\n    },\n    "Trail"', '\n      },\n      "Metadata": {\n        "cloudtrail-kms-lint": {\n          "ignore": [\n            "CTK201"\n          ]\n        }\n      }\n    },\n    "Trail"') } }],
    },
    {
      name: 'suppressed by checkov:skip for CKV_AWS_7',
      files: { 'main.tf': key('  #checkov:skip=CKV_AWS_7:rotated by the HSM team\n') },
      errors: [{ messageId: 'missing', line: 1, suppressedBy: 'checkov:skip=CKV_AWS_7' }],
    },
  ],
});
