/**
 * Plans know more of a trail than its configuration: the `arn` of a trail that exists already
 * (CTK101 judges the key policy's condition values against it), and the `region` the AWS
 * provider 6 plans for every key and bucket (CTK005). Variants of the fixtures in
 * test/fixtures/terraform-plan/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleTests } from '../../support/ruleTester';
import { repoRoot } from '../../support/engine';

type Plan = Record<string, any>;

const DEPLOYING = '222233334444';
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${DEPLOYING}:trail/main`;

const planOf = (name: string): Plan => JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'terraform-plan', name), 'utf8')) as Plan;
const resourceOf = (plan: Plan, address: string): Plan => plan.planned_values.root_module.resources.find((r: Plan) => r.address === address);
const changeOf = (plan: Plan, address: string): Plan => plan.resource_changes.find((r: Plan) => r.address === address);

/** The key-policy fixture, its trail existing already (an update: its `arn` is known), its key policy given these statements. */
function existingTrail(encryptPattern: string): string {
  const plan = planOf('key-policy-resource.json');
  resourceOf(plan, 'aws_cloudtrail.main').values.arn = TRAIL_ARN;
  const change = changeOf(plan, 'aws_cloudtrail.main');
  change.change.actions = ['update'];
  change.change.before = { ...change.change.after, arn: TRAIL_ARN };
  delete change.change.after_unknown?.arn;
  resourceOf(plan, 'aws_kms_key_policy.trail').values.policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEPLOYING}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Encrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': encryptPattern } } },
      { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  });
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The same fixture with the trail's bucket planned (`region` as the AWS provider 6 plans it) and the key's `region`. */
function withRegions(bucketRegion: string, keyRegion: string): string {
  const plan = planOf('key-policy-resource.json');
  resourceOf(plan, 'aws_kms_key.trail').values.region = keyRegion;
  plan.planned_values.root_module.resources.push({
    address: 'aws_s3_bucket.logs', mode: 'managed', type: 'aws_s3_bucket', name: 'logs',
    provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0,
    values: { bucket: 'org-trail-logs', force_destroy: false, region: bucketRegion, tags: null }, sensitive_values: {},
  });
  return `${JSON.stringify(plan, null, 2)}\n`;
}

const lineOf = (text: string, needle: string): number => {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is not in the text`);
  return text.slice(0, at).split('\n').length;
};

const OTHER_ACCOUNT = existingTrail('arn:aws:cloudtrail:*:111122223333:trail/*');

ruleTests('CTK101', {
  valid: [{ name: 'plan: an existing trail whose account the encryption-context pattern names', files: { 'plan.json': existingTrail(`arn:aws:cloudtrail:*:${DEPLOYING}:trail/*`) } }],
  invalid: [{
    name: 'plan: an existing trail in another account than the encryption-context pattern names',
    files: { 'plan.json': OTHER_ACCOUNT },
    errors: [{ messageId: 'conditionNamesOther', line: lineOf(OTHER_ACCOUNT, '"policy": "'), data: { written: 'account 111122223333', actual: `is in account ${DEPLOYING}`, trail: 'aws_cloudtrail.main' } }],
  }],
});

const OTHER_REGION = withRegions('eu-west-1', 'us-west-2');

ruleTests('CTK005', {
  valid: [
    { name: 'plan: key and bucket planned in the same Region', files: { 'plan.json': withRegions('us-west-2', 'us-west-2') } },
    { name: 'plan: no Region planned (AWS provider 5)', files: { 'plan.json': `${JSON.stringify(planOf('key-policy-resource.json'), null, 2)}\n` } },
  ],
  invalid: [{
    name: 'plan: the key planned in another Region than the trail\'s bucket',
    files: { 'plan.json': OTHER_REGION },
    errors: [{ messageId: 'otherRegion', line: lineOf(OTHER_REGION, '"address": "aws_cloudtrail.main"') - 1, data: { key: 'aws_kms_key.trail', keyRegion: 'us-west-2', bucket: 'aws_s3_bucket.logs', bucketRegion: 'eu-west-1', bucketBecause: 'its planned region' } }],
  }],
});
