/**
 * CloudFormation suppressions written in a resource's `Metadata`, where JSON templates (which
 * allow no comments) keep them: ours, Checkov's and cfn-guard's.
 *
 * ```yaml
 * Metadata:
 *   cloudtrail-kms-lint: { ignore: [CTK001] }
 *   checkov: { skip: [{ id: CKV_AWS_35, comment: "…" }] }
 *   guard: { SuppressedRules: [CLOUD_TRAIL_ENCRYPTION_ENABLED] }
 * ```
 */
import type { RuleId } from '../../types';
import type { Expr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { CloudFormationTemplate } from './cloudformationEvaluator';
import { peerRulesFor, type ResourceSuppression, type ResourceSuppressions } from '../../suppressions';

export function metadataSuppressions(template: CloudFormationTemplate): ResourceSuppressions {
  const result: ResourceSuppressions = new Map();
  for (const resource of template.resources.values()) {
    const metadata = findAttribute(resource.block, 'Metadata')?.value;
    if (metadata?.kind !== 'object') continue;
    const found: ResourceSuppression[] = [];
    for (const entry of metadata.entries) {
      if (entry.key === 'cloudtrail-kms-lint') {
        const ignore = entry.value.kind === 'object' ? entry.value.entries.find((e) => e.key === 'ignore')?.value : undefined;
        const ids = ignore ? strings(ignore).filter((s) => /^CTK\d{3}$/i.test(s)).map((s) => s.toUpperCase() as RuleId) : [];
        if (ids.length > 0) found.push({ rules: ids, source: 'Metadata cloudtrail-kms-lint.ignore' });
      } else if (entry.key === 'checkov' && entry.value.kind === 'object') {
        const skip = entry.value.entries.find((e) => e.key === 'skip')?.value;
        for (const id of skip ? checkovIds(skip) : []) {
          const rules = peerRulesFor(id);
          if (rules) found.push({ rules, source: `Metadata checkov.skip ${id}` });
        }
      } else if (entry.key === 'guard' && entry.value.kind === 'object') {
        const suppressed = entry.value.entries.find((e) => e.key === 'SuppressedRules')?.value;
        for (const id of suppressed ? strings(suppressed) : []) {
          const rules = peerRulesFor(id);
          if (rules) found.push({ rules, source: `Metadata guard.SuppressedRules ${id}` });
        }
      }
    }
    if (found.length > 0) result.set(resource.address, found);
  }
  return result;
}

/** A string or a list of strings, as written. */
function strings(expr: Expr): string[] {
  if (expr.kind === 'literal' && typeof expr.value === 'string') return [expr.value];
  if (expr.kind === 'tuple') return expr.items.flatMap(strings);
  return [];
}

/** Checkov's `skip` is a list of `{ id, comment }` (or of bare ids). */
function checkovIds(expr: Expr): string[] {
  if (expr.kind !== 'tuple') return strings(expr);
  return expr.items.flatMap((item) => {
    if (item.kind === 'object') {
      const id = item.entries.find((e) => e.key === 'id')?.value;
      return id ? strings(id) : [];
    }
    return strings(item);
  });
}
