/**
 * CTK004 trail-key-disabled: the trail's key is declared disabled (`is_enabled = false`,
 * `Enabled: false`). KMS refuses every cryptographic call with a disabled key, so CloudTrail's
 * test `GenerateDataKey` fails and the trail cannot be created or updated, and a trail that
 * already uses it stops delivering log files ("how-kms-works-with-cloudtrail").
 *
 * Only a value that is `false` under every alternative the defaults leave open counts: an
 * absent or `null` setting means enabled, and an unknown one may well be `true`.
 */
import { KEY_TYPES, type KeyOption } from '../model/keyReference';
import { describeValue } from '../model/valueOps';
import type { ResourceRef } from '../model/values';
import { isCertainlyFalse } from './settingValues';
import type { ModelAccess } from '../analysis/facts';
import type { Rule } from './rule';

/** The setting that disables each kind of key, by resource type. */
const ENABLED_SETTING: Record<string, string> = {
  aws_kms_key: 'is_enabled',
  aws_kms_replica_key: 'enabled',
  aws_kms_external_key: 'enabled',
  aws_kms_replica_external_key: 'enabled',
  'AWS::KMS::Key': 'Enabled',
  'AWS::KMS::ReplicaKey': 'Enabled',
};

export const rule: Rule = {
  meta: {
    id: 'CTK004',
    name: 'trail-key-disabled',
    defaultSeverity: 'error',
    description: 'The trail\'s KMS key must be enabled: CloudTrail cannot encrypt with a disabled key.',
    fixable: false,
    messages: {
      disabled: '{trail} uses {key}, which sets {setting} = {value}: KMS refuses a disabled key, so CloudTrail cannot create or update the trail, and an existing trail stops delivering log files.',
    },
  },
  check(context) {
    for (const trail of context.trails) {
      if (trail.verdict.kind === 'no-cmk' || trail.throughModule) continue;
      for (const option of trail.verdict.options) {
        const key = declaredKey(option, trail.access);
        const setting = key && ENABLED_SETTING[key.type];
        const value = setting ? trail.access.attribute(key, setting) : undefined;
        if (!key || !setting || !value || !isCertainlyFalse(value)) continue;
        context.report({
          messageId: 'disabled',
          data: { trail: trail.address, key: key.address, setting, value: describeValue(value) },
          uri: trail.uri,
          range: trail.keyAttribute?.range ?? trail.block.headerRange,
          resource: trail.address,
          subject: trail.block.range,
          related: [...(option.value.trace ?? []), ...(value.origin ? [{ location: value.origin, message: `${key.address} is disabled here` }] : []), ...(value.trace ?? [])],
          fixes: () => [trail.fixes.suppress('CTK004')],
        });
        break;
      }
    }
  },
};

/** The key resource a trail's key option points at, directly or through an alias resource. */
function declaredKey(option: KeyOption, access: ModelAccess): ResourceRef | undefined {
  if (option.kind === 'key' && option.resource.mode === 'resource') return option.resource;
  if (option.kind !== 'alias' || option.resource.mode !== 'resource') return undefined;
  const target = access.attribute(option.resource, access.names.aliasTarget);
  return target?.kind === 'resource-attribute' && KEY_TYPES.has(target.resource.type) && target.resource.mode === 'resource' ? target.resource : undefined;
}
