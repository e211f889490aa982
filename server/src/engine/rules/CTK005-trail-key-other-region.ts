/**
 * CTK005 trail-key-other-region: the trail's key is in another Region than the bucket that
 * receives its log files. The CloudTrail User Guide ("Encrypting CloudTrail log files with AWS
 * KMS keys (SSE-KMS)") says the key must be in the same Region as that bucket, and CloudTrail
 * answers CreateTrail / UpdateTrail with `KmsKeyNotFoundException` when "the S3 bucket and the
 * KMS key are not in the same Region" (CloudTrail API Reference).
 *
 * Both Regions must be known from the input (a key or alias ARN written out, a provider
 * configuration or `region` argument with a literal Region on the key and on the bucket). The
 * trail's own Region does not decide: a trail may deliver to a bucket in another Region, and
 * then its key belongs in the bucket's. A multi-Region key is used through the key of the
 * bucket's Region (a replica there, `aws_kms_replica_key`), whose ARN names that Region.
 */
import type { Rule } from './rule';

export const rule: Rule = {
  meta: {
    id: 'CTK005',
    name: 'trail-key-other-region',
    defaultSeverity: 'error',
    description: 'The trail\'s KMS key must be in the same Region as the S3 bucket that receives its log files.',
    fixable: false,
    messages: {
      otherRegion: '{trail} encrypts with {key}, which is in {keyRegion} ({keyBecause}), but its log files go to {bucket} in {bucketRegion} ({bucketBecause}): CloudTrail needs the key in the bucket\'s Region, so it cannot create or update the trail (KmsKeyNotFoundException) and no log file is delivered.',
    },
  },
  check(context) {
    for (const trail of context.trails) {
      const { bucket, key } = trail.placement ?? {};
      if (trail.throughModule || !bucket || !key || bucket.region === key.region) continue;
      context.report({
        messageId: 'otherRegion',
        data: {
          trail: trail.address, key: key.subject, keyRegion: key.region, keyBecause: key.because,
          bucket: bucket.subject, bucketRegion: bucket.region, bucketBecause: bucket.because,
        },
        uri: trail.uri,
        range: trail.keyAttribute?.range ?? trail.block.headerRange,
        resource: trail.address,
        subject: trail.block.range,
        related: [
          ...(key.location ? [{ location: key.location, message: `${key.subject} is in ${key.region}` }] : []),
          ...(bucket.location ? [{ location: bucket.location, message: `${bucket.subject} is in ${bucket.region}` }] : []),
        ],
        fixes: () => [trail.fixes.suppress('CTK005')],
      });
    }
  },
};
