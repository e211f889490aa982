/**
 * What a "Create a KMS key for this …" fix creates, independent of syntax: the trail's log
 * file key, or the key of a trail's notification topic. The adapters' fix builders render it
 * (a key with rotation, the policy, an alias) and point the resource's key setting at it.
 */
import { TOPIC_KEY_PURPOSES, cloudTrailKeyPolicy, keyPolicyWith, type JsonObject, type RequiredStatementParams } from '../policy/requiredStatements';

export interface CreatedKeyPurpose {
  /** One word for what the key protects, in the new resources' names (`main_logs`, `MainLogsKey`, `alias/main-logs`). */
  word: string;
  /** The new key's description, for the resource it is created for. */
  description(address: string): string;
  policy(params: RequiredStatementParams): JsonObject;
  title: string;
}

export const TRAIL_LOG_KEY: CreatedKeyPurpose = {
  word: 'logs',
  description: (address) => `Encrypts the log files of ${address}`,
  policy: cloudTrailKeyPolicy,
  title: 'Create a KMS key for this trail',
};

export const TOPIC_KEY: CreatedKeyPurpose = {
  word: 'notifications',
  description: (address) => `Encrypts the CloudTrail notifications of ${address}`,
  policy: (params) => keyPolicyWith(TOPIC_KEY_PURPOSES, params),
  title: 'Create a KMS key for this topic',
};
