/**
 * Generated documents of a chosen size (a Terraform module, a CloudFormation YAML template, a
 * CDK-synthesised JSON template, a CDK stack in TypeScript) and the keystrokes of three kinds of typing in them: inside an
 * existing value, a new attribute/property line typed character by character, and a block or
 * section header broken and then repaired. `npm run bench` times these keystrokes over LSP; the
 * equivalence tests check the diagnostics after each of them against a fresh analysis.
 */

export type TypingFormat = 'terraform' | 'yaml' | 'json' | 'typescript';
export type EditKind = 'value' | 'newLine' | 'header';
export const EDIT_KINDS: EditKind[] = ['value', 'newLine', 'header'];

/** One keystroke: replace `[start, end)` of the current text (UTF-16 offsets) with `text`. */
export interface Keystroke {
  start: number;
  end: number;
  text: string;
}

export const applyKeystroke = (text: string, k: Keystroke): string => text.slice(0, k.start) + k.text + text.slice(k.end);

const keyArn = (i: number): string => `arn:aws:kms:us-east-1:111122223333:key/0000${String(i).padStart(4, '0')}-12ab-34cd-56ef-1234567890ab`;

/** A module of variables, keys and trails; one trail in twenty has no key (diagnostics are few, as in real files). */
export function bigTerraform(lines: number): string {
  const chunk = (i: number): string => `variable "key_${i}" {\n  type    = string\n  default = "${i % 20 === 0 ? '' : keyArn(i)}"\n}\n\nresource "aws_kms_key" "k${i}" {\n  description         = "key ${i}"\n  enable_key_rotation = true\n}\n\nresource "aws_cloudtrail" "t${i}" {\n  name                       = "trail-${i}"\n  s3_bucket_name             = "logs-${i}"\n  kms_key_id                 = var.key_${i}\n  enable_log_file_validation = true\n}\n\n`;
  return grow(lines, chunk, '', '');
}

/** A template of keys (with a policy) and trails whose key hangs on a condition. */
export function bigYaml(lines: number): string {
  const head = 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  KeyArn:\n    Type: String\n    Default: ""\nConditions:\n  HasKey: !Not [!Equals [!Ref KeyArn, ""]]\nResources:\n';
  const chunk = (i: number): string => `  Key${i}:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Sid: Root\n            Effect: Allow\n            Principal:\n              AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"\n            Action: "kms:*"\n            Resource: "*"\n`
    + `  Trail${i}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: !Ref Bucket\n      KMSKeyId: !If [HasKey, !Ref KeyArn, !Ref AWS::NoValue]\n`;
  return grow(lines, chunk, head, '');
}

/** A CDK stack of keys with CloudTrail's statements and the trails using them; one trail in twenty has no key. */
export function cdkStack(lines: number): string {
  const head = "import * as cdk from 'aws-cdk-lib';\nimport * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';\nimport * as iam from 'aws-cdk-lib/aws-iam';\nimport * as kms from 'aws-cdk-lib/aws-kms';\nimport { Construct } from 'constructs';\n\n"
    + 'export class AuditStack extends cdk.Stack {\n  constructor(scope: Construct, id: string, props?: cdk.StackProps) {\n    super(scope, id, props);\n\n';
  const chunk = (i: number): string => `    const key${i} = new kms.Key(this, 'Key${i}', {\n      description: 'key ${i}',\n      enableKeyRotation: true,\n    });\n`
    + `    key${i}.addToResourcePolicy(new iam.PolicyStatement({\n      actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],\n      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],\n      resources: ['*'],\n      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },\n    }));\n`
    + `    new cloudtrail.Trail(this, 'Trail${i}', {\n      trailName: 'trail-${i}',\n      encryptionKey: ${i % 20 === 0 ? 'undefined' : `key${i}`},\n      isMultiRegionTrail: true,\n    });\n\n`;
  return grow(lines, chunk, head, '  }\n}\n');
}

/** Appends chunks until the text has at least `lines` lines. */
function grow(lines: number, chunk: (i: number) => string, head: string, tail: string): string {
  const parts = [head];
  let count = head.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const piece = chunk(i);
    parts.push(piece);
    count += piece.split('\n').length - 1;
  }
  parts.push(tail);
  return parts.join('');
}

/** CDK's logical ids end in eight hex digits of a hash of the construct path. */
const cdkId = (name: string, i: number): string => `${name}${((i + 1) * 2654435761 >>> 0).toString(16).toUpperCase().padStart(8, '0').slice(0, 8)}`;
const partitionArn = (...rest: unknown[]): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...rest]] });

/** The resources CDK writes for one service of a stack: a bucket, a role and its policy, a function; every tenth also a key and a trail. */
function cdkService(i: number, stack: string): Record<string, unknown> {
  const bucket = cdkId(`Service${i}Bucket`, i);
  const role = cdkId(`Service${i}FnServiceRole`, i);
  const policy = cdkId(`Service${i}FnServiceRoleDefaultPolicy`, i);
  const fn = cdkId(`Service${i}Fn`, i);
  const path = (construct: string): { 'aws:cdk:path': string } => ({ 'aws:cdk:path': `${stack}/Service${i}/${construct}` });
  const resources: Record<string, unknown> = {
    [bucket]: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        Tags: [{ Key: 'service', Value: `service-${i}` }],
      },
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
      Metadata: path('Bucket/Resource'),
    },
    [role]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }], Version: '2012-10-17' },
        ManagedPolicyArns: [partitionArn(':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')],
      },
      Metadata: path('Fn/ServiceRole/Resource'),
    },
    [policy]: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyDocument: {
          Statement: [{
            Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
            Effect: 'Allow',
            Resource: [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] }],
          }],
          Version: '2012-10-17',
        },
        PolicyName: policy,
        Roles: [{ Ref: role }],
      },
      Metadata: path('Fn/ServiceRole/DefaultPolicy/Resource'),
    },
    [fn]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `${cdkId('asset', i).toLowerCase()}.zip` },
        Environment: { Variables: { BUCKET: { Ref: bucket }, STAGE: 'prod' } },
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': [role, 'Arn'] },
        Runtime: 'nodejs20.x',
        Timeout: 30,
      },
      DependsOn: [policy, role],
      Metadata: { ...path('Fn/Resource'), 'aws:asset:path': `asset.${cdkId('asset', i).toLowerCase()}`, 'aws:asset:property': 'Code' },
    },
  };
  if (i % 10 === 0) {
    const key = cdkId(`Service${i}TrailKey`, i);
    const trail = cdkId(`Service${i}Trail`, i);
    resources[key] = {
      Type: 'AWS::KMS::Key',
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: [
            { Action: 'kms:*', Effect: 'Allow', Principal: { AWS: partitionArn(':iam::', { Ref: 'AWS::AccountId' }, ':root') }, Resource: '*' },
            {
              Action: 'kms:GenerateDataKey*', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Resource: '*',
              Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:', { Ref: 'AWS::AccountId' }, ':trail/*']] } } },
            },
            { Action: 'kms:DescribeKey', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Resource: '*' },
          ],
          Version: '2012-10-17',
        },
      },
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
      Metadata: path('TrailKey/Resource'),
    };
    resources[trail] = {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        IsLogging: true,
        S3BucketName: { Ref: bucket },
        // One trail in three is written without its key: the template has findings, as real ones do.
        ...(i % 30 === 0 ? {} : { KMSKeyId: { 'Fn::GetAtt': [key, 'Arn'] } }),
        EnableLogFileValidation: true,
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
      },
      DependsOn: [bucket],
      Metadata: path('Trail/Resource'),
    };
  }
  return resources;
}

/** A `cdk.out/*.template.json`: 2-space indent, `aws:cdk:path` metadata, intrinsics, the bootstrap parameter and rule. */
export function cdkTemplate(lines: number, stack = 'AuditStack'): string {
  const template = (services: number): string => {
    let resources: Record<string, unknown> = {};
    for (let i = 0; i < services; i++) resources = { ...resources, ...cdkService(i, stack) };
    resources.CDKMetadata = {
      Type: 'AWS::CDK::Metadata',
      Properties: { Analytics: 'v2:deflate64:H4sIAAAAAAAA/zPSMzQ21DNQTCwv1k1OydbNyUzSqw4uSUzO1kEK' },
      Metadata: { 'aws:cdk:path': `${stack}/CDKMetadata/Default` },
      Condition: 'CDKMetadataAvailable',
    };
    return `${JSON.stringify({
      Resources: resources,
      Conditions: { CDKMetadataAvailable: { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] } },
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version', Description: 'Version of the CDK Bootstrap resources in this environment' } },
      Rules: { CheckBootstrapVersion: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2', '3', '4', '5'], { Ref: 'BootstrapVersion' }] }] }, AssertDescription: "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI." }] } },
    }, null, 2)}\n`;
  };
  // Services are about equal in size: estimate from one run, then add until long enough.
  let services = Math.max(1, Math.round(lines / (template(10).split('\n').length / 10)));
  let text = template(services);
  while (text.split('\n').length < lines) text = template(++services);
  return text;
}

export function generate(format: TypingFormat, lines: number): string {
  if (format === 'typescript') return cdkStack(lines);
  return format === 'terraform' ? bigTerraform(lines) : format === 'yaml' ? bigYaml(lines) : cdkTemplate(lines);
}

/** Offset of the occurrence of `needle` nearest the middle of `text` (edits land mid-file, where re-analysis is dearest). */
function middle(text: string, needle: string | RegExp): number {
  const pattern = typeof needle === 'string' ? new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(needle.source, 'g');
  let best = -1;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) if (best < 0 || Math.abs(m.index - text.length / 2) < Math.abs(best - text.length / 2)) best = m.index;
  if (best < 0) throw new Error(`no ${String(needle)} in the generated text`);
  return best;
}

const endOfLine = (text: string, offset: number): number => {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
};

/** Typing `typed` one character at a time at `at`, then deleting it one character at a time. */
function typeAndErase(at: number, typed: string): Keystroke[] {
  const strokes: Keystroke[] = [...typed].map((ch, i) => ({ start: at + i, end: at + i, text: ch }));
  for (let i = typed.length; i > 0; i--) strokes.push({ start: at + i - 1, end: at + i, text: '' });
  return strokes;
}

/** Enter at the end of the line holding `anchor`, the new line typed character by character, then the line deleted at once. */
function newLine(text: string, anchor: number, line: string): Keystroke[] {
  const at = endOfLine(text, anchor);
  const strokes: Keystroke[] = [{ start: at, end: at, text: '\n' }];
  [...line].forEach((ch, i) => strokes.push({ start: at + 1 + i, end: at + 1 + i, text: ch }));
  strokes.push({ start: at, end: at + 1 + line.length, text: '' });
  return strokes;
}

/** Removes `[start, end)` (`broken` replaces it), then puts it back: a header broken and repaired. */
function breakAndRepair(text: string, start: number, end: number, broken = ''): Keystroke[] {
  return [{ start, end, text: broken }, { start, end: start + broken.length, text: text.slice(start, end) }];
}

/**
 * One round of `kind` typing in a document generated by `generate(format, …)`: the keystrokes
 * in order, each against the text the previous ones left; the round ends on the text it began with.
 */
export function typingRound(format: TypingFormat, text: string, kind: EditKind): Keystroke[] {
  if (format === 'terraform') {
    // Inside a key's description: "key 12" becomes "key audit12" and back.
    if (kind === 'value') return typeAndErase(middle(text, /description {9}= "key \d+/) + 'description         = "key '.length, 'audit');
    if (kind === 'newLine') return newLine(text, middle(text, /  s3_bucket_name {13}= "logs-\d+"/), '  is_multi_region_trail = true');
    const trail = endOfLine(text, middle(text, /resource "aws_cloudtrail" "t\d+" \{/)) - 1;
    const key = endOfLine(text, middle(text, /resource "aws_kms_key" "k\d+" \{/)) - 1;
    const quote = middle(text, /variable "key_\d+" \{/) + 'variable "'.length - 1;
    // The `{` of a trail's and a key's header, then the opening quote of a variable's name.
    return [...breakAndRepair(text, trail, trail + 1), ...breakAndRepair(text, key, key + 1), ...breakAndRepair(text, quote, quote + 1)];
  }
  if (format === 'yaml') {
    if (kind === 'value') return typeAndErase(endOfLine(text, middle(text, '          - Sid: Root')), 'Audit');
    if (kind === 'newLine') return newLine(text, middle(text, /Type: AWS::CloudTrail::Trail\n {4}Properties:/) + 'Type: AWS::CloudTrail::Trail\n'.length, '      TrailName: audit');
    const entry = middle(text, /\n {2}Trail\d+:/) + 1;
    const colon = endOfLine(text, entry) - 1;
    const properties = middle(text, /\n {4}Properties:\n {6}IsLogging/) + 1;
    const type = middle(text, /\n {4}Type: AWS::KMS::Key/) + 1;
    // A resource's key loses its colon; `Properties:` is indented one space too far; `Type:` one too little.
    return [...breakAndRepair(text, colon, colon + 1), ...breakAndRepair(text, properties, properties, ' '), ...breakAndRepair(text, type, type + 1)];
  }
  if (format === 'typescript') {
    if (kind === 'value') return typeAndErase(middle(text, /description: 'key \d+/) + "description: 'key ".length, 'audit');
    if (kind === 'newLine') return newLine(text, middle(text, /      trailName: 'trail-\d+',/), '      sendToCloudWatchLogs: true,');
    const paren = middle(text, /new cloudtrail\.Trail\(/) + 'new cloudtrail.Trail'.length;
    const brace = endOfLine(text, middle(text, /new kms\.Key\(this, 'Key\d+', \{/)) - 1;
    const quote = middle(text, /'Trail\d+'/);
    // A trail's `(`, a key's props `{`, then the opening quote of a trail's id.
    return [...breakAndRepair(text, paren, paren + 1), ...breakAndRepair(text, brace, brace + 1), ...breakAndRepair(text, quote, quote + 1)];
  }
  if (kind === 'value') return typeAndErase(middle(text, /"Handler": "index\.handler/) + '"Handler": "index.handler'.length, 'Audit');
  if (kind === 'newLine') return newLine(text, middle(text, /"Type": "AWS::CloudTrail::Trail",\n {6}"Properties": \{/) + '"Type": "AWS::CloudTrail::Trail",\n'.length, '        "TrailName": "audit",');
  const brace = endOfLine(text, middle(text, /"Type": "AWS::CloudTrail::Trail",\n {6}"Properties": \{/) + '"Type": "AWS::CloudTrail::Trail",\n'.length) - 1;
  const typeColon = middle(text, /"Type": "AWS::KMS::Key"/) + '"Type"'.length;
  const idQuote = middle(text, /\n {4}"Service\d+Trail[0-9A-F]{8}": \{/) + '\n    "Service'.length;
  // The `{` opening a trail's Properties, the colon after a key's "Type", a letter of a logical id's quoted name.
  return [...breakAndRepair(text, brace, brace + 1), ...breakAndRepair(text, typeColon, typeColon + 1), ...breakAndRepair(text, idQuote, idQuote + 1, '"')];
}
