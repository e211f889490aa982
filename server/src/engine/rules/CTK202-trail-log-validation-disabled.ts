/**
 * CTK202 trail-log-validation-disabled: a trail that writes no digest files, so nobody can
 * prove its logs were not altered or deleted after delivery (CIS AWS Foundations 3.2).
 */
import { describeValue } from '../model/valueOps';
import type { Rule } from './rule';
import { isCertainlyOff } from './settingValues';

export const rule: Rule = {
  meta: {
    id: 'CTK202',
    name: 'trail-log-validation-disabled',
    defaultSeverity: 'information',
    description: 'A trail should have log file validation on, so its logs can be proven unaltered.',
    fixable: true,
    messages: {
      missing: '{trail} does not set {attribute}: CloudTrail writes no digest files, so nobody can prove its logs were not altered or deleted after delivery.',
      disabled: '{trail} sets {attribute} to {value}: CloudTrail writes no digest files, so nobody can prove its logs were not altered or deleted after delivery.',
    },
  },
  check(context) {
    for (const trail of context.trails) {
      if (trail.throughModule) continue;
      const { attribute, value } = trail.logFileValidation;
      if (value && !isCertainlyOff(value)) continue;
      const name = trail.access.names.logFileValidation ?? (trail.format === 'cloudformation' ? 'EnableLogFileValidation' : 'enable_log_file_validation');
      context.report({
        messageId: attribute ? 'disabled' : 'missing',
        data: { trail: trail.address, attribute: name, value: value ? describeValue(value) : 'absent' },
        uri: trail.uri,
        range: attribute?.range ?? trail.block.headerRange,
        resource: trail.address,
        subject: trail.block.range,
        related: value?.trace ?? [],
        fixes: () => [trail.fixes.enableLogFileValidation(), trail.fixes.suppress('CTK202')],
      });
    }
  },
};
