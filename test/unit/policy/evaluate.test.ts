import * as assert from 'node:assert/strict';
import { isAllowed, parsePolicy } from '../../../server/src/engine/policy';
import type { PolicyDecision, PolicyRequest } from '../../../server/src/engine/policy';
import { jsonToValue } from './jsonToValue';
import type { Json } from './jsonToValue';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main';

const cloudtrailEncrypts: PolicyRequest = {
  principal: { type: 'Service', id: 'cloudtrail.amazonaws.com' },
  action: 'kms:GenerateDataKey',
  context: { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL, 'aws:SourceArn': TRAIL, 'aws:SourceAccount': '111122223333' },
};

const evaluate = (statements: Json[], request: PolicyRequest = cloudtrailEncrypts): PolicyDecision =>
  isAllowed(parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: statements })), request);

/** Sids, to compare statements readably. */
const sids = (d: PolicyDecision) => ({
  decision: d.decision, allowedBy: d.allowedBy.map((s) => s.sid), deniedBy: d.deniedBy.map((s) => s.sid), certain: d.certain,
});

const grant = (sid: string, extra: Record<string, Json> = {}): Json => ({
  Sid: sid, Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', ...extra,
});

describe('isAllowed', () => {
  it('allows what an Allow statement grants', () => {
    assert.deepEqual(sids(evaluate([grant('Encrypt')])), { decision: 'allow', allowedBy: ['Encrypt'], deniedBy: [], certain: true });
  });

  it('denies implicitly what nothing grants', () => {
    const decision = evaluate([grant('Describe', { Action: 'kms:DescribeKey' })]);
    assert.deepEqual(sids(decision), { decision: 'implicit-deny', allowedBy: [], deniedBy: [], certain: true });
  });

  it('lets an explicit Deny beat an Allow', () => {
    const decision = evaluate([
      grant('Encrypt'),
      { Sid: 'NoCloudTrail', Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey*', Resource: '*' },
    ]);
    assert.deepEqual(sids(decision), { decision: 'explicit-deny', allowedBy: ['Encrypt'], deniedBy: ['NoCloudTrail'], certain: true });
  });

  it('handles NotAction: everything but the listed actions', () => {
    assert.equal(evaluate([{ Sid: 'AllButDelete', Effect: 'Allow', Principal: '*', NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }]).decision, 'allow');
    assert.equal(evaluate([{ Sid: 'AllButGenerate', Effect: 'Allow', Principal: '*', NotAction: 'kms:Generate*', Resource: '*' }]).decision, 'implicit-deny');
  });

  it('handles NotPrincipal: a Deny for everybody but the listed principals', () => {
    const denyOthers = (allowed: string): Json => ({ Sid: 'OnlyListed', Effect: 'Deny', NotPrincipal: { Service: allowed }, Action: 'kms:*', Resource: '*' });
    assert.equal(evaluate([grant('Encrypt'), denyOthers('cloudtrail.amazonaws.com')]).decision, 'allow');
    assert.equal(evaluate([grant('Encrypt'), denyOthers('logs.amazonaws.com')]).decision, 'explicit-deny');
  });

  it('applies conditions, a Deny with StringNotEquals included', () => {
    const scopedDeny: Json = { Sid: 'OtherAccounts', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceAccount': '111122223333' } } };
    assert.equal(evaluate([grant('Encrypt'), scopedDeny]).decision, 'allow');
    const other = { ...cloudtrailEncrypts, context: { ...cloudtrailEncrypts.context, 'aws:SourceAccount': '444455556666' } };
    assert.equal(evaluate([grant('Encrypt'), scopedDeny], other).decision, 'explicit-deny');
  });

  it('counts an Allow that may match as allowing, but not certainly', () => {
    const decision = evaluate([grant('Encrypt', { Condition: { StringEquals: { 'aws:SourceAccount': { $unknown: 'var.account_id' } } } })]);
    assert.deepEqual(sids(decision), { decision: 'allow', allowedBy: ['Encrypt'], deniedBy: [], certain: false });
  });

  it('does not let a Deny that only may match decide; it is reported as possible', () => {
    const decision = evaluate([
      grant('Encrypt'),
      { Sid: 'MaybeDeny', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceAccount': '${account_id}' } } },
    ]);
    assert.equal(decision.decision, 'allow');
    assert.equal(decision.certain, false);
    assert.deepEqual(decision.possiblyDeniedBy.map((s) => s.sid), ['MaybeDeny']);
  });

  it('treats a statement present under one branch of a conditional as a maybe', () => {
    const decision = evaluate([{ $oneOf: [grant('Encrypt'), { $noValue: true }] }]);
    assert.equal(decision.decision, 'allow');
    assert.equal(decision.certain, false);
  });

  it('is not certain of an implicit deny when some statements could not be seen', () => {
    const policy = parsePolicy(jsonToValue({ Version: '2012-10-17', Statement: [{ $unknown: 'var.extra_statement' }] }));
    assert.deepEqual(sids(isAllowed(policy, cloudtrailEncrypts)), { decision: 'implicit-deny', allowedBy: [], deniedBy: [], certain: false });
  });

  it('checks Resource against the key', () => {
    const onKey = (resource: string) => evaluate([grant('Encrypt', { Resource: resource })], { ...cloudtrailEncrypts, resource: 'arn:aws:kms:us-east-1:111122223333:key/abcd' }).decision;
    assert.equal(onKey('arn:aws:kms:us-east-1:111122223333:key/abcd'), 'allow');
    assert.equal(onKey('arn:aws:kms:*:111122223333:key/*'), 'allow');
    assert.equal(onKey('arn:aws:s3:::bucket/*'), 'implicit-deny');
  });

  it('reads unlisted context keys as absent by default, or as unknown when asked', () => {
    const needsOrg = [grant('Encrypt', { Condition: { StringEquals: { 'aws:SourceOrgID': 'o-abc' } } })];
    assert.equal(evaluate(needsOrg).decision, 'implicit-deny');
    const decision = evaluate(needsOrg, { ...cloudtrailEncrypts, unlistedKeys: 'unknown' });
    assert.equal(decision.decision, 'allow');
    assert.equal(decision.certain, false);
  });
});
