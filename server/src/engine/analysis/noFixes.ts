/**
 * Fix builders for facts read from generated or saved output (a Terraform plan, AWS CLI
 * output): none. Such a file is a copy of what a tool printed; editing it changes nothing
 * that is or will be deployed (applying a saved plan reads the binary `plan.out`, not its JSON),
 * and the next run overwrites it. The fix belongs where the
 * resource is managed, so every builder declines.
 */
import type { TrailFixes } from './facts';
import type { KeyFixes } from './keyFacts';

export const NO_TRAIL_FIXES: TrailFixes = {
  useKey: () => undefined,
  createKey: () => undefined,
  suppress: () => undefined,
  enableLogFileValidation: () => undefined,
};

export const NO_KEY_FIXES: KeyFixes = {
  suppress: () => undefined,
  addPolicy: () => undefined,
  addStatements: () => undefined,
  addCondition: () => undefined,
  correct: () => undefined,
  enableRotation: () => undefined,
};
