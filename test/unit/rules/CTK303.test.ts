import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase, type ValidCase } from '../../support/ruleTester';
import { memoryAnalyzer, memUri } from '../../support/engine';
import { DESCRIBE, ENCRYPT, ROOT, TRAIL, policyLine, policyOf, statementLine } from './keyPolicyCases';
import { EDS, STORE, STORE_FORMS, TRAIL_GRANT, storeInForm, yamlStoreTemplate } from './eventDataStoreCases';

const SOURCE_ARN_EDS = { ...EDS, Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE' } } };
const SOURCE_ACCOUNT_EDS = { ...EDS, Condition: { StringEquals: { 'aws:sourceaccount': '111122223333' } } };

/** The store's key, jsonencode form, for literal fix outputs. */
const NO_POLICY_KEY = `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\n${STORE}`;

/** Both statements the "add" fix writes, in a CloudFormation JSON template (checked by value, not text). */
function hasStoreStatements(template: string, withDescribe: boolean): void {
  const statements = JSON.parse(template).Resources.LogsKey.Properties.KeyPolicy.Statement as { Sid: string; Condition?: unknown }[];
  const added = statements.find((s) => s.Sid === 'AllowCloudTrailEncryptEds' && s.Condition === undefined);
  assert.ok(added, 'the event data store statement, without a condition');
  assert.equal(statements.some((s) => s.Sid === 'Allow CloudTrail to describe key'), withDescribe, 'the DescribeKey statement');
}

const valid: ValidCase[] = [
  ...STORE_FORMS.map((form): ValidCase => ({ name: `${form}: AWS's statements for event data stores`, ...storeInForm(form, policyOf(ROOT, EDS, DESCRIBE)) })),
  { name: "the console's default policy for a store (no DescribeKey)", ...storeInForm('jsonencode', policyOf(ROOT, EDS)) },
  { name: 'kms:GenerateDataKey* and kms:Decrypt', ...storeInForm('document', policyOf(ROOT, { ...EDS, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })) },
  { name: 'kms:* for CloudTrail', ...storeInForm('cloudformation', policyOf(ROOT, { ...EDS, Action: 'kms:*' })) },
  { name: 'a condition on an undocumented encryption-context key is not judged', ...storeInForm('heredoc', policyOf(ROOT, { ...EDS, Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:eventdatastore/*' } } })) },
  { name: 'a key only a trail uses is not judged for stores', ...{ file: 'main.tf', files: { 'main.tf': `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n  policy = jsonencode(${JSON.stringify(policyOf(ROOT, ENCRYPT, DESCRIBE))})\n}\n\n${TRAIL}` } } },
  { name: 'a policy from an input without a default is not judged', files: { 'main.tf': `variable "policy" {}\n\nresource "aws_kms_key" "logs" {\n  policy = var.policy\n}\n\n${STORE}` } },
  { name: 'an RSA key is CTK302\'s, not judged here', files: { 'main.tf': `resource "aws_kms_key" "logs" {\n  customer_master_key_spec = "RSA_2048"\n}\n\n${STORE}` } },
  {
    name: 'the store reaches the key through an alias name',
    files: { 'main.tf': storeInForm('jsonencode', policyOf(ROOT, EDS)).files['main.tf'].replace('aws_kms_key.logs.arn', 'aws_kms_alias.logs.name') + '\nresource "aws_kms_alias" "logs" {\n  name          = "alias/lake"\n  target_key_id = aws_kms_key.logs.key_id\n}\n' },
  },
  { name: 'YAML template with AWS\'s statements', files: { 'template.yaml': yamlStoreTemplate('      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: [kms:GenerateDataKey, kms:Decrypt]\n            Resource: "*"\n') } },
];

const invalid: InvalidCase[] = [
  ...STORE_FORMS.map((form): InvalidCase => {
    const c = storeInForm(form, policyOf(ROOT, TRAIL_GRANT, DESCRIBE));
    return {
      name: `${form}: a trail's grant (GenerateDataKey*) lacks kms:Decrypt`, ...c,
      errors: [{ messageId: 'missing', line: policyLine(form, c), data: { actions: 'kms:Decrypt', store: 'cloudformation' === form ? 'Store' : 'aws_cloudtrail_event_data_store.main' } }],
      fixes: [{
        title: "Add CloudTrail's event data store statement to the key policy",
        // The policy has CloudTrail's DescribeKey already: only the store's statement is added.
        check: form === 'cloudformation' ? (files) => hasStoreStatements(files['template.json'], false) : undefined,
      }],
    };
  }),
  ...STORE_FORMS.map((form): InvalidCase => {
    const c = storeInForm(form, policyOf(ROOT, SOURCE_ARN_EDS, DESCRIBE));
    return {
      name: `${form}: the grant needs aws:SourceArn`, ...c,
      errors: [{ messageId: 'sourceCondition', line: statementLine(form, c, 'AllowCloudTrailEncryptEds'), data: { actions: 'kms:GenerateDataKey and kms:Decrypt', condition: 'StringEquals aws:SourceArn' } }],
      fixes: [{ title: "Add CloudTrail's event data store statement to the key policy" }],
    };
  }),
  (() => {
    const c = storeInForm('cloudformation', policyOf(ROOT, SOURCE_ACCOUNT_EDS));
    return {
      name: 'aws:SourceAccount in any letter case; no DescribeKey: the fix adds it too', ...c,
      errors: [{ messageId: 'sourceCondition', line: statementLine('cloudformation', c, 'AllowCloudTrailEncryptEds'), data: { condition: 'StringEquals aws:sourceaccount' } }],
      fixes: [{ title: "Add CloudTrail's event data store statement to the key policy", check: (files) => hasStoreStatements(files['template.json'], true) }],
    };
  })(),
  (() => {
    const c = storeInForm('jsonencode', policyOf(ROOT, EDS, DESCRIBE, { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }));
    return { name: 'a Deny on kms:Decrypt for CloudTrail', ...c, errors: [{ messageId: 'denied', line: statementLine('jsonencode', c, 'NoDecrypt'), data: { actions: 'kms:Decrypt' } }] };
  })(),
  (() => {
    const c = storeInForm('heredoc', policyOf(ROOT, { ...EDS, Action: ['kms:GenerateDataKey', 'kms=Decrypt'] }, DESCRIBE));
    return {
      name: 'a misspelled kms:Decrypt', ...c,
      errors: [{ messageId: 'misspelledAction', line: c.files['main.tf'].split('\n').findIndex((l) => l.includes('kms=Decrypt')) + 1, data: { action: 'kms=Decrypt', actions: 'kms:Decrypt' } }],
      fixes: [{ title: 'Change "kms=Decrypt" to "kms:Decrypt"' }],
    };
  })(),
  {
    name: 'no policy: KMS\'s default trusts only the account',
    files: { 'main.tf': NO_POLICY_KEY },
    errors: [{ messageId: 'noPolicy', line: 1, data: { key: 'aws_kms_key.logs', store: 'aws_cloudtrail_event_data_store.main' } }],
    fixes: [{ title: "Add a key policy with CloudTrail's event data store statements", output: { 'main.tf': `resource "aws_kms_key" "logs" {
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

data "aws_caller_identity" "current" {}

resource "aws_cloudtrail_event_data_store" "main" {
  name       = "management-events"
  kms_key_id = aws_kms_key.logs.arn
}
` } }],
  },
  {
    name: 'jsonencode: the trail grant alone; the fix writes AWS\'s statement and DescribeKey',
    ...storeInForm('jsonencode', policyOf(ROOT, TRAIL_GRANT)),
    errors: [{ messageId: 'missing', line: 3, data: { actions: 'kms:Decrypt' } }],
    fixes: [{ title: "Add CloudTrail's event data store statement to the key policy", output: { 'main.tf': `resource "aws_kms_key" "logs" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Root"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::111122223333:root"
        }
        Action   = "kms:*"
        Resource = "*"
      },
      {
        Sid    = "TrailGrant"
        Effect = "Allow"
        Principal = {
          Service = "cloudtrail.amazonaws.com"
        }
        Action   = "kms:GenerateDataKey*"
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

resource "aws_cloudtrail_event_data_store" "main" {
  name       = "management-events"
  kms_key_id = aws_kms_key.logs.arn
}
` } }],
  },
  {
    name: 'YAML: no KeyPolicy',
    files: { 'template.yaml': yamlStoreTemplate('      EnableKeyRotation: true\n') },
    errors: [{ messageId: 'noPolicy', line: 3 }],
    fixes: [{ title: "Add a key policy with CloudTrail's event data store statements" }],
  },
  {
    // The trail's encryption-context condition is not judged for the store (AWS does not document the store's context).
    name: 'a key shared by a trail and a store is judged for the store too',
    files: { 'main.tf': storeInForm('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE)).files['main.tf'] + `\n${TRAIL}` },
    errors: [{ messageId: 'missing', line: 3, data: { actions: 'kms:Decrypt' } }],
  },
];

ruleTests('CTK303', { valid, invalid });

describe('CTK303 beside the trail rules', () => {
  it('a key used only by a store gets no trail-rule finding; shared with a trail, the trail rules judge it as before', async () => {
    const storeOnly = storeInForm('jsonencode', policyOf(ROOT, EDS, DESCRIBE)).files;
    const only = (await memoryAnalyzer(storeOnly)).analyze(memUri('main.tf'));
    assert.deepEqual(only.map((f) => f.ruleId), [], 'a store key with AWS\'s statements has no finding (CTK102 would ask for aws:SourceArn)');
    const shared = { 'main.tf': `${storeOnly['main.tf']}\n${TRAIL}` };
    const trailAlone = { 'main.tf': storeOnly['main.tf'].replace(STORE, TRAIL) };
    const ids = async (files: Record<string, string>): Promise<string[]> => (await memoryAnalyzer(files)).analyze(memUri('main.tf')).map((f) => `${f.ruleId}/${f.messageId}`).sort();
    assert.deepEqual(await ids(shared), await ids(trailAlone), 'the trail rules say the same with or without the store');
    assert.ok((await ids(trailAlone)).includes('CTK102/unscoped'), 'and they do judge it');
  });
});

describe('hover on an event data store key', () => {
  it("shows no trail requirements on a key only a store uses, and still does on one a trail shares", async () => {
    const storeOnly = storeInForm('jsonencode', policyOf(ROOT, EDS, DESCRIBE)).files;
    const at = { line: 0, character: 12 };
    assert.equal((await memoryAnalyzer(storeOnly)).hover(memUri('main.tf'), at), undefined);
    const shared = { 'main.tf': `${storeOnly['main.tf']}\n${TRAIL}` };
    assert.match((await memoryAnalyzer(shared)).hover(memUri('main.tf'), at) ?? '', /aws_cloudtrail\.main/);
  });
});
