/**
 * What the rules look at: format-neutral facts about trails, built by one adapter per format
 * (terraformFacts.ts, cloudformationFacts.ts). Rules never see syntax trees or evaluators
 * directly, so one rule file serves Terraform and CloudFormation alike.
 */
import type { Fix, RuleId } from '../types';
import type { TrailKeyVerdict } from '../model/keyReference';
import type { Attribute, Block, SourceFormat } from '../model/syntax';
import type { ResourceRef, Value } from '../model/values';

/** Reads attributes (Terraform) or properties (CloudFormation) of declared resources, evaluated. */
export interface ModelAccess {
  attribute(resource: ResourceRef, name: string): Value | undefined;
  /** The names this format uses for the key and alias settings CTK003 reads. */
  names: {
    keySpec: string[];
    keyUsage: string;
    aliasTarget: string;
    dataAliasName: string;
    dataKeyId: string;
    /** A key's `KeyManager` (`AWS` for an AWS-managed key), where a format reads it (AWS CLI `describe-key`). */
    keyManager?: string;
    /** The trail's key setting and its log file validation setting, where they are not Terraform's or CloudFormation's names. */
    trailKey?: string;
    logFileValidation?: string;
  };
}

/** Fix builders bound to a trail's syntax. Each returns undefined when no safe edit exists. */
export interface TrailFixes {
  useKey(key: ResourceRef): Fix | undefined;
  createKey(): Fix | undefined;
  suppress(ruleId: RuleId): Fix | undefined;
  renameMisspelled?(): Fix | undefined;
  /** Sets `enable_log_file_validation = true` / `EnableLogFileValidation: true`. */
  enableLogFileValidation(): Fix | undefined;
}

export interface TrailFacts {
  format: SourceFormat;
  uri: string;
  /** Where findings about this trail are reported: the trail, or the module call that configures it. */
  address: string;
  block: Block;
  /** `kms_key_id` / `KMSKeyId` as written, if it is. */
  keyAttribute?: Attribute;
  /** `KmsKeyId`, `KMSKeyID`…: a CloudFormation property that is not the real one. */
  misspelledKeyAttribute?: Attribute;
  verdict: TrailKeyVerdict;
  /** `enable_log_file_validation` / `EnableLogFileValidation` as written and evaluated (CTK202). */
  logFileValidation: { attribute?: Attribute; value?: Value };
  /** Keys declared alongside the trail, the candidates for "Encrypt with …". */
  keyCandidates: ResourceRef[];
  /** Whether a candidate's policy lets CloudTrail encrypt (undefined: not known here); set with the order of the candidates. */
  keyGrantsCloudTrail?: (key: ResourceRef) => boolean | undefined;
  access: ModelAccess;
  fixes: TrailFixes;
  /** Set when this finding belongs to a module call: the trail inside the called module. */
  throughModule?: { childAddress: string; childUri: string; childBlock: Block; inputs: string[] };
}
