import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase } from '../../support/ruleTester';
import { cloudTrailDescribeStatement } from '../../../server/src/engine/policy';
import type { JsonObject } from '../../../server/src/engine/policy';
import { ACCOUNT, ALL_FORMS, DESCRIBE, ENCRYPT, ROOT, inForm, isJson, keyWith, lineOf, policyLine, policyOf, statementLine } from './keyPolicyCases';

const ADDED_DESCRIBE = cloudTrailDescribeStatement({ partition: 'aws', accountId: ACCOUNT });
const TRAPPED = { ...ENCRYPT, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'] };

/** A policy as a template: the account is the template variable `${account_id}`. */
const TEMPLATE = (policy: JsonObject): string => `${JSON.stringify(policy, null, 2).replace(new RegExp(ACCOUNT, 'g'), '${account_id}')}\n`;

const HEREDOC = keyWith(`  policy = <<-POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Root",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:\${data.aws_partition.current.partition}:iam::\${data.aws_caller_identity.current.account_id}:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Encrypt",
      "Effect": "Allow",
      "Principal": { "Service": ["cloudtrail.amazonaws.com", "lambda.amazonaws.com"] },
      "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": { "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:\${data.aws_caller_identity.current.account_id}:trail/*" } }
    }
  ]
}
  POLICY`);

const DYNAMIC = `variable "audit_account" {
  default = null
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "CloudTrail"
    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:aws:cloudtrail:*:\${var.account_id}:trail/*"]
    }
  }

  dynamic "statement" {
    for_each = var.extra_statements
    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = ["*"]
    }
  }
}

${keyWith('  policy = data.aws_iam_policy_document.kms.json')}`;

const IF_TEMPLATE = `Parameters:
  Describe:
    Type: String
    Default: "no"
Conditions:
  AllowDescribe: !Equals [!Ref Describe, "yes"]
Resources:
  LogsKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: kms:GenerateDataKey*
            Resource: "*"
            Condition:
              StringLike:
                kms:EncryptionContext:aws:cloudtrail:arn: !Sub arn:aws:cloudtrail:*:\${AWS::AccountId}:trail/*
          - !If
            - AllowDescribe
            - Effect: Allow
              Principal:
                Service: cloudtrail.amazonaws.com
              Action: kms:DescribeKey
              Resource: "*"
            - !Ref AWS::NoValue
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      EnableLogFileValidation: true
      KMSKeyId: !GetAtt LogsKey.Arn
`;

const jsonFilesParse = (files: Record<string, string>): void => {
  for (const [name, text] of Object.entries(files)) if (name.endsWith('.json')) assert.ok(isJson(text), `${name} is JSON`);
};

const missingInEveryForm = ALL_FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ROOT, ENCRYPT));
  return {
    name: `${form}: no DescribeKey for CloudTrail`,
    ...input,
    errors: [{ messageId: 'missing', line: policyLine(form, input) }],
    fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy", output: inForm(form, policyOf(ROOT, ENCRYPT, ADDED_DESCRIBE)).files, check: jsonFilesParse }],
  };
});

const trappedInEveryForm = ALL_FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ROOT, TRAPPED));
  return {
    name: `${form}: DescribeKey only under the encryption-context condition`,
    ...input,
    errors: [{ messageId: 'onlyUnderEncryptionContext', line: statementLine(form, input, 'Encrypt') }],
    fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy", output: inForm(form, policyOf(ROOT, TRAPPED, ADDED_DESCRIBE)).files, check: jsonFilesParse }],
  };
});

ruleTests('CTK103', {
  valid: [
    ...ALL_FORMS.map((form) => ({ name: `${form}: DescribeKey in its own statement`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE)) })),
    { name: 'DescribeKey under aws:SourceArn, which its requests carry', ...inForm('heredoc', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } } })) },
    { name: 'kms:Describe* covers it', ...inForm('document', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: 'kms:Describe*' })) },
  ],
  invalid: [
    ...missingInEveryForm,
    {
      name: 'templatefile(): shown at policy =, fixed in the template with its own account variable',
      files: {
        'main.tf': keyWith('  policy = templatefile("${path.module}/policy.json.tpl", { account_id = data.aws_caller_identity.current.account_id })'),
        'policy.json.tpl': TEMPLATE(policyOf(ROOT, TRAPPED)),
      },
      errors: [{ messageId: 'onlyUnderEncryptionContext', line: 3 }],
      fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy", output: { 'policy.json.tpl': TEMPLATE(policyOf(ROOT, TRAPPED, ADDED_DESCRIBE)) } }],
    },
    {
      name: 'data "template_file" over file() (the template_file provider)',
      files: {
        'main.tf': keyWith('  policy = data.template_file.policy.rendered'),
        'policy.tf': 'data "template_file" "policy" {\n  template = file("${path.module}/policies/key.json")\n  vars = {\n    account_id = var.account_id\n  }\n}\n',
        'policies/key.json': TEMPLATE(policyOf(ROOT, TRAPPED)),
      },
      errors: [{ messageId: 'onlyUnderEncryptionContext', line: 3 }],
      fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy", output: { 'policies/key.json': TEMPLATE(policyOf(ROOT, TRAPPED, ADDED_DESCRIBE)) } }],
    },
    {
      name: 'a JSON heredoc with interpolations: shown on the statement itself',
      files: { 'main.tf': HEREDOC },
      errors: [{ messageId: 'onlyUnderEncryptionContext', line: lineOf(HEREDOC, '"Sid": "Encrypt"') }],
      fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy", check: (files) => assert.match(files['main.tf'], /    },\n    \{\n      "Sid": "Allow CloudTrail to describe key",\n/) }],
    },
    {
      name: 'a dynamic statement block is read from its content',
      files: { 'main.tf': DYNAMIC },
      errors: [{ messageId: 'onlyUnderEncryptionContext', line: lineOf(DYNAMIC, 'statement {', 1) }],
    },
    {
      name: 'CloudFormation: DescribeKey only under an !If whose default removes it',
      files: { 'template.yaml': IF_TEMPLATE },
      errors: [{ messageId: 'missing', line: lineOf(IF_TEMPLATE, 'KeyPolicy:') }],
      fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy", check: (files) => assert.match(files['template.yaml'], /          - !Ref AWS::NoValue\n          - Sid: Allow CloudTrail to describe key\n/) }],
    },
    (() => {
      const c = inForm('heredoc', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } }));
      return { name: 'conditions a DescribeKey request never meets', ...c, errors: [{ messageId: 'conditionsNeverMatch', line: statementLine('heredoc', c, 'Describe') }] };
    })(),
    ...trappedInEveryForm,
    (() => {
      const c = inForm('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE, { Sid: 'NoDescribe', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' }));
      return { name: 'a Deny wins over the grant', ...c, errors: [{ messageId: 'denied', line: statementLine('jsonencode', c, 'NoDescribe') }] };
    })(),
    (() => {
      const c = inForm('heredoc', policyOf(ROOT, ENCRYPT, { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:DescribeKey', Resource: '*' }));
      return { name: 'only {"AWS": "*"} may describe', ...c, errors: [{ messageId: 'notNamed', line: policyLine('heredoc', c) }], fixes: [{ title: "Add CloudTrail's DescribeKey statement to the key policy" }] };
    })(),
  ],
});
