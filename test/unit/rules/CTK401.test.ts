/**
 * CTK401: the key of a trail's encrypted notification topic, in every syntax a key policy is
 * written in (jsonencode, heredoc, file(), aws_iam_policy_document, CloudFormation JSON and
 * YAML), with the fixes' output.
 */
import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase, type ValidCase } from '../../support/ruleTester';
import { memoryAnalyzer, memUri } from '../../support/engine';
import { cloudTrailTopicPublishStatement, type JsonObject, type JsonValue } from '../../../server/src/engine/policy';
import { renderHcl } from '../../../server/src/engine/edits/hclRender';
import { renderDocumentStatement } from '../../../server/src/engine/edits/policyRender';
import { DESCRIBE, ENCRYPT, ROOT, isJson, lineOf, policyOf } from './keyPolicyCases';

const PUBLISH = cloudTrailTopicPublishStatement();
const DECRYPT_ONLY: JsonObject = { Sid: 'DecryptOnly', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' };

/** A trail notifying `aws_sns_topic.alerts` (by name), whose key is `key`. */
const topicAndTrail = (key: string, topicSetting = 'aws_sns_topic.alerts.name'): string =>
  `resource "aws_sns_topic" "alerts" {\n  name              = "trail-alerts"\n  kms_master_key_id = ${key}\n}\n\n` +
  `resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "logs"\n  sns_topic_name = ${topicSetting}\n}\n`;

/** `aws_kms_key.topic` with the given `policy = …` text, encrypting the topic. */
const topicKeyWith = (policyAttribute: string, key = 'aws_kms_key.topic.id'): string =>
  `resource "aws_kms_key" "topic" {\n  enable_key_rotation = true\n${policyAttribute}\n}\n\n${topicAndTrail(key)}`;

type Form = 'jsonencode' | 'heredoc' | 'file' | 'document' | 'cloudformation-json';
const FORMS: Form[] = ['jsonencode', 'heredoc', 'file', 'document', 'cloudformation-json'];
const json = (value: JsonValue): string => JSON.stringify(value, null, 2);

function inForm(form: Form, policy: JsonObject): { files: Record<string, string>; file: string } {
  switch (form) {
    case 'jsonencode': return { file: 'main.tf', files: { 'main.tf': topicKeyWith(`  policy = jsonencode(${renderHcl(policy, '  ', '  ')})`) } };
    case 'heredoc': return { file: 'main.tf', files: { 'main.tf': topicKeyWith(`  policy = <<EOF\n${json(policy)}\nEOF`) } };
    case 'file': return { file: 'main.tf', files: { 'main.tf': topicKeyWith('  policy = file("${path.module}/topic-key.json")'), 'topic-key.json': `${json(policy)}\n` } };
    case 'document': {
      const statements = (policy.Statement as JsonObject[]).map((s) => `  ${renderDocumentStatement(s, '  ', '  ')}`).join('\n\n');
      return { file: 'main.tf', files: { 'main.tf': `data "aws_iam_policy_document" "topic" {\n${statements}\n}\n\n${topicKeyWith('  policy = data.aws_iam_policy_document.topic.json')}` } };
    }
    case 'cloudformation-json': {
      const template = {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          TopicKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: policy } },
          Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['TopicKey', 'Arn'] } } },
          Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: 'logs', IsLogging: true, SnsTopicName: { Ref: 'Topic' } } },
        },
      };
      return { file: 'template.json', files: { 'template.json': `${json(template)}\n` } };
    }
  }
}

/** Where a finding about the policy as a whole is shown. */
function policyLine(form: Form, text: string): number {
  if (form === 'document') return lineOf(text, 'data "aws_iam_policy_document" "topic"');
  if (form === 'cloudformation-json') return lineOf(text, '"KeyPolicy"');
  return lineOf(text, '  policy = ');
}

const YAML_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
const YAML_TRAIL = '  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n      SnsTopicName: !GetAtt Topic.TopicName\n';
const yamlTopic = (key: string): string => `  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: trail-alerts\n      KmsMasterKeyId: ${key}\n`;
const YAML_DECRYPT_ONLY_KEY = '  TopicKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n' +
  '          - Sid: Root\n            Effect: Allow\n            Principal:\n              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root\n            Action: kms:*\n            Resource: "*"\n' +
  '          - Sid: DecryptOnly\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: kms:Decrypt\n            Resource: "*"\n';
/** The publish statement as written by hand, and as the fixes render it (quoting what YAML could misread). */
const YAML_PUBLISH = '          - Sid: AllowCloudTrailToPublishToEncryptedTopic\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action:\n              - kms:GenerateDataKey*\n              - kms:Decrypt\n            Resource: "*"\n';
const YAML_PUBLISH_RENDERED = YAML_PUBLISH.replace('- kms:GenerateDataKey*', '- "kms:GenerateDataKey*"');

const valid: ValidCase[] = [
  ...FORMS.map((form): ValidCase => ({ name: `${form}: the topic key lets CloudTrail publish`, ...inForm(form, policyOf(ROOT, PUBLISH)) })),
  { name: 'an unencrypted topic is not this rule\'s concern', files: { 'main.tf': topicAndTrail('""') } },
  { name: 'a topic key from an input without a default is not judged', files: { 'main.tf': `variable "topic_key" {}\n\n${topicAndTrail('var.topic_key')}` } },
  { name: 'a literal key ARN of a key declared elsewhere is not judged', files: { 'main.tf': topicAndTrail('"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"') } },
  { name: 'a key with no policy in the files (declared elsewhere) is not judged', files: { 'main.tf': topicAndTrail('"alias/shared-notifications"') } },
  { name: 'a topic no trail notifies is not judged', files: { 'main.tf': topicAndTrail('"alias/aws/sns"', '"another-topic"') } },
  {
    name: 'a trail naming a topic of the module by its literal name, encrypted with a good key',
    files: { 'main.tf': topicKeyWith(`  policy = jsonencode(${renderHcl(policyOf(ROOT, PUBLISH), '  ', '  ')})`).replace('sns_topic_name = aws_sns_topic.alerts.name', 'sns_topic_name = "trail-alerts"') },
  },
  { name: 'CloudFormation YAML: the key grants both actions', files: { 'template.yaml': YAML_HEAD + YAML_DECRYPT_ONLY_KEY + YAML_PUBLISH + yamlTopic('!Ref TopicKey') + YAML_TRAIL } },
  {
    name: 'the trail key itself is judged by CTK101-CTK105, not by this rule, when no topic uses it',
    files: { 'main.tf': `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n  policy = jsonencode(${renderHcl(policyOf(ROOT, ENCRYPT), '  ', '  ')})\n}\n\nresource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "logs"\n  kms_key_id     = aws_kms_key.logs.arn\n}\n` },
  },
];

const missingInEveryForm = FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ROOT));
  const fixed = inForm(form, policyOf(ROOT, PUBLISH));
  return {
    name: `${form}: the topic key trusts only the account`,
    ...input,
    errors: [{ messageId: 'missing', line: policyLine(form, input.files[input.file]), data: { actions: 'kms:GenerateDataKey* and kms:Decrypt', topic: form === 'cloudformation-json' ? 'Topic' : 'aws_sns_topic.alerts' } }],
    fixes: [{
      title: "Add CloudTrail's publish statement to the topic key's policy",
      output: fixed.files,
      check: (files) => Object.entries(files).filter(([name]) => name.endsWith('.json')).forEach(([name, text]) => assert.ok(isJson(text), `${name} is JSON`)),
    }],
  };
});

const AWS_MANAGED_TF = topicAndTrail('"alias/aws/sns"');
const AWS_MANAGED_TF_FIXED = `resource "aws_sns_topic" "alerts" {
  name              = "trail-alerts"
  kms_master_key_id = aws_kms_key.alerts_notifications.arn
}

resource "aws_kms_key" "alerts_notifications" {
  description             = "Encrypts the CloudTrail notifications of aws_sns_topic.alerts"
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
        Sid    = "AllowCloudTrailToPublishToEncryptedTopic"
        Effect = "Allow"
        Principal = {
          Service = "cloudtrail.amazonaws.com"
        }
        Action = [
          "kms:GenerateDataKey*",
          "kms:Decrypt",
        ]
        Resource = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "alerts_notifications" {
  name          = "alias/alerts-notifications"
  target_key_id = aws_kms_key.alerts_notifications.key_id
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "logs"
  sns_topic_name = aws_sns_topic.alerts.name
}
`;

const NO_POLICY_TF = `resource "aws_kms_key" "topic" {\n  enable_key_rotation = true\n}\n\n${topicAndTrail('aws_kms_key.topic.arn')}`;
const NO_POLICY_TF_FIXED = `resource "aws_kms_key" "topic" {
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
        Sid    = "AllowCloudTrailToPublishToEncryptedTopic"
        Effect = "Allow"
        Principal = {
          Service = "cloudtrail.amazonaws.com"
        }
        Action = [
          "kms:GenerateDataKey*",
          "kms:Decrypt",
        ]
        Resource = "*"
      },
    ]
  })
}

data "aws_caller_identity" "current" {}

${topicAndTrail('aws_kms_key.topic.arn')}`;

const AWS_MANAGED_YAML = YAML_HEAD + yamlTopic('alias/aws/sns') + YAML_TRAIL;
const AWS_MANAGED_YAML_FIXED = YAML_HEAD + yamlTopic('!GetAtt TopicNotificationsKey.Arn') +
  '  TopicNotificationsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: Encrypts the CloudTrail notifications of Topic\n      EnableKeyRotation: true\n      PendingWindowInDays: 30\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n' +
  '          - Sid: Enable IAM User Permissions\n            Effect: Allow\n            Principal:\n              AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"\n            Action: "kms:*"\n            Resource: "*"\n' +
  YAML_PUBLISH_RENDERED +
  '  TopicNotificationsKeyAlias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/topic-notifications\n      TargetKeyId: !Ref TopicNotificationsKey\n' +
  YAML_TRAIL;

const aliasOf = (name: string): string => `resource "aws_kms_alias" "topic" {\n  name          = "${name}"\n  target_key_id = aws_kms_key.topic.key_id\n}\n`;

const MISSPELLED = inForm('heredoc', policyOf(ROOT, { ...PUBLISH, Action: ['kms:GenerateDataKey*', 'kms:Decrpyt'] }));
const DENIED = inForm('heredoc', policyOf(ROOT, PUBLISH, { Sid: 'NoCloudTrail', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:*', Resource: '*' }));
const LOG_FILE_CONTEXT = inForm('heredoc', policyOf(ROOT, { ...ENCRYPT, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] }));

/** The caller's key passed into a local module as its trail's key and its topic's key. */
const CALLER_KEY_POLICY = JSON.stringify(policyOf(ROOT, { ...ENCRYPT, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] }, DESCRIBE), null, 2).replace(/\n/g, '\n  ');
const CALLER = `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n  policy = jsonencode(${CALLER_KEY_POLICY})\n}\n\n` +
  'module "trail" {\n  source    = "./trail"\n  key_arn   = aws_kms_key.logs.arn\n  topic_key = aws_kms_key.logs.arn\n}\n';
const CHILD_TRAIL = 'variable "key_arn" {}\nvariable "topic_key" {}\n\n' +
  'resource "aws_sns_topic" "notify" {\n  name              = "trail-notify"\n  kms_master_key_id = var.topic_key\n}\n\n' +
  'resource "aws_cloudtrail" "this" {\n  name           = "main"\n  s3_bucket_name = "logs"\n  kms_key_id     = var.key_arn\n  sns_topic_name = aws_sns_topic.notify.arn\n}\n';

const invalid: InvalidCase[] = [
  ...missingInEveryForm,
  {
    name: 'the topic uses alias/aws/sns (Terraform): create a key for it',
    files: { 'main.tf': AWS_MANAGED_TF },
    errors: [{ messageId: 'awsManaged', line: 3, data: { topic: 'aws_sns_topic.alerts', trail: 'aws_cloudtrail.main', key: 'alias/aws/sns' } }],
    fixes: [{ title: 'Create a KMS key for this topic', output: { 'main.tf': AWS_MANAGED_TF_FIXED } }],
  },
  {
    name: 'Terraform JSON: the topic uses alias/aws/sns (creating a key is offered in native syntax only)',
    files: {
      'main.tf.json': `${JSON.stringify({ resource: {
        aws_sns_topic: { alerts: { name: 'trail-alerts', kms_master_key_id: 'alias/aws/sns' } },
        aws_cloudtrail: { main: { name: 'main', s3_bucket_name: 'logs', sns_topic_name: '\${aws_sns_topic.alerts.name}' } },
      } }, null, 2)}\n`,
    },
    errors: [{ messageId: 'awsManaged', line: 6, data: { topic: 'aws_sns_topic.alerts', trail: 'aws_cloudtrail.main' } }],
    fixes: [],
  },
  {
    name: 'the topic uses the alias ARN of alias/aws/sns',
    files: { 'main.tf': topicAndTrail('"arn:aws:kms:eu-west-1:111122223333:alias/aws/sns"') },
    errors: [{ messageId: 'awsManaged', line: 3, data: { key: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/sns' } }],
  },
  {
    name: 'the topic uses alias/aws/sns (CloudFormation YAML): create a key for it',
    files: { 'template.yaml': AWS_MANAGED_YAML },
    errors: [{ messageId: 'awsManaged', line: 7, data: { topic: 'Topic', trail: 'Trail' } }],
    fixes: [{ title: 'Create a KMS key for this topic', output: { 'template.yaml': AWS_MANAGED_YAML_FIXED } }],
  },
  {
    name: 'a trail naming the topic by its ARN, and a topic key with no policy',
    files: { 'main.tf': NO_POLICY_TF.replace('sns_topic_name = aws_sns_topic.alerts.name', 'sns_topic_name = aws_sns_topic.alerts.arn') },
    errors: [{ messageId: 'noPolicy', line: 1, data: { key: 'aws_kms_key.topic', topic: 'aws_sns_topic.alerts' } }],
  },
  {
    name: 'a topic key with no policy: add one with the publish statement',
    files: { 'main.tf': NO_POLICY_TF },
    errors: [{ messageId: 'noPolicy', line: 1 }],
    fixes: [{ title: "Add a key policy with CloudTrail's publish statement", output: { 'main.tf': NO_POLICY_TF_FIXED } }],
  },
  {
    name: 'CloudFormation YAML: Decrypt only, key by !GetAtt, topic by !Ref',
    files: { 'template.yaml': YAML_HEAD + YAML_DECRYPT_ONLY_KEY + yamlTopic('!GetAtt TopicKey.Arn') + YAML_TRAIL.replace('!GetAtt Topic.TopicName', '!Ref Topic') },
    errors: [{ messageId: 'missing', line: lineOf(YAML_DECRYPT_ONLY_KEY, 'KeyPolicy:') + 2, data: { actions: 'kms:GenerateDataKey*', key: 'TopicKey', topic: 'Topic', trail: 'Trail' } }],
    fixes: [{
      title: "Add CloudTrail's publish statement to the topic key's policy",
      output: { 'template.yaml': YAML_HEAD + YAML_DECRYPT_ONLY_KEY + YAML_PUBLISH_RENDERED + yamlTopic('!GetAtt TopicKey.Arn') + YAML_TRAIL.replace('!GetAtt Topic.TopicName', '!Ref Topic') },
    }],
  },
  {
    name: 'the topic names its key by an alias declared in the module (literal alias name)',
    files: { 'main.tf': `${topicKeyWith(`  policy = jsonencode(${renderHcl(policyOf(ROOT, DECRYPT_ONLY), '  ', '  ')})`, '"alias/trail-alerts"')}\n${aliasOf('alias/trail-alerts')}` },
    errors: [{ messageId: 'missing', line: 3, data: { actions: 'kms:GenerateDataKey*' } }],
  },
  {
    name: 'the topic names its key through an alias resource',
    files: { 'main.tf': `${topicKeyWith(`  policy = jsonencode(${renderHcl(policyOf(ROOT, DECRYPT_ONLY), '  ', '  ')})`, 'aws_kms_alias.topic.arn')}\n${aliasOf('alias/trail-alerts')}` },
    errors: [{ messageId: 'missing', line: 3 }],
  },
  {
    name: 'a misspelled action',
    ...MISSPELLED,
    errors: [{ messageId: 'misspelledAction', line: lineOf(MISSPELLED.files['main.tf'], '"kms:Decrpyt"'), data: { action: 'kms:Decrpyt', actions: 'kms:Decrypt' } }],
    fixes: [{ title: 'Change "kms:Decrpyt" to "kms:Decrypt"', output: inForm('heredoc', policyOf(ROOT, PUBLISH)).files }],
  },
  {
    name: 'an explicit Deny',
    ...DENIED,
    errors: [{ messageId: 'denied', line: lineOf(DENIED.files['main.tf'], '"Sid": "NoCloudTrail"'), data: { actions: 'kms:GenerateDataKey* and kms:Decrypt' } }],
    fixes: [],
  },
  {
    name: "the trail key's encrypt statement reused for the topic: its encryption-context condition never matches SNS's requests",
    ...LOG_FILE_CONTEXT,
    errors: [{ messageId: 'conditionsNeverMatch', line: lineOf(LOG_FILE_CONTEXT.files['main.tf'], '"Sid": "Encrypt"'), data: { actions: 'kms:GenerateDataKey* and kms:Decrypt' } }],
    fixes: [{ title: "Add CloudTrail's publish statement to the topic key's policy" }],
  },
  {
    name: 'the caller\'s key encrypts the topic of a trail inside a local module: judged in the caller, naming the module\'s topic',
    files: { 'main.tf': CALLER, 'trail/main.tf': CHILD_TRAIL },
    errors: [{ messageId: 'conditionsNeverMatch', line: lineOf(CALLER, '"Sid": "Encrypt"'), data: { topic: 'module.trail.aws_sns_topic.notify', trail: 'module.trail.aws_cloudtrail.this' } }],
    fixes: [{ title: "Add CloudTrail's publish statement to the topic key's policy" }],
  },
  {
    name: 'suppressed on the topic',
    files: { 'main.tf': `# cloudtrail-kms-lint:ignore CTK401 notifications are not consumed\n${AWS_MANAGED_TF}` },
    errors: [{ messageId: 'awsManaged', line: 4, suppressedBy: 'cloudtrail-kms-lint:ignore' }],
  },
  {
    name: "suppressed by Trivy's AVD-AWS-0136 on the topic",
    files: { 'main.tf': `#trivy:ignore:AVD-AWS-0136\n${AWS_MANAGED_TF}` },
    errors: [{ messageId: 'awsManaged', line: 4, suppressedBy: 'trivy:ignore:AVD-AWS-0136' }],
  },
];

ruleTests('CTK401', { valid, invalid });

describe('CTK401 findings', () => {
  it('point along trail → topic → alias → key', async () => {
    const text = `${topicKeyWith(`  policy = jsonencode(${renderHcl(policyOf(ROOT), '  ', '  ')})`, 'aws_kms_alias.topic.arn')}\n${aliasOf('alias/trail-alerts')}`;
    const analyzer = await memoryAnalyzer({ 'main.tf': text });
    const [finding] = analyzer.analyze(memUri('main.tf')).filter((f) => f.ruleId === 'CTK401');
    assert.deepEqual(finding.relatedInformation.map((r) => [r.message, r.location.range.start.line + 1]), [
      ['aws_cloudtrail.main sends its notifications to aws_sns_topic.alerts', lineOf(text, 'resource "aws_cloudtrail" "main"')],
      ['aws_sns_topic.alerts is encrypted with aws_kms_alias.topic', lineOf(text, 'resource "aws_sns_topic" "alerts"')],
      ['aws_kms_alias.topic points at aws_kms_key.topic', lineOf(text, 'resource "aws_kms_alias" "topic"')],
    ]);
    assert.equal(finding.severity, 'warning');
  });

  it('a key used only for a topic gets no trail-key finding; on a key used for both, CTK102 leaves the publish grant alone', async () => {
    const policy = renderHcl(policyOf(ROOT, PUBLISH), '  ', '  ');
    const onlyTopic = await memoryAnalyzer({ 'main.tf': topicKeyWith(`  policy = jsonencode(${policy})`) });
    assert.deepEqual(onlyTopic.analyze(memUri('main.tf')).map((f) => f.ruleId).filter((id) => id.startsWith('CTK1') || id === 'CTK401'), []);
    const both = await memoryAnalyzer({ 'main.tf': topicKeyWith(`  policy = jsonencode(${policy})`).replace('s3_bucket_name = "logs"', 's3_bucket_name = "logs"\n  kms_key_id     = aws_kms_key.topic.arn') });
    const rules = new Set(both.analyze(memUri('main.tf')).map((f) => f.ruleId));
    // AWS's publish statement is unconditioned, and a log-file encryption-context condition would stop the notifications.
    assert.ok(rules.has('CTK103') && !rules.has('CTK102') && !rules.has('CTK401'), [...rules].join(' '));
  });

  it('a key a trail, an event data store and the topic all use is judged by each rule set for its own use', async () => {
    const shared = (policy: JsonObject): string => topicKeyWith(`  policy = jsonencode(${renderHcl(policy, '  ', '  ')})`)
      .replace('s3_bucket_name = "logs"', 's3_bucket_name = "logs"\n  kms_key_id     = aws_kms_key.topic.arn') +
      '\nresource "aws_cloudtrail_event_data_store" "main" {\n  name       = "management-events"\n  kms_key_id = aws_kms_key.topic.arn\n}\n';
    // The trail's statements only: its encrypt grant is conditioned on the log files' encryption
    // context and gives no Decrypt, so neither the store nor the topic's notifications can use the key.
    const trailOnly = shared(policyOf(ROOT, ENCRYPT, DESCRIBE));
    const findings = (await memoryAnalyzer({ 'main.tf': trailOnly })).analyze(memUri('main.tf'));
    const byRule = (id: string) => findings.filter((f) => f.ruleId === id);
    assert.deepEqual(findings.filter((f) => /^CTK1/.test(f.ruleId)).map((f) => f.ruleId), []);
    assert.deepEqual(byRule('CTK303').map((f) => f.messageId), ['missing']);
    // For the topic the trail's grant is one whose conditions SNS's requests never meet, and Decrypt is missing.
    assert.deepEqual(byRule('CTK401').map((f) => f.messageId).sort(), ['conditionsNeverMatch', 'missing']);
    assert.ok(byRule('CTK303')[0].relatedInformation.some((r) => r.message === 'aws_cloudtrail_event_data_store.main encrypts its events with aws_kms_key.topic'));
    assert.ok(byRule('CTK401')[0].relatedInformation.some((r) => r.message === 'aws_cloudtrail.main sends its notifications to aws_sns_topic.alerts'));
    // With AWS's publish statement added, CloudTrail may also GenerateDataKey and Decrypt unconditioned:
    // the store and the topic are served, and the trail rules leave that grant alone.
    const all = shared(policyOf(ROOT, ENCRYPT, DESCRIBE, PUBLISH));
    const after = (await memoryAnalyzer({ 'main.tf': all })).analyze(memUri('main.tf'));
    assert.deepEqual(after.filter((f) => /^CTK(1|3|401)/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.messageId}`), []);
  });
});

/** A Terraform plan (`terraform show -json`) of these resources, created by this apply; `unknown` values are known after apply. */
function planOf(resources: { type: string; name: string; values: Record<string, unknown>; unknown?: Record<string, string[]> }[]): string {
  const provider = 'registry.terraform.io/hashicorp/aws';
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: { resources: resources.map((r) => ({ address: `${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, provider_name: provider, schema_version: 0, values: r.values, sensitive_values: {} })) } },
    resource_changes: resources.map((r) => ({
      address: `${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, provider_name: provider,
      change: { actions: ['create'], before: null, after: r.values, after_unknown: Object.fromEntries(Object.keys(r.unknown ?? {}).map((k) => [k, true])), before_sensitive: false, after_sensitive: {} },
    })),
    configuration: {
      root_module: {
        resources: resources.map((r) => ({
          address: `${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, provider_config_key: 'aws', schema_version: 0,
          expressions: Object.fromEntries(Object.entries(r.unknown ?? {}).map(([k, references]) => [k, { references }])),
        })),
      },
    },
  };
  return `${JSON.stringify(plan, null, 2)}\n`;
}

const PLANNED_TRAIL = { type: 'aws_cloudtrail', name: 'main', values: { name: 'main', s3_bucket_name: 'logs', sns_topic_name: 'trail-alerts', enable_log_file_validation: true } };
const plannedTopic = (key: Record<string, unknown>, unknown?: Record<string, string[]>) => ({ type: 'aws_sns_topic', name: 'alerts', values: { name: 'trail-alerts', ...key }, unknown });
const plannedKey = (policy: JsonObject) => ({ type: 'aws_kms_key', name: 'topic', values: { enable_key_rotation: true, policy: JSON.stringify(policy) } });
const PLAN_ACCOUNT_ONLY = planOf([plannedKey(policyOf(ROOT)), plannedTopic({}, { kms_master_key_id: ['aws_kms_key.topic.id', 'aws_kms_key.topic'] }), PLANNED_TRAIL]);
const PLAN_AWS_MANAGED = planOf([plannedTopic({ kms_master_key_id: 'alias/aws/sns' }), PLANNED_TRAIL]);

ruleTests('CTK401', {
  valid: [{ name: 'Terraform plan: the topic key lets CloudTrail publish', files: { 'plan.json': planOf([plannedKey(policyOf(ROOT, PUBLISH)), plannedTopic({}, { kms_master_key_id: ['aws_kms_key.topic.arn', 'aws_kms_key.topic'] }), PLANNED_TRAIL]) } }],
  invalid: [
    {
      name: 'Terraform plan: the topic key (known after apply, linked by the configuration) trusts only the account',
      files: { 'plan.json': PLAN_ACCOUNT_ONLY },
      errors: [{ messageId: 'missing', line: lineOf(PLAN_ACCOUNT_ONLY, '"policy"'), data: { topic: 'aws_sns_topic.alerts', trail: 'aws_cloudtrail.main' } }],
      fixes: [],
    },
    {
      name: 'Terraform plan: the topic uses alias/aws/sns',
      files: { 'plan.json': PLAN_AWS_MANAGED },
      errors: [{ messageId: 'awsManaged', line: lineOf(PLAN_AWS_MANAGED, '"kms_master_key_id"') }],
      fixes: [],
    },
  ],
});
