import * as assert from 'node:assert/strict';
import {
  evaluateCondition, matchAction, matchArn, matchPrincipal, matchText, parseConditionOperator, parsePolicy,
} from '../../../server/src/engine/policy';
import type { Condition, ContextEntry, PolicyString, PrincipalItem, Tri } from '../../../server/src/engine/policy';
import { jsonToValue } from './jsonToValue';
import type { Json } from './jsonToValue';

const str = (value: string, extra: Partial<PolicyString> = {}): PolicyString => ({ value, partial: value.includes('${'), ...extra });
const principal = (type: string, value: string, extra: Partial<PrincipalItem> = {}): PrincipalItem => ({ ...str(value), type, ...extra });

/** The conditions of a one-statement policy whose Condition block is `block`. */
const conditionsOf = (block: Json): Condition[] =>
  parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: block }] }))
    .statements[0].conditions;

/** Evaluates the single test of `block` against a context (absent keys are absent). */
const test = (block: Json, context: Record<string, string | string[] | undefined | 'UNKNOWN'>): Tri => {
  const [condition] = conditionsOf(block);
  const lookup = (key: string): ContextEntry => {
    const entry = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
    if (!entry || entry[1] === undefined) return { kind: 'absent' };
    if (entry[1] === 'UNKNOWN') return { kind: 'unknown' };
    return { kind: 'values', values: typeof entry[1] === 'string' ? [entry[1]] : entry[1] };
  };
  return evaluateCondition(condition, lookup);
};

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main';

describe('wildcard matching', () => {
  it('compares strings of 80,000 characters without throwing: exactly when concrete or one side is short, "cannot know" when two long sides have wildcards', () => {
    const huge = 'A'.repeat(80000);
    assert.equal(matchText(huge, huge, { wildcards: true }), 'yes');
    assert.equal(matchText(huge, `${huge}B`, { wildcards: true }), 'no');
    assert.equal(matchText(`${huge}*`, `${huge}B`, { wildcards: true }), 'maybe');
    assert.equal(matchText('kms:*', `kms:${huge}`, { wildcards: true }), 'yes');
    assert.equal(matchText('kms:*', `s3:${huge}`, { wildcards: true }), 'no');
  });

  it('treats ${…} in a policy value as "any text", so a match is only a maybe', () => {
    assert.equal(matchText('arn:aws:cloudtrail:*:${account}:trail/*', TRAIL, { wildcards: true }), 'maybe');
    assert.equal(matchText('arn:aws:cloudtrail:*:111122223333:trail/*', TRAIL, { wildcards: true }), 'yes');
    assert.equal(matchText('arn:aws:logs:${region}:${account}:log-group:*', TRAIL, { wildcards: true }), 'no');
  });

  it('treats ${…} in a request value the same way', () => {
    assert.equal(matchText('arn:aws:cloudtrail:*:111122223333:trail/*', 'arn:${partition}:cloudtrail:${region}:111122223333:trail/${name}', { wildcards: true }), 'maybe');
    assert.equal(matchText('arn:aws:cloudtrail:*:111122223333:trail/*', 'arn:${partition}:cloudtrail:${region}:444455556666:trail/${name}', { wildcards: true }), 'no');
  });

  it('reads the IAM escapes ${*} ${?} ${$} as literal characters', () => {
    assert.equal(matchText('a${*}b', 'a*b', { wildcards: true }), 'yes');
    assert.equal(matchText('a${*}b', 'axb', { wildcards: true }), 'no');
  });

  it('matches ARNs part by part', () => {
    assert.equal(matchArn('arn:aws:cloudtrail:*:111122223333:trail/*', TRAIL, { wildcards: true }), 'yes');
    assert.equal(matchArn('arn:aws:cloudtrail:*:444455556666:trail/*', TRAIL, { wildcards: true }), 'no');
    assert.equal(matchArn('arn:${partition}:logs:*:${account}:log-group:*', TRAIL, { wildcards: true }), 'no');
    assert.equal(matchArn('arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*', TRAIL, { wildcards: true }), 'maybe');
  });
});

describe('matchAction', () => {
  const cases: [string, string, Tri][] = [
    ['*', 'kms:Decrypt', 'yes'],
    ['kms:*', 'kms:Decrypt', 'yes'],
    ['kms:*', 's3:GetObject', 'no'],
    ['kms:Generate*', 'kms:GenerateDataKey', 'yes'],
    ['kms:GenerateDataKey*', 'kms:GenerateDataKey', 'yes'],
    ['kms:Describe*', 'kms:Decrypt', 'no'],
    ['kms:Decryp?', 'kms:Decrypt', 'yes'],
    ['KMS:generatedatakey', 'kms:GenerateDataKey', 'yes'],
    ['kms:${action}', 'kms:Decrypt', 'maybe'],
  ];
  for (const [pattern, action, expected] of cases) {
    it(`${pattern} vs ${action}: ${expected}`, () => assert.equal(matchAction(str(pattern), action), expected));
  }

  it('an unknown action list may match anything; a conditional one at most maybe', () => {
    assert.equal(matchAction(str('${var.actions}', { unknown: true }), 'kms:Decrypt'), 'maybe');
    assert.equal(matchAction(str('kms:*', { conditional: true }), 'kms:Decrypt'), 'maybe');
  });
});

describe('matchPrincipal', () => {
  const cloudtrail = { type: 'Service' as const, id: 'cloudtrail.amazonaws.com' };
  const alice = { type: 'AWS' as const, id: 'arn:aws:iam::111122223333:user/alice' };

  it('"*" names everybody, services included', () => {
    assert.equal(matchPrincipal(principal('*', '*'), cloudtrail), 'yes');
    assert.equal(matchPrincipal(principal('*', '*'), alice), 'yes');
  });

  it('{"AWS": "*"} names every AWS identity, and maybe a service', () => {
    assert.equal(matchPrincipal(principal('AWS', '*'), alice), 'yes');
    assert.equal(matchPrincipal(principal('AWS', '*'), cloudtrail), 'maybe');
  });

  it('compares service principals ignoring case', () => {
    assert.equal(matchPrincipal(principal('Service', 'CloudTrail.amazonaws.com'), cloudtrail), 'yes');
    assert.equal(matchPrincipal(principal('Service', 'logs.${region}.amazonaws.com'), cloudtrail), 'no');
    assert.equal(matchPrincipal(principal('Service', 'cloudtrail.amazonaws.com'), alice), 'no');
  });

  it('an account, in any of its forms, names every identity of the account', () => {
    assert.equal(matchPrincipal(principal('AWS', 'arn:aws:iam::111122223333:root'), alice), 'yes');
    assert.equal(matchPrincipal(principal('AWS', '111122223333'), alice), 'yes');
    assert.equal(matchPrincipal(principal('AWS', 'arn:aws:iam::444455556666:root'), alice), 'no');
    assert.equal(matchPrincipal(principal('AWS', 'arn:${partition}:iam::${account}:root'), alice), 'maybe');
    assert.equal(matchPrincipal(principal('AWS', 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'), alice), 'maybe');
    assert.equal(matchPrincipal(principal('AWS', 'arn:aws:iam::111122223333:root'), cloudtrail), 'no');
  });

  it('other ARNs name exactly that identity', () => {
    assert.equal(matchPrincipal(principal('AWS', 'arn:aws:iam::111122223333:user/alice'), alice), 'yes');
    assert.equal(matchPrincipal(principal('AWS', 'arn:aws:iam::111122223333:user/bob'), alice), 'no');
    assert.equal(matchPrincipal(principal('Federated', 'cognito-identity.amazonaws.com'), alice), 'no');
  });
});

describe('condition operators', () => {
  it('parses prefixes and suffixes', () => {
    assert.deepEqual(parseConditionOperator('ForAnyValue:StringLikeIfExists'), { family: 'string', wildcards: true, name: 'StringLike', ifExists: true, set: 'ForAnyValue' });
    assert.equal(parseConditionOperator('StringLikee'), undefined);
    assert.equal(parseConditionOperator('NullIfExists'), undefined);
  });

  it('StringEquals is exact and case-sensitive; any listed value may match', () => {
    assert.equal(test({ StringEquals: { 'aws:SourceAccount': '111122223333' } }, { 'aws:SourceAccount': '111122223333' }), 'yes');
    assert.equal(test({ StringEquals: { 'aws:SourceAccount': ['444455556666', '111122223333'] } }, { 'aws:SourceAccount': '111122223333' }), 'yes');
    assert.equal(test({ StringEquals: { 'aws:PrincipalTag/team': 'Audit' } }, { 'aws:PrincipalTag/team': 'audit' }), 'no');
    assert.equal(test({ StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:*' } }, { 'aws:SourceArn': TRAIL }), 'no');
  });

  it('condition keys are case-insensitive', () => {
    assert.equal(test({ StringEquals: { 'AWS:SOURCEACCOUNT': '111122223333' } }, { 'aws:SourceAccount': '111122223333' }), 'yes');
  });

  it('StringEqualsIgnoreCase, StringLike, StringNotLike', () => {
    assert.equal(test({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Audit' } }, { 'aws:PrincipalTag/team': 'audit' }), 'yes');
    assert.equal(test({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } }, { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL }), 'yes');
    assert.equal(test({ StringNotLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } }, { 'aws:SourceArn': TRAIL }), 'no');
  });

  it('StringNotEquals holds when no listed value matches, and when the key is absent', () => {
    assert.equal(test({ StringNotEquals: { 'kms:CallerAccount': ['111122223333', '444455556666'] } }, { 'kms:CallerAccount': '777788889999' }), 'yes');
    assert.equal(test({ StringNotEquals: { 'kms:CallerAccount': ['111122223333', '444455556666'] } }, { 'kms:CallerAccount': '444455556666' }), 'no');
    assert.equal(test({ StringNotEquals: { 'kms:CallerAccount': '111122223333' } }, {}), 'yes');
  });

  it('an absent key fails positive operators, but passes …IfExists', () => {
    assert.equal(test({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': '*' } }, {}), 'no');
    assert.equal(test({ StringLikeIfExists: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*' } }, {}), 'yes');
    assert.equal(test({ StringLikeIfExists: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:logs:*' } }, { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL }), 'no');
  });

  it('ArnEquals and ArnLike match part by part with wildcards', () => {
    assert.equal(test({ ArnEquals: { 'aws:SourceArn': TRAIL } }, { 'aws:SourceArn': TRAIL }), 'yes');
    assert.equal(test({ ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } }, { 'aws:SourceArn': TRAIL }), 'yes');
    assert.equal(test({ ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:444455556666:trail/*' } }, { 'aws:SourceArn': TRAIL }), 'no');
    assert.equal(test({ ArnNotEquals: { 'aws:SourceArn': TRAIL } }, { 'aws:SourceArn': TRAIL }), 'no');
  });

  it('Bool compares true/false ignoring case, whether written as a string or a boolean', () => {
    assert.equal(test({ Bool: { 'aws:PrincipalIsAWSService': 'True' } }, { 'aws:PrincipalIsAWSService': 'true' }), 'yes');
    assert.equal(test({ Bool: { 'aws:PrincipalIsAWSService': false } }, { 'aws:PrincipalIsAWSService': 'true' }), 'no');
  });

  it('Null tests presence', () => {
    const key = 'kms:EncryptionContext:aws:cloudtrail:arn';
    assert.equal(test({ Null: { [key]: 'false' } }, { [key]: TRAIL }), 'yes');
    assert.equal(test({ Null: { [key]: 'false' } }, {}), 'no');
    assert.equal(test({ Null: { [key]: 'true' } }, {}), 'yes');
    assert.equal(test({ Null: { [key]: true } }, { [key]: TRAIL }), 'no');
  });

  it('ForAnyValue / ForAllValues quantify over a multi-valued key', () => {
    const keys = { 'kms:EncryptionContextKeys': ['aws:cloudtrail:arn', 'aws:s3:arn'] };
    assert.equal(test({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'aws:cloudtrail:arn' } }, keys), 'yes');
    assert.equal(test({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'aws:cloudtrail:arn' } }, keys), 'no');
    assert.equal(test({ 'ForAllValues:StringLike': { 'kms:EncryptionContextKeys': 'aws:*' } }, keys), 'yes');
    assert.equal(test({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'aws:cloudtrail:arn' } }, {}), 'yes');
    assert.equal(test({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'aws:cloudtrail:arn' } }, {}), 'no');
  });

  it('is conservative about unknowns: maybe, or no when nothing could match', () => {
    assert.equal(test({ StringEquals: { 'kms:CallerAccount': { $unknown: 'var.account_id' } } }, { 'kms:CallerAccount': '111122223333' }), 'maybe');
    assert.equal(test({ StringEquals: { 'kms:CallerAccount': '${account_id}' } }, { 'kms:CallerAccount': '111122223333' }), 'maybe');
    assert.equal(test({ StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:${account}:trail/*' } }, { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:x' }), 'no');
    assert.equal(test({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, { 'aws:PrincipalOrgID': 'UNKNOWN' }), 'maybe');
    assert.equal(test({ StringEquals: { $unknown: 'var.condition' } }, {}), 'maybe');
  });

  it('a test that is not an IAM operator never holds (KMS rejects the policy)', () => {
    assert.equal(test({ Condition: { StringLike: { 'aws:SourceArn': '*' } } }, { 'aws:SourceArn': TRAIL }), 'no');
  });

  it('numeric and date operators compare plain values', () => {
    assert.equal(test({ NumericLessThanEquals: { 'kms:RecipientAttestation:PCR0': '5' } }, { 'kms:RecipientAttestation:PCR0': '3' }), 'yes');
    assert.equal(test({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2019-01-01T00:00:00Z' }), 'no');
    assert.equal(test({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.7' }), 'maybe');
  });
});
