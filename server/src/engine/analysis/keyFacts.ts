/**
 * What the key-policy rules (CTK101–CTK106, CTK201) look at: format-neutral facts about KMS
 * keys and key-policy documents, built by one adapter per format.
 */
import type { Fix, Location, Range, RuleId } from '../types';
import type { SourceFormat } from '../model/syntax';
import type { Value } from '../model/values';

export interface KeyFacts {
  format: SourceFormat;
  /** The file findings about this key go to. */
  uri: string;
  /** `aws_kms_key.logs`, `data.aws_iam_policy_document.kms`, `LogsKey`, or `(file)` for a standalone policy. */
  address: string;
  /** Squiggled when a finding has no better place (no policy at all, rotation off). */
  headerRange: Range;
  /** The block, for suppressions written on, above or inside it. */
  subject: Range;
  /** The trails whose key resolves to this key, with where they are. Empty for a policy written for CloudTrail but not (visibly) used. */
  usedBy: { address: string; location: Location }[];
  /**
   * The key policy, evaluated, and where it is written. Undefined when the key has no policy
   * at all: KMS then applies its default key policy, which grants CloudTrail nothing.
   */
  policy?: { value: Value; location: Location };
  /** `enable_key_rotation` / `EnableKeyRotation`, evaluated; undefined when not written. */
  rotation?: Value;
  /** Undefined for a standalone policy document (it is not a key). */
  rotationAttributeRange?: Range;
  fixes: KeyFixes;
}

/** Fix builders bound to the key's syntax. Each returns undefined when no safe edit exists. */
export interface KeyFixes {
  suppress(ruleId: RuleId): Fix | undefined;
}
