/**
 * What the key of a trail's encrypted notification topic must give CloudTrail.
 *
 * Source: AWS CloudTrail User Guide, "Amazon SNS topic policy for CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html):
 * to publish to a topic encrypted with a KMS key, the key policy must let
 * `cloudtrail.amazonaws.com` call `kms:GenerateDataKey*` and `kms:Decrypt`. Amazon SNS makes
 * those calls for the publisher with the encryption context `aws:sns:topicArn` (the topic's
 * ARN; AWS's key policies for other event sources condition on
 * `kms:EncryptionContext:aws:sns:topicArn`), so CloudTrail's log-file context
 * (`aws:cloudtrail:arn`) is absent: a grant conditioned on it never covers the topic.
 */
import type { ParsedPolicy } from './types';
import type { PolicyRequest } from './evaluate';
import { analyzeServiceGrant, type RequirementResult } from './cloudtrailRequirements';
import { cloudTrailServiceRequest, trailIdentity, type CloudTrailKeyPolicyOptions, type TrailIdentity } from './cloudtrailRequests';

export const TOPIC_ENCRYPTION_CONTEXT_KEY = 'kms:EncryptionContext:aws:sns:topicArn';

/** The two actions, as AWS's statement writes them. */
export const TOPIC_PUBLISH_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'] as const;
export type TopicPublishAction = (typeof TOPIC_PUBLISH_ACTIONS)[number];

export type TopicKeyPolicyOptions = CloudTrailKeyPolicyOptions;

export interface TopicKeyPolicyAnalysis {
  /** Per action: may CloudTrail call it through SNS for the trail's topic. */
  actions: Record<TopicPublishAction, RequirementResult<'missing' | 'denied' | 'conditionsNeverMatch' | 'misspelledAction'>>;
}

/**
 * The request KMS sees when SNS encrypts (or reads back) a message CloudTrail publishes:
 * CloudTrail's own request, with the topic's encryption context instead of the log file's.
 */
export function topicPublishRequest(action: string, trail: TrailIdentity): PolicyRequest {
  const request = cloudTrailServiceRequest(action, trail, false);
  const topicArn = `arn:${trail.partition}:sns:\${region}:${trail.account}:\${topic_name}`;
  return { ...request, context: { ...request.context, [TOPIC_ENCRYPTION_CONTEXT_KEY]: topicArn, 'kms:EncryptionContextKeys': ['aws:sns:topicArn'] } };
}

export function analyzeTopicKeyPolicy(policy: ParsedPolicy, options: TopicKeyPolicyOptions = {}): TopicKeyPolicyAnalysis {
  const trail = trailIdentity(options);
  const grant = (action: string): TopicKeyPolicyAnalysis['actions'][TopicPublishAction] =>
    analyzeServiceGrant(policy, topicPublishRequest(action, trail)).result;
  return { actions: { 'kms:GenerateDataKey*': grant('kms:GenerateDataKey'), 'kms:Decrypt': grant('kms:Decrypt') } };
}
