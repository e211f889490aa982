/**
 * Event data stores in a Terraform plan: the planned `kms_key_id` of an
 * `aws_cloudtrail_event_data_store` is judged as in a configuration (CTK301, CTK302); a plan gets
 * no fixes. The plans are the trail fixture `root-no-key.json` with the trail made a store.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

type Plan = Record<string, any>;

/** root-no-key.json with its trail turned into an event data store whose key is `key`. */
function storePlan(key: unknown): string {
  const plan = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'terraform-plan', 'root-no-key.json'), 'utf8')) as Plan;
  const asStore = (r: Plan): void => {
    if (r.type !== 'aws_cloudtrail') return;
    r.type = 'aws_cloudtrail_event_data_store';
    r.address = r.address.replace('aws_cloudtrail.', 'aws_cloudtrail_event_data_store.');
  };
  for (const r of plan.planned_values.root_module.resources) {
    asStore(r);
    if (r.type === 'aws_cloudtrail_event_data_store') r.values = { name: 'management-events', kms_key_id: key };
  }
  for (const c of plan.resource_changes) {
    asStore(c);
    if (c.type === 'aws_cloudtrail_event_data_store') c.change.after = { name: 'management-events', kms_key_id: key };
  }
  return `${JSON.stringify(plan, null, 2)}\n`;
}

async function findings(text: string): Promise<{ id: string; resource: string; fixes: number }[]> {
  const analyzer = await memoryAnalyzer({ 'plan.json': text });
  return analyzer.analyze(memUri('plan.json')).map((f) => ({ id: `${f.ruleId}/${f.messageId}`, resource: f.resource, fixes: f.fixes.length }));
}

describe('event data stores in a Terraform plan', () => {
  it('a planned store with kms_key_id null is CTK301, with no fix offered in the plan', async () => {
    assert.deepEqual(await findings(storePlan(null)), [{ id: 'CTK301/missing', resource: 'aws_cloudtrail_event_data_store.main[0]', fixes: 0 }]);
  });

  it('an AWS-managed alias is CTK302; a customer alias name is accepted', async () => {
    assert.deepEqual((await findings(storePlan('alias/aws/cloudtrail'))).map((f) => f.id), ['CTK302/awsManaged']);
    assert.deepEqual(await findings(storePlan('alias/cloudtrail-lake')), []);
  });
});
