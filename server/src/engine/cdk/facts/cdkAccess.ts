/**
 * How the core's rules read a construct's settings: by the CloudFormation property name they
 * know (`Enabled`, `KeySpec`, `TargetKeyId`, `TrailName`), mapped to the CDK prop that sets it
 * (`enabled`, `keySpec`, `targetKey`, `trailName`), evaluated where it is written.
 */
import type { ModelAccess } from '../../analysis/facts';
import type { CdkConstructs } from './cdkConstructs';

const RENAMED: Record<string, string> = { TargetKeyId: 'targetKey' };

export function cdkAccess(constructs: CdkConstructs, names: { trailKey: string; logFileValidation: string }): ModelAccess {
  return {
    attribute: (resource, name) => {
      const construct = constructs.named(resource.address);
      return construct && constructs.prop(construct, RENAMED[name] ?? name.charAt(0).toLowerCase() + name.slice(1));
    },
    names: { keySpec: ['keySpec'], keyUsage: 'keyUsage', aliasTarget: 'targetKey', dataAliasName: 'aliasName', dataKeyId: 'keyId', ...names },
  };
}
