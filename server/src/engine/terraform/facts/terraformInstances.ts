/**
 * What `count` and `for_each` say about whether a Terraform resource or module call exists.
 *
 * Modules that can "use an existing trail" create the trail and its key under one condition
 * (`count = var.create_cloudtrail ? 1 : 0` on both). A caller that turns it off has no trail to
 * judge, and a caller that turns it on gets the key with the trail: judging the trail's
 * `aws_kms_key.k[0].arn` as if the key might be missing would be a false alarm.
 */
import type { Expr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import type { TerraformModule } from '../evaluate/terraformModule';
import type { ResourceRef, Value } from '../../model/values';

const REPETITION = ['count', 'for_each'] as const;

/** True when, under the inputs we know, `count` is 0 or `for_each` is empty on every path. */
export function isNeverCreated(evaluator: TerraformEvaluator, target: ResourceRef): boolean {
  return REPETITION.some((name) => {
    const value = evaluator.evaluateAttribute(target.block, name, target.uri);
    return value !== undefined && hasNoInstance(value);
  });
}

function hasNoInstance(value: Value): boolean {
  switch (value.kind) {
    case 'number': return value.value < 1;
    case 'list': return value.items.length === 0;
    case 'object': return value.entries.size === 0;
    case 'one-of': return value.options.every(hasNoInstance);
    default: return false;
  }
}

/**
 * The resources of `module` repeated by the same expression as `target` (same `count`, or the
 * same `for_each`, so the same instance keys): they exist exactly when `target` does.
 */
export function createdWith(module: TerraformModule, target: ResourceRef): Set<string> {
  const same = new Set<string>();
  for (const name of REPETITION) {
    const own = findAttribute(target.block, name);
    if (!own) continue;
    const shape = exprShape(own.value);
    for (const other of module.resources.values()) {
      if (other.mode !== 'resource' || other.address === target.address) continue;
      const theirs = findAttribute(other.block, name);
      if (theirs && exprShape(theirs.value) === shape) same.add(other.address);
    }
  }
  return same;
}

/** An expression without its positions: two conditions written alike compare equal. */
function exprShape(expr: Expr): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === 'range' || key === 'rootRange' || key === 'keyRange' ? undefined : value));
}
