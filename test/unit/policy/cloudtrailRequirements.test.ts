import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCloudTrailKeyPolicy, isWrittenForCloudTrail, parsePolicy } from '../../../server/src/engine/policy';
import type { CloudTrailKeyPolicyAnalysis, CloudTrailKeyPolicyOptions, ParsedPolicy } from '../../../server/src/engine/policy';
import { jsonToValue } from './jsonToValue';
import type { Json } from './jsonToValue';

/** out/test/unit/policy → /work/shared/corpus, unless CORPUS_DIR says otherwise. */
const CORPUS_DIR = process.env.CORPUS_DIR ?? path.resolve(__dirname, '../../../../..', 'shared/corpus');

const ACCOUNT = '111122223333';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

const policyOf = (statements: Json[]): ParsedPolicy => parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: statements }));
const analyze = (statements: Json[], options: CloudTrailKeyPolicyOptions = { trailArn: TRAIL }): CloudTrailKeyPolicyAnalysis =>
  analyzeCloudTrailKeyPolicy(policyOf(statements), options);

/** Each requirement as `met` or its reason, with the Sids involved. */
const summary = (a: CloudTrailKeyPolicyAnalysis) => ({
  encrypt: [a.encrypt.reason ?? 'met', a.encrypt.statements.map((s) => s.sid)],
  encryptScoped: [a.encryptScoped.reason ?? 'met', a.encryptScoped.statements.map((s) => s.sid)],
  describe: [a.describe.reason ?? 'met', a.describe.statements.map((s) => s.sid)],
  readers: [a.readers.reason ?? 'met', a.readers.statements.map((s) => s.sid)],
  decryptTooBroad: a.decryptTooBroad.map((s) => s.sid),
});

const root: Json = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const encrypt: Json = {
  Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
  Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` }, StringEquals: { 'aws:SourceArn': TRAIL } },
};
const describeKey: Json = { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' };
const decryptForAccount = (condition: Record<string, Json>): Json => ({
  Sid: 'Decrypt', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:ReEncryptFrom'], Resource: '*', Condition: condition,
});
const onCloudTrailContext = { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } };

describe('analyzeCloudTrailKeyPolicy', () => {
  it('finds everything met in the policy AWS documents', () => {
    const a = analyze([root, encrypt, describeKey, decryptForAccount({ StringEquals: { 'kms:CallerAccount': ACCOUNT }, ...onCloudTrailContext })]);
    assert.deepEqual(summary(a), {
      encrypt: ['met', ['Encrypt']], encryptScoped: ['met', ['Encrypt']], describe: ['met', ['Describe']],
      readers: ['met', ['Root', 'Decrypt']], decryptTooBroad: [],
    });
    assert.equal(a.encrypt.certain, true);
  });

  it('reports a missing encrypt grant, and nothing to scope', () => {
    const a = analyze([root, describeKey]);
    assert.deepEqual(summary(a).encrypt, ['missing', []]);
    assert.deepEqual(summary(a).encryptScoped, ['met', []]);
  });

  it('reports an encrypt grant that is denied', () => {
    const deny: Json = { Sid: 'NoServices', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } };
    assert.deepEqual(summary(analyze([root, encrypt, deny])).encrypt, ['denied', ['NoServices']]);
  });

  it('reports a misspelled kms=GenerateDataKey as the reason nothing grants encrypt', () => {
    const misspelled = { ...(encrypt as Record<string, Json>), Action: 'kms=GenerateDataKey*' };
    assert.deepEqual(summary(analyze([root, misspelled])).encrypt, ['misspelledAction', ['Encrypt']]);
  });

  it('reports a grant whose conditions never match this trail', () => {
    const otherTrail = { ...(encrypt as Record<string, Json>), Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other` } } };
    assert.deepEqual(summary(analyze([root, otherTrail])).encrypt, ['conditionsNeverMatch', ['Encrypt']]);
    // Without the trail's name the same grant may well be for it.
    assert.deepEqual(summary(analyze([root, otherTrail], { accountId: ACCOUNT })).encrypt, ['met', ['Encrypt']]);
  });

  it('reports an unscoped encrypt grant (CTK102)', () => {
    const unscoped = Object.fromEntries(Object.entries(encrypt as Record<string, Json>).filter(([key]) => key !== 'Condition'));
    const a = analyze([root, unscoped, describeKey]);
    assert.deepEqual(summary(a).encrypt, ['met', ['Encrypt']]);
    assert.deepEqual(summary(a).encryptScoped, ['unscoped', ['Encrypt']]);
    const bySourceAccount = { ...unscoped, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } };
    assert.deepEqual(summary(analyze([root, bySourceAccount])).encryptScoped, ['met', ['Encrypt']]);
  });

  it('sees that DescribeKey granted only under an encryption-context condition is never granted (CTK103)', () => {
    const together: Json = {
      Sid: 'CloudTrail', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*',
      Condition: onCloudTrailContext,
    };
    const a = analyze([root, together]);
    assert.deepEqual(summary(a).encrypt, ['met', ['CloudTrail']]);
    assert.deepEqual(summary(a).describe, ['onlyUnderEncryptionContext', ['CloudTrail']]);
    assert.deepEqual(summary(analyze([root, encrypt])).describe, ['missing', []]);
  });

  it('accepts DescribeKey conditioned on aws:SourceArn, which CloudTrail sends', () => {
    const scoped = { ...(describeKey as Record<string, Json>), Condition: { StringEquals: { 'aws:SourceArn': TRAIL } } };
    assert.deepEqual(summary(analyze([root, encrypt, scoped])).describe, ['met', ['Describe']]);
  });

  it('flags kms:Decrypt to "*" without kms:CallerAccount (CTK105), not with it', () => {
    assert.deepEqual(summary(analyze([encrypt, describeKey, decryptForAccount(onCloudTrailContext)])).decryptTooBroad, ['Decrypt']);
    const withCaller = decryptForAccount({ StringEquals: { 'kms:CallerAccount': ACCOUNT }, ...onCloudTrailContext });
    assert.deepEqual(summary(analyze([encrypt, describeKey, withCaller])).decryptTooBroad, []);
    const withOrg = decryptForAccount({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } });
    assert.deepEqual(summary(analyze([encrypt, describeKey, withOrg])).decryptTooBroad, []);
    const servicesOnly = decryptForAccount({ Bool: { 'aws:PrincipalIsAWSService': 'true' } });
    assert.deepEqual(summary(analyze([encrypt, describeKey, servicesOnly])).decryptTooBroad, []);
    const everybody: Json = { Sid: 'Everybody', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' };
    assert.deepEqual(summary(analyze([encrypt, everybody])).decryptTooBroad, ['Everybody']);
  });

  it('does not flag a broad Decrypt that a Deny keeps inside the account', () => {
    const fence: Json = { Sid: 'Fence', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } } };
    assert.deepEqual(summary(analyze([encrypt, decryptForAccount(onCloudTrailContext), fence])).decryptTooBroad, []);
  });

  it('finds readers through the account root, and reports when nobody can decrypt (CTK104)', () => {
    assert.deepEqual(summary(analyze([root, encrypt])).readers, ['met', ['Root']]);
    const adminOnly = { ...(root as Record<string, Json>), Action: ['kms:Create*', 'kms:Describe*', 'kms:Put*'] };
    assert.deepEqual(summary(analyze([adminOnly, encrypt, describeKey])).readers, ['missing', []]);
    const readerWithoutContext: Json = {
      Sid: 'Bob', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'kms:Decrypt', Resource: '*',
      Condition: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'true' } },
    };
    assert.deepEqual(summary(analyze([adminOnly, encrypt, readerWithoutContext])).readers, ['missing', []]);
  });

  it('gives unseen statements the benefit of the doubt', () => {
    const policy = parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: [root, { $unknown: 'var.extra_statements' }] }));
    const a = analyzeCloudTrailKeyPolicy(policy, { trailArn: TRAIL });
    assert.equal(a.encrypt.met, true);
    assert.equal(a.encrypt.certain, false);
    assert.equal(a.describe.met, true);
  });

  it('works with a partly known trail ARN', () => {
    const a = analyze([root, encrypt, describeKey], { trailArn: `arn:aws:cloudtrail:\${var.region}:${ACCOUNT}:trail/main` });
    assert.equal(a.encrypt.met, true);
    assert.equal(a.encrypt.certain, false);
  });
});

describe('isWrittenForCloudTrail', () => {
  it('recognises a key policy that names CloudTrail for kms: actions, misspelled or not', () => {
    assert.equal(isWrittenForCloudTrail(policyOf([root, encrypt])), true);
    assert.equal(isWrittenForCloudTrail(policyOf([{ ...(encrypt as Record<string, Json>), Action: 'kms=GenerateDataKey*' }])), true);
  });

  it('does not take an S3 bucket policy for CloudTrail, or a key policy without CloudTrail, for one', () => {
    const bucketPolicy: Json[] = [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::logs' },
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/*' },
    ];
    assert.equal(isWrittenForCloudTrail(policyOf(bucketPolicy)), false);
    assert.equal(isWrittenForCloudTrail(policyOf([root])), false);
  });
});

describe('real-world key policies (corpus)', () => {
  // Unaltered copies; sources, commits and licences in shared/corpus/MANIFEST.tsv:
  // - ministryofjustice/staff-device-logging-infrastructure @ 6bcde6d4 (MIT),
  //   modules/cloudtrail/policies/kmsKeyPolicies.json
  // - plus3it/terraform-aws-tardigrade-cloudtrail @ 179d5913 (Apache-2.0),
  //   tests/templates/cloudtrail-kms-key-policy.json
  const readCorpusPolicy = (relative: string): ParsedPolicy => {
    const json = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, relative), 'utf8')) as Json;
    return parsePolicy(jsonToValue(json, { uri: `corpus://${relative}` }));
  };

  it('ministryofjustice: encrypt granted, DescribeKey only under the encryption context', () => {
    const policy = readCorpusPolicy('realworld/ministryofjustice-staff-device-logging-infrastructure/modules/cloudtrail/policies/kmsKeyPolicies.json');
    assert.deepEqual(policy.problems, []);
    assert.equal(isWrittenForCloudTrail(policy), true);
    const a = analyzeCloudTrailKeyPolicy(policy);
    assert.deepEqual(summary(a), {
      encrypt: ['met', ['Allow CloudTrail to encrypt logs']],
      encryptScoped: ['met', ['Allow CloudTrail to encrypt logs']],
      describe: ['onlyUnderEncryptionContext', ['Allow CloudTrail to encrypt logs']],
      readers: ['met', [undefined]],
      decryptTooBroad: [],
    });
  });

  it('plus3it: every CloudTrail requirement met; its kms:* to {"AWS": ["*"]} is too broad', () => {
    const policy = readCorpusPolicy('realworld/plus3it-terraform-aws-tardigrade-cloudtrail/tests/templates/cloudtrail-kms-key-policy.json');
    assert.deepEqual(policy.problems, []);
    assert.equal(isWrittenForCloudTrail(policy), true);
    const a = analyzeCloudTrailKeyPolicy(policy);
    assert.deepEqual(summary(a), {
      encrypt: ['met', ['Enable IAM User Permissions', 'Allow CloudTrail to encrypt logs']],
      encryptScoped: ['met', ['Allow CloudTrail to encrypt logs']],
      describe: ['met', ['Enable IAM User Permissions', 'Allow CloudTrail to describe key']],
      readers: ['met', ['Enable IAM User Permissions', 'Allow principals in the account to decrypt log files']],
      decryptTooBroad: ['Enable IAM User Permissions'],
    });
    // The statement is pointed at exactly: it is the first of the list in that file.
    assert.match(a.decryptTooBroad[0].origin?.uri ?? '', /#\/Statement\/0$/);
  });
});
