/**
 * CTK107 trail-bucket-key-no-decrypt: the trail's bucket uses an S3 Bucket Key with SSE-KMS
 * under the trail's own key, and the key policy does not let CloudTrail call `kms:Decrypt`
 * (and `kms:DescribeKey`), which AWS requires to create or update such a trail.
 *
 * Only a bucket the engine can see is judged (the trail's bucket resolved to a bucket of the
 * module or template, its Bucket Key and algorithm written, its key resolving to this key).
 */
import type { RelatedInformation } from '../types';
import type { KeyFacts } from '../analysis/keyFacts';
import type { BucketKeyUse, TrailFacts } from '../analysis/facts';
import { keysNamedBy } from '../analysis/keyUsage';
import { analyzeBucketKeyDecrypt } from '../policy';
import type { RequiredStatementPurpose } from '../policy';
import type { Rule, RuleContext } from './rule';
import { analyzedKeys, keyPhrase, policyPhrase, reportOnKey, statementOrigin } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK107',
    name: 'trail-bucket-key-no-decrypt',
    defaultSeverity: 'error',
    description: 'When a trail\'s bucket uses an S3 Bucket Key with the trail\'s key, the key policy must let cloudtrail.amazonaws.com call kms:Decrypt and kms:DescribeKey.',
    fixable: true,
    messages: {
      missing: "{policy} does not let cloudtrail.amazonaws.com call {actions}, which AWS requires when the trail's bucket uses an S3 Bucket Key: {bucket} encrypts with {key} and has a Bucket Key, so CloudTrail cannot create or update {trail}.",
      denied: "This Deny statement stops cloudtrail.amazonaws.com from calling kms:Decrypt on {key}, which AWS requires because {bucket} uses an S3 Bucket Key with it: CloudTrail cannot create or update {trail}.",
      conditionsNeverMatch: "This statement's conditions never match CloudTrail's kms:Decrypt request, which AWS requires because {bucket} uses an S3 Bucket Key with {key}: CloudTrail cannot create or update {trail}.",
    },
  },
  check(context) {
    for (const { key, policy, analysis } of analyzedKeys(context.keys)) {
      const use = bucketKeyOf(context, key);
      if (!use) continue;
      const decrypt = analyzeBucketKeyDecrypt(policy, { trailArn: key.trailArn });
      const describeMissing = !analysis.describe.met && analysis.describe.reason !== 'denied';
      if (decrypt.met && !describeMissing) continue;
      const data = { key: keyPhrase(key), policy: policyPhrase(key), bucket: use.bucket.bucket, trail: use.trail.address };
      const related: RelatedInformation[] = [{ location: use.bucket.location, message: `${use.bucket.bucket} uses an S3 Bucket Key with ${keyPhrase(key)}` }];
      const purposes: RequiredStatementPurpose[] = [
        ...(describeMissing ? ['describe' as const] : []),
        ...(!decrypt.met && decrypt.reason !== 'denied' ? ['bucketKeyDecrypt' as const] : []),
      ];
      const fixes = () => [purposes.length > 0 ? key.fixes.addStatements(purposes) : undefined, key.fixes.suppress('CTK107')];
      if (!decrypt.met && decrypt.statements.length > 0) {
        for (const statement of decrypt.statements) {
          reportOnKey(context, key, statementOrigin(statement), { messageId: decrypt.reason ?? 'missing', data, fixes, related });
        }
        continue;
      }
      const actions = [...(decrypt.met ? [] : ['kms:Decrypt']), ...(describeMissing ? ['kms:DescribeKey'] : [])].join(' and ');
      reportOnKey(context, key, undefined, { messageId: 'missing', data: { ...data, actions }, fixes, related });
    }
  },
};

/** The first trail using this key whose bucket has a Bucket Key under this very key. */
function bucketKeyOf(context: RuleContext, key: KeyFacts): { trail: TrailFacts; bucket: BucketKeyUse } | undefined {
  const addresses = key.kind === 'key' ? [key.address] : (key.usedAsPolicyOf ?? []).map((k) => k.address);
  for (const user of key.usedBy) {
    const trail = context.trails.find((t) => t.address === user.address && !t.throughModule);
    if (!trail?.bucketKey) continue;
    if (keysNamedBy(trail.bucketKey.key, trail).some((a) => addresses.includes(a))) return { trail, bucket: trail.bucketKey };
  }
  return undefined;
}
