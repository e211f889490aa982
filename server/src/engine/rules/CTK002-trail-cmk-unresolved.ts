/**
 * CTK002 trail-cmk-unresolved: whether the trail gets a CMK depends on an input nobody set
 * here (a variable or parameter without a default). Information, not a warning: the value
 * may well be supplied at deploy time, but the reader of this file cannot tell.
 */
import type { Rule } from './rule';

export const rule: Rule = {
  meta: {
    id: 'CTK002',
    name: 'trail-cmk-unresolved',
    defaultSeverity: 'information',
    description: 'Whether the trail is encrypted with a customer-managed KMS key depends on an input without a default.',
    fixable: true,
    messages: {
      unresolved: 'Whether {trail} is encrypted with a customer-managed KMS key depends on {input}: make sure every deployment sets it to a key.',
    },
  },
  check(context) {
    for (const trail of context.trails) {
      if (trail.verdict.kind !== 'unresolved' || trail.throughModule) continue;
      const related = trail.verdict.options.flatMap((o) => o.value.trace ?? []);
      const origin = trail.verdict.input.origin;
      if (origin) related.push({ location: origin, message: `${trail.verdict.input.detail}` });
      context.report({
        messageId: 'unresolved',
        data: { trail: trail.address, input: trail.verdict.input.detail },
        uri: trail.uri,
        range: trail.keyAttribute?.range ?? trail.block.headerRange,
        resource: trail.address, subject: trail.block.range,
        related,
        fixes: () => [trail.fixes.suppress('CTK002')],
      });
    }
  },
};
