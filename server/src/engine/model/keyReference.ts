/**
 * What a trail's key setting can turn out to be, format-neutral: each alternative the
 * evaluator left open becomes one `KeyOption`.
 */
import type { ResourceRef, UnknownValue, Value } from './values';
import { isEmpty } from './valueOps';

export const KEY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);
export const ALIAS_TYPES = new Set(['aws_kms_alias', 'AWS::KMS::Alias']);

export type KeyOption =
  /** `null`, `""`, `AWS::NoValue`: no key at all. */
  | { kind: 'empty'; value: Value }
  /** A key declared here (`aws_kms_key.k`, `data.aws_kms_key.k`, `AWS::KMS::Key`). */
  | { kind: 'key'; resource: ResourceRef; value: Value }
  /** An alias declared here (`aws_kms_alias.a`, `data.aws_kms_alias.a`, `AWS::KMS::Alias`). */
  | { kind: 'alias'; resource: ResourceRef; value: Value }
  /** A literal id, ARN or alias name. */
  | { kind: 'literal'; text: string; value: Value }
  /** Set, but to something computed elsewhere (another stack, a registry module, a data source). */
  | { kind: 'opaque'; value: Value }
  /** Depends on an input that has no value here. */
  | { kind: 'input'; value: UnknownValue };

export interface KeyResolution {
  options: KeyOption[];
  /** When options differ because a condition depends on something unknown: that unknown. */
  because?: UnknownValue;
}

export function resolveKeyOptions(value: Value): KeyResolution {
  if (value.kind === 'one-of') {
    return { options: value.options.map(classify), because: value.because };
  }
  return { options: [classify(value)] };
}

function classify(value: Value): KeyOption {
  if (isEmpty(value)) return { kind: 'empty', value };
  switch (value.kind) {
    case 'string':
      if (value.partial && value.input) return { kind: 'input', value: value.input };
      return value.partial ? { kind: 'opaque', value } : { kind: 'literal', text: value.value, value };
    case 'resource-attribute':
      if (KEY_TYPES.has(value.resource.type)) return { kind: 'key', resource: value.resource, value };
      if (ALIAS_TYPES.has(value.resource.type)) return { kind: 'alias', resource: value.resource, value };
      return { kind: 'opaque', value };
    case 'unknown':
      // An expression that would fail (an index into a resource with count 0) sets nothing.
      if (value.cause === 'error') return { kind: 'empty', value };
      return value.cause === 'input' ? { kind: 'input', value } : { kind: 'opaque', value };
    default:
      return { kind: 'opaque', value };
  }
}

export type TrailKeyVerdict =
  | { kind: 'no-cmk'; options: KeyOption[] }
  | { kind: 'unresolved'; input: UnknownValue; options: KeyOption[] }
  | { kind: 'set'; options: KeyOption[] };

/**
 * No CMK when every alternative is empty; unresolved when the outcome hangs on an input with
 * no value; otherwise set (CTK003 then looks at what it is set to).
 */
export function judgeTrailKey(resolution: KeyResolution): TrailKeyVerdict {
  const { options, because } = resolution;
  if (options.every((o) => o.kind === 'empty')) return { kind: 'no-cmk', options };
  const input = options.find((o): o is Extract<KeyOption, { kind: 'input' }> => o.kind === 'input');
  if (input) return { kind: 'unresolved', input: input.value, options };
  if (because?.cause === 'input' && options.some((o) => o.kind === 'empty')) return { kind: 'unresolved', input: because, options };
  return { kind: 'set', options };
}
