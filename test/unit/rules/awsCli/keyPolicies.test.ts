/**
 * Key policies in saved `aws kms get-key-policy` output, linked to their key by the key id in
 * the file name and judged for the trails of the same folder whose `KmsKeyId` names that key.
 * In the JSON form the policy is a string: findings land on the statement inside the string,
 * positions mapped through its escapes.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../../server/src/engine';
import { ruleTests } from '../../../support/ruleTester';
import { memoryAnalyzer, memUri } from '../../../support/engine';
import {
  ACCOUNT, DEFAULT_POLICY, DESCRIBE_STATEMENT, ENCRYPT_STATEMENT, KEY_ARN, KEY_ID, READERS_STATEMENT, ROOT_STATEMENT,
  bareKeyPolicy, cloudTrailPolicy, describeKey, describeTrails, getKeyPolicy, lineOf, trail, trailArn,
} from './cliOutput';

const POLICY_FILE = `${KEY_ID}.key-policy.json`;
const TRAILS = describeTrails(trail('audit', { KmsKeyId: KEY_ARN }));
/** The trails file, and the policy file named after the key. */
const linked = (policy: string, name = POLICY_FILE): Record<string, string> => ({ [name]: policy, 'trails.json': TRAILS });

const UNSCOPED = { ...ENCRYPT_STATEMENT('audit'), Condition: undefined };
const DECRYPT_ANYONE = { ...READERS_STATEMENT, Condition: { StringLike: READERS_STATEMENT.Condition.StringLike } };
const MISSPELLED = { ...ENCRYPT_STATEMENT('audit'), Action: 'kms:GenerateDataKeys' };

ruleTests('CTK101', {
  valid: [
    { name: 'get-key-policy JSON output with AWS\'s CloudTrail statements', files: linked(getKeyPolicy(cloudTrailPolicy('audit'))) },
    { name: 'the bare policy (--query Policy --output text) with them', files: linked(bareKeyPolicy(cloudTrailPolicy('audit'))) },
    { name: 'the default policy of a key no trail of the folder uses', files: { [POLICY_FILE]: getKeyPolicy(DEFAULT_POLICY), 'trails.json': describeTrails(trail('other')) } },
    { name: 'a policy file whose name holds no key id is not linked to the trail', files: linked(getKeyPolicy(DEFAULT_POLICY), 'key-policy.json') },
    { name: 'a name with two key ids links to neither', files: linked(getKeyPolicy(DEFAULT_POLICY), `${KEY_ID}-or-0a1b2c3d-9999-4a5b-8c9d-0123456789ab.json`) },
    { name: 'a trail in another folder does not use this folder\'s key', files: { [POLICY_FILE]: getKeyPolicy(DEFAULT_POLICY), 'other/trails.json': TRAILS } },
  ],
  invalid: [
    {
      name: 'get-key-policy JSON output: the default policy, shown on "Statement" inside the string',
      files: linked(getKeyPolicy(DEFAULT_POLICY)),
      errors: [{ messageId: 'missing', line: 2, data: { key: KEY_ARN, trail: trailArn('audit') } }],
    },
    {
      name: 'the bare policy: the default policy',
      files: linked(bareKeyPolicy(DEFAULT_POLICY)),
      errors: [{ messageId: 'missing', line: lineOf(bareKeyPolicy(DEFAULT_POLICY), '"Statement"') }],
    },
    {
      name: 'the key id anywhere in the name, a multi-Region key id',
      files: {
        'key-policy-mrk-0a1b2c3d44444a5b8c9d0123456789ab.json': getKeyPolicy(DEFAULT_POLICY),
        'trails.json': describeTrails(trail('audit', { KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/mrk-0a1b2c3d44444a5b8c9d0123456789ab' })),
      },
      errors: [{ messageId: 'missing', line: 2, data: { key: 'arn:aws:kms:us-east-1:111122223333:key/mrk-0a1b2c3d44444a5b8c9d0123456789ab' } }],
    },
    {
      name: 'the grant is scoped to another trail: CloudTrail\'s request for this one never matches',
      files: linked(getKeyPolicy(cloudTrailPolicy('other', [ROOT_STATEMENT, ENCRYPT_STATEMENT('other'), DESCRIBE_STATEMENT, READERS_STATEMENT]))),
      errors: [{ messageId: 'conditionNamesOther', line: 2, data: { condition: 'aws:SourceArn', written: 'trail other', actual: 'is named audit' } }],
    },
    {
      name: 'an organization trail: a member account in the encryption-context pattern never matches its ARN, which carries the management account',
      files: {
        [POLICY_FILE]: getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, { ...ENCRYPT_STATEMENT('audit'), Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:444455556666:trail/*' } } }, DESCRIBE_STATEMENT, READERS_STATEMENT])),
        'trails.json': describeTrails({ ...trail('audit', { KmsKeyId: KEY_ARN }), IsOrganizationTrail: true }),
      },
      errors: [{ messageId: 'conditionNamesOther', line: 2, data: { written: 'account 444455556666', actual: `is an organization trail, which belongs to the management account ${ACCOUNT}` } }],
    },
    {
      name: 'a misspelled action',
      files: linked(getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, MISSPELLED, DESCRIBE_STATEMENT, READERS_STATEMENT]))),
      errors: [{ messageId: 'misspelledAction', line: 2, data: { action: 'kms:GenerateDataKeys' } }],
    },
  ],
});

ruleTests('CTK102', {
  valid: [{ name: 'get-key-policy: the grant is scoped to the trail', files: linked(getKeyPolicy(cloudTrailPolicy('audit'))) }],
  invalid: [{
    name: 'get-key-policy: a GenerateDataKey* grant without conditions',
    files: linked(getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, UNSCOPED, DESCRIBE_STATEMENT, READERS_STATEMENT]))),
    errors: [{ messageId: 'unscoped', line: 2 }],
  }],
});

ruleTests('CTK103', {
  valid: [{ name: 'get-key-policy: DescribeKey granted', files: linked(getKeyPolicy(cloudTrailPolicy('audit'))) }],
  invalid: [
    {
      name: 'get-key-policy: no DescribeKey for CloudTrail',
      files: linked(getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, ENCRYPT_STATEMENT('audit'), READERS_STATEMENT]))),
      errors: [{ messageId: 'missing', line: 2 }],
    },
    {
      name: 'JSON output saved under a name without a key id, written for CloudTrail: judged on its own',
      files: { 'saved-policy.json': getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, ENCRYPT_STATEMENT('audit'), READERS_STATEMENT])) },
      errors: [{ messageId: 'missing', line: 2, data: { policy: 'This key policy' } }],
    },
  ],
});

ruleTests('CTK105', {
  valid: [{ name: 'get-key-policy: Decrypt limited to the account', files: linked(getKeyPolicy(cloudTrailPolicy('audit'))) }],
  invalid: [{
    name: 'get-key-policy: Decrypt for any AWS principal',
    files: linked(getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, ENCRYPT_STATEMENT('audit'), DESCRIBE_STATEMENT, DECRYPT_ANYONE]))),
    errors: [{ messageId: 'tooBroad', line: 2 }],
  }],
});

ruleTests('CTK106', {
  valid: [{ name: 'get-key-policy: a well-formed policy', files: linked(getKeyPolicy(cloudTrailPolicy('audit'))) }],
  invalid: [{
    name: 'get-key-policy: a misspelled Effect',
    files: linked(getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, ENCRYPT_STATEMENT('audit'), { ...DESCRIBE_STATEMENT, Effect: 'Allwo' }, READERS_STATEMENT]))),
    errors: [{ messageId: 'invalidEffect', line: 2 }],
  }],
});

const findingsOf = async (files: Record<string, string>, file = POLICY_FILE): Promise<Finding[]> => (await memoryAnalyzer(files)).analyze(memUri(file));
/** The text a finding's range covers, in its file. */
const covered = (text: string, finding: Finding): string => {
  const lines = text.split('\n');
  assert.equal(finding.range.start.line, finding.range.end.line, 'one line');
  return lines[finding.range.start.line].slice(finding.range.start.character, finding.range.end.character);
};

describe('get-key-policy output: where findings land', () => {
  it('a statement finding covers the statement\'s Sid entry as written inside the Policy string, escapes included', async () => {
    const policy = getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, UNSCOPED, DESCRIBE_STATEMENT, READERS_STATEMENT]));
    const [finding] = (await findingsOf(linked(policy))).filter((f) => f.ruleId === 'CTK102');
    assert.equal(covered(policy, finding), '\\"Sid\\" : \\"Allow CloudTrail to encrypt logs\\"');
  });

  it('a finding about the policy as a whole covers "Statement" inside the string', async () => {
    const policy = getKeyPolicy(DEFAULT_POLICY);
    const [finding] = (await findingsOf(linked(policy))).filter((f) => f.ruleId === 'CTK101');
    assert.equal(covered(policy, finding), '\\"Statement\\"');
  });

  it('positions hold through \\u escapes and escaped slashes before the statement', async () => {
    const policy = getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, UNSCOPED, DESCRIBE_STATEMENT, READERS_STATEMENT]))
      .replace('Key policy created by CloudTrail', 'Key policy \\u00e9crite \\/ CloudTrail');
    JSON.parse(policy);
    const [finding] = (await findingsOf(linked(policy))).filter((f) => f.ruleId === 'CTK102');
    assert.equal(covered(policy, finding), '\\"Sid\\" : \\"Allow CloudTrail to encrypt logs\\"');
  });

  it('names the trails that break and points back at their KmsKeyId', async () => {
    const trails = describeTrails(trail('audit', { KmsKeyId: KEY_ARN }), trail('second', { KmsKeyId: KEY_ARN }));
    const [finding] = (await findingsOf({ [POLICY_FILE]: getKeyPolicy(DEFAULT_POLICY), 'trails.json': trails })).filter((f) => f.ruleId === 'CTK101');
    assert.match(finding.message, /so arn:aws:cloudtrail:us-east-1:111122223333:trail\/audit \(and 1 more\) cannot deliver log files/);
    assert.deepEqual(finding.relatedInformation.map((r) => `${r.location.uri.slice(r.location.uri.lastIndexOf('/') + 1)}:${r.location.range.start.line + 1} ${r.message}`), [
      `trails.json:${lineOf(trails, '"KmsKeyId"')} ${trailArn('audit')} encrypts its logs with ${KEY_ARN}`,
      `trails.json:${lineOf(trails, '"KmsKeyId"', '"second"')} ${trailArn('second')} encrypts its logs with ${KEY_ARN}`,
    ]);
  });

  it('names the key by the ARN its describe-key prints when no trail names it', async () => {
    const policy = getKeyPolicy(cloudTrailPolicy('audit', [ROOT_STATEMENT, ENCRYPT_STATEMENT('audit'), READERS_STATEMENT]));
    const [finding] = (await findingsOf({ [POLICY_FILE]: policy, [`${KEY_ID}.describe-key.json`]: describeKey() })).filter((f) => f.ruleId === 'CTK103');
    assert.equal(finding.resource, KEY_ARN);
  });

  it('offers no fix on either form', async () => {
    for (const policy of [getKeyPolicy(DEFAULT_POLICY), bareKeyPolicy(DEFAULT_POLICY)]) {
      const findings = await findingsOf(linked(policy));
      assert.deepEqual(findings.map((f) => f.ruleId), ['CTK101', 'CTK103']);
      assert.deepEqual(findings.flatMap((f) => f.fixes.map((x) => x.title)), []);
    }
  });

  it('a Policy string that is not JSON, or holds no Statement, is not read as a key policy', async () => {
    for (const policy of ['{"Policy": "{not json", "PolicyName": "default"}\n', '{"Policy": "{\\"Version\\": \\"2012-10-17\\"}", "PolicyName": "default"}\n', '{"Policy": "{\\"Statement\\": [] \\", "PolicyName": "default"}\n']) {
      assert.deepEqual(await findingsOf(linked(policy)), [], policy);
    }
  });
});
