/**
 * Rule cases in Terraform JSON (`*.tf.json`): every fix native syntax has is offered there too,
 * written as Terraform JSON in the file's own indentation; the rule tester checks that it
 * clears its finding and is not offered again, these cases what it writes.
 */
import * as assert from 'node:assert/strict';
import { ruleTests } from '../../support/ruleTester';

type Json = { [key: string]: unknown };

const tfJson = (value: unknown, indent: string | number = 2): string => `${JSON.stringify(value, null, indent)}\n`;

const trail = (extra: Json = {}): Json => ({ name: 'main', s3_bucket_name: 'main-trail-logs', kms_key_id: '${aws_kms_key.trail.arn}', enable_log_file_validation: true, ...extra });
const withKey = (key: Json, more: Json = {}): Json => ({ ...more, resource: { aws_kms_key: { trail: key }, aws_cloudtrail: { main: trail() } } });

const ROOT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const ENCRYPT = {
  Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
  Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } },
};
const DESCRIBE = { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' };
const ENCODED = '${jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Sid       = "Root"\n      Effect    = "Allow"\n      Principal = { AWS = "arn:aws:iam::111122223333:root" }\n      Action    = "kms:*"\n      Resource  = "*"\n    }]\n  })}';

const parsed = (text: string): Json => JSON.parse(text) as Json;
const path = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v as Json | undefined)?.[k], value);

ruleTests('CTK001', {
  valid: [
    { name: 'Terraform JSON: a key reference', files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true })) } },
  ],
  invalid: [
    {
      name: 'Terraform JSON: a trail without a key gets a key written as Terraform JSON',
      files: { 'main.tf.json': tfJson({ resource: { aws_cloudtrail: { audit: { name: 'audit', s3_bucket_name: 'audit-logs' } } } }) },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [{
        title: 'Create a KMS key for this trail',
        check: (files) => {
          const config = parsed(files['main.tf.json']);
          assert.equal(path(config, 'resource', 'aws_cloudtrail', 'audit', 'kms_key_id'), '${aws_kms_key.audit_logs.arn}');
          assert.deepEqual(path(config, 'resource', 'aws_kms_key', 'audit_logs'), {
            description: 'Encrypts the log files of aws_cloudtrail.audit', enable_key_rotation: true, deletion_window_in_days: 30,
            policy: '${jsonencode(local.audit_logs_key_policy)}',
          });
          assert.deepEqual(path(config, 'resource', 'aws_kms_alias', 'audit_logs'), { name: 'alias/audit-logs', target_key_id: '${aws_kms_key.audit_logs.key_id}' });
          assert.deepEqual(path(config, 'data'), { aws_caller_identity: { current: {} }, aws_partition: { current: {} } });
          const statements = path(config, 'locals', 'audit_logs_key_policy', 'Statement') as Json[];
          assert.deepEqual(statements.map((s) => s.Action), ['kms:*', 'kms:GenerateDataKey*', 'kms:DescribeKey', ['kms:Decrypt', 'kms:ReEncryptFrom']]);
          assert.equal(path(statements[0], 'Principal', 'AWS'), 'arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root');
          // Written in the file's own layout: two-space indentation, one property per line.
          assert.match(files['main.tf.json'], /\n {4}"aws_kms_key": \{\n {6}"audit_logs": \{\n {8}"description"/);
        },
      }],
    },
    {
      name: 'Terraform JSON: data sources the module declares in native syntax are reused, tabs kept',
      files: {
        'main.tf.json': tfJson({ resource: [{ aws_cloudtrail: { audit: { name: 'audit', s3_bucket_name: 'audit-logs' } } }] }, '\t'),
        'data.tf': 'data "aws_caller_identity" "this" {}\n\ndata "aws_partition" "this" {}\n',
      },
      errors: [{ messageId: 'missing', line: 5 }],
      fixes: [{
        title: 'Create a KMS key for this trail',
        check: (files) => {
          const text = files['main.tf.json'];
          assert.equal(path(parsed(text), 'data'), undefined);
          assert.match(text, /\$\{data\.aws_caller_identity\.this\.account_id\}/);
          assert.doesNotMatch(text, /^ +/m, 'indented with tabs only');
        },
      }],
    },
  ],
});

ruleTests('CTK101', {
  valid: [
    { name: 'Terraform JSON: a policy string with the encrypt statement', files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) })) } },
  ],
  invalid: [
    {
      name: 'Terraform JSON: the statement is added inside a policy held in one JSON string',
      files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, DESCRIBE] }) })) },
      errors: [{ messageId: 'missing', line: 6 }],
      fixes: [{
        title: "Add CloudTrail's encrypt statement to the key policy",
        check: (files) => {
          const policy = JSON.parse(String(path(parsed(files['main.tf.json']), 'resource', 'aws_kms_key', 'trail', 'policy'))) as Json;
          const statements = policy.Statement as Json[];
          assert.deepEqual(statements.slice(0, 2), [ROOT, DESCRIBE], 'the written statements are kept as they are');
          assert.equal(statements[2].Action, 'kms:GenerateDataKey*');
          assert.equal(path(statements[2], 'Condition', 'StringLike', 'kms:EncryptionContext:aws:cloudtrail:arn'), 'arn:aws:cloudtrail:*:111122223333:trail/*', "the policy's own account");
        },
      }],
    },
    {
      name: 'Terraform JSON: the statement is added to the HCL object of "${jsonencode({…})}" as the native fix writes it',
      files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: ENCODED.replace('"kms:*"', '"kms:*"') })) },
      errors: [{ messageId: 'missing', line: 6 }],
      fixes: [{
        title: "Add CloudTrail's encrypt statement to the key policy",
        check: (files) => {
          const policy = String(path(parsed(files['main.tf.json']), 'resource', 'aws_kms_key', 'trail', 'policy'));
          assert.ok(policy.startsWith(ENCODED.slice(0, ENCODED.indexOf('    }]'))), 'the written statement is kept');
          assert.match(policy, /\n {6}\}, \{\n {6}Sid {4}= "Allow CloudTrail to encrypt logs"\n/);
          assert.ok(policy.endsWith('    }]\n  })}'));
        },
      }],
    },
    {
      name: 'Terraform JSON: the statement is appended to an aws_iam_policy_document written in JSON',
      files: {
        'main.tf.json': tfJson({
          data: { aws_iam_policy_document: { trail_key: { statement: [{ sid: 'Root', actions: ['kms:*'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }] }] } } },
          ...withKey({ enable_key_rotation: true, policy: '${data.aws_iam_policy_document.trail_key.json}' }),
        }),
      },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [{
        title: "Add CloudTrail's encrypt statement to the key policy",
        check: (files) => {
          const statements = path(parsed(files['main.tf.json']), 'data', 'aws_iam_policy_document', 'trail_key', 'statement') as Json[];
          assert.deepEqual(statements[1], {
            sid: 'Allow CloudTrail to encrypt logs', effect: 'Allow', actions: ['kms:GenerateDataKey*'], resources: ['*'],
            principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
            condition: [{ test: 'StringLike', variable: 'kms:EncryptionContext:aws:cloudtrail:arn', values: ['arn:aws:cloudtrail:*:111122223333:trail/*'] }],
          });
        },
      }],
    },
    {
      name: 'Terraform JSON: a key without a policy gets one as a JSON object in locals',
      files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true }, { locals: { env: 'prod' } })) },
      errors: [{ messageId: 'noPolicy', line: 7 }],
      fixes: [{
        title: "Add a key policy with CloudTrail's statements",
        check: (files) => {
          const config = parsed(files['main.tf.json']);
          assert.equal(path(config, 'resource', 'aws_kms_key', 'trail', 'policy'), '${jsonencode(local.trail_key_policy)}');
          assert.equal(path(config, 'locals', 'env'), 'prod');
          assert.equal((path(config, 'locals', 'trail_key_policy', 'Statement') as Json[]).length, 4);
          assert.deepEqual(path(config, 'data'), { aws_caller_identity: { current: {} } });
        },
      }],
    },
  ],
});

ruleTests('CTK102', {
  valid: [
    { name: 'Terraform JSON: a scoped grant', files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) })) } },
  ],
  invalid: [
    {
      name: 'Terraform JSON: the condition is added to a policy written as a JSON object in locals',
      files: {
        'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: '${jsonencode(local.trail_key_policy)}' }, {
          locals: { trail_key_policy: { Version: '2012-10-17', Statement: [ROOT, { ...DESCRIBE, Sid: 'CloudTrail', Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'] }] } },
        })),
      },
      errors: [{ messageId: 'unscoped', line: 16 }],
      fixes: [{
        title: "Limit CloudTrail's grant to this account's trails",
        check: (files) => {
          const statement = (path(parsed(files['main.tf.json']), 'locals', 'trail_key_policy', 'Statement') as Json[])[1];
          assert.deepEqual(statement.Condition, { StringEquals: { 'aws:SourceAccount': '111122223333' } });
        },
      }],
    },
  ],
});

ruleTests('CTK103', {
  valid: [
    { name: 'Terraform JSON: DescribeKey granted', files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) })) } },
  ],
  invalid: [
    {
      name: 'Terraform JSON: DescribeKey is added to a policy written as a JSON object in locals',
      files: {
        'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: '${jsonencode(local.trail_key_policy)}' }, {
          locals: { trail_key_policy: { Version: '2012-10-17', Statement: [ROOT, ENCRYPT] } },
        }), 4),
      },
      errors: [{ messageId: 'missing', line: 36 }],
      fixes: [{
        title: "Add CloudTrail's DescribeKey statement to the key policy",
        check: (files) => {
          const text = files['main.tf.json'];
          const statements = path(parsed(text), 'locals', 'trail_key_policy', 'Statement') as Json[];
          assert.deepEqual(statements.map((s) => s.Action), ['kms:*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
          assert.match(text, /\n {20}"Sid": "Allow CloudTrail to describe key",\n/, 'at the depth of its siblings, four spaces a level');
        },
      }],
    },
  ],
});

ruleTests('CTK201', {
  valid: [
    { name: 'Terraform JSON: rotation on', files: { 'main.tf.json': tfJson(withKey({ enable_key_rotation: true, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) })) } },
  ],
  invalid: [
    {
      name: 'Terraform JSON: rotation is turned on where it is off',
      files: { 'main.tf.json': tfJson(withKey({ description: 'CloudTrail logs', enable_key_rotation: false, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) })) },
      errors: [{ messageId: 'disabled', line: 6 }],
      fixes: [{
        title: 'Enable automatic key rotation',
        check: (files) => assert.equal(files['main.tf.json'].replace('"enable_key_rotation": true', '"enable_key_rotation": false'), tfJson(withKey({ description: 'CloudTrail logs', enable_key_rotation: false, policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) }))),
      }],
    },
    {
      name: 'Terraform JSON: rotation is added where it is not set',
      files: { 'main.tf.json': tfJson(withKey({ description: 'CloudTrail logs', policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }) })) },
      errors: [{ messageId: 'missing', line: 4 }],
      fixes: [{
        title: 'Enable automatic key rotation',
        check: (files) => assert.deepEqual(path(parsed(files['main.tf.json']), 'resource', 'aws_kms_key', 'trail'), {
          description: 'CloudTrail logs', policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ENCRYPT, DESCRIBE] }), enable_key_rotation: true,
        }),
      }],
    },
  ],
});
