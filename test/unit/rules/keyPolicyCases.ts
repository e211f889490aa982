/**
 * Shared fixtures for the key-policy rule tests (CTK101–CTK106, CTK201): one policy written in
 * every form the engine reads, so each rule is checked in each syntax with the same statements.
 *
 * Forms: `jsonencode({…})`, a JSON heredoc, `file("policy.json")`, `aws_iam_policy_document`,
 * a standalone key-policy `.json` file, and a CloudFormation JSON template. Inputs are built
 * with the engine's renderers (so they look like what people write); expected fix outputs in
 * the rule tests are literal text.
 */
import type { JsonObject, JsonValue } from '../../../server/src/engine/policy';
import { renderHcl } from '../../../server/src/engine/edits/hclRender';
import { renderDocumentStatement } from '../../../server/src/engine/edits/policyRender';

export const ACCOUNT = '111122223333';

export const ROOT: JsonObject = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
export const ENCRYPT: JsonObject = {
  Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
  Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
};
export const DESCRIBE: JsonObject = { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' };
export const UNSCOPED_ENCRYPT: JsonObject = { Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' };

export const policyOf = (...statements: JsonObject[]): JsonObject => ({ Version: '2012-10-17', Statement: statements });

/** A trail that encrypts with `aws_kms_key.logs` and validates its logs (so only key findings remain). */
export const TRAIL = `resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "logs"
  kms_key_id                 = aws_kms_key.logs.arn
  enable_log_file_validation = true
}
`;

/** `aws_kms_key.logs` with rotation and the given `policy = …` text (already indented by two spaces). */
export const keyWith = (policyAttribute: string): string =>
  `resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n${policyAttribute}\n}\n\n${TRAIL}`;

export type PolicyForm = 'jsonencode' | 'heredoc' | 'file' | 'document' | 'standalone' | 'cloudformation';

export interface FormCase {
  files: Record<string, string>;
  /** The file findings appear in. */
  file: string;
}

const indentJson = (value: JsonValue): string => JSON.stringify(value, null, 2);

/** The same policy in one form, used by `aws_kms_key.logs` / `LogsKey` of trail `main` / `Trail`. */
export function inForm(form: PolicyForm, policy: JsonObject): FormCase {
  switch (form) {
    case 'jsonencode':
      return { file: 'main.tf', files: { 'main.tf': keyWith(`  policy = jsonencode(${renderHcl(policy, '  ', '  ')})`) } };
    case 'heredoc':
      return { file: 'main.tf', files: { 'main.tf': keyWith(`  policy = <<EOF\n${indentJson(policy)}\nEOF`) } };
    case 'file':
      return { file: 'main.tf', files: { 'main.tf': keyWith('  policy = file("${path.module}/policy.json")'), 'policy.json': `${indentJson(policy)}\n` } };
    case 'document': {
      const statements = (policy.Statement as JsonObject[]).map((s) => `  ${renderDocumentStatement(s, '  ', '  ')}`).join('\n\n');
      return { file: 'main.tf', files: { 'main.tf': `data "aws_iam_policy_document" "kms" {\n${statements}\n}\n\n${keyWith('  policy = data.aws_iam_policy_document.kms.json')}` } };
    }
    case 'standalone':
      return { file: 'policy.json', files: { 'policy.json': `${indentJson(policy)}\n` } };
    case 'cloudformation': {
      const template = {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          LogsKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: policy } },
          Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: 'logs', IsLogging: true, EnableLogFileValidation: true, KMSKeyId: { 'Fn::GetAtt': ['LogsKey', 'Arn'] } } },
        },
      };
      return { file: 'template.json', files: { 'template.json': `${indentJson(template)}\n` } };
    }
  }
}

export const ALL_FORMS: PolicyForm[] = ['jsonencode', 'heredoc', 'file', 'document', 'standalone', 'cloudformation'];
/** Forms where a key uses the policy (a standalone file has no key and must be written for CloudTrail). */
export const KEY_FORMS: PolicyForm[] = ['jsonencode', 'heredoc', 'file', 'document', 'cloudformation'];

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const index = lines.findIndex((l, i) => i >= from && l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in\n${text}`);
  return index + 1;
}

/** 1-based line of the first line matching `pattern` (for text whose `=` alignment depends on its neighbours). */
function lineOfPattern(text: string, pattern: RegExp): number {
  const index = text.split('\n').findIndex((l) => pattern.test(l));
  if (index < 0) throw new Error(`${pattern} not in\n${text}`);
  return index + 1;
}

/** Where a policy-level finding is shown in each form: `policy =`, the document header, `KeyPolicy`, `Statement`. */
export function policyLine(form: PolicyForm, c: FormCase): number {
  const text = c.files[c.file];
  switch (form) {
    case 'document': return lineOf(text, 'data "aws_iam_policy_document" "kms"');
    case 'cloudformation': return lineOf(text, '"KeyPolicy"');
    case 'standalone': return lineOf(text, '"Statement"');
    default: return lineOf(text, '  policy = ');
  }
}

/** Where a finding about the statement with this Sid is shown: its Sid line, or the `statement {` header of a document. */
export function statementLine(form: PolicyForm, c: FormCase, sid: string): number {
  const text = c.files[c.file];
  if (form === 'file') return lineOf(text, '  policy = ');
  if (form === 'document') return lineOf(text, `sid       = "${sid}"`) - 1;
  if (form === 'jsonencode') return lineOfPattern(text, new RegExp(`Sid +=  ?"${sid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  return lineOf(text, `"Sid": "${sid}"`);
}

export const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
