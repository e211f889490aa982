/**
 * Terraform plans: `terraform show -json` of a saved plan, found by content in any JSON file.
 * Its resources are what `apply` will create, module calls expanded and values known.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../../adapter';
import { withLoneCrAsLf } from '../../model/text';
import { readTerraformPlan } from './terraformPlanFacts';
import { mayNameCloudTrail } from '../../analysis/namesCloudTrail';

const planAdapter: InputAdapter = {
  scopeOf: (uri) => uri,
  mayHoldTrail: (text) => text.includes('aws_cloudtrail'),
  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    const text = files.text(uri);
    // A plan that never names CloudTrail has neither a trail nor a key written for one.
    const plan = text === undefined || !mayNameCloudTrail(text) ? undefined : readTerraformPlan(uri, withLoneCrAsLf(text));
    return plan && { trails: plan.trails, keys: plan.keys, eventDataStores: plan.eventDataStores, topics: plan.topics, topicKeys: plan.topicKeys, file: plan.file };
  },
};

export const terraformPlans: InputLanguage = {
  name: 'Terraform plan',
  claims: (fileName) => fileName.endsWith('.json'),
  createAdapter: () => planAdapter,
};
