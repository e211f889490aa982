import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase } from '../../support/ruleTester';
import { memoryAnalyzer, memUri } from '../../support/engine';
import { ACCOUNT, ALL_FORMS, DESCRIBE, ENCRYPT, ROOT, UNSCOPED_ENCRYPT, inForm, isJson, keyWith, lineOf, policyOf, statementLine } from './keyPolicyCases';

const LOCALS = `locals {
  key_policy = jsonencode({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::${ACCOUNT}:root" }, Action: "kms:*", Resource: "*" },
      { Sid: "Open", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:GenerateDataKey*", Resource: "*" },
    ]
  })
}
`;

const SCOPED = { ...UNSCOPED_ENCRYPT, Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } };

const unscopedInEveryForm = ALL_FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ROOT, UNSCOPED_ENCRYPT, DESCRIBE));
  return {
    name: `${form}: CloudTrail's grant has no condition`,
    ...input,
    errors: [{ messageId: 'unscoped', line: statementLine(form, input, 'Encrypt') }],
    fixes: [{
      title: "Limit CloudTrail's grant to this account's trails",
      // CloudFormation names the account ${AWS::AccountId} (checked below); every other form reuses the policy's own account.
      output: form === 'cloudformation' ? undefined : inForm(form, policyOf(ROOT, SCOPED, DESCRIBE)).files,
      check: (files) => {
        for (const [name, text] of Object.entries(files)) if (name.endsWith('.json')) assert.ok(isJson(text), `${name} is JSON`);
        if (form === 'cloudformation') assert.match(files['template.json'], /"Condition": \{\n\s+"StringLike": \{\n\s+"kms:EncryptionContext:aws:cloudtrail:arn": \{"Fn::Sub": "arn:\$\{AWS::Partition\}:cloudtrail:\*:\$\{AWS::AccountId\}:trail\/\*"\}/);
      },
    }],
  };
});

const ACCOUNT_ONLY = { ...UNSCOPED_ENCRYPT, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } };

const withDescribe = inForm('jsonencode', policyOf(ROOT, { ...UNSCOPED_ENCRYPT, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'] }));

/**
 * A vendor module's shape: the caller's key goes into the module both as the trail's key and as
 * the key of the trail's notification topic, and one unconditioned statement serves both.
 */
const SHARED = { ...UNSCOPED_ENCRYPT, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] };
const callerWithKey = (policy: string): string =>
  `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n  policy = jsonencode(${policy})\n}\n\n` +
  'module "trail" {\n  source    = "./trail"\n  key_arn   = aws_kms_key.logs.arn\n  topic_key = aws_kms_key.logs.arn\n}\n';
const childTrail = (topicKey: string): string =>
  'variable "key_arn" {}\nvariable "topic_key" {\n  default = ""\n}\n\n' +
  `resource "aws_sns_topic" "notify" {\n  name              = "trail-notify"\n  kms_master_key_id = ${topicKey}\n}\n\n` +
  'resource "aws_cloudtrail" "this" {\n  name                       = "main"\n  s3_bucket_name             = "logs"\n  enable_log_file_validation = true\n  kms_key_id                 = var.key_arn\n  sns_topic_name             = aws_sns_topic.notify.arn\n}\n';
const sharedPolicy = JSON.stringify(policyOf(ROOT, SHARED, DESCRIBE), null, 2).replace(/\n/g, '\n  ');

ruleTests('CTK102', {
  valid: [
    ...ALL_FORMS.map((form) => ({ name: `${form}: scoped by the encryption context`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE)) })),
    { name: 'scoped by aws:SourceArn', ...inForm('heredoc', policyOf(ROOT, { ...UNSCOPED_ENCRYPT, Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } } }, DESCRIBE)) },
    { name: 'scoped by aws:SourceAccount and the encryption context', ...inForm('document', policyOf(ROOT, { ...UNSCOPED_ENCRYPT, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, StringLike: SCOPED.Condition.StringLike } }, DESCRIBE)) },
    { name: 'scoped by aws:SourceAccount and aws:SourceArn (AWS\'s recommended pair)', ...inForm('cloudformation', policyOf(ROOT, { ...UNSCOPED_ENCRYPT, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } } }, DESCRIBE)) },
    {
      name: 'a Deny unless aws:SourceAccount scopes every grant',
      ...inForm('jsonencode', policyOf(ROOT, UNSCOPED_ENCRYPT, DESCRIBE, { Sid: 'OnlyOurs', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } } })),
    },
    { name: 'no grant at all is CTK101\'s business', ...inForm('jsonencode', policyOf(ROOT, DESCRIBE)) },
    {
      name: 'the caller\'s key also encrypts the child module\'s trail topic: that publish grant is the topic\'s (AWS writes it without a condition)',
      files: { 'main.tf': callerWithKey(sharedPolicy), 'trail/main.tf': childTrail('var.topic_key') },
    },
  ],
  invalid: [
    ...unscopedInEveryForm,
    ...(['document', 'cloudformation', 'standalone'] as const).map((form): InvalidCase => {
      const input = inForm(form, policyOf(ROOT, ACCOUNT_ONLY, DESCRIBE));
      return {
        name: `${form}: scoped only by aws:SourceAccount (weaker, reported one severity lower)`,
        ...input,
        errors: [{ messageId: 'accountOnly', line: statementLine(form, input, 'Encrypt') }],
        fixes: [{ title: "Limit CloudTrail's grant to this account's trails", check: (files) => {
          const text = Object.values(files).join('\n');
          assert.match(text, /kms:EncryptionContext:aws:cloudtrail:arn/);
          assert.match(text, /aws:SourceAccount/);
        } }],
      };
    }),
    {
      name: 'the caller\'s key encrypts only the child module\'s trail, not its topic: the grant is the trail\'s and unscoped',
      files: { 'main.tf': callerWithKey(sharedPolicy), 'trail/main.tf': childTrail('""') },
      errors: [{ messageId: 'unscoped', line: lineOf(callerWithKey(sharedPolicy), '"Sid": "Encrypt"') }],
      fixes: [{ title: "Limit CloudTrail's grant to this account's trails" }],
    },
    {
      name: 'a one-line statement in a local of another file, with ":" object syntax',
      files: { 'main.tf': keyWith('  policy = local.key_policy'), 'locals.tf': LOCALS },
      file: 'locals.tf',
      errors: [{ messageId: 'unscoped', line: 6 }],
      fixes: [{
        title: "Limit CloudTrail's grant to this account's trails",
        output: { 'locals.tf': LOCALS.replace('Resource: "*" },\n    ]', `Resource: "*", Condition = {\n        StringLike = {\n          "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:${ACCOUNT}:trail/*"\n        }\n      } },\n    ]`) },
      }],
    },
    {
      name: 'a grant that also holds DescribeKey is scoped by account, which DescribeKey requests carry',
      ...withDescribe,
      errors: [{ messageId: 'unscoped', line: statementLine('jsonencode', withDescribe, 'Encrypt') }],
      fixes: [{
        title: "Limit CloudTrail's grant to this account's trails",
        output: inForm('jsonencode', policyOf(ROOT, { ...UNSCOPED_ENCRYPT, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })).files,
      }],
    },
  ],
});

describe('CTK102 severity', () => {
  it('says less loudly that aws:SourceAccount alone scopes weakly than that nothing scopes the grant', async () => {
    const accountOnly = (await memoryAnalyzer(inForm('jsonencode', policyOf(ROOT, ACCOUNT_ONLY, DESCRIBE)).files)).analyze(memUri('main.tf')).filter((f) => f.ruleId === 'CTK102');
    const unscoped = (await memoryAnalyzer(inForm('jsonencode', policyOf(ROOT, UNSCOPED_ENCRYPT, DESCRIBE)).files)).analyze(memUri('main.tf')).filter((f) => f.ruleId === 'CTK102');
    assert.deepEqual(accountOnly.map((f) => [f.messageId, f.severity]), [['accountOnly', 'information']]);
    assert.deepEqual(unscoped.map((f) => [f.messageId, f.severity]), [['unscoped', 'warning']]);
  });

  it('follows the configured severity one step down', async () => {
    const analyzer = await memoryAnalyzer(inForm('jsonencode', policyOf(ROOT, ACCOUNT_ONLY, DESCRIBE)).files, { rules: { CTK102: 'error' } });
    assert.deepEqual(analyzer.analyze(memUri('main.tf')).filter((f) => f.ruleId === 'CTK102').map((f) => f.severity), ['warning']);
  });
});
