/**
 * The keys `aws kms describe-key` output describes, found by the key id a trail's `KmsKeyId`
 * names, and read by the key rules through `ModelAccess` with the API's own member names:
 * `KeyManager` (`AWS`: an AWS-managed key, CTK003), `KeySpec` / `KeyUsage` (CTK003),
 * `Enabled` (false whenever `KeyState` is anything but `Enabled`: CTK004).
 *
 * A described key is a resource of type `AWS::KMS::Key`: KMS's key, whose `Enabled`, `KeySpec`
 * and `KeyUsage` mean what the CloudFormation properties of that name mean.
 */
import type { ModelAccess } from '../analysis/facts';
import type { ObjectValue, ResourceRef } from '../model/values';
import { memberText, objectBlock } from './cliBlocks';
import type { CliOutput } from './cliOutputs';
import { keyIdOf } from './keyIds';

export interface DescribedKey {
  /** Lower-cased. */
  id: string;
  ref: ResourceRef;
  metadata: ObjectValue;
}

const KEY_TYPE = 'AWS::KMS::Key';

export class DescribedKeys {
  private readonly byId = new Map<string, DescribedKey>();
  private readonly byArn = new Map<string, DescribedKey>();

  constructor(outputs: CliOutput[]) {
    for (const output of outputs) {
      if (output.kind !== 'key') continue;
      const { metadata } = output;
      const arn = memberText(metadata, 'Arn') ?? '';
      const id = keyIdOf(memberText(metadata, 'KeyId') ?? '');
      // The first file describing a key wins (the folder's order): two describe the same key.
      if (!id || this.byId.has(id)) continue;
      const ref: ResourceRef = { uri: output.uri, mode: 'resource', type: KEY_TYPE, name: id, address: arn, block: objectBlock(metadata, KEY_TYPE, arn, []) };
      const described = { id, ref, metadata };
      this.byId.set(id, described);
      this.byArn.set(arn, described);
    }
  }

  /** The described key a key ARN or key id names; undefined for an alias or a key not described here. */
  find(reference: string): DescribedKey | undefined {
    const id = keyIdOf(reference);
    return id === undefined ? undefined : this.byId.get(id);
  }

  readonly access: ModelAccess = {
    attribute: (resource, name) => this.byArn.get(resource.address)?.metadata.entries.get(name),
    names: {
      keySpec: ['KeySpec', 'CustomerMasterKeySpec'],
      keyUsage: 'KeyUsage',
      aliasTarget: 'TargetKeyId',
      dataAliasName: 'AliasName',
      dataKeyId: 'KeyId',
      keyManager: 'KeyManager',
      trailKey: 'KmsKeyId',
      logFileValidation: 'LogFileValidationEnabled',
    },
  };
}
