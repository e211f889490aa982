/**
 * Trails in saved `aws cloudtrail describe-trails` / `get-trail` output: CTK001 for a trail
 * the API returns without a `KmsKeyId` (or with an empty one), CTK003 / CTK004 from the
 * `aws kms describe-key` output of its key saved in the same folder, CTK202 from
 * `LogFileValidationEnabled`. Any `.json` name: the content decides.
 */
import * as assert from 'node:assert/strict';
import { ruleTests } from '../../../support/ruleTester';
import { memoryAnalyzer, memUri } from '../../../support/engine';
import { KEY_ARN, KEY_ID, describeKey, describeTrails, lineOf, trail, trailArn } from './cliOutput';

const UNENCRYPTED = describeTrails(trail('unencrypted'));
const EMPTY_KEY = describeTrails(trail('encrypted', { KmsKeyId: KEY_ARN }), trail('empty-key', { KmsKeyId: '' }));
const NULL_KEY = describeTrails(trail('null-key', { KmsKeyId: null }));
const ENCRYPTED = describeTrails(trail('encrypted', { KmsKeyId: KEY_ARN }));
const GET_TRAIL = `${JSON.stringify({ Trail: trail('single') }, null, 4)}\n`;
const shadow = (homeRegion: string) => describeTrails(trail('org-wide', { HomeRegion: homeRegion }));

ruleTests('CTK001', {
  valid: [
    { name: 'describe-trails: a trail with a KmsKeyId', files: { 'trails.json': ENCRYPTED } },
    { name: 'describe-trails: no trail in the Region', files: { 'trails.json': describeTrails() } },
    { name: 'describe-trails cut short (not strict JSON): not judged', files: { 'trails.json': UNENCRYPTED.slice(0, UNENCRYPTED.length - 10) } },
    {
      name: 'a multi-Region trail listed in each Region\'s file is reported in the file of its home Region only',
      files: { 'trails-eu-west-1.json': shadow('us-east-1'), 'trails-us-east-1.json': shadow('us-east-1') },
    },
  ],
  invalid: [
    {
      name: 'describe-trails: no KmsKeyId member, reported on the trail object',
      files: { 'cli-output.json': UNENCRYPTED },
      errors: [{ messageId: 'missing', line: 3, data: { trail: trailArn('unencrypted'), attribute: 'KmsKeyId' } }],
    },
    {
      name: 'describe-trails: an empty KmsKeyId, reported on it',
      files: { 'trails.json': EMPTY_KEY },
      errors: [{ messageId: 'empty', line: lineOf(EMPTY_KEY, '"KmsKeyId": ""'), data: { trail: trailArn('empty-key'), value: '""' } }],
    },
    {
      name: 'describe-trails: a null KmsKeyId',
      files: { 'trails.json': NULL_KEY },
      errors: [{ messageId: 'empty', line: lineOf(NULL_KEY, '"KmsKeyId": null'), data: { value: 'null' } }],
    },
    {
      name: 'get-trail output ({"Trail": …}) without a key',
      files: { 'trail.json': GET_TRAIL },
      errors: [{ messageId: 'missing', line: 2, data: { trail: trailArn('single') } }],
    },
    {
      name: 'the home Region\'s file reports the trail its other Regions also list',
      files: { 'trails-eu-west-1.json': shadow('us-east-1'), 'trails-us-east-1.json': shadow('us-east-1') },
      file: 'trails-us-east-1.json',
      errors: [{ messageId: 'missing', line: 3 }],
    },
    {
      name: 'no file named after the home Region: the first file listing the trail reports it',
      files: { 'a.json': shadow('ap-south-1'), 'b.json': shadow('ap-south-1') },
      errors: [{ messageId: 'missing', line: 3 }],
    },
  ],
});

const withKey = (members: Record<string, unknown>) => ({ 'trails.json': ENCRYPTED, [`${KEY_ID}.describe-key.json`]: describeKey(members) });
const KEY_LINE = lineOf(ENCRYPTED, '"KmsKeyId"');

ruleTests('CTK003', {
  valid: [
    { name: 'describe-key: a symmetric customer-managed key', files: withKey({}) },
    { name: 'the key is not described: the ARN alone is a key ARN', files: { 'trails.json': ENCRYPTED } },
    { name: 'an AWS-managed key described in another folder is not this folder\'s', files: { 'trails.json': ENCRYPTED, [`other/${KEY_ID}.describe-key.json`]: describeKey({ KeyManager: 'AWS' }) } },
    { name: 'a multi-Region key', files: withKey({ MultiRegion: true }) },
  ],
  invalid: [
    {
      name: 'describe-key says KeyManager AWS',
      files: withKey({ KeyManager: 'AWS' }),
      errors: [{ messageId: 'awsManaged', line: KEY_LINE, data: { trail: trailArn('encrypted'), key: KEY_ARN } }],
    },
    {
      name: 'describe-key says KeySpec RSA_2048',
      files: withKey({ KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
      errors: [{ messageId: 'unsuitableKey', line: KEY_LINE, data: { setting: 'KeySpec', actual: 'RSA_2048', expected: 'SYMMETRIC_DEFAULT' } }],
    },
    {
      name: 'older describe-key output with only CustomerMasterKeySpec, an HMAC key',
      files: withKey({ KeySpec: undefined, CustomerMasterKeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      errors: [{ messageId: 'unsuitableKey', line: KEY_LINE, data: { setting: 'CustomerMasterKeySpec', actual: 'HMAC_256' } }],
    },
    {
      name: 'describe-key says KeyUsage SIGN_VERIFY',
      files: withKey({ KeyUsage: 'SIGN_VERIFY' }),
      errors: [{ messageId: 'unsuitableKey', line: KEY_LINE, data: { setting: 'KeyUsage', actual: 'SIGN_VERIFY', expected: 'ENCRYPT_DECRYPT' } }],
    },
    {
      name: 'a KmsKeyId naming an AWS-managed alias, no describe-key needed',
      files: { 'trails.json': describeTrails(trail('alias', { KmsKeyId: `arn:aws:kms:us-east-1:111122223333:alias/aws/s3` })) },
      errors: [{ messageId: 'awsManaged', line: KEY_LINE }],
    },
    {
      name: 'a KmsKeyId that is not a KMS ARN',
      files: { 'trails.json': describeTrails(trail('broken', { KmsKeyId: 'arn:aws:kms:us-east-1:key/0a1b' })) },
      errors: [{ messageId: 'malformed', line: KEY_LINE, data: { attribute: 'KmsKeyId' } }],
    },
  ],
});

ruleTests('CTK004', {
  valid: [{ name: 'describe-key: an enabled key', files: withKey({}) }],
  invalid: [
    {
      name: 'describe-key: a disabled key',
      files: withKey({ Enabled: false, KeyState: 'Disabled' }),
      errors: [{ messageId: 'disabled', line: KEY_LINE, data: { key: KEY_ARN, setting: 'Enabled', value: 'false' } }],
    },
    {
      name: 'describe-key: a key pending deletion',
      files: withKey({ Enabled: false, KeyState: 'PendingDeletion', DeletionDate: '2025-04-04T10:11:12.345000+00:00' }),
      errors: [{ messageId: 'disabled', line: KEY_LINE }],
    },
  ],
});

const VALIDATION_OFF = describeTrails(trail('no-digests', { LogFileValidationEnabled: false, KmsKeyId: KEY_ARN }));
ruleTests('CTK202', {
  valid: [
    { name: 'describe-trails: LogFileValidationEnabled true', files: { 'trails.json': ENCRYPTED } },
    { name: 'a trail object without LogFileValidationEnabled says nothing either way', files: { 'trails.json': describeTrails(trail('x', { LogFileValidationEnabled: undefined, KmsKeyId: KEY_ARN })) } },
  ],
  invalid: [
    {
      name: 'describe-trails: LogFileValidationEnabled false',
      files: { 'trails.json': VALIDATION_OFF },
      errors: [{ messageId: 'disabled', line: lineOf(VALIDATION_OFF, '"LogFileValidationEnabled"'), data: { attribute: 'LogFileValidationEnabled', value: 'false' } }],
    },
  ],
});

describe('AWS CLI trails: what a user sees', () => {
  it('CTK003 and CTK004 point back at the describe-key member that says so', async () => {
    const files = withKey({ KeyManager: 'AWS', Enabled: false, KeyState: 'Disabled' });
    const findings = (await memoryAnalyzer(files)).analyze(memUri('trails.json'));
    const describeUri = memUri(`${KEY_ID}.describe-key.json`);
    const related = (rule: string) => findings.find((f) => f.ruleId === rule)!.relatedInformation.map((r) => `${r.location.uri === describeUri ? 'describe-key' : r.location.uri}:${r.location.range.start.line + 1}`);
    assert.deepEqual(related('CTK003'), [`describe-key:${lineOf(files[`${KEY_ID}.describe-key.json`], '"KeyManager"')}`]);
    assert.deepEqual(related('CTK004'), [`describe-key:${lineOf(files[`${KEY_ID}.describe-key.json`], '"Enabled"')}`]);
  });

  it('offers no fix: the output is a copy of what is deployed', async () => {
    const findings = (await memoryAnalyzer({ 'trails.json': describeTrails(trail('a'), trail('b', { KmsKeyId: '', LogFileValidationEnabled: false })) })).analyze(memUri('trails.json'));
    assert.deepEqual(findings.map((f) => f.ruleId), ['CTK001', 'CTK202', 'CTK001']);
    assert.deepEqual(findings.flatMap((f) => f.fixes.map((x) => x.title)), []);
  });

  it('a JSON file that is neither AWS CLI output nor anything else read gets no finding', async () => {
    const findings = (await memoryAnalyzer({ 'package.json': '{"name": "x", "Trail": "not an object"}\n' })).analyze(memUri('package.json'));
    assert.deepEqual(findings, []);
  });
});
