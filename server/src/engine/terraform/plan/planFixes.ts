/**
 * Fixes for findings in a Terraform plan: none. A plan is generated: editing it changes
 * nothing Terraform will apply (applying a saved plan reads the binary `plan.out`, not this
 * JSON), and the next `terraform show -json` overwrites it. The fix belongs in the
 * configuration the plan came from, so every builder declines (the core's builders for
 * generated output).
 */
export { NO_TRAIL_FIXES as NO_FIXES_IN_A_PLAN, NO_KEY_FIXES as NO_KEY_FIXES_IN_A_PLAN } from '../../analysis/noFixes';
