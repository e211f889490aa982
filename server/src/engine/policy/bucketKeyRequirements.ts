/**
 * What a key policy must also give CloudTrail when the trail's bucket uses an S3 Bucket Key
 * with SSE-KMS under the trail's key.
 *
 * Source: AWS CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html),
 * "Required KMS key policy elements for trails": "If you are using an existing S3 bucket with
 * an S3 Bucket Key, kms:Decrypt permissions are required to create or update a trail with
 * SSE-KMS encryption enabled." DescribeKey is required for every trail and is judged by
 * `analyzeCloudTrailKeyPolicy`.
 *
 * The page does not say which encryption context that Decrypt carries, so every
 * encryption-context condition is left unknown (it may hold): only a policy that certainly
 * gives CloudTrail no Decrypt is reported.
 */
import type { ParsedPolicy } from './types';
import type { PolicyRequest } from './evaluate';
import { isAllowed } from './evaluate';
import { cloudTrailServiceRequest, trailIdentity, type CloudTrailKeyPolicyOptions } from './cloudtrailRequests';
import { conditionNearMisses, isMet, type RequirementResult } from './cloudtrailRequirements';

export type BucketKeyDecryptResult = RequirementResult<'missing' | 'denied' | 'conditionsNeverMatch'>;

/** CloudTrail's `kms:Decrypt` for a bucket with an S3 Bucket Key: its encryption context is not known. */
function bucketKeyDecryptRequest(options: CloudTrailKeyPolicyOptions): PolicyRequest {
  const request = cloudTrailServiceRequest('kms:Decrypt', trailIdentity(options), false);
  const context = Object.fromEntries(Object.entries(request.context).filter(([key]) => !key.toLowerCase().startsWith('kms:encryptioncontext')));
  return { ...request, context, unlistedKeys: 'unknown' };
}

export function analyzeBucketKeyDecrypt(policy: ParsedPolicy, options: CloudTrailKeyPolicyOptions = {}): BucketKeyDecryptResult {
  const request = bucketKeyDecryptRequest(options);
  const decision = isAllowed(policy, request);
  const certain = decision.certain;
  if (isMet(policy, decision)) return { met: true, certain, statements: decision.allowedBy };
  if (decision.deniedBy.length > 0) return { met: false, certain, reason: 'denied', statements: decision.deniedBy };
  const nearMisses = conditionNearMisses(policy, request);
  if (nearMisses.length > 0) return { met: false, certain, reason: 'conditionsNeverMatch', statements: nearMisses };
  return { met: false, certain, reason: 'missing', statements: [] };
}
