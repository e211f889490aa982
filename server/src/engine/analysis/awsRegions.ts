/**
 * AWS Regions and partitions, as far as the rules need them: which partition a Region code
 * belongs to (the partitions' Region patterns of the AWS SDKs' endpoint data), and the Region
 * part of an ARN.
 */
import { splitArn } from '../policy/wildcards';

const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The partition of a Region code written out (`eu-west-1` → `aws`); undefined for text that is not one. */
export function partitionOfRegion(region: string): string | undefined {
  if (!REGION_CODE.test(region)) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

/** A Region code written out in full, nothing unknown in it. */
export const isRegionCode = (text: string): boolean => partitionOfRegion(text) !== undefined;

/** The Region of a KMS key or alias ARN written out (`arn:aws:kms:eu-west-1:…:key/…`); undefined otherwise. */
export function regionOfKmsArn(text: string): string | undefined {
  const parts = splitArn(text);
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'kms') return undefined;
  return isRegionCode(parts[3]) ? parts[3] : undefined;
}
