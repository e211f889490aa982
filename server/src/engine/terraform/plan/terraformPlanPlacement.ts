/**
 * Terraform plan → where a trail is, from its planned values: its `arn` when the plan knows it
 * (a trail that exists already), else nothing of its ARN but its name (read by the key facts);
 * its key's Region from the planned key or alias ARN, or from the `region` the AWS provider 6
 * plans for the key resource; its bucket's Region from the `region` planned for the
 * `aws_s3_bucket` whose `bucket` is the trail's `s3_bucket_name`. An organization trail is
 * marked as such (its ARN carries the management account, known only from its planned `arn`).
 */
import type { RegionFact, TrailPlacement } from '../../analysis/facts';
import { isRegionCode, regionOfKmsArn } from '../../analysis/awsRegions';
import type { Value } from '../../model/values';
import type { PlannedResource } from './terraformPlan';
import type { PlannedValues } from './terraformPlanValues';

export const BUCKET_TYPE = 'aws_s3_bucket';

export function planTrailPlacement(values: PlannedValues, trail: PlannedResource, resources: PlannedResource[]): TrailPlacement {
  const arn = knownString(values.attribute(trail, 'arn').value);
  const organization = values.attribute(trail, 'is_organization_trail').value;
  return {
    arn: arn?.startsWith('arn:') ? arn : undefined,
    organization: (organization?.kind === 'bool' && organization.value) || undefined,
    key: keyRegion(values, trail),
    bucket: bucketRegion(values, trail, resources),
  };
}

function keyRegion(values: PlannedValues, trail: PlannedResource): RegionFact | undefined {
  const planned = values.attribute(trail, 'kms_key_id');
  const text = knownString(planned.value);
  const fromArn = text && regionOfKmsArn(text);
  if (text && fromArn) return { region: fromArn, subject: text, because: 'its ARN', location: planned.value?.origin };
  const linked = values.keyReference(trail, 'kms_key_id').value;
  if (linked?.kind !== 'resource-attribute') return undefined;
  const key = values.plannedResource(linked.resource.address);
  const region = key && knownString(values.attribute(key, 'region').value);
  return key && region && isRegionCode(region) ? { region, subject: key.address, because: 'its planned region', location: { uri: values.uri, range: key.block.headerRange } } : undefined;
}

function bucketRegion(values: PlannedValues, trail: PlannedResource, resources: PlannedResource[]): RegionFact | undefined {
  const name = knownString(values.attribute(trail, 's3_bucket_name').value);
  if (!name) return undefined;
  const buckets = resources.filter((r) => r.type === BUCKET_TYPE && knownString(values.attribute(r, 'bucket').value) === name);
  if (buckets.length !== 1) return undefined;
  const region = knownString(values.attribute(buckets[0], 'region').value);
  return region && isRegionCode(region) ? { region, subject: buckets[0].address, because: 'its planned region', location: { uri: values.uri, range: buckets[0].block.headerRange } } : undefined;
}

const knownString = (value: Value | undefined): string | undefined =>
  value?.kind === 'string' && !value.partial ? value.value : undefined;
