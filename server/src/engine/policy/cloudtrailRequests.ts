/**
 * Realistic requests CloudTrail and log readers make to KMS, to run a key policy against.
 *
 * From the AWS CloudTrail User Guide, "How AWS CloudTrail uses AWS KMS"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html):
 * CloudTrail calls `GenerateDataKey` as the service principal `cloudtrail.amazonaws.com`, with
 * an encryption context holding the trail ARN (`aws:cloudtrail:arn`) and the S3 object ARN
 * (`aws:s3:arn`); readers call `Decrypt` with the same encryption context. `DescribeKey` takes
 * no encryption context, so a request for it never carries one. AWS's recommended statements
 * ("Configure AWS KMS key policies for CloudTrail") condition both on `aws:SourceArn`, so
 * CloudTrail's requests carry the trail ARN there, and `aws:SourceAccount` the trail owner.
 *
 * What the requests do not know is left unknown rather than guessed: an unknown trail region
 * or name is `${…}` in the ARN, and every condition key not listed is unknown, except other
 * encryption-context keys, which are certainly absent (CloudTrail sends exactly these two).
 */
import type { PolicyRequest, RequestContext } from './evaluate';
import { accountOfPrincipal } from './matchers';
import { splitArn } from './wildcards';

export const CLOUDTRAIL_SERVICE_PRINCIPAL = 'cloudtrail.amazonaws.com';
export const CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY = 'kms:EncryptionContext:aws:cloudtrail:arn';

export interface CloudTrailKeyPolicyOptions {
  /**
   * The ARN of the trail that uses the key, when known. Parts that are not known may be
   * written `${…}`: `arn:aws:cloudtrail:${var.region}:111122223333:trail/main`.
   */
  trailArn?: string;
  /** The account that owns the trail (and, usually, the key). */
  accountId?: string;
}

/** The trail as the requests see it. */
export interface TrailIdentity {
  arn: string;
  account: string;
  partition: string;
}

const UNKNOWN_PARTITION = '${partition}';
const UNKNOWN_ACCOUNT = '${account}';

export function trailIdentity(options: CloudTrailKeyPolicyOptions): TrailIdentity {
  if (options.trailArn !== undefined) {
    const parts = splitArn(options.trailArn);
    const isArn = parts.length === 6 && parts[0] === 'arn';
    return {
      arn: options.trailArn,
      account: options.accountId ?? (isArn && parts[4] ? parts[4] : UNKNOWN_ACCOUNT),
      partition: isArn && parts[1] ? parts[1] : UNKNOWN_PARTITION,
    };
  }
  const account = options.accountId ?? UNKNOWN_ACCOUNT;
  return {
    arn: 'arn:' + UNKNOWN_PARTITION + ':cloudtrail:${region}:' + account + ':trail/${trail_name}',
    account,
    partition: UNKNOWN_PARTITION,
  };
}

/** Other encryption-context keys are certainly absent; anything else we were not told is unknown. */
const onlyListedEncryptionContext = (lowerCaseKey: string): 'absent' | 'unknown' =>
  lowerCaseKey.startsWith('kms:encryptioncontext') ? 'absent' : 'unknown';

const encryptionContext = (trail: TrailIdentity): RequestContext => ({
  [CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY]: trail.arn,
  'kms:EncryptionContext:aws:s3:arn': 'arn:' + trail.partition + ':s3:::${bucket}/${prefix}AWSLogs/' + trail.account + '/CloudTrail/${object}',
  'kms:EncryptionContextKeys': ['aws:cloudtrail:arn', 'aws:s3:arn'],
});

const noEncryptionContext: RequestContext = {
  [CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY]: undefined,
  'kms:EncryptionContext:aws:s3:arn': undefined,
  'kms:EncryptionContextKeys': undefined,
};

/** A request CloudTrail itself makes (`kms:GenerateDataKey`, `kms:DescribeKey`). */
export function cloudTrailServiceRequest(action: string, trail: TrailIdentity, withEncryptionContext: boolean): PolicyRequest {
  return {
    principal: { type: 'Service', id: CLOUDTRAIL_SERVICE_PRINCIPAL },
    action,
    context: {
      'aws:SourceArn': trail.arn,
      'aws:SourceAccount': trail.account,
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': CLOUDTRAIL_SERVICE_PRINCIPAL,
      ...(withEncryptionContext ? encryptionContext(trail) : noEncryptionContext),
    },
    unlistedKeys: onlyListedEncryptionContext,
  };
}

/** A person or role of `principalId` reading a log file (`kms:Decrypt` with CloudTrail's context). */
export function logReaderRequest(principalId: string, trail: TrailIdentity): PolicyRequest {
  const account = accountOfPrincipal(principalId) ?? trail.account;
  return {
    principal: { type: 'AWS', id: principalId },
    action: 'kms:Decrypt',
    context: {
      ...encryptionContext(trail),
      'kms:CallerAccount': account,
      'aws:PrincipalAccount': account,
      'aws:PrincipalArn': principalId,
      'aws:PrincipalIsAWSService': 'false',
    },
    unlistedKeys: onlyListedEncryptionContext,
  };
}

/** A reader in an unrelated account and organization: who a too-broad Decrypt lets in. */
export function foreignReaderRequest(trail: TrailIdentity): PolicyRequest {
  const foreignAccount = '000000000000';
  return {
    principal: { type: 'AWS', id: `arn:aws:iam::${foreignAccount}:role/outsider` },
    action: 'kms:Decrypt',
    context: {
      ...encryptionContext(trail),
      'kms:CallerAccount': foreignAccount,
      'aws:PrincipalAccount': foreignAccount,
      'aws:PrincipalArn': `arn:aws:iam::${foreignAccount}:role/outsider`,
      'aws:PrincipalOrgID': 'o-outsider0000',
      'aws:PrincipalOrgPaths': 'o-outsider0000/r-0000/ou-0000-00000000/',
      'aws:PrincipalIsAWSService': 'false',
    },
    // A person calling KMS directly sends no aws:SourceArn / aws:SourceAccount (services do).
    unlistedKeys: (key) => (key.startsWith('aws:source') ? 'absent' : onlyListedEncryptionContext(key)),
  };
}

/** Someone in the trail's account, when the policy grants to every identity (`"*"`). */
export const someReaderInAccount = (trail: TrailIdentity): string =>
  'arn:' + trail.partition + ':iam::' + trail.account + ':role/${log_reader}';
