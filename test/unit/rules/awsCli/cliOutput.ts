/**
 * AWS CLI output for rule cases, printed as `aws … --output json` prints it (four-space
 * indent, members in the API's order), from the shapes in docs/inputs/deployed.md.
 */
import * as assert from 'node:assert/strict';

export const ACCOUNT = '111122223333';
export const KEY_ID = '0a1b2c3d-1111-4a5b-8c9d-0123456789ab';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
export const trailArn = (name: string): string => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;

const print = (value: unknown): string => `${JSON.stringify(value, null, 4)}\n`;

/** One `trailList` item; `KmsKeyId` only when given, as the API returns it. */
export function trail(name: string, members: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: name, S3BucketName: 'example-trail-logs', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true,
    HomeRegion: 'us-east-1', TrailARN: trailArn(name), LogFileValidationEnabled: true, ...members,
    HasCustomEventSelectors: false, HasInsightSelectors: false, IsOrganizationTrail: false,
  };
}

/** `aws cloudtrail describe-trails` output. */
export const describeTrails = (...trails: Record<string, unknown>[]): string => print({ trailList: trails });

/** `aws kms describe-key` output of a symmetric customer key, with `members` changed. */
export function describeKey(members: Record<string, unknown> = {}, id = KEY_ID): string {
  return print({
    KeyMetadata: {
      AWSAccountId: ACCOUNT, KeyId: id, Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`, CreationDate: '2025-03-04T10:11:12.345000+00:00',
      Enabled: true, Description: '', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false,
      ...members,
    },
  });
}

/** A key policy document as KMS stores and prints it (`" : "` separators, two-space indent). */
export const policyText = (policy: unknown): string => JSON.stringify(policy, null, 2).replace(/": /g, '" : ');

/** `aws kms get-key-policy --output json`: the policy as a string. */
export const getKeyPolicy = (policy: unknown): string => print({ Policy: policyText(policy), PolicyName: 'default' });

/** `aws kms get-key-policy --query Policy --output text`: the document itself. */
export const bareKeyPolicy = (policy: unknown): string => `${policyText(policy)}\n`;

export const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
export const ENCRYPT_STATEMENT = (trailName: string) => ({
  Sid: 'Allow CloudTrail to encrypt logs', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
  Condition: { StringEquals: { 'aws:SourceArn': trailArn(trailName) }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
});
export const DESCRIBE_STATEMENT = { Sid: 'Allow CloudTrail to describe key', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' };
export const READERS_STATEMENT = {
  Sid: 'Allow principals in the account to decrypt log files', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:ReEncryptFrom'], Resource: '*',
  Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
};
/** AWS's "Key policy created by CloudTrail" for one trail. */
export const cloudTrailPolicy = (trailName: string, statements: unknown[] = [ROOT_STATEMENT, ENCRYPT_STATEMENT(trailName), DESCRIBE_STATEMENT, READERS_STATEMENT]) =>
  ({ Version: '2012-10-17', Id: 'Key policy created by CloudTrail', Statement: statements });
/** The default key policy KMS gives a key created without one. */
export const DEFAULT_POLICY = { Version: '2012-10-17', Id: 'key-default-1', Statement: [ROOT_STATEMENT] };

/** The 1-based line of the first occurrence of `needle` (after `after`, when given). */
export function lineOf(text: string, needle: string, after = ''): number {
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(needle, Math.max(0, from));
  assert.ok(from >= 0 && at >= 0, `${needle} is not in the text`);
  return text.slice(0, at).split('\n').length;
}
