/**
 * What a "Create a KMS key for this …" fix creates, independent of syntax, for each use of a
 * key: a trail's log files, an event data store's events, a trail's notification topic. The
 * adapters' fix builders render it (a key with rotation, `keyPolicyFor(use)`, an alias) and
 * point the resource's key setting at it.
 */
import type { KeyUse } from '../policy/requiredStatements';

export interface CreatedKey {
  /** One word for what the key protects, in the new resources' names (`main_logs`, `MainLogsKey`, `alias/main-logs`). */
  word: string;
  /** The new key's description, for the resource it is created for. */
  description(address: string): string;
  title: string;
}

export const CREATED_KEYS: Record<KeyUse, CreatedKey> = {
  trail: {
    word: 'logs',
    description: (address) => `Encrypts the log files of ${address}`,
    title: 'Create a KMS key for this trail',
  },
  eventDataStore: {
    word: 'events',
    description: (address) => `Encrypts the events of ${address}`,
    title: 'Create a KMS key for this event data store',
  },
  topic: {
    word: 'notifications',
    description: (address) => `Encrypts the CloudTrail notifications of ${address}`,
    title: 'Create a KMS key for this topic',
  },
};
