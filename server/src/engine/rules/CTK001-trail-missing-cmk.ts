/**
 * CTK001 trail-missing-cmk: a trail whose logs are not encrypted with a customer-managed key.
 *
 * Without `kms_key_id` / `KMSKeyId` CloudTrail still encrypts with SSE-S3, but that key is
 * Amazon's: anyone who can read the bucket can read the logs, and no key policy or key
 * disablement stands between them. CIS AWS Foundations 3.7 asks for a CMK.
 */
import type { TrailFacts } from '../analysis/facts';
import { encryptWithFixes } from '../analysis/keyCandidates';
import { describeValue } from '../model/valueOps';
import type { RelatedInformation } from '../types';
import type { Rule } from './rule';

export const rule: Rule = {
  meta: {
    id: 'CTK001',
    name: 'trail-missing-cmk',
    defaultSeverity: 'warning',
    description: 'CloudTrail log files must be encrypted with a customer-managed KMS key (CIS AWS Foundations 3.7).',
    fixable: true,
    messages: {
      missing: '{trail} does not set {attribute}: its log files are encrypted only with SSE-S3, whose key you do not control. Set {attribute} to a customer-managed KMS key.',
      empty: '{trail} sets {attribute} to {value}{why}, which means no KMS key: its log files are encrypted only with SSE-S3, whose key you do not control.',
      misspelled: '{trail} sets {written}, which is not a CloudTrail property (did you mean {attribute}?): no KMS key is configured.',
      moduleInput: '{module} creates {trail} without a customer-managed KMS key: {inputs} {verb} not set to a key, so {attribute} is {value}.',
    },
  },
  check(context) {
    for (const trail of context.trails) {
      if (trail.verdict.kind !== 'no-cmk') continue;
      const attribute = trail.access.names.trailKey ?? (trail.format === 'cloudformation' ? 'KMSKeyId' : 'kms_key_id');
      const first = trail.verdict.options[0]?.value;
      // An expression that would fail (an index past a `count` of 0) sets nothing; `why` says why.
      const value = !first ? 'absent' : first.kind === 'unknown' ? 'nothing' : describeValue(first);
      const related = chain(trail);
      const fixes = () => {
        const keys = encryptWithFixes(trail);
        return [
          ...keys.usable,
          trail.fixes.createKey(),
          ...keys.unusable,
          trail.fixes.renameMisspelled?.(),
          trail.fixes.suppress('CTK001'),
        ];
      };
      if (trail.throughModule) {
        const { inputs } = trail.throughModule;
        context.report({
          messageId: 'moduleInput',
          data: { module: trail.address, trail: trail.throughModule.childAddress, inputs: inputs.join(', '), verb: inputs.length > 1 ? 'are' : 'is', attribute, value },
          uri: trail.uri, range: trail.block.headerRange, resource: trail.address, subject: trail.block.range, related, fixes,
        });
      } else if (trail.misspelledKeyAttribute && !trail.keyAttribute) {
        context.report({
          messageId: 'misspelled',
          data: { trail: trail.address, written: trail.misspelledKeyAttribute.name, attribute },
          uri: trail.uri, range: trail.misspelledKeyAttribute.nameRange, resource: trail.address, subject: trail.block.range, related, fixes,
        });
      } else if (trail.keyAttribute) {
        context.report({
          messageId: 'empty',
          data: { trail: trail.address, attribute, value, why: because(trail) },
          uri: trail.uri, range: trail.keyAttribute.range, resource: trail.address, subject: trail.block.range, related, fixes,
        });
      } else {
        context.report({
          messageId: 'missing',
          data: { trail: trail.address, attribute },
          uri: trail.uri, range: trail.block.headerRange, resource: trail.address, subject: trail.block.range, related, fixes,
        });
      }
    }
  },
};

/** ` (parameter X defaults to "": condition C is false)`: how the defaults lead to no key. */
export function because(trail: TrailFacts): string {
  const first = trail.verdict.options[0]?.value;
  const steps = [...(first?.kind === 'unknown' ? [first.detail] : []), ...(first?.trace ?? []).map((s) => s.message)];
  return steps.length > 0 ? ` (${steps.slice(0, 3).join('; ')})` : '';
}

/** Where the empty value came from: the variable default, the condition, the module input. */
export function chain(trail: TrailFacts): RelatedInformation[] {
  const steps: RelatedInformation[] = [];
  if (trail.throughModule) {
    steps.push({ location: { uri: trail.throughModule.childUri, range: trail.throughModule.childBlock.headerRange }, message: `${trail.throughModule.childAddress} is declared here` });
  }
  for (const option of trail.verdict.options) steps.push(...(option.value.trace ?? []));
  return dedupe(steps);
}

function dedupe(steps: RelatedInformation[]): RelatedInformation[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = `${s.location.uri}:${s.location.range.start.line}:${s.location.range.start.character}:${s.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
