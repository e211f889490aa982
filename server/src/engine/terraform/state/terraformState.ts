/**
 * A Terraform (or OpenTofu) state as `terraform show -json` prints it when given no plan file
 * (Terraform's "JSON Output Format", State Representation): what is deployed, found by content
 * in any JSON file.
 *
 * Recognised by a top-level object with a known `format_version` and `values.root_module`, and
 * none of `planned_values`, `resource_changes`, `prior_state` (which make it a plan). Its
 * resources are written like a plan's planned values (`values.root_module.resources` and,
 * recursively, `child_modules`), so the plan's reader reads them; every value is known, and a
 * reference between resources is by value (a trail's `kms_key_id` is the key's ARN). An empty
 * state prints only `format_version`: nothing to check.
 */
import { objectNode, property } from '../../model/jsonNodes';
import { parseTerraformOutput, readTerraformOutput, type TerraformPlan } from '../plan/terraformPlan';

const PLAN_SECTIONS = ['planned_values', 'resource_changes', 'prior_state'];

/** False only when `text` certainly is not a state (no parse): most JSON files are not. */
export function mightBeTerraformState(text: string): boolean {
  return text.includes('"format_version"') && text.includes('"root_module"') && !text.includes('"planned_values"');
}

/** The state in `text`, reading only resources whose type is in `types`; undefined when `text` is not a state. */
export function parseTerraformState(uri: string, text: string, types: ReadonlySet<string>): TerraformPlan | undefined {
  if (!mightBeTerraformState(text)) return undefined;
  const root = parseTerraformOutput(text);
  const values = objectNode(property(root, 'values'));
  if (!root || !objectNode(property(values, 'root_module')) || PLAN_SECTIONS.some((name) => property(root, name))) return undefined;
  return readTerraformOutput(uri, text, root, types, { format: 'terraform-state', values });
}
