import * as assert from 'node:assert/strict';
import {
  analyzeBucketKeyDecrypt, analyzeCloudTrailKeyPolicy, cloudTrailBucketKeyDecryptStatement, cloudTrailDescribeStatement, cloudTrailEncryptStatement, cloudTrailKeyPolicy, isWrittenForCloudTrail,
  logReadersStatement, parsePolicy, requiredCloudTrailStatements,
} from '../../../server/src/engine/policy';
import type { JsonObject, RequiredStatementParams } from '../../../server/src/engine/policy';
import { jsonToValue } from './jsonToValue';
import type { Json } from './jsonToValue';

const analyzeDocument = (document: JsonObject, options: { trailArn?: string; accountId?: string }) => {
  const policy = parsePolicy(jsonToValue(document as Json));
  return { policy, analysis: analyzeCloudTrailKeyPolicy(policy, options) };
};

const allMet = (a: ReturnType<typeof analyzeCloudTrailKeyPolicy>) => ({
  encrypt: a.encrypt.met, encryptScoped: a.encryptScoped.met, describe: a.describe.met, readers: a.readers.met, decryptTooBroad: a.decryptTooBroad.length,
});

describe('required CloudTrail statements', () => {
  const concrete: RequiredStatementParams = { partition: 'aws', accountId: '111122223333', region: 'us-east-1', trailName: 'main' };

  it('meet every requirement of analyzeCloudTrailKeyPolicy, and are valid', () => {
    const { policy, analysis } = analyzeDocument(cloudTrailKeyPolicy(concrete), { trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', accountId: '111122223333' });
    assert.deepEqual(policy.problems, []);
    assert.equal(isWrittenForCloudTrail(policy), true);
    assert.deepEqual(allMet(analysis), { encrypt: true, encryptScoped: true, describe: true, readers: true, decryptTooBroad: 0 });
    assert.equal(analysis.encrypt.certain, true);
    assert.equal(analysis.describe.certain, true);
  });

  it('meet every requirement when the trail is unknown and the account is a placeholder', () => {
    const placeholders: RequiredStatementParams = { partition: '${AWS::Partition}', accountId: '${AWS::AccountId}' };
    const { policy, analysis } = analyzeDocument(cloudTrailKeyPolicy(placeholders), {});
    assert.deepEqual(policy.problems, []);
    assert.deepEqual(allMet(analysis), { encrypt: true, encryptScoped: true, describe: true, readers: true, decryptTooBroad: 0 });
  });

  it('each statement alone grants its own requirement', () => {
    const only = (statement: JsonObject) => analyzeDocument({ Version: '2012-10-17', Statement: [statement] }, { accountId: '111122223333' }).analysis;
    assert.equal(only(cloudTrailEncryptStatement(concrete)).encrypt.met, true);
    assert.equal(only(cloudTrailDescribeStatement(concrete)).describe.met, true);
    assert.equal(only(logReadersStatement(concrete)).readers.met, true);
  });

  it('the S3 Bucket Key statement lets CloudTrail decrypt for its own trail only, and is valid', () => {
    const trailArn = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main';
    const decrypt = (statement: JsonObject, arn: string) => {
      const policy = parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: [statement] } as Json));
      assert.deepEqual(policy.problems, []);
      return analyzeBucketKeyDecrypt(policy, { trailArn: arn }).met;
    };
    assert.deepEqual(cloudTrailBucketKeyDecryptStatement(concrete).Condition, { StringEquals: { 'aws:SourceArn': trailArn } });
    assert.equal(decrypt(cloudTrailBucketKeyDecryptStatement(concrete), trailArn), true);
    assert.equal(decrypt(cloudTrailBucketKeyDecryptStatement(concrete), 'arn:aws:cloudtrail:us-east-1:111122223333:trail/other'), false);
    assert.equal(cloudTrailBucketKeyDecryptStatement({ partition: 'aws', accountId: '111122223333' }).Condition, undefined);
    assert.equal(decrypt(cloudTrailDescribeStatement(concrete), trailArn), false);
  });

  it('add aws:SourceArn only when the trail ARN is known', () => {
    assert.deepEqual(cloudTrailEncryptStatement(concrete).Condition, {
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' },
      StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' },
    });
    const unknownTrail = { partition: 'aws', accountId: '111122223333' };
    assert.deepEqual(cloudTrailEncryptStatement(unknownTrail).Condition, {
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' },
    });
    assert.equal(cloudTrailDescribeStatement(unknownTrail).Condition, undefined);
  });

  it('never grant Decrypt to "*", and keep readers on the CloudTrail context in the account', () => {
    assert.deepEqual(logReadersStatement(concrete), {
      Sid: 'Allow principals in the account to decrypt log files',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: {
        Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' },
        StringEquals: { 'kms:CallerAccount': '111122223333' },
      },
    });
  });

  it('are plain data, in the conventional order, each labelled with its purpose', () => {
    const statements = requiredCloudTrailStatements(concrete);
    assert.deepEqual(statements.map((s) => s.purpose), ['keyAdministration', 'encrypt', 'describe', 'readers']);
    assert.deepEqual(JSON.parse(JSON.stringify(statements)), statements);
    assert.deepEqual(Object.keys(statements[1].statement), ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
  });
});
