/**
 * cdk-nag's suppressions, so an app that already silenced its checks on purpose is not nagged
 * again: `NagSuppressions.addResourceSuppressions(construct, [{ id: 'NIST.800.53.R5-CloudTrailEncryptionEnabled', reason }])`.
 * A rule id is the pack's prefix and the rule's name; the name says which of our rules it covers.
 */
import type { RuleId } from '../../types';
import type { ResourceSuppressions } from '../../suppressions';
import { field, type TsNode } from '../parse/tsTree';
import { symbolName, walk, type CdkModule } from './cdkModules';
import type { CdkEvaluator } from './cdkEvaluator';

const NAG_RULES: Record<string, RuleId[]> = {
  CloudTrailEncryptionEnabled: ['CTK001', 'CTK003'],
  CloudTrailLogFileValidationEnabled: ['CTK202'],
  KMSBackingKeyRotationEnabled: ['CTK201'],
};

export function nagSuppressions(modules: CdkModule[], evaluator: CdkEvaluator): ResourceSuppressions {
  const result: ResourceSuppressions = new Map();
  for (const module of modules) {
    if (!module.source.text.includes('NagSuppressions')) continue;
    walk(module.source.root, (node) => {
      if (node.type !== 'call_expression') return;
      const callee = module.symbolOf(field(node, 'function'));
      if (!callee || symbolName(callee) !== 'cdk-nag#NagSuppressions.addResourceSuppressions') return;
      const [target, list] = (field(node, 'arguments')?.children ?? []).filter((c) => c.type !== 'comment');
      for (const construct of targets(target, module, evaluator)) {
        for (const id of ids(list, module, evaluator)) {
          const rules = NAG_RULES[id.slice(id.lastIndexOf('-') + 1)];
          if (rules) result.set(construct, [...(result.get(construct) ?? []), { rules, source: `NagSuppressions ${id}` }]);
        }
      }
    });
  }
  return result;
}

/** The addresses of the constructs suppressed: one construct or an array of them. */
function targets(node: TsNode | undefined, module: CdkModule, evaluator: CdkEvaluator): string[] {
  const resolved = evaluator.resolve(node, module);
  if (resolved?.node.type === 'array') return resolved.node.children.flatMap((item) => targets(item, resolved.module, evaluator));
  const construct = evaluator.constructOf(node, module);
  return construct ? [construct.ref.address] : [];
}

function ids(node: TsNode | undefined, module: CdkModule, evaluator: CdkEvaluator): string[] {
  const value = node && evaluator.evaluate(node, module);
  if (value?.kind !== 'list') return [];
  return value.items.flatMap((item) => {
    const id = item.kind === 'object' ? item.entries.get('id') : undefined;
    return id?.kind === 'string' && !id.partial ? [id.value] : [];
  });
}
