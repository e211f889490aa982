/**
 * `get-event-data-store` output → the event data store as the API returns it, for the
 * event-data-store rules: its `KmsKeyId` appears only when the store has a key, so a store
 * without one is CTK301; the key it names is judged as a trail's is (its `describe-key` in the
 * same folder, else the value as written), and its id links the key's `get-key-policy` file.
 * `list-event-data-stores` items carry no `KmsKeyId` at all: that output is never judged.
 */
import type { EventDataStoreFacts } from '../analysis/eventDataStoreFacts';
import { NO_TRAIL_FIXES } from '../analysis/noFixes';
import type { Attribute, Block } from '../model/syntax';
import type { Value } from '../model/values';
import { memberAttribute, memberText, objectBlock } from './cliBlocks';
import type { CliOutput } from './cliOutputs';
import type { DescribedKey, DescribedKeys } from './describedKeys';
import { keyIdOf } from './keyIds';
import { verdictOf } from './cliTrails';

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
  /** What the event-data-store rules read; nothing to fix in deployed output. */
  facts: EventDataStoreFacts;
}

export function cliEventDataStores(outputs: CliOutput[], keys: DescribedKeys): CliEventDataStore[] {
  const stores: CliEventDataStore[] = [];
  for (const output of outputs) {
    if (output.kind !== 'eventDataStore') continue;
    const address = memberText(output.root, 'EventDataStoreArn') ?? '';
    const key = output.root.entries.get('KmsKeyId');
    const keyText = key?.kind === 'string' ? key.value : '';
    // A missing key is shown on the line that names the store (`EventDataStoreArn`), the output's first.
    const named = memberAttribute(output.root, 'EventDataStoreArn');
    const whole = objectBlock(output.root, STORE_TYPE, address, ['KmsKeyId']);
    const block = named ? { ...whole, headerRange: named.range, labelRanges: [named.range, named.range] } : whole;
    const keyAttribute = memberAttribute(output.root, 'KmsKeyId');
    stores.push({
      uri: output.uri,
      address,
      block,
      keyAttribute,
      key,
      keyId: keyIdOf(keyText),
      describedKey: keyText === '' ? undefined : keys.find(keyText),
      facts: {
        format: 'aws-cli', uri: output.uri, address, block, keyAttribute, keyAttributeName: 'KmsKeyId',
        verdict: verdictOf(key, keys), logFileValidation: {}, keyCandidates: [], access: keys.access, fixes: NO_TRAIL_FIXES,
      },
    });
  }
  return stores;
}
