/**
 * What the key-policy rules (CTK101–CTK106, CTK201) look at: format-neutral facts about the
 * CloudTrail keys and key-policy documents of a module, template or policy file, built by one
 * adapter per format (terraformKeys.ts, cloudformationKeys.ts, policyFileFacts.ts).
 *
 * Only CloudTrail keys are listed: those a trail's key reference resolves to, and those whose
 * policy is written for CloudTrail. Never by name.
 */
import type { Fix, Location, Range, RuleId } from '../types';
import type { SourceFormat } from '../model/syntax';
import type { Value } from '../model/values';
import type { PolicyProblem, Statement } from '../policy/types';
import type { KeyUse, RequiredStatementPurpose } from '../policy/requiredStatements';

export interface KeyUser {
  /** The trail (or event data store): `aws_cloudtrail.main`, `module.trail.aws_cloudtrail.this`, `Trail`. */
  address: string;
  location: Location;
  /** The steps between the trail and the key (an alias; a notification topic), in order. */
  through?: { address: string; location: Location; relation?: string }[];
  /** How the user uses the first step, for related information; default `encrypts its logs with` (a store: `its events`). */
  relation?: string;
}

/** A trail that uses a key, with the ARN CloudTrail's requests carry for it (`${…}` for what is not known). */
export interface KeyTrail {
  address: string;
  arn: string;
  /** An organization trail: its ARN carries the management account. */
  organization?: boolean;
}

export interface KeyFacts {
  format: SourceFormat;
  /** `key`: a KMS key resource; `document`: a policy written apart from a key (`aws_iam_policy_document`, a policy file, an `aws_kms_key_policy` of a key declared elsewhere). */
  kind: 'key' | 'document';
  /** The file findings about this key go to. */
  uri: string;
  /** `aws_kms_key.logs`, `data.aws_iam_policy_document.kms`, `LogsKey`, or `(file)` for a standalone policy. */
  address: string;
  /** Squiggled when a finding has no better place (no policy at all, rotation off). */
  headerRange: Range;
  /** The block, for suppressions written on, above or inside it. */
  subject: Range;
  /** The trails whose key resolves to this key (for a document: to the keys using it). Empty for a policy written for CloudTrail but not (visibly) used. */
  usedBy: KeyUser[];
  /** The CloudTrail Lake event data stores whose key resolves to this key (for a document: to the keys using it); their needs are CTK303's and CTK304's. */
  storeUsers?: KeyUser[];
  /** For a document: the keys whose policy it is. */
  usedAsPolicyOf?: { address: string; location: Location }[];
  /**
   * The key policy, evaluated, and where it is written. Undefined when the key has no policy
   * at all (KMS then applies its default key policy, which grants CloudTrail nothing) or when
   * the policy is judged as a document of its own (`policyJudgedAt`).
   */
  policy?: KeyPolicyFacts;
  /** The key's policy is an `aws_iam_policy_document` that has facts of its own. */
  policyJudgedAt?: string;
  /** Whether automatic rotation applies to this kind of key (not to replica, imported-material or asymmetric keys, nor to documents). */
  rotationApplies: boolean;
  /** `enable_key_rotation` / `EnableKeyRotation`, evaluated; undefined when not written. */
  rotation?: Value;
  /** Where rotation is written; undefined when it is not. */
  rotationAttributeRange?: Range;
  /** The rotation setting's name where it is not Terraform's or CloudFormation's (CDK's `enableKeyRotation`). */
  rotationAttributeName?: string;
  /** What the requests are made with, when a single trail using the key makes them known. */
  trailArn?: string;
  /** Every trail declared here that uses the key and whose ARN is partly known: each is judged on its own (CTK101). */
  trails?: KeyTrail[];
  fixes: KeyFixes;
}

export interface KeyPolicyFacts {
  value: Value;
  /** The whole policy as written (the `policy` attribute, the document block, `KeyPolicy`, the file). */
  location: Location;
  /** Where a finding about the policy as a whole goes: the attribute name, the document header, the `Statement` key. */
  summary: Location;
  /** The block writing the policy when it is not the key's own (an `aws_kms_key_policy`): suppressions on or above it count. */
  owner?: Location;
  /**
   * Where a finding about one part of the policy goes: the part itself, shortened to its
   * first line, when it is written in a file the user edits with this key; otherwise the
   * summary (a policy read from a `.json` file by `file()` is reported at `policy = …`).
   */
  anchor(origin: Location | undefined): Location;
}

/** Fix builders bound to the key's syntax. Each returns undefined when no safe edit exists. */
export interface KeyFixes {
  /** A comment above the policy's owner; `key`: above the key itself, for a finding about the key (where a separate policy resource is not it). */
  suppress(ruleId: RuleId, on?: 'policy' | 'key'): Fix | undefined;
  /** A key without a policy: add one with the account delegation and CloudTrail's statements for that use. */
  addPolicy(use?: KeyUse): Fix | undefined;
  /** Insert AWS's required statements for these purposes. */
  addStatements(purposes: RequiredStatementPurpose[]): Fix | undefined;
  /** Add a condition to a statement: the CloudTrail encryption context or `aws:SourceAccount` (CTK102), `kms:CallerAccount` (CTK105). */
  addCondition(statement: Statement, condition: 'encryptionContext' | 'sourceAccount' | 'callerAccount'): Fix | undefined;
  /** Replace a misspelled value (action, effect, element, principal type) with the suggestion. */
  correct(problem: PolicyProblem): Fix | undefined;
  /** `enable_key_rotation = true` / `EnableKeyRotation: true`. */
  enableRotation(): Fix | undefined;
}


/**
 * Whether the trail requirements apply to a key: all but keys only event data stores use, whose
 * needs differ (CTK102's `aws:SourceArn` condition is one AWS forbids for stores).
 */
export const judgedForTrails = (key: KeyFacts): boolean => key.usedBy.length > 0 || (key.storeUsers ?? []).length === 0;
