/**
 * `get-event-data-store` output → the event data store as the API returns it, for the
 * event-data-store rules: its `KmsKeyId` appears only when the store has a key. Only read
 * here; the folder's facts (adapter.ts) carry the stores, the key each names (its
 * `describe-key`) and that key's id, so its `get-key-policy` file can be found.
 * `list-event-data-stores` items carry no `KmsKeyId` at all: that output is never judged.
 */
import type { Attribute, Block } from '../model/syntax';
import type { Value } from '../model/values';
import { memberAttribute, memberText, objectBlock } from './cliBlocks';
import type { CliOutput } from './cliOutputs';
import type { DescribedKey, DescribedKeys } from './describedKeys';
import { keyIdOf } from './keyIds';

const STORE_TYPE = 'AWS::CloudTrail::EventDataStore';

export interface CliEventDataStore {
  uri: string;
  /** `EventDataStoreArn`: what findings name. */
  address: string;
  /** The whole output; its header is the `EventDataStoreArn` line, where a missing key is shown. */
  block: Block;
  /** `KmsKeyId` as printed; undefined when the store has no key. */
  keyAttribute?: Attribute;
  key?: Value;
  /** The key id `KmsKeyId` names (lower-cased), linking it to a `get-key-policy` file named after it. */
  keyId?: string;
  /** The key's `describe-key` output, when it is saved in the same folder. */
  describedKey?: DescribedKey;
}

export function cliEventDataStores(outputs: CliOutput[], keys: DescribedKeys): CliEventDataStore[] {
  const stores: CliEventDataStore[] = [];
  for (const output of outputs) {
    if (output.kind !== 'eventDataStore') continue;
    const address = memberText(output.root, 'EventDataStoreArn') ?? '';
    const key = output.root.entries.get('KmsKeyId');
    const keyText = key?.kind === 'string' ? key.value : '';
    stores.push({
      uri: output.uri,
      address,
      block: objectBlock(output.root, STORE_TYPE, address, ['KmsKeyId']),
      keyAttribute: memberAttribute(output.root, 'KmsKeyId'),
      key,
      keyId: keyIdOf(keyText),
      describedKey: keyText === '' ? undefined : keys.find(keyText),
    });
  }
  return stores;
}
