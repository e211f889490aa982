/**
 * Trails in a Terraform plan (`terraform show -json plan.out > plan.json`): CTK001, CTK003 and
 * CTK202 on planned values, root and child modules, `after_unknown`, delete-only changes, and
 * JSON that only looks like a plan. Fixtures are in test/fixtures/terraform-plan/, written in
 * Terraform's "JSON Output Format"; variants are made from them here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleTests, type ValidCase } from '../../support/ruleTester';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

type Plan = Record<string, any>;

const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'terraform-plan', name), 'utf8');
const planOf = (name: string): Plan => JSON.parse(fixture(name)) as Plan;
/** A fixture changed by `edit`, written back as `jq` would print it. */
const variant = (name: string, edit: (plan: Plan) => void): string => {
  const plan = planOf(name);
  edit(plan);
  return `${JSON.stringify(plan, null, 2)}\n`;
};
/** The 1-based line of the first occurrence of `needle`. */
const lineOf = (text: string, needle: string): number => {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is not in the text`);
  return text.slice(0, at).split('\n').length;
};
const rootTrail = (plan: Plan): Plan => plan.planned_values.root_module.resources.find((r: Plan) => r.type === 'aws_cloudtrail');
const trailChange = (plan: Plan): Plan => plan.resource_changes.find((c: Plan) => c.type === 'aws_cloudtrail');
const setKey = (name: string, key: unknown): string => variant(name, (plan) => {
  rootTrail(plan).values.kms_key_id = key;
  trailChange(plan).change.after.kms_key_id = key;
});

const ROOT_NO_KEY = fixture('root-no-key.json');
const MODULE_NULL_KEY = fixture('module-null-key.json');
const KEY_AFTER_APPLY = fixture('key-after-apply.json');
const AWS_MANAGED_KEY = fixture('aws-managed-key.json');
const DELETE_ONLY = fixture('delete-only.json');
const NO_TRAIL = fixture('no-trail.json');
/** What `terraform show -json` really prints: one line. */
const COMPACT_NO_KEY = `${JSON.stringify(planOf('root-no-key.json'))}\n`;
const EMPTY_KEY = setKey('root-no-key.json', '');
const KEY_ARN = setKey('root-no-key.json', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
const MALFORMED_KEY = setKey('root-no-key.json', 'arn:aws:kms:us-east-1:key/1234abcd');
/** Hand-written: the trail still in planned_values, but the change destroys it. */
const LISTED_BUT_DELETED = variant('root-no-key.json', (plan) => {
  Object.assign(trailChange(plan).change, { actions: ['delete'], before: trailChange(plan).change.after, after: null });
});
const REPLACED = variant('root-no-key.json', (plan) => {
  trailChange(plan).change.actions = ['delete', 'create'];
});
const VALIDATION_NULL = variant('module-null-key.json', (plan) => {
  plan.planned_values.root_module.child_modules[0].resources[0].values.enable_log_file_validation = null;
});
const VALIDATION_AFTER_APPLY = variant('key-after-apply.json', (plan) => {
  delete rootTrail(plan).values.enable_log_file_validation;
  trailChange(plan).change.after_unknown.enable_log_file_validation = true;
});
const FUTURE_FORMAT = variant('root-no-key.json', (plan) => {
  plan.format_version = '2.0';
});
const TRUNCATED = ROOT_NO_KEY.slice(0, ROOT_NO_KEY.indexOf('"resource_changes"'));
/**
 * Big, names `format_version`, `planned_values` and `resource_changes`, and holds a keyless
 * trail, but only nested: a provider-schema dump with an example plan inside is not a plan.
 */
const LARGE_NOT_A_PLAN = `${JSON.stringify({
  format_version: '1.0',
  provider_schemas: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`aws_resource_${i}`, { version: 0, block: { attributes: { kms_key_id: { type: 'string', optional: true }, name: { type: 'string', required: true } } } }])),
  examples: [planOf('root-no-key.json'), { resource_changes: planOf('module-null-key.json').resource_changes }],
}, null, 2)}\n`;

const NOT_PLANS: ValidCase[] = [
  { name: 'a plan with no trail', files: { 'plan.json': NO_TRAIL } },
  { name: 'a trail the plan destroys (delete only)', files: { 'plan.json': DELETE_ONLY } },
  { name: 'a trail still listed in planned_values whose change is delete only', files: { 'plan.json': LISTED_BUT_DELETED } },
  { name: 'large JSON that only nests plan-like objects', files: { 'catalog.json': LARGE_NOT_A_PLAN } },
  { name: 'a format major version this reader does not know', files: { 'plan.json': FUTURE_FORMAT } },
  { name: 'a truncated plan', files: { 'plan.json': TRUNCATED } },
];

ruleTests('CTK001', {
  valid: [
    { name: 'key created in the same apply (after_unknown)', files: { 'plan.json': KEY_AFTER_APPLY } },
    { name: 'a key ARN', files: { 'plan.json': KEY_ARN } },
    { name: 'an AWS-managed alias is set (CTK003 judges it)', files: { 'plan.json': AWS_MANAGED_KEY } },
    ...NOT_PLANS,
  ],
  invalid: [
    {
      name: 'root-module trail without kms_key_id',
      files: { 'plan.json': ROOT_NO_KEY },
      errors: [{ messageId: 'missing', line: 7, data: { trail: 'aws_cloudtrail.main[0]', attribute: 'kms_key_id' } }],
    },
    {
      name: 'child-module trail with kms_key_id null (what Terraform writes for unset)',
      files: { 'plan.json': MODULE_NULL_KEY },
      errors: [{ messageId: 'missing', line: 27, data: { trail: 'module.trail.aws_cloudtrail.this' } }],
    },
    {
      name: 'kms_key_id ""',
      files: { 'plan.json': EMPTY_KEY },
      errors: [{ messageId: 'empty', line: lineOf(EMPTY_KEY, '"kms_key_id": ""'), data: { trail: 'aws_cloudtrail.main[0]', value: '""' } }],
    },
    {
      name: 'a replaced trail is judged on its new values',
      files: { 'plan.json': REPLACED },
      errors: [{ messageId: 'missing', line: 7 }],
    },
    {
      name: 'the one-line JSON terraform show prints',
      files: { 'tfplan.json': COMPACT_NO_KEY },
      errors: [{ messageId: 'missing', line: 1, data: { trail: 'aws_cloudtrail.main[0]' } }],
    },
  ],
});

ruleTests('CTK002', {
  valid: [ROOT_NO_KEY, MODULE_NULL_KEY, KEY_AFTER_APPLY, AWS_MANAGED_KEY].map((text, i) => ({ name: `a plan leaves no input open (${i + 1})`, files: { 'plan.json': text } })),
  invalid: [],
});

ruleTests('CTK003', {
  valid: [
    { name: 'key created in the same apply (after_unknown)', files: { 'plan.json': KEY_AFTER_APPLY } },
    { name: 'a key ARN', files: { 'plan.json': KEY_ARN } },
    { name: 'no key at all (CTK001 judges it)', files: { 'plan.json': MODULE_NULL_KEY } },
    ...NOT_PLANS,
  ],
  invalid: [
    {
      name: 'alias/aws/s3',
      files: { 'plan.json': AWS_MANAGED_KEY },
      errors: [{ messageId: 'awsManaged', line: 25, data: { trail: 'aws_cloudtrail.main', key: '"alias/aws/s3"' } }],
    },
    {
      name: 'a malformed key ARN',
      files: { 'plan.json': MALFORMED_KEY },
      errors: [{ messageId: 'malformed', line: lineOf(MALFORMED_KEY, '"kms_key_id": "arn:'), data: { attribute: 'kms_key_id' } }],
    },
  ],
});

ruleTests('CTK202', {
  valid: [
    { name: 'validation on, in a child module', files: { 'plan.json': MODULE_NULL_KEY } },
    { name: 'validation known after apply', files: { 'plan.json': VALIDATION_AFTER_APPLY } },
    ...NOT_PLANS,
  ],
  invalid: [
    {
      name: 'validation false (the provider default)',
      files: { 'plan.json': ROOT_NO_KEY },
      errors: [{ messageId: 'disabled', line: 19, data: { trail: 'aws_cloudtrail.main[0]', attribute: 'enable_log_file_validation', value: 'false' } }],
    },
    {
      name: 'validation null reads as not set',
      files: { 'plan.json': VALIDATION_NULL },
      errors: [{ messageId: 'missing', line: 27, data: { trail: 'module.trail.aws_cloudtrail.this' } }],
    },
  ],
});

describe('Terraform plan findings', () => {
  it('offer no fix: the plan is generated, the configuration is what to change', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': ROOT_NO_KEY, 'aws.json': AWS_MANAGED_KEY });
    const findings = [...analyzer.analyze(memUri('plan.json')), ...analyzer.analyze(memUri('aws.json'))];
    assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['CTK001', 'CTK003', 'CTK202']);
    for (const finding of findings) assert.deepEqual(finding.fixes, [], `${finding.ruleId} offers ${finding.fixes.map((f) => f.title).join(', ')}`);
  });

  it('squiggle the resource object from its brace to its address, on one line too', async () => {
    const analyzer = await memoryAnalyzer({ 'tfplan.json': COMPACT_NO_KEY });
    const [finding] = analyzer.analyze(memUri('tfplan.json')).filter((f) => f.ruleId === 'CTK001');
    const squiggled = COMPACT_NO_KEY.slice(finding.range.start.character, finding.range.end.character);
    assert.equal(squiggled, '{"address":"aws_cloudtrail.main[0]"');
    assert.equal(finding.resource, 'aws_cloudtrail.main[0]');
  });

  it('point CTK003 at the value that is set', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': AWS_MANAGED_KEY });
    const [finding] = analyzer.analyze(memUri('plan.json')).filter((f) => f.ruleId === 'CTK003');
    assert.equal(finding.range.start.line + 1, 25);
    assert.deepEqual(finding.relatedInformation.map((r) => [r.location.range.start.line + 1, r.message]), [[25, 'set here']]);
  });

  it('hover a planned trail', async () => {
    const analyzer = await memoryAnalyzer({ 'plan.json': KEY_AFTER_APPLY });
    const hover = analyzer.hover(memUri('plan.json'), { line: 8, character: 10 });
    assert.match(hover ?? '', /\*\*aws_cloudtrail\.main\*\*/);
    assert.match(hover ?? '', /known after apply/);
  });
});
