/**
 * Trails and keys in a Terraform or OpenTofu state (`terraform show -json` with no plan file):
 * CTK001 on an empty or null `kms_key_id`, CTK003 / CTK004 on the key's stored values, the
 * key-policy rules on the `policy` JSON string of the `aws_kms_key` the trail's ARN names,
 * CTK201 / CTK202, and JSON that only looks like a state. The fixture is
 * test/fixtures/deployed/state.json (written from Terraform's "JSON Output Format"); variants
 * are made from it here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleTests, type ValidCase } from '../../support/ruleTester';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

type State = Record<string, any>;

const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'deployed', name), 'utf8');
const stateOf = (): State => JSON.parse(fixture('state.json')) as State;
/** The fixture changed by `edit`, written back as `terraform show -json | jq .` prints it. */
const variant = (edit: (state: State) => void): string => {
  const state = stateOf();
  edit(state);
  return `${JSON.stringify(state, null, 2)}\n`;
};
/** The 1-based line of the first occurrence of `needle` after `after` (a resource's address). */
const lineOf = (text: string, needle: string, after = ''): number => {
  const at = text.indexOf(needle, text.indexOf(after));
  assert.ok(at >= 0 && text.includes(after), `${needle} is not in the text`);
  return text.slice(0, at).split('\n').length;
};
const resource = (state: State, address: string): State =>
  [state.values.root_module, ...state.values.root_module.child_modules].flatMap((m: State) => m.resources).find((r: State) => r.address === address);
const setValue = (address: string, name: string, value: unknown): string => variant((state) => {
  resource(state, address).values[name] = value;
});

const STATE = fixture('state.json');
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4a5b-8c9d-0123456789ab';
/** Only the encrypted trail and its key: no finding at all. */
const GOOD = variant((state) => {
  state.values.root_module.resources = state.values.root_module.resources.filter((r: State) => r.address !== 'aws_cloudtrail.unencrypted');
  delete state.values.root_module.child_modules;
});
const goodWith = (address: string, name: string, value: unknown): string => {
  const state = JSON.parse(GOOD) as State;
  state.values.root_module.resources.find((r: State) => r.address === address).values[name] = value;
  return `${JSON.stringify(state, null, 2)}\n`;
};
/** What `terraform show -json` prints: one line. */
const COMPACT = `${JSON.stringify(stateOf())}\n`;
const NULL_KEY = setValue('aws_cloudtrail.unencrypted', 'kms_key_id', null);
/** The key's policy is KMS's default one: only the account, nothing for CloudTrail. */
const DEFAULT_POLICY = goodWith('aws_kms_key.trail', 'policy', JSON.stringify({
  Version: '2012-10-17', Id: 'key-default-1',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
}));
/** The trail names the key by an alias ARN; the state's `aws_kms_alias` with that `arn` targets the key by id. */
const THROUGH_ALIAS = (() => {
  const state = JSON.parse(DEFAULT_POLICY) as State;
  const resources: State[] = state.values.root_module.resources;
  resources.find((r) => r.address === 'aws_cloudtrail.encrypted')!.values.kms_key_id = 'arn:aws:kms:us-east-1:111122223333:alias/trail-logs';
  resources.push({
    address: 'aws_kms_alias.trail', mode: 'managed', type: 'aws_kms_alias', name: 'trail', provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0,
    values: { arn: 'arn:aws:kms:us-east-1:111122223333:alias/trail-logs', id: 'alias/trail-logs', name: 'alias/trail-logs', name_prefix: '', target_key_arn: KEY_ARN, target_key_id: '0a1b2c3d-1111-4a5b-8c9d-0123456789ab' },
    sensitive_values: {},
  });
  return `${JSON.stringify(state, null, 2)}\n`;
})();
const ROTATION_OFF = goodWith('aws_kms_key.trail', 'enable_key_rotation', false);
const KEY_DISABLED = goodWith('aws_kms_key.trail', 'is_enabled', false);
const RSA_KEY = goodWith('aws_kms_key.trail', 'customer_master_key_spec', 'RSA_2048');
const AWS_MANAGED = goodWith('aws_cloudtrail.encrypted', 'kms_key_id', 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3');
const VALIDATION_OFF = goodWith('aws_cloudtrail.encrypted', 'enable_log_file_validation', false);
/** A key ARN that no key of the state has: a key managed elsewhere, of which nothing is known. */
const OTHER_KEY = goodWith('aws_cloudtrail.encrypted', 'kms_key_id', 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-9999-4a5b-8c9d-0123456789ab');
/** A data source's attributes are read, not managed: a `data "aws_cloudtrail_service_account"` or a looked-up trail is not judged. */
const DATA_TRAIL = variant((state) => {
  for (const r of state.values.root_module.resources) if (r.address === 'aws_cloudtrail.unencrypted') Object.assign(r, { mode: 'data', address: 'data.aws_cloudtrail.unencrypted' });
});
const EMPTY_STATE = fixture('state-empty.json');
const FUTURE_FORMAT = variant((state) => {
  state.format_version = '2.0';
});
const TRUNCATED = STATE.slice(0, STATE.indexOf('"aws_cloudtrail.encrypted"'));
/** A plan also holds `values.root_module` under `prior_state`: only the plan reader judges it. */
const PLAN_SHAPED = variant((state) => {
  state.prior_state = { format_version: '1.0', values: state.values };
});

const NOT_STATES: ValidCase[] = [
  { name: 'an empty state (format_version only)', files: { 'state.json': EMPTY_STATE } },
  { name: 'a format major version this reader does not know', files: { 'state.json': FUTURE_FORMAT } },
  { name: 'a truncated state', files: { 'state.json': TRUNCATED } },
  { name: 'a trail read by a data source', files: { 'state.json': DATA_TRAIL }, file: 'state.json' },
  { name: 'JSON with plan sections beside values (prior_state)', files: { 'show.json': PLAN_SHAPED } },
];

ruleTests('CTK001', {
  valid: [
    { name: 'a state trail whose kms_key_id is its key\'s ARN', files: { 'state.json': GOOD } },
    { name: 'a key ARN no resource of the state has (a key managed elsewhere)', files: { 'state.json': OTHER_KEY } },
    ...NOT_STATES,
  ],
  invalid: [
    {
      name: 'state: kms_key_id "" (what the provider stores for a trail without a key)',
      files: { 'state.json': STATE },
      errors: [{ messageId: 'empty', line: 28, data: { trail: 'aws_cloudtrail.unencrypted', value: '""' } }],
    },
    {
      name: 'state: kms_key_id null',
      files: { 'state.json': NULL_KEY },
      errors: [{ messageId: 'missing', line: lineOf(NULL_KEY, '"address": "aws_cloudtrail.unencrypted"') - 1, data: { trail: 'aws_cloudtrail.unencrypted' } }],
    },
    {
      name: 'state: the one line terraform show -json prints',
      files: { 'terraform.tfstate.json': COMPACT },
      errors: [{ messageId: 'empty', line: 1, data: { trail: 'aws_cloudtrail.unencrypted' } }],
    },
  ],
});

ruleTests('CTK003', {
  valid: [{ name: 'state: a symmetric customer key', files: { 'state.json': GOOD } }, ...NOT_STATES],
  invalid: [
    {
      name: 'state: the alias ARN of alias/aws/s3',
      files: { 'state.json': AWS_MANAGED },
      errors: [{ messageId: 'awsManaged', line: lineOf(AWS_MANAGED, '"kms_key_id"'), data: { trail: 'aws_cloudtrail.encrypted' } }],
    },
    {
      name: 'state: the key the ARN names is RSA_2048',
      files: { 'state.json': RSA_KEY },
      errors: [{ messageId: 'unsuitableKey', line: lineOf(RSA_KEY, '"kms_key_id"'), data: { key: 'aws_kms_key.trail', actual: 'RSA_2048' } }],
    },
  ],
});

ruleTests('CTK004', {
  valid: [{ name: 'state: the key is enabled', files: { 'state.json': GOOD } }],
  invalid: [
    {
      name: 'state: the key the trail\'s ARN names has is_enabled false',
      files: { 'state.json': KEY_DISABLED },
      errors: [{ messageId: 'disabled', line: lineOf(KEY_DISABLED, '"kms_key_id"'), data: { key: 'aws_kms_key.trail', setting: 'is_enabled' } }],
    },
  ],
});

ruleTests('CTK101', {
  valid: [{ name: 'state: the key policy has AWS\'s trail statements', files: { 'state.json': GOOD } }],
  invalid: [
    {
      name: 'state: the key the trail\'s ARN names has KMS\'s default policy',
      files: { 'state.json': DEFAULT_POLICY },
      errors: [{ messageId: 'missing', line: lineOf(DEFAULT_POLICY, '"policy"'), data: { key: 'aws_kms_key.trail' } }],
    },
    {
      name: 'state: the same key reached through the aws_kms_alias whose arn the trail names',
      files: { 'state.json': THROUGH_ALIAS },
      errors: [{ messageId: 'missing', line: lineOf(THROUGH_ALIAS, '"policy"'), data: { key: 'aws_kms_key.trail' } }],
    },
  ],
});

ruleTests('CTK201', {
  valid: [{ name: 'state: rotation on', files: { 'state.json': GOOD } }],
  invalid: [
    {
      name: 'state: enable_key_rotation false on the trail\'s key',
      files: { 'state.json': ROTATION_OFF },
      errors: [{ messageId: 'disabled', line: lineOf(ROTATION_OFF, '"enable_key_rotation"') }],
    },
  ],
});

ruleTests('CTK202', {
  valid: [{ name: 'state: validation on', files: { 'state.json': GOOD } }],
  invalid: [
    {
      name: 'state: enable_log_file_validation false',
      files: { 'state.json': VALIDATION_OFF },
      errors: [{ messageId: 'disabled', line: lineOf(VALIDATION_OFF, '"enable_log_file_validation"', '"aws_cloudtrail.encrypted"') }],
    },
  ],
});

describe('Terraform state findings', () => {
  it('offer no fix: the state is generated, the configuration is what to change', async () => {
    const files = { 'a.json': STATE, 'b.json': DEFAULT_POLICY, 'c.json': ROTATION_OFF, 'd.json': AWS_MANAGED, 'e.json': VALIDATION_OFF };
    const analyzer = await memoryAnalyzer(files);
    const findings = Object.keys(files).flatMap((name) => analyzer.analyze(memUri(name)));
    // The state's event data store (module.lake) has "kms_key_id": "": CTK301, as test/fixtures/deployed/EXPECTED.tsv says.
    assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['CTK001', 'CTK003', 'CTK101', 'CTK103', 'CTK201', 'CTK202', 'CTK301']);
    for (const finding of findings) assert.deepEqual(finding.fixes, [], `${finding.ruleId} offers ${finding.fixes.map((f) => f.title).join(', ')}`);
  });

  it('name the trail by its state address and squiggle its kms_key_id value', async () => {
    const analyzer = await memoryAnalyzer({ 'state.json': STATE });
    const [finding] = analyzer.analyze(memUri('state.json'));
    assert.equal(finding.resource, 'aws_cloudtrail.unencrypted');
    const lines = STATE.split('\n');
    assert.equal(lines[finding.range.start.line].slice(finding.range.start.character, finding.range.end.character), '"kms_key_id": ""');
  });

  it('link the trail to the key whose arn its kms_key_id equals, in the hover', async () => {
    const analyzer = await memoryAnalyzer({ 'state.json': STATE });
    const hover = analyzer.hover(memUri('state.json'), { line: lineOf(STATE, '"kms_key_id": "arn') - 1, character: 10 }) ?? '';
    assert.match(hover, /\*\*aws_cloudtrail\.encrypted\*\*/);
    assert.match(hover, /aws_kms_key\.trail/);
    assert.ok(STATE.includes(KEY_ARN));
  });
});
