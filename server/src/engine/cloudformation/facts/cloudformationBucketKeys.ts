/**
 * CloudFormation → whether a trail's bucket uses an S3 Bucket Key under SSE-KMS (CTK107): the
 * trail's `S3BucketName` is a `!Ref` to an `AWS::S3::Bucket` of this template whose
 * `BucketEncryption.ServerSideEncryptionConfiguration` has one rule with
 * `BucketKeyEnabled: true`, `SSEAlgorithm: aws:kms` and a `KMSMasterKeyID`.
 *
 * Anything not known (a bucket name given as text, a parameter, an `!If` left open) leaves the
 * fact unset: the rule then says nothing.
 */
import type { ResourceRef, Value } from '../../model/values';
import type { BucketKeyUse } from '../../analysis/facts';
import { isCertainlyTrue } from '../../model/valueOps';
import type { CloudFormationEvaluator } from './cloudformationEvaluator';

export function cloudformationBucketKey(evaluator: CloudFormationEvaluator, trail: ResourceRef): BucketKeyUse | undefined {
  const name = evaluator.property(trail, 'S3BucketName');
  if (name?.kind !== 'resource-attribute' || name.resource.type !== 'AWS::S3::Bucket' || name.attribute !== 'Ref') return undefined;
  const bucket = name.resource;
  const rules = entry(evaluator.property(bucket, 'BucketEncryption'), 'ServerSideEncryptionConfiguration');
  if (rules?.kind !== 'list' || rules.items.length !== 1) return undefined;
  const rule = rules.items[0];
  const enabled = entry(rule, 'BucketKeyEnabled');
  const byDefault = entry(rule, 'ServerSideEncryptionByDefault');
  const algorithm = entry(byDefault, 'SSEAlgorithm');
  // Without a key, S3 uses the AWS managed key aws/s3: not the trail's key.
  const key = entry(byDefault, 'KMSMasterKeyID');
  if (!enabled?.origin || !isCertainlyTrue(enabled) || algorithm?.kind !== 'string' || algorithm.partial || algorithm.value !== 'aws:kms' || !key) return undefined;
  return { bucket: bucket.address, location: enabled.origin, key };
}

const entry = (value: Value | undefined, name: string): Value | undefined =>
  value?.kind === 'object' ? value.entries.get(name) : undefined;
