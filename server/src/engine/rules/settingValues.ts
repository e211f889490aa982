/** Reading on/off settings (`enable_key_rotation`, `EnableLogFileValidation`) as the rules need them. */
import type { Value } from '../model/values';

/**
 * Off under every alternative the declared defaults leave open: `false`, `"false"`, `null` or
 * `AWS::NoValue` (the provider's and CloudFormation's default is off). Unknown is not off:
 * a value nobody can see here may well be `true`.
 */
export function isCertainlyOff(value: Value): boolean {
  if (value.kind === 'one-of') return value.options.every(isCertainlyOff);
  return isFalse(value) || value.kind === 'null' || value.kind === 'novalue';
}

/** `false` or `"false"` under every alternative: written off, not merely left unset (`is_enabled = false`). */
export function isCertainlyFalse(value: Value): boolean {
  if (value.kind === 'one-of') return value.options.every(isCertainlyFalse);
  return isFalse(value);
}

const isFalse = (value: Value): boolean =>
  (value.kind === 'bool' && !value.value) || (value.kind === 'string' && !value.partial && value.value.toLowerCase() === 'false');
