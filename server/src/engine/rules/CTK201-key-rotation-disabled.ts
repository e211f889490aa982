/**
 * CTK201 key-rotation-disabled: a CloudTrail key without automatic rotation. Information:
 * nothing is broken or exposed today, but rotation limits how much any one piece of key
 * material protects, at no cost (CIS AWS Foundations 3.8).
 */
import { describeValue } from '../model/valueOps';
import type { Rule } from './rule';
import { isCertainlyOff } from './settingValues';
import { relatedOf, trailKeys } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK201',
    name: 'key-rotation-disabled',
    defaultSeverity: 'information',
    description: 'A key that encrypts CloudTrail logs should rotate its key material automatically.',
    fixable: true,
    messages: {
      missing: '{key} encrypts CloudTrail logs but does not rotate its key material: {attribute} is not set, and KMS does not rotate by default.',
      disabled: '{key} encrypts CloudTrail logs with automatic rotation off ({attribute} is {value}).',
    },
  },
  check(context) {
    for (const key of trailKeys(context.keys)) {
      if (key.kind !== 'key' || !key.rotationApplies) continue;
      const off = key.rotation === undefined || isCertainlyOff(key.rotation);
      if (!off) continue;
      const attribute = key.rotationAttributeName ?? (key.format === 'cloudformation' ? 'EnableKeyRotation' : 'enable_key_rotation');
      const written = key.rotation !== undefined && key.rotationAttributeRange !== undefined;
      context.report({
        messageId: written ? 'disabled' : 'missing',
        data: { key: key.address, attribute, value: key.rotation ? describeValue(key.rotation) : 'absent' },
        uri: key.uri,
        range: written ? key.rotationAttributeRange! : key.headerRange,
        resource: key.address,
        subject: key.subject,
        related: [...relatedOf(key), ...(key.rotation?.trace ?? [])],
        fixes: () => [key.fixes.enableRotation(), key.fixes.suppress('CTK201', 'key')],
      });
    }
  },
};
