/**
 * What the key of a trail's notification topic must give CloudTrail, judged against the
 * request SNS makes for CloudTrail: `kms:GenerateDataKey` and `kms:Decrypt` as
 * cloudtrail.amazonaws.com, with the topic's encryption context (`aws:sns:topicArn`) and the
 * trail as `aws:SourceArn`.
 */
import * as assert from 'node:assert/strict';
import { analyzeTopicKeyPolicy, parsePolicy, type TopicKeyPolicyAnalysis } from '../../../server/src/engine/policy';
import { jsonToValue, type Json } from './jsonToValue';

const ACCOUNT = '111122223333';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const publish = (extra: Record<string, Json> = {}): Json => ({
  Sid: 'Publish', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', ...extra,
});

/** Each action as `met` or its reason, with the Sids involved. */
function judge(statements: Json[], options: { trailArn?: string } = { trailArn: TRAIL }): Record<string, [string, (string | undefined)[]]> {
  const analysis: TopicKeyPolicyAnalysis = analyzeTopicKeyPolicy(parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: statements })), options);
  return Object.fromEntries(Object.entries(analysis.actions).map(([action, r]) => [action, [r.reason ?? 'met', r.statements.map((s) => s.sid)]]));
}

describe('notification topic key requirements', () => {
  it("AWS's statement, unconditioned, grants both", () => {
    assert.deepEqual(judge([publish()]), { 'kms:GenerateDataKey*': ['met', ['Publish']], 'kms:Decrypt': ['met', ['Publish']] });
  });

  it('conditions SNS requests meet: the topic encryption context, the trail as aws:SourceArn, the account', () => {
    const scoped = publish({
      Condition: {
        ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:*:${ACCOUNT}:*` },
        StringEquals: { 'aws:SourceArn': TRAIL, 'aws:SourceAccount': ACCOUNT },
      },
    });
    assert.deepEqual(judge([scoped]), { 'kms:GenerateDataKey*': ['met', ['Publish']], 'kms:Decrypt': ['met', ['Publish']] });
  });

  it("a log-file encryption-context condition never matches SNS's requests", () => {
    const logFiles = publish({ Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } });
    assert.deepEqual(judge([logFiles]), { 'kms:GenerateDataKey*': ['conditionsNeverMatch', ['Publish']], 'kms:Decrypt': ['conditionsNeverMatch', ['Publish']] });
  });

  it('an aws:SourceArn naming another trail never matches; with the trail unknown it may', () => {
    const other = publish({ Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other` } } });
    assert.deepEqual(judge([other]), { 'kms:GenerateDataKey*': ['conditionsNeverMatch', ['Publish']], 'kms:Decrypt': ['conditionsNeverMatch', ['Publish']] });
    assert.deepEqual(judge([other], {})['kms:Decrypt'], ['met', ['Publish']]);
  });

  it('each action on its own: a grant of GenerateDataKey* only, a Deny of Decrypt, nothing for CloudTrail', () => {
    assert.deepEqual(judge([publish({ Action: 'kms:GenerateDataKey*' })])['kms:Decrypt'], ['missing', []]);
    const denied = judge([publish(), { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }]);
    assert.deepEqual(denied, { 'kms:GenerateDataKey*': ['met', ['Publish']], 'kms:Decrypt': ['denied', ['NoDecrypt']] });
    assert.deepEqual(judge([{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }]), {
      'kms:GenerateDataKey*': ['missing', []], 'kms:Decrypt': ['missing', []],
    });
  });
});
