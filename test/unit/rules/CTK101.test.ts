import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase, type ValidCase } from '../../support/ruleTester';
import { cloudTrailEncryptStatement } from '../../../server/src/engine/policy';
import {
  ACCOUNT, ALL_FORMS, DESCRIBE, ENCRYPT, KEY_FORMS, ROOT, TRAIL, inForm, isJson, keyWith, lineOf, policyLine, policyOf, statementLine,
} from './keyPolicyCases';

/** The statement the fix adds, for this account (no trail ARN is known, so no aws:SourceArn). */
const ADDED_ENCRYPT = cloudTrailEncryptStatement({ partition: 'aws', accountId: ACCOUNT });

const valid: ValidCase[] = [
  ...['aws', 'aws-cn', 'aws-us-gov'].map((partition) => ({ name: `encryption-context pattern in the ${partition} partition`, ...inForm('document', policyOf(ROOT, { ...ENCRYPT, Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${ACCOUNT}:trail/*` } } }, DESCRIBE)) })),
  { name: 'ArnEquals with wildcards (ARN operators match each part with wildcards)', ...inForm('jsonencode', policyOf(ROOT, { ...ENCRYPT, Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } }, DESCRIBE)) },
  ...ALL_FORMS.map((form): ValidCase => ({ name: `${form}: CloudTrail may encrypt`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE)) })),
  {
    name: 'a key named for CloudTrail but used only by S3 is not a CloudTrail key',
    files: { 'main.tf': 'resource "aws_kms_key" "cloudtrail-bucket-key" {\n  description = "cloudtrail bucket"\n}\n\nresource "aws_s3_bucket_server_side_encryption_configuration" "b" {\n  bucket = "logs"\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.cloudtrail-bucket-key.arn\n    }\n  }\n}\n' },
  },
  {
    name: 'an S3 bucket policy naming CloudTrail is not a key policy',
    files: { 'main.tf': 'data "aws_iam_policy_document" "bucket" {\n  statement {\n    actions   = ["s3:PutObject"]\n    resources = ["arn:aws:s3:::logs/*"]\n    principals {\n      type        = "Service"\n      identifiers = ["cloudtrail.amazonaws.com"]\n    }\n  }\n}\n' },
  },
  { name: 'a policy from an input without a default is not judged', files: { 'main.tf': keyWith('  policy = var.key_policy').replace('resource "aws_kms_key"', 'variable "key_policy" {}\n\nresource "aws_kms_key"') } },
  {
    name: 'the trail reaches the key through an alias',
    files: { 'main.tf': inForm('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE)).files['main.tf'].replace('aws_kms_key.logs.arn', 'aws_kms_alias.logs.arn') + 'resource "aws_kms_alias" "logs" {\n  name          = "alias/logs"\n  target_key_id = aws_kms_key.logs.key_id\n}\n' },
  },
  {
    name: 'a document merged through source_policy_documents',
    files: {
      'main.tf': `data "aws_iam_policy_document" "cloudtrail" {\n  statement {\n    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]\n    resources = ["*"]\n    principals {\n      type        = "Service"\n      identifiers = ["cloudtrail.amazonaws.com"]\n    }\n  }\n}\n\ndata "aws_iam_policy_document" "kms" {\n  source_policy_documents = [data.aws_iam_policy_document.cloudtrail.json]\n  statement {\n    actions   = ["kms:*"]\n    resources = ["*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::${ACCOUNT}:root"]\n    }\n  }\n}\n\n${keyWith('  policy = data.aws_iam_policy_document.kms.json')}`,
    },
  },
  {
    name: 'join("", data.x[*].json) of a counted document',
    files: { 'main.tf': inForm('document', policyOf(ROOT, ENCRYPT, DESCRIBE)).files['main.tf'].replace('data "aws_iam_policy_document" "kms" {\n', 'data "aws_iam_policy_document" "kms" {\n  count = 1\n').replace('data.aws_iam_policy_document.kms.json', 'join("", data.aws_iam_policy_document.kms[*].json)') },
  },
  {
    name: 'templatefile() with the account as a variable',
    files: {
      'main.tf': keyWith('  policy = templatefile("${path.module}/policy.json.tpl", { account_id = "111122223333" })'),
      'policy.json.tpl': JSON.stringify(policyOf(ROOT, ENCRYPT, DESCRIBE), null, 2).replace(/111122223333/g, '${account_id}'),
    },
  },
  {
    name: 'an aws_kms_key_policy resource sets the policy',
    files: {
      'main.tf': `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\nresource "aws_kms_key_policy" "logs" {\n  key_id = aws_kms_key.logs.id\n  policy = jsonencode(${JSON.stringify(policyOf(ROOT, ENCRYPT, DESCRIBE))})\n}\n\n${TRAIL}`,
    },
  },
  { name: 'a policy file outside the workspace is not read (so not judged)', files: { 'main.tf': keyWith('  policy = file("/etc/kms/policy.json")') } },
  { name: 'a template with directives is not judged', files: { 'main.tf': keyWith('  policy = templatefile("${path.module}/policy.tpl", {})'), 'policy.tpl': '{"Version": "2012-10-17", "Statement": [%{ for s in [] }${s}%{ endfor }]}' } },
  { name: 'a JSON file that is not a policy', files: { 'package.json': '{ "name": "x", "Version": "1", "Statement": [] }\n' } },
];

const missingInEveryForm = ALL_FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ROOT, DESCRIBE));
  const fixed = inForm(form, policyOf(ROOT, DESCRIBE, ADDED_ENCRYPT));
  return {
    name: `${form}: no statement lets CloudTrail encrypt`,
    ...input,
    errors: [{ messageId: 'missing', line: policyLine(form, input) }],
    // CloudFormation writes the account as ${AWS::AccountId}; its output is checked in the YAML case.
    fixes: [{
      title: "Add CloudTrail's encrypt statement to the key policy",
      output: form === 'cloudformation' ? undefined : fixed.files,
      check: (files) => Object.entries(files).filter(([name]) => name.endsWith('.json')).forEach(([name, text]) => assert.ok(isJson(text), `${name} is JSON`)),
    }],
  };
});

const NO_POLICY_OUTPUT = `resource "aws_kms_key" "logs" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Enable IAM User Permissions"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"
        }
        Action   = "kms:*"
        Resource = "*"
      },
      {
        Sid    = "Allow CloudTrail to encrypt logs"
        Effect = "Allow"
        Principal = {
          Service = "cloudtrail.amazonaws.com"
        }
        Action   = "kms:GenerateDataKey*"
        Resource = "*"
        Condition = {
          StringLike = {
            "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:\${data.aws_caller_identity.current.account_id}:trail/*"
          }
        }
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
      {
        Sid    = "Allow principals in the account to decrypt log files"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"
        }
        Action = [
          "kms:Decrypt",
          "kms:ReEncryptFrom",
        ]
        Resource = "*"
        Condition = {
          Null = {
            "kms:EncryptionContext:aws:cloudtrail:arn" = "false"
          }
          StringEquals = {
            "kms:CallerAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

data "aws_caller_identity" "current" {}

resource "aws_kms_alias" "logs" {
  name          = "alias/logs"
  target_key_id = aws_kms_key.logs.key_id
}
`;

const NO_POLICY_YAML = `Resources:
  LogsKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      EnableLogFileValidation: true
      KMSKeyId: !GetAtt LogsKey.Arn
`;

const misspelled = inForm('jsonencode', policyOf(ROOT, { ...ENCRYPT, Action: 'kms:GenerateDataKeys' }, DESCRIBE));

ruleTests('CTK101', {
  valid,
  invalid: [
    ...missingInEveryForm,
    {
      name: 'no policy at all (through an alias): add a complete policy',
      files: { 'main.tf': 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\nresource "aws_kms_alias" "logs" {\n  name          = "alias/logs"\n  target_key_id = aws_kms_key.logs.key_id\n}\n', 'trail.tf': TRAIL.replace('aws_kms_key.logs.arn', 'aws_kms_alias.logs.arn') },
      errors: [{ messageId: 'noPolicy', line: 1, data: { key: 'aws_kms_key.logs', trail: 'aws_cloudtrail.main' } }],
      fixes: [{ title: "Add a key policy with CloudTrail's statements", output: { 'main.tf': NO_POLICY_OUTPUT } }],
    },
    {
      name: 'a Terraform replica key is judged by its own policy, like a primary key',
      files: { 'main.tf': 'resource "aws_kms_replica_key" "logs" {\n  primary_key_arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },\n    ]\n  })\n}\n\nresource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "logs"\n  kms_key_id     = aws_kms_replica_key.logs.arn\n}\n' },
      errors: [{ messageId: 'missing', line: 3, data: { key: 'aws_kms_replica_key.logs' } }],
    },
    {
      name: 'a CloudFormation ReplicaKey is judged by its own KeyPolicy',
      files: { 'template.yaml': 'Resources:\n  LogsReplica:\n    Type: AWS::KMS::ReplicaKey\n    Properties:\n      PrimaryKeyArn: arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Sid: Root\n            Effect: Allow\n            Principal:\n              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root\n            Action: kms:*\n            Resource: "*"\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n      KMSKeyId: !GetAtt LogsReplica.Arn\n' },
      errors: [{ messageId: 'missing', line: 6, data: { key: 'LogsReplica' } }],
    },
    {
      name: 'CloudFormation key without KeyPolicy',
      files: { 'template.yaml': NO_POLICY_YAML },
      errors: [{ messageId: 'noPolicy', line: 2 }],
      fixes: [{
        title: "Add a key policy with CloudTrail's statements",
        check: (files) => assert.match(files['template.yaml'], /      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Sid: Enable IAM User Permissions\n/),
      }],
    },
    {
      name: 'a misspelled action grants nothing',
      ...misspelled,
      errors: [{ messageId: 'misspelledAction', line: lineOf(misspelled.files['main.tf'], 'kms:GenerateDataKeys'), data: { action: 'kms:GenerateDataKeys' } }],
      fixes: [{ title: 'Change "kms:GenerateDataKeys" to "kms:GenerateDataKey"', output: { 'main.tf': misspelled.files['main.tf'].replace('kms:GenerateDataKeys', 'kms:GenerateDataKey') } }],
    },
    (() => {
      const c = inForm('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE, { Sid: 'NoServices', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } }));
      return { name: 'a Deny for every AWS service denies CloudTrail too', ...c, errors: [{ messageId: 'denied', line: statementLine('heredoc', c, 'NoServices') }], fixes: [] };
    })(),
    ...(['jsonencode', 'cloudformation', 'standalone'] as const).map((form) => {
      // "arn:logs:" typed for "arn:aws:": no AWS partition is called "logs", so no trail's ARN matches.
      const c = inForm(form, policyOf(ROOT, { ...ENCRYPT, Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:logs:cloudtrail:*:${ACCOUNT}:trail/*` } } }, DESCRIBE));
      return { name: `${form}: the encryption-context pattern names a partition that does not exist`, ...c, errors: [{ messageId: 'conditionsNeverMatch', line: statementLine(form, c, 'Encrypt') }] };
    }),
    (() => {
      const c = inForm('heredoc', policyOf(ROOT, { ...ENCRYPT, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws-gov:cloudtrail:*:${ACCOUNT}:trail/*` } } }, DESCRIBE));
      return { name: 'aws:SourceArn with a misspelled partition (aws-gov for aws-us-gov)', ...c, errors: [{ messageId: 'conditionsNeverMatch', line: statementLine('heredoc', c, 'Encrypt') }] };
    })(),
    (() => {
      const c = inForm('document', policyOf(ROOT, { ...ENCRYPT, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } }, DESCRIBE));
      return { name: 'conditions CloudTrail never meets', ...c, errors: [{ messageId: 'conditionsNeverMatch', line: statementLine('document', c, 'Encrypt') }] };
    })(),
    (() => {
      const c = inForm('cloudformation', policyOf(ROOT, { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } }));
      return { name: 'only {"AWS": "*"} statements, which do not name CloudTrail', ...c, errors: [{ messageId: 'notNamed', line: policyLine('cloudformation', c) }] };
    })(),
    {
      name: 'an aws_kms_key_policy whose policy lacks the grant, in another file',
      files: {
        'main.tf': `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\n${TRAIL}`,
        'policy.tf': `resource "aws_kms_key_policy" "logs" {\n  key_id = aws_kms_key.logs.id\n  policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = [${JSON.stringify(ROOT)}]\n  })\n}\n`,
      },
      file: 'policy.tf',
      errors: [{ messageId: 'missing', line: 3 }],
      fixes: [{ title: "Add CloudTrail's encrypt statement to the key policy", check: (files) => assert.match(files['policy.tf'], /Statement = \[\{.*\}, \{\n      Sid +\= "Allow CloudTrail to encrypt logs"/s) }],
    },
    {
      name: 'suppressed above the key',
      files: { 'main.tf': `# cloudtrail-kms-lint:ignore CTK101 policy is attached by the security account\nresource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\n${TRAIL}` },
      errors: [{ messageId: 'noPolicy', line: 2, suppressedBy: 'cloudtrail-kms-lint:ignore' }],
    },
  ],
});

describe('CTK101 forms', () => {
  it('covers every key form', () => assert.deepEqual(KEY_FORMS.filter((f) => !ALL_FORMS.includes(f)), []));
});
