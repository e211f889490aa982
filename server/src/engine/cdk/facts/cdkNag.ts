/**
 * cdk-nag's suppressions, so an app that already silenced its checks on purpose is not nagged
 * again: cdk-nag 2's `NagSuppressions.addResourceSuppressions(construct, [{ id: 'NIST.800.53.R5-CloudTrailEncryptionEnabled', reason }])`
 * and cdk-nag 3's `Validations.of(construct).acknowledge({ id, reason }, …)` (aws-cdk-lib's API).
 * A rule id is the pack's prefix and the rule's name; the name says which of our rules it covers.
 */
import type { RuleId } from '../../types';
import type { ResourceSuppressions } from '../../suppressions';
import type { Value } from '../../model/values';
import { argumentsOf, field, walk, type TsNode } from '../parse/tsTree';
import { symbolName, type CdkModule } from './cdkModules';
import type { CdkEvaluator } from './cdkEvaluator';

const NAG_RULES: Record<string, RuleId[]> = {
  CloudTrailEncryptionEnabled: ['CTK001', 'CTK003'],
  CloudTrailLogFileValidationEnabled: ['CTK202'],
  KMSBackingKeyRotationEnabled: ['CTK201'],
};

export function nagSuppressions(modules: CdkModule[], evaluator: CdkEvaluator): ResourceSuppressions {
  const result: ResourceSuppressions = new Map();
  for (const module of modules) {
    if (!module.source.text.includes('NagSuppressions') && !module.source.text.includes('acknowledge')) continue;
    const add = (constructs: string[], idList: string[], via: string): void => {
      for (const construct of constructs) {
        for (const id of idList) {
          const rules = NAG_RULES[id.slice(id.lastIndexOf('-') + 1)];
          if (rules) result.set(construct, [...(result.get(construct) ?? []), { rules, source: `${via} ${id}` }]);
        }
      }
    };
    walk(module.source.root, (node) => {
      if (node.type !== 'call_expression') return;
      const callee = field(node, 'function');
      const args = argumentsOf(node);
      const symbol = module.symbolOf(callee);
      if (symbol && symbolName(symbol) === 'cdk-nag#NagSuppressions.addResourceSuppressions') {
        add(targets(args[0], module, evaluator), ids(args[1], module, evaluator), 'NagSuppressions');
        return;
      }
      // `Validations.of(x).acknowledge({ id, reason }, …)`
      const of = callee?.type === 'member_expression' && module.text(field(callee, 'property') ?? callee) === 'acknowledge' ? field(callee, 'object') : undefined;
      const ofSymbol = of?.type === 'call_expression' ? module.symbolOf(field(of, 'function')) : undefined;
      if (!ofSymbol || symbolName(ofSymbol) !== 'aws-cdk-lib#Validations.of') return;
      const target = argumentsOf(of!)[0];
      add(targets(target, module, evaluator), args.flatMap((a) => idOf(evaluator.evaluate(a, module))), 'Validations.acknowledge');
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
  return value?.kind === 'list' ? value.items.flatMap(idOf) : [];
}

/** `{ id: 'NIST.800.53.R5-CloudTrailEncryptionEnabled', reason }` → its id. */
function idOf(item: Value): string[] {
  const id = item.kind === 'object' ? item.entries.get('id') : undefined;
  return id?.kind === 'string' && !id.partial ? [id.value] : [];
}
