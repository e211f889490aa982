/**
 * The key-policy statements AWS documents as required for CloudTrail, as plain data that the
 * fixes render in JSON, YAML or HCL.
 *
 * Source: AWS CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html)
 * and "Default KMS key policy created in CloudTrail console". Log readers get Decrypt through
 * the account root (delegation to IAM policies) under the CloudTrail encryption context and
 * `kms:CallerAccount`, never through `"*"`.
 *
 * Parameters are inserted verbatim, so a caller may pass placeholders of its own syntax:
 * `${AWS::AccountId}` for a CloudFormation `!Sub`, `${data.aws_caller_identity.current.account_id}`
 * for a Terraform template string.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface RequiredStatementParams {
  /** `aws`, `aws-cn`, `aws-us-gov`, or a placeholder such as `${AWS::Partition}`. */
  partition: string;
  accountId: string;
  /** With `trailName`, makes the trail ARN known, which adds the recommended `aws:SourceArn` condition. */
  region?: string;
  trailName?: string;
  /**
   * The account in the trail's ARN when it is not `accountId`: an organization trail's ARN
   * carries the management account ("Prepare for creating a trail for your organization"),
   * while the key's own statements name the account that holds the key.
   */
  trailAccountId?: string;
}

/** Which CloudTrail requirement (see `analyzeCloudTrailKeyPolicy`) a statement satisfies. */
export type RequiredStatementPurpose = 'keyAdministration' | 'encrypt' | 'describe' | 'readers' | 'eventDataStore' | 'bucketKeyDecrypt' | 'publishToTopic';

/** What a key is for, which decides the policy a fix writes for it. */
export type KeyUse = 'trail' | 'eventDataStore' | 'topic';

export interface RequiredStatement {
  purpose: RequiredStatementPurpose;
  /** Key order is the conventional one: Sid, Effect, Principal, Action, Resource, Condition. */
  statement: JsonObject;
}

const accountRoot = (p: RequiredStatementParams): string => `arn:${p.partition}:iam::${p.accountId}:root`;

/** The account the trail's ARN carries. */
export const trailAccountOf = (p: RequiredStatementParams): string => p.trailAccountId ?? p.accountId;

/**
 * The trail's ARN, built from its parts when its region and name are known (never a reference
 * to the trail resource, which would make the key's policy depend on the trail that depends on
 * the key: a cycle Terraform rejects).
 */
export const knownTrailArn = (p: RequiredStatementParams): string | undefined =>
  p.region !== undefined && p.trailName !== undefined
    ? `arn:${p.partition}:cloudtrail:${p.region}:${trailAccountOf(p)}:trail/${p.trailName}`
    : undefined;

/** Every trail of the account, in any region (the encryption-context pattern AWS documents). */
const anyTrailOfAccount = (p: RequiredStatementParams): string => `arn:${p.partition}:cloudtrail:*:${trailAccountOf(p)}:trail/*`;

/**
 * The account root may do everything with the key: keeps the key manageable and lets IAM
 * policies in the account grant access (KMS's default key policy statement).
 */
export const rootKeyAdministrationStatement = (p: RequiredStatementParams): JsonObject => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: accountRoot(p) },
  Action: 'kms:*',
  Resource: '*',
});

export function cloudTrailEncryptStatement(p: RequiredStatementParams): JsonObject {
  const trailArn = knownTrailArn(p);
  const condition: JsonObject = {
    StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfAccount(p) },
  };
  if (trailArn !== undefined) condition.StringEquals = { 'aws:SourceArn': trailArn };
  return {
    Sid: 'Allow CloudTrail to encrypt logs',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Resource: '*',
    Condition: condition,
  };
}

/** DescribeKey carries no encryption context: never put it under an encryption-context condition. */
export function cloudTrailDescribeStatement(p: RequiredStatementParams): JsonObject {
  const trailArn = knownTrailArn(p);
  const statement: JsonObject = {
    Sid: 'Allow CloudTrail to describe key',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:DescribeKey',
    Resource: '*',
  };
  if (trailArn !== undefined) statement.Condition = { StringEquals: { 'aws:SourceArn': trailArn } };
  return statement;
}

export const logReadersStatement = (p: RequiredStatementParams): JsonObject => ({
  Sid: 'Allow principals in the account to decrypt log files',
  Effect: 'Allow',
  Principal: { AWS: accountRoot(p) },
  Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
  Resource: '*',
  Condition: {
    Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' },
    StringEquals: { 'kms:CallerAccount': p.accountId },
  },
});

/**
 * Needed only when the trail's bucket uses an S3 Bucket Key with SSE-KMS ("Required KMS key
 * policy elements for trails": "If you are using an existing S3 bucket with an S3 Bucket Key,
 * kms:Decrypt permissions are required to create or update a trail with SSE-KMS encryption
 * enabled"). Written like the DescribeKey statement (scoped by `aws:SourceArn` when the trail's ARN is known):
 * the request is not one for a log file, so CloudTrail's encryption-context condition would not fit it.
 */
export const cloudTrailBucketKeyDecryptStatement = (p: RequiredStatementParams): JsonObject => ({
  ...cloudTrailDescribeStatement(p),
  Sid: 'Allow CloudTrail to decrypt with the S3 Bucket Key',
  Action: 'kms:Decrypt',
});

/** Statements a fix may add on demand, besides the four every CloudTrail key needs. */
export const situationalCloudTrailStatements = (p: RequiredStatementParams): RequiredStatement[] => [
  { purpose: 'bucketKeyDecrypt', statement: cloudTrailBucketKeyDecryptStatement(p) },
];

/**
 * For the key of a trail's encrypted SNS topic: the statement AWS shows in "Amazon SNS topic
 * policy for CloudTrail" (CloudTrail User Guide), unconditioned, as written there.
 */
export const cloudTrailTopicPublishStatement = (): JsonObject => ({
  Sid: 'AllowCloudTrailToPublishToEncryptedTopic',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
});

/** All four, in the order a new key policy lists them. */
export const requiredCloudTrailStatements = (p: RequiredStatementParams): RequiredStatement[] => [
  { purpose: 'keyAdministration', statement: rootKeyAdministrationStatement(p) },
  { purpose: 'encrypt', statement: cloudTrailEncryptStatement(p) },
  { purpose: 'describe', statement: cloudTrailDescribeStatement(p) },
  { purpose: 'readers', statement: logReadersStatement(p) },
];

/** A complete key policy for a CloudTrail key (for the "create a correctly-policied key" fix). */
export const cloudTrailKeyPolicy = (p: RequiredStatementParams): JsonObject => ({
  Version: '2012-10-17',
  Statement: requiredCloudTrailStatements(p).map((r) => r.statement),
});

/**
 * AWS's statement for the key of a CloudTrail Lake event data store ("Granting encrypt
 * permissions for event data stores"): no `aws:SourceArn` / `aws:SourceAccount` condition, which
 * AWS says cannot be used there, and no encryption-context condition, which AWS does not document
 * for stores.
 */
export const eventDataStoreEncryptStatement = (): JsonObject => ({
  Sid: 'AllowCloudTrailEncryptEds',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
  Resource: '*',
});

/**
 * The key policy of an event data store's key, in the order a new policy lists them: the account
 * delegation (which lets IAM policies give querying users Decrypt and GenerateDataKey), CloudTrail
 * Lake's grant, and DescribeKey without a condition (AWS lists it among the required elements).
 */
export const requiredEventDataStoreStatements = (p: RequiredStatementParams): RequiredStatement[] => [
  { purpose: 'keyAdministration', statement: rootKeyAdministrationStatement(p) },
  { purpose: 'eventDataStore', statement: eventDataStoreEncryptStatement() },
  { purpose: 'describe', statement: cloudTrailDescribeStatement({ partition: p.partition, accountId: p.accountId }) },
];

/** The key policy of a trail's notification topic: the account delegation and CloudTrail's publish statement. */
export const requiredTopicStatements = (p: RequiredStatementParams): RequiredStatement[] => [
  { purpose: 'keyAdministration', statement: rootKeyAdministrationStatement(p) },
  { purpose: 'publishToTopic', statement: cloudTrailTopicPublishStatement() },
];

/**
 * Every statement a fix may add, by purpose, in the order added statements take: an event data
 * store's own statement where a trail's encrypt one would be, the topic's publish statement last.
 */
export const requiredStatements = (p: RequiredStatementParams): RequiredStatement[] => {
  const trail = requiredCloudTrailStatements(p);
  const store = requiredEventDataStoreStatements(p).filter((r) => r.purpose === 'eventDataStore');
  const topic = requiredTopicStatements(p).filter((r) => r.purpose === 'publishToTopic');
  return [...trail.slice(0, 2), ...store, ...trail.slice(2), ...situationalCloudTrailStatements(p), ...topic];
};

/** A complete key policy for a key of this use (for "create a key" and "add a key policy"). */
export const keyPolicyFor = (use: KeyUse, p: RequiredStatementParams): JsonObject => {
  if (use === 'trail') return cloudTrailKeyPolicy(p);
  const statements = use === 'eventDataStore' ? requiredEventDataStoreStatements(p) : requiredTopicStatements(p);
  return { Version: '2012-10-17', Statement: statements.map((r) => r.statement) };
};
