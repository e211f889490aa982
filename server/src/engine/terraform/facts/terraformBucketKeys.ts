/**
 * Terraform → whether a trail's bucket uses an S3 Bucket Key under SSE-KMS (CTK107): the
 * trail's `s3_bucket_name` names an `aws_s3_bucket` of this module, whose default encryption
 * (an `aws_s3_bucket_server_side_encryption_configuration` for it, or the provider v3 inline
 * `server_side_encryption_configuration` block) has `bucket_key_enabled = true` with
 * `sse_algorithm = "aws:kms"` and a `kms_master_key_id`.
 *
 * Anything not known (a bucket name given as text, an input, two configurations for one
 * bucket, a value computed elsewhere) leaves the fact unset: the rule then says nothing.
 */
import type { Block } from '../../model/syntax';
import type { ResourceRef, Value } from '../../model/values';
import type { BucketKeyUse } from '../../analysis/facts';
import { isCertainlyTrue } from '../../model/valueOps';
import { findAttribute } from '../../model/syntax';
import { resourcesOfType } from '../evaluate/terraformModule';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import { isNeverCreated } from './terraformInstances';

const CONFIGURATION_TYPE = 'aws_s3_bucket_server_side_encryption_configuration';

export function terraformBucketKey(evaluator: TerraformEvaluator, trail: ResourceRef): BucketKeyUse | undefined {
  const bucket = bucketOf(evaluator.evaluateAttribute(trail.block, 's3_bucket_name', trail.uri));
  if (!bucket) return undefined;
  const configurations = resourcesOfType(evaluator.module, CONFIGURATION_TYPE)
    .filter((c) => bucketOf(evaluator.evaluateAttribute(c.block, 'bucket', c.uri))?.address === bucket.address && !isNeverCreated(evaluator, c))
    .map((c) => ({ block: c.block, uri: c.uri }));
  const inline = bucket.block.blocks.filter((b) => b.type === 'server_side_encryption_configuration').map((block) => ({ block, uri: bucket.uri }));
  const all = [...configurations, ...inline];
  // Which one wins is the provider's business: with two, say nothing.
  if (all.length !== 1) return undefined;
  const { block, uri } = all[0];
  const rules = block.blocks.filter((b) => b.type === 'rule');
  if (rules.length !== 1) return undefined;
  return bucketKeyOfRule(evaluator, rules[0], uri, bucket.address);
}

/** `aws_s3_bucket.logs.id` / `.bucket`: the bucket resource itself. */
export function bucketOf(value: Value | undefined): ResourceRef | undefined {
  return value?.kind === 'resource-attribute' && value.resource.mode === 'resource' && value.resource.type === 'aws_s3_bucket' &&
    ['id', 'bucket'].includes(value.attribute) ? value.resource : undefined;
}

function bucketKeyOfRule(evaluator: TerraformEvaluator, rule: Block, uri: string, bucket: string): BucketKeyUse | undefined {
  const enabled = findAttribute(rule, 'bucket_key_enabled');
  if (!enabled || !isCertainlyTrue(evaluator.evaluate(enabled.value, uri))) return undefined;
  const byDefault = rule.blocks.filter((b) => b.type === 'apply_server_side_encryption_by_default');
  if (byDefault.length !== 1) return undefined;
  const algorithm = evaluator.evaluateAttribute(byDefault[0], 'sse_algorithm', uri);
  if (algorithm?.kind !== 'string' || algorithm.partial || algorithm.value !== 'aws:kms') return undefined;
  // Without a key, S3 uses the AWS managed key aws/s3: not the trail's key.
  const key = evaluator.evaluateAttribute(byDefault[0], 'kms_master_key_id', uri);
  if (!key) return undefined;
  return { bucket, location: { uri, range: enabled.range }, key };
}
