/**
 * Keys in a Terraform plan: the key rules judge the planned `policy` of `aws_kms_key` (or of
 * the `aws_kms_key_policy` for it) and `enable_key_rotation`, for keys a planned trail uses —
 * linked through the plan's `configuration` references (across module calls too) or by a
 * literal ARN — and keys whose policy is written for CloudTrail. Fixtures are in
 * test/fixtures/terraform-plan/, written in Terraform's "JSON Output Format"; variants are
 * made from them here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleTests } from '../../support/ruleTester';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';
import { renderedText } from '../../support/markdown';

type Plan = Record<string, any>;

const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'terraform-plan', name), 'utf8');
const planOf = (name: string): Plan => JSON.parse(fixture(name)) as Plan;
/** A fixture changed by `edit`, written back as `jq` would print it. */
const variant = (name: string, edit: (plan: Plan) => void): string => {
  const plan = planOf(name);
  edit(plan);
  return `${JSON.stringify(plan, null, 2)}\n`;
};
/** The 1-based line of the first occurrence of `needle` (planned_values come first in a plan). */
const lineOf = (text: string, needle: string): number => {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is not in the text`);
  return text.slice(0, at).split('\n').length;
};
const planned = (plan: Plan, address: string): Plan => {
  const modules = [plan.planned_values.root_module, ...(plan.planned_values.root_module.child_modules ?? [])];
  return modules.flatMap((m: Plan) => m.resources ?? []).find((r: Plan) => r.address === address);
};
const changeOf = (plan: Plan, address: string): Plan => plan.resource_changes.find((c: Plan) => c.address === address);
/** Sets a planned value in planned_values and in the change's `after`, as Terraform writes both. */
const setPlanned = (plan: Plan, address: string, name: string, value: unknown): void => {
  planned(plan, address).values[name] = value;
  changeOf(plan, address).change.after[name] = value;
};

const NO_CLOUDTRAIL = fixture('key-policy-no-cloudtrail.json');
const MODULE_GOOD = fixture('key-policy-module.json');
const AFTER_APPLY = fixture('key-policy-after-apply.json');
const DELETED = fixture('key-deleted.json');
const EXISTING_ARN = fixture('key-existing-arn.json');
const POLICY_RESOURCE = fixture('key-policy-resource.json');
const COMPACT_NO_CLOUDTRAIL = `${JSON.stringify(planOf('key-policy-no-cloudtrail.json'))}\n`;

/** The same plan without the configuration: nothing says which key the trail's `kms_key_id` (known after apply) is. */
const NO_CLOUDTRAIL_UNLINKED = variant('key-policy-no-cloudtrail.json', (plan) => {
  plan.configuration.root_module = {};
});
/** The good policy, scoped to a trail named "audit": the module's trail is "org". */
const MODULE_OTHER_TRAIL = MODULE_GOOD.replace(/trail\/org/g, 'trail/audit');
const MODULE_RSA_KEY = variant('key-policy-module.json', (plan) => setPlanned(plan, 'aws_kms_key.trail', 'customer_master_key_spec', 'RSA_2048'));
const ROTATION_OFF = variant('key-policy-no-cloudtrail.json', (plan) => setPlanned(plan, 'aws_kms_key.trail', 'enable_key_rotation', false));
const ROTATION_AFTER_APPLY = variant('key-policy-module.json', (plan) => {
  delete planned(plan, 'aws_kms_key.trail').values.enable_key_rotation;
  delete changeOf(plan, 'aws_kms_key.trail').change.after.enable_key_rotation;
  changeOf(plan, 'aws_kms_key.trail').change.after_unknown.enable_key_rotation = true;
});
/** Hand-trimmed: the deleted key still in planned_values, its change still `["delete"]`. */
const DELETED_BUT_LISTED = variant('key-deleted.json', (plan) => {
  const change = changeOf(plan, 'aws_kms_key.old_trail');
  plan.planned_values.root_module.resources.unshift({
    address: change.address, mode: 'managed', type: change.type, name: change.name, provider_name: change.provider_name,
    schema_version: 0, values: change.change.before, sensitive_values: {},
  });
});
/** The same key kept: its policy, written for CloudTrail, is judged. */
const KEPT = variant('key-deleted.json', (plan) => {
  const change = changeOf(plan, 'aws_kms_key.old_trail');
  Object.assign(change.change, { actions: ['no-op'], after: change.change.before, after_sensitive: {} });
});
/** The trail's ARN names another key than the one in the plan. */
const OTHER_ARN = EXISTING_ARN.replace(/("kms_key_id": "arn:aws:kms:us-east-1:123456789012:key\/)8c3e1f6a/g, '$1ffffffff');
/**
 * Two trails and two keys by `for_each`, each trail taking `aws_kms_key.trail[each.key].arn`
 * (Terraform then lists `aws_kms_key.trail` and `each.key`): each trail is linked to its own
 * instance only. Key "a" trusts only the account; key "b" lets CloudTrail encrypt.
 */
const FOR_EACH = variant('key-policy-no-cloudtrail.json', (plan) => {
  const trail = planned(plan, 'aws_cloudtrail.main');
  const key = planned(plan, 'aws_kms_key.trail');
  const trailChange = changeOf(plan, 'aws_cloudtrail.main');
  const keyChange = changeOf(plan, 'aws_kms_key.trail');
  const root = JSON.parse(key.values.policy).Statement[0];
  const encrypt = { Action: 'kms:GenerateDataKey*', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Resource: '*', Sid: 'CloudTrailEncrypt' };
  const policies: Record<string, string> = { a: key.values.policy, b: JSON.stringify({ Statement: [root, encrypt], Version: '2012-10-17' }) };
  const trails = ['a', 'b'].map((k) => ({ ...trail, address: `aws_cloudtrail.main["${k}"]`, index: k, values: { ...trail.values, name: `main-${k}` } }));
  const keys = ['a', 'b'].map((k) => ({ ...key, address: `aws_kms_key.trail["${k}"]`, index: k, values: { ...key.values, policy: policies[k] } }));
  plan.planned_values.root_module.resources = [...trails, ...keys];
  plan.resource_changes = [
    ...trails.map((t) => ({ ...trailChange, address: t.address, index: t.index, change: { ...trailChange.change, after: t.values } })),
    ...keys.map((k) => ({ ...keyChange, address: k.address, index: k.index, change: { ...keyChange.change, after: k.values } })),
  ];
  plan.configuration.root_module.resources[0].expressions.kms_key_id = { references: ['aws_kms_key.trail', 'each.key'] };
});
/** The trail takes `aws_kms_alias.trail.arn`; the alias, created with the key, targets `aws_kms_key.trail.key_id`. */
const THROUGH_ALIAS = variant('key-policy-no-cloudtrail.json', (plan) => {
  const alias = { name: 'alias/cloudtrail', name_prefix: null };
  plan.planned_values.root_module.resources.splice(1, 0, {
    address: 'aws_kms_alias.trail', mode: 'managed', type: 'aws_kms_alias', name: 'trail',
    provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: alias, sensitive_values: {},
  });
  plan.resource_changes.splice(1, 0, {
    address: 'aws_kms_alias.trail', mode: 'managed', type: 'aws_kms_alias', name: 'trail', provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['create'], before: null, after: alias, after_unknown: { arn: true, id: true, target_key_arn: true, target_key_id: true }, before_sensitive: false, after_sensitive: {} },
  });
  const resources = plan.configuration.root_module.resources;
  resources[0].expressions.kms_key_id = { references: ['aws_kms_alias.trail.arn', 'aws_kms_alias.trail'] };
  resources.splice(1, 0, {
    address: 'aws_kms_alias.trail', mode: 'managed', type: 'aws_kms_alias', name: 'trail', provider_config_key: 'aws',
    expressions: { name: { constant_value: 'alias/cloudtrail' }, target_key_id: { references: ['aws_kms_key.trail.key_id', 'aws_kms_key.trail'] } }, schema_version: 0,
  });
});
/** The key lives in `module.kms`; the root trail takes `module.kms.key_arn`, an output of `aws_kms_key.this.arn`. */
const FROM_MODULE_OUTPUT = variant('key-policy-no-cloudtrail.json', (plan) => {
  const root = plan.planned_values.root_module;
  const key = planned(plan, 'aws_kms_key.trail');
  root.resources = root.resources.filter((r: Plan) => r !== key);
  root.child_modules = [{ address: 'module.kms', resources: [{ ...key, address: 'module.kms.aws_kms_key.this', name: 'this' }] }];
  Object.assign(changeOf(plan, 'aws_kms_key.trail'), { address: 'module.kms.aws_kms_key.this', module_address: 'module.kms', name: 'this' });
  const resources = plan.configuration.root_module.resources;
  const keyConfig = resources.find((r: Plan) => r.address === 'aws_kms_key.trail');
  plan.configuration.root_module.resources = resources.filter((r: Plan) => r !== keyConfig);
  plan.configuration.root_module.resources[0].expressions.kms_key_id = { references: ['module.kms.key_arn', 'module.kms'] };
  plan.configuration.root_module.module_calls = {
    kms: {
      source: './modules/kms',
      module: {
        outputs: { key_arn: { expression: { references: ['aws_kms_key.this.arn', 'aws_kms_key.this'] } } },
        resources: [{ ...keyConfig, address: 'aws_kms_key.this', name: 'this' }],
      },
    },
  };
});
/** The existing trail is pointed at an existing alias by name; the alias targets the legacy key by id. */
const BY_ALIAS_NAME = variant('key-existing-arn.json', (plan) => {
  const keyId = planned(plan, 'aws_kms_key.legacy').values.key_id;
  const alias = { arn: 'arn:aws:kms:us-east-1:123456789012:alias/cloudtrail', id: 'alias/cloudtrail', name: 'alias/cloudtrail', name_prefix: '', target_key_arn: planned(plan, 'aws_kms_key.legacy').values.arn, target_key_id: keyId };
  plan.planned_values.root_module.resources.splice(1, 0, {
    address: 'aws_kms_alias.cloudtrail', mode: 'managed', type: 'aws_kms_alias', name: 'cloudtrail',
    provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: alias, sensitive_values: {},
  });
  plan.resource_changes.splice(1, 0, {
    address: 'aws_kms_alias.cloudtrail', mode: 'managed', type: 'aws_kms_alias', name: 'cloudtrail', provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['no-op'], before: alias, after: alias, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
  });
  setPlanned(plan, 'aws_cloudtrail.main', 'kms_key_id', 'alias/cloudtrail');
});
/** The 1-based line of the first `needle` after `anchor`. */
const lineAfter = (text: string, anchor: string, needle: string): number => {
  const at = text.indexOf(needle, text.indexOf(anchor));
  assert.ok(text.includes(anchor) && at >= 0, `${needle} is not after ${anchor}`);
  return text.slice(0, at).split('\n').length;
};

const keyPolicyLine = (text: string): number => lineOf(text, '"policy": "');

ruleTests('CTK101', {
  valid: [
    { name: 'plan: a key whose policy lets CloudTrail encrypt, used from a child module', files: { 'plan.json': MODULE_GOOD } },
    { name: 'plan: a key policy known only after apply', files: { 'plan.json': AFTER_APPLY } },
    { name: 'plan: a key the apply destroys', files: { 'plan.json': DELETED } },
    { name: 'plan: a destroyed key still listed in planned_values', files: { 'plan.json': DELETED_BUT_LISTED } },
    { name: 'plan: a key no trail is linked to, whose policy does not name CloudTrail', files: { 'plan.json': NO_CLOUDTRAIL_UNLINKED } },
    { name: 'plan: a trail whose literal ARN names another key', files: { 'plan.json': OTHER_ARN } },
    { name: 'plan: a key created with the trail, its policy computed by KMS, no configuration to link them', files: { 'plan.json': fixture('key-after-apply.json') } },
  ],
  invalid: [
    {
      name: 'plan: the trail\'s key (linked by configuration references) trusts only the account',
      files: { 'plan.json': NO_CLOUDTRAIL },
      errors: [{ messageId: 'missing', line: keyPolicyLine(NO_CLOUDTRAIL), data: { key: 'aws_kms_key.trail', policy: 'The key policy of aws_kms_key.trail', trail: 'aws_cloudtrail.main' } }],
    },
    {
      name: 'plan: the one-line JSON terraform show prints',
      files: { 'tfplan.json': COMPACT_NO_CLOUDTRAIL },
      errors: [{ messageId: 'missing', line: 1, data: { key: 'aws_kms_key.trail' } }],
    },
    {
      name: 'plan: an existing key named by its ARN still has the default key policy',
      files: { 'plan.json': EXISTING_ARN },
      errors: [{ messageId: 'missing', line: keyPolicyLine(EXISTING_ARN), data: { key: 'aws_kms_key.legacy', trail: 'aws_cloudtrail.main' } }],
    },
    {
      name: 'plan: an existing alias named by the trail targets the key by id',
      files: { 'plan.json': BY_ALIAS_NAME },
      errors: [{ messageId: 'missing', line: keyPolicyLine(BY_ALIAS_NAME), data: { key: 'aws_kms_key.legacy', trail: 'aws_cloudtrail.main' } }],
    },
    {
      name: 'plan: the aws_kms_key_policy of the trail\'s key lacks the grant',
      files: { 'plan.json': POLICY_RESOURCE },
      errors: [{ messageId: 'missing', line: keyPolicyLine(POLICY_RESOURCE), data: { key: 'aws_kms_key.trail', trail: 'aws_cloudtrail.main' } }],
    },
    {
      name: 'plan: the grant is scoped to another trail than the module\'s trail that uses the key',
      files: { 'plan.json': MODULE_OTHER_TRAIL },
      errors: [{ messageId: 'conditionNamesOther', line: keyPolicyLine(MODULE_OTHER_TRAIL), data: { trail: 'module.trail.aws_cloudtrail.this', condition: 'aws:SourceArn', written: 'trail audit', actual: 'is named org' } }],
    },
    {
      name: 'plan: the trail reaches the key through an alias created with it',
      files: { 'plan.json': THROUGH_ALIAS },
      errors: [{ messageId: 'missing', line: keyPolicyLine(THROUGH_ALIAS), data: { key: 'aws_kms_key.trail', trail: 'aws_cloudtrail.main' } }],
    },
    {
      name: 'plan: the trail takes a child module\'s output, the key that module creates',
      files: { 'plan.json': FROM_MODULE_OUTPUT },
      errors: [{ messageId: 'missing', line: keyPolicyLine(FROM_MODULE_OUTPUT), data: { key: 'module.kms.aws_kms_key.this', trail: 'aws_cloudtrail.main' } }],
    },
    {
      name: 'plan: a kept key whose policy is written for CloudTrail',
      files: { 'plan.json': KEPT },
      errors: [{ messageId: 'missing', line: lineAfter(KEPT, '"after": {', '"policy": "'), data: { key: 'aws_kms_key.old_trail', trail: 'a trail that uses it' } }],
    },
    {
      name: 'plan: each for_each trail is linked to its own key instance',
      files: { 'plan.json': FOR_EACH },
      errors: [{ messageId: 'missing', line: keyPolicyLine(FOR_EACH), data: { key: 'aws_kms_key.trail["a"]', trail: 'aws_cloudtrail.main["a"]' } }],
    },
  ],
});

ruleTests('CTK201', {
  valid: [
    { name: 'plan: rotation on', files: { 'plan.json': NO_CLOUDTRAIL } },
    { name: 'plan: rotation known only after apply', files: { 'plan.json': ROTATION_AFTER_APPLY } },
    { name: 'plan: rotation off on a key no trail uses', files: { 'plan.json': variant('key-policy-no-cloudtrail.json', (plan) => {
      plan.configuration.root_module = {};
      setPlanned(plan, 'aws_kms_key.trail', 'enable_key_rotation', false);
    }) } },
  ],
  invalid: [
    {
      name: 'plan: rotation off on the trail\'s key',
      files: { 'plan.json': ROTATION_OFF },
      errors: [{ messageId: 'disabled', line: lineOf(ROTATION_OFF, '"enable_key_rotation": false'), data: { key: 'aws_kms_key.trail', attribute: 'enable_key_rotation', value: 'false' } }],
    },
  ],
});

ruleTests('CTK003', {
  valid: [{ name: 'plan: a symmetric key linked through a module input', files: { 'plan.json': MODULE_GOOD } }],
  invalid: [
    {
      name: 'plan: an RSA key linked through a module input',
      files: { 'plan.json': MODULE_RSA_KEY },
      errors: [{ messageId: 'unsuitableKey', line: lineOf(MODULE_RSA_KEY, '"address": "module.trail.aws_cloudtrail.this"') - 1, data: { trail: 'module.trail.aws_cloudtrail.this', key: 'aws_kms_key.trail', setting: 'customer_master_key_spec', actual: 'RSA_2048' } }],
    },
  ],
});

describe('Terraform plan key findings', () => {
  it('name the key by its plan address and point back along the chain to the trail', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': MODULE_OTHER_TRAIL });
    const [finding] = analyzer.analyze(memUri('plan.json')).filter((f) => f.ruleId === 'CTK101');
    assert.equal(finding.resource, 'aws_kms_key.trail');
    const trailLine = lineOf(MODULE_OTHER_TRAIL, '"address": "module.trail.aws_cloudtrail.this"');
    assert.deepEqual(finding.relatedInformation.map((r) => [r.location.range.start.line + 1, r.message]), [
      [trailLine - 1, 'module.trail.aws_cloudtrail.this encrypts its logs with aws_kms_key.trail'],
    ]);
  });

  it('squiggle the policy attribute, not the whole resource', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': NO_CLOUDTRAIL });
    const [finding] = analyzer.analyze(memUri('plan.json')).filter((f) => f.ruleId === 'CTK101');
    const line = NO_CLOUDTRAIL.split('\n')[finding.range.start.line];
    assert.equal(line.slice(finding.range.start.character, finding.range.end.character), '"policy"');
  });

  it('offer no fix: the plan is generated, the configuration is what to change', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': ROTATION_OFF, 'arn.json': EXISTING_ARN, 'resource.json': POLICY_RESOURCE });
    const findings = ['plan.json', 'arn.json', 'resource.json'].flatMap((name) => analyzer.analyze(memUri(name)));
    assert.deepEqual([...new Set(findings.map((f) => f.ruleId))].sort(), ['CTK101', 'CTK103', 'CTK201']);
    for (const finding of findings) assert.deepEqual(finding.fixes, [], `${finding.ruleId} offers ${finding.fixes.map((f) => f.title).join(', ')}`);
  });

  it('show the alias between the trail and the key', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': THROUGH_ALIAS });
    const [finding] = analyzer.analyze(memUri('plan.json')).filter((f) => f.ruleId === 'CTK101');
    assert.deepEqual(finding.relatedInformation.map((r) => [r.location.range.start.line + 1, r.message]), [
      [lineOf(THROUGH_ALIAS, '"address": "aws_cloudtrail.main"') - 1, 'aws_cloudtrail.main encrypts its logs with aws_kms_alias.trail'],
      [lineOf(THROUGH_ALIAS, '"address": "aws_kms_alias.trail"') - 1, 'aws_kms_alias.trail points at aws_kms_key.trail'],
    ]);
  });

  it('follow references that lead back to each other once (a hand-edited plan must not hang the server)', async () => {
    const cyclic = variant('key-policy-module.json', (plan) => {
      const call = plan.configuration.root_module.module_calls.trail;
      call.expressions.kms_key_arn.references = [...Array(6).fill('module.trail.o'), 'aws_kms_key.trail.arn', 'aws_kms_key.trail'];
      call.module.outputs = { o: { expression: { references: Array(6).fill('var.kms_key_arn') } } };
    });
    const analyzer = await memoryAnalyzer({ 'plan.json': cyclic, 'good.json': MODULE_GOOD });
    const started = performance.now();
    const found = analyzer.analyze(memUri('plan.json')).map((f) => f.ruleId);
    assert.ok(performance.now() - started < 5000, 'the analysis took longer than 5 s');
    assert.deepEqual(found, analyzer.analyze(memUri('good.json')).map((f) => f.ruleId));
  });

  it('report nothing when the trail\'s key policy is known only after apply', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': AFTER_APPLY });
    assert.deepEqual(analyzer.analyze(memUri('plan.json')).map((f) => f.ruleId), []);
  });

  it('hover a good planned key: the module trail that uses it, every requirement met', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': MODULE_GOOD });
    const hover = renderedText(analyzer.hover(memUri('plan.json'), { line: lineOf(MODULE_GOOD, '"address": "aws_kms_key.trail"') - 1, character: 10 }) ?? '');
    assert.match(hover, /\*\*aws_kms_key\.trail\*\* \(CloudTrail key\)/);
    assert.match(hover, /used by module\.trail\.aws_cloudtrail\.this → aws_kms_key\.trail/);
    assert.doesNotMatch(hover, /✗/);
    // The trail's region and account are not in the plan's values, so conditions on them are met only probably.
    assert.match(hover, /✓\?? CloudTrail can encrypt/);
    assert.match(hover, /✓ automatic key rotation/);
  });

  it('hover a planned trail: its key and what the key policy gives CloudTrail', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': NO_CLOUDTRAIL });
    const hover = renderedText(analyzer.hover(memUri('plan.json'), { line: lineOf(NO_CLOUDTRAIL, '"address": "aws_cloudtrail.main"') - 1, character: 10 }) ?? '');
    assert.match(hover, /chain: aws_cloudtrail\.main → aws_kms_key\.trail → policy/);
    assert.match(hover, /✗ CloudTrail can encrypt/);
  });
});
