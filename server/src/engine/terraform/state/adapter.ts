/**
 * Terraform and OpenTofu state: `terraform show -json` (or `tofu show -json`) of what is
 * deployed, found by content in any JSON file and judged like a plan. A state is generated:
 * its findings offer no fixes (the plan's builders, which all decline), the fix belongs in the
 * configuration that produced it.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../../adapter';
import { withLoneCrAsLf } from '../../model/text';
import { readTerraformOutputFacts } from '../plan/terraformPlanFacts';
import { parseTerraformState } from './terraformState';

const stateAdapter: InputAdapter = {
  scopeOf: (uri) => uri,
  mayHoldTrail: (text) => text.includes('aws_cloudtrail'),
  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    const text = files.text(uri);
    const state = text === undefined ? undefined : readTerraformOutputFacts(uri, withLoneCrAsLf(text), parseTerraformState);
    return state && { trails: state.trails, keys: state.keys, eventDataStores: state.eventDataStores, file: state.file };
  },
};

export const terraformStates: InputLanguage = {
  name: 'Terraform state',
  claims: (fileName) => fileName.endsWith('.json'),
  createAdapter: () => stateAdapter,
};
