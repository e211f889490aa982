/**
 * Fixes for findings in a Terraform plan: none. A plan is generated: editing it changes
 * nothing Terraform will apply (applying a saved plan reads the binary `plan.out`, not this
 * JSON), and the next `terraform show -json` overwrites it. The fix belongs in the
 * configuration the plan came from, so every builder declines.
 */
import type { TrailFixes } from '../../analysis/facts';
import type { KeyFixes } from '../../analysis/keyFacts';

export const NO_FIXES_IN_A_PLAN: TrailFixes = {
  useKey: () => undefined,
  createKey: () => undefined,
  suppress: () => undefined,
  enableLogFileValidation: () => undefined,
};

export const NO_KEY_FIXES_IN_A_PLAN: KeyFixes = {
  suppress: () => undefined,
  addPolicy: () => undefined,
  addStatements: () => undefined,
  addCondition: () => undefined,
  correct: () => undefined,
  enableRotation: () => undefined,
};
