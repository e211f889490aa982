/**
 * What the rules look at: format-neutral facts about trails, built by one adapter per format
 * (terraformFacts.ts, cloudformationFacts.ts). Rules never see syntax trees or evaluators
 * directly, so one rule file serves Terraform and CloudFormation alike.
 */
import type { Fix, Location, RuleId } from '../types';
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

/** A trail's bucket whose default encryption is SSE-KMS with `bucket_key_enabled` / `BucketKeyEnabled` true. */
export interface BucketKeyUse {
  /** `aws_s3_bucket.logs`, `LogsBucket`. */
  bucket: string;
  /** Where the Bucket Key is switched on. */
  location: Location;
  /** The bucket's KMS key setting (`kms_master_key_id` / `KMSMasterKeyID`), evaluated. */
  key: Value;
}

/**
 * Where a trail is created, as far as its input says: each part known only when written as a
 * literal (or a default) where the format states it; absent parts are not known. A trail's
 * ARN is `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`.
 */
export interface TrailPlacement {
  /** The trail's ARN itself, when the input states it (a plan or state of a trail that exists). */
  arn?: string;
  partition?: string;
  region?: string;
  account?: string;
  /**
   * `is_organization_trail` / `IsOrganizationTrail` is (or may be) true. An organization trail
   * belongs to the organization's management account even when a delegated administrator
   * creates it ("Prepare for creating a trail for your organization"), so `account` is then the
   * management account's, set only where the input makes it known.
   */
  organization?: boolean;
  /** Where the trail's log files go, when the input says which region the bucket is in (CTK005). */
  bucket?: RegionFact;
  /** The region of the key the trail encrypts with, when the input says it (CTK005). */
  key?: RegionFact;
}

/** A region and what says so. */
export interface RegionFact {
  region: string;
  /** `aws_s3_bucket.logs`, `aws_kms_key.logs`, or the key ARN as written. */
  subject: string;
  /** How the region is known, for messages: `provider aws.west`, `its ARN`. */
  because: string;
  location?: Location;
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
  /** Whether a candidate's policy lets CloudTrail encrypt (undefined: not known here): the "Encrypt with …" fixes are ordered by it. */
  keyGrantsCloudTrail?: (key: ResourceRef) => boolean | undefined;
  access: ModelAccess;
  fixes: TrailFixes;
  /** The trail's bucket encrypts with an S3 Bucket Key under SSE-KMS (CTK107); set only when that is known. */
  bucketKey?: BucketKeyUse;
  /** Where the trail is created (its ARN's parts, its bucket's and key's regions), where known. */
  placement?: TrailPlacement;
  /** Set when this finding belongs to a module call: the trail inside the called module. */
  throughModule?: { childAddress: string; childUri: string; childBlock: Block; inputs: string[] };
}
