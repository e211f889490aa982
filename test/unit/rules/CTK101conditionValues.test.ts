/**
 * CTK101 on condition values: the encryption-context pattern, `aws:SourceArn` and
 * `aws:SourceAccount` checked against what the configuration says of the trail (its provider's
 * Region and account, its name, organization trails' management account), each trail of a
 * shared key on its own. What is not known is never guessed at.
 */
import { ruleTests, type InvalidCase, type ValidCase } from '../../support/ruleTester';
import type { JsonObject } from '../../../server/src/engine/policy';
import { DESCRIBE, ROOT, inForm, policyOf, statementLine, type FormCase } from './keyPolicyCases';

const DEPLOYING = '222233334444';
const OTHER = '111122223333';
const PROVIDER = `provider "aws" {\n  region              = "eu-west-1"\n  allowed_account_ids = ["${DEPLOYING}"]\n}\n\n`;

const encrypt = (condition: JsonObject): JsonObject => ({
  Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: condition,
});
const context = (pattern: string): JsonObject => ({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': pattern } });

/** The key policy in `jsonencode(...)`, with `prefix` (provider blocks, variables) before the key and the trail. */
function terraform(prefix: string, statement: JsonObject, edit: (text: string) => string = (t) => t): FormCase {
  const c = inForm('jsonencode', policyOf(ROOT, statement, DESCRIBE));
  return { ...c, files: { 'main.tf': edit(prefix + c.files['main.tf']) } };
}

const encryptLine = (c: FormCase): number => statementLine('jsonencode', c, 'Encrypt');

/** A second trail `aws_cloudtrail.b` on the same key. */
const secondTrail = (text: string): string =>
  `${text}\nresource "aws_cloudtrail" "b" {\n  name                       = "b"\n  s3_bucket_name             = "logs"\n  kms_key_id                 = aws_kms_key.logs.arn\n  enable_log_file_validation = true\n}\n`;

const cfnTrail = (name: string, logicalId: string): string =>
  `  ${logicalId}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      TrailName: ${name}\n      S3BucketName: logs\n      IsLogging: true\n      EnableLogFileValidation: true\n      KMSKeyId: !GetAtt LogsKey.Arn\n`;
const cfnYaml = (encryptCondition: string, trails: string): string =>
  `Resources:\n  LogsKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Sid: Root\n            Effect: Allow\n            Principal:\n              AWS: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root\n            Action: kms:*\n            Resource: "*"\n          - Sid: Encrypt\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: kms:GenerateDataKey*\n            Resource: "*"\n            Condition:\n${encryptCondition}          - Sid: Describe\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: kms:DescribeKey\n            Resource: "*"\n${trails}`;
const sourceArnYaml = (name: string): string =>
  `              StringEquals:\n                aws:SourceArn: !Sub arn:\${AWS::Partition}:cloudtrail:\${AWS::Region}:\${AWS::AccountId}:trail/${name}\n`;

function cfnJson(condition: JsonObject, trailProperties: JsonObject): FormCase {
  const template = {
    Resources: {
      LogsKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: policyOf(ROOT, encrypt(condition), DESCRIBE) } },
      Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: 'logs', IsLogging: true, EnableLogFileValidation: true, KMSKeyId: { 'Fn::GetAtt': ['LogsKey', 'Arn'] }, ...trailProperties } },
    },
  };
  return { file: 'template.json', files: { 'template.json': `${JSON.stringify(template, null, 2)}\n` } };
}

const valid: ValidCase[] = [
  { name: 'the pattern names the deploying account the provider allows', ...terraform(PROVIDER, encrypt(context(`arn:aws:cloudtrail:*:${DEPLOYING}:trail/*`))) },
  { name: 'a literal account with no account known for the trail', ...terraform('', encrypt(context(`arn:aws:cloudtrail:*:${OTHER}:trail/*`))) },
  {
    name: 'data.aws_caller_identity in the pattern: the deploying account, whatever its number',
    ...terraform(`data "aws_caller_identity" "current" {}\n\n${PROVIDER}`, encrypt(context('arn:aws:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*'))),
  },
  {
    name: 'the provider region from a variable without a default is not known',
    ...terraform('variable "region" {}\n\nprovider "aws" {\n  region = var.region\n}\n\n', encrypt({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/main` } })),
  },
  {
    name: 'an organization trail deployed from another account (a delegated administrator): the ARN carries the management account',
    ...terraform(`provider "aws" {\n  region              = "eu-west-1"\n  allowed_account_ids = ["333344445555"]\n}\n\n`, encrypt(context(`arn:aws:cloudtrail:*:${DEPLOYING}:trail/*`)),
      (t) => t.replace('  name                       = "main"\n', '  name                       = "main"\n  is_organization_trail      = true\n')),
  },
  {
    name: 'the trail uses an aliased provider in the Region its aws:SourceArn names',
    ...terraform(`${PROVIDER}provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n\n`, encrypt({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-west-2:${DEPLOYING}:trail/main` } }),
      (t) => t.replace('resource "aws_cloudtrail" "main" {\n', 'resource "aws_cloudtrail" "main" {\n  provider                   = aws.west\n')),
  },
  {
    name: 'a key two trails share, aws:SourceArn naming both',
    ...terraform(PROVIDER, encrypt({ StringEquals: { 'aws:SourceArn': [`arn:aws:cloudtrail:eu-west-1:${DEPLOYING}:trail/main`, `arn:aws:cloudtrail:eu-west-1:${DEPLOYING}:trail/b`] } }), secondTrail),
  },
  { name: 'CloudFormation YAML: aws:SourceArn from pseudo-parameters and the trail name', files: { 'template.yaml': cfnYaml(sourceArnYaml('main'), cfnTrail('main', 'Trail')) } },
  { name: 'CloudFormation JSON: a literal account against AWS::AccountId is not known', ...cfnJson(context(`arn:aws:cloudtrail:*:${OTHER}:trail/*`), { TrailName: 'main' }) },
  { name: 'CloudFormation JSON: an organization trail', ...cfnJson(context(`arn:aws:cloudtrail:*:${OTHER}:trail/*`), { TrailName: 'main', IsOrganizationTrail: true }) },
];

const invalid: InvalidCase[] = [
  (() => {
    const c = terraform(PROVIDER, encrypt(context(`arn:aws:cloudtrail:*:${OTHER}:trail/*`)));
    return {
      name: 'the encryption-context pattern names another account than the one the provider allows', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: encryptLine(c), data: { condition: 'kms:EncryptionContext:aws:cloudtrail:arn', written: `account ${OTHER}`, actual: `is in account ${DEPLOYING}`, trail: 'aws_cloudtrail.main' } }],
      fixes: [],
    };
  })(),
  (() => {
    const c = terraform(`provider "aws" {\n  region = "eu-west-1"\n  assume_role {\n    role_arn = "arn:aws:iam::${DEPLOYING}:role/deploy"\n  }\n}\n\n`, encrypt({ StringEquals: { 'aws:SourceAccount': OTHER } }));
    return {
      name: 'aws:SourceAccount names another account than the assumed role\'s', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: encryptLine(c), data: { condition: 'aws:SourceAccount', written: `account ${OTHER}`, actual: `is in account ${DEPLOYING}` } }],
    };
  })(),
  (() => {
    const c = terraform(PROVIDER, encrypt({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${DEPLOYING}:trail/main` } }));
    return {
      name: 'aws:SourceArn names another Region than the provider\'s', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: encryptLine(c), data: { condition: 'aws:SourceArn', written: 'Region us-east-1', actual: 'is in Region eu-west-1' } }],
    };
  })(),
  (() => {
    const c = terraform('', encrypt({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/other` } }));
    return {
      name: 'aws:SourceArn names another trail', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: encryptLine(c), data: { written: 'trail other', actual: 'is named main' } }],
    };
  })(),
  (() => {
    const c = terraform(PROVIDER, encrypt({ StringEquals: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${DEPLOYING}:trail/*` } }));
    return {
      name: 'a pattern under StringEquals, where * is a literal star', ...c,
      errors: [{ messageId: 'literalStar', line: encryptLine(c), data: { operator: 'StringEquals', written: `arn:aws:cloudtrail:*:${DEPLOYING}:trail/*` } }],
    };
  })(),
  (() => {
    const c = terraform(`${PROVIDER}resource "aws_organizations_organization" "org" {\n  aws_service_access_principals = ["cloudtrail.amazonaws.com"]\n}\n\n`, encrypt(context(`arn:aws:cloudtrail:*:${OTHER}:trail/*`)),
      (t) => t.replace('  name                       = "main"\n', '  name                       = "main"\n  is_organization_trail      = true\n'));
    return {
      name: 'an organization trail of the management account (the configuration creates the organization), the pattern naming a member account', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: encryptLine(c), data: { written: `account ${OTHER}`, actual: `is an organization trail, which belongs to the management account ${DEPLOYING}` } }],
    };
  })(),
  (() => {
    const c = terraform(PROVIDER, encrypt({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:eu-west-1:${DEPLOYING}:trail/main` } }), secondTrail);
    return {
      name: 'a key two trails share, aws:SourceArn naming only one: the other is reported', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: encryptLine(c), data: { trail: 'aws_cloudtrail.b', written: 'trail main', actual: 'is named b' } }],
    };
  })(),
  (() => {
    const text = cfnYaml(sourceArnYaml('audit'), cfnTrail('audit', 'AuditTrail') + cfnTrail('security', 'SecurityTrail'));
    return {
      name: 'CloudFormation YAML: a key two trails share, aws:SourceArn naming one of them',
      files: { 'template.yaml': text },
      errors: [{ messageId: 'conditionNamesOther', line: 15, data: { trail: 'SecurityTrail', written: 'trail audit', actual: 'is named security' } }],
    };
  })(),
  (() => {
    const c = cfnJson({ StringEquals: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/other' } } }, { TrailName: 'main' });
    return {
      name: 'CloudFormation JSON: aws:SourceArn names another trail', ...c,
      errors: [{ messageId: 'conditionNamesOther', line: statementLine('cloudformation', c, 'Encrypt'), data: { trail: 'Trail', written: 'trail other', actual: 'is named main' } }],
    };
  })(),
];

ruleTests('CTK101', { valid, invalid });
