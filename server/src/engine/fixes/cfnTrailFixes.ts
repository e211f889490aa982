/**
 * Quick fixes for a CloudFormation trail, in the template's own syntax and style.
 */
import type { Fix, RuleId } from '../types';
import type { Attribute } from '../model/syntax';
import type { CloudFormationTemplate } from '../model/cloudformationEvaluator';
import type { ResourceRef } from '../model/values';
import type { TrailFixes } from '../analysis/facts';

export class CfnTrailFixes implements TrailFixes {
  constructor(
    readonly template: CloudFormationTemplate,
    readonly trail: ResourceRef,
    readonly keyAttribute: Attribute | undefined,
    readonly misspelledKeyAttribute: Attribute | undefined,
  ) {}

  useKey(key: ResourceRef): Fix | undefined {
    void key;
    return undefined;
  }

  createKey(): Fix | undefined {
    return undefined;
  }

  suppress(ruleId: RuleId): Fix | undefined {
    void ruleId;
    return undefined;
  }

  renameMisspelled(): Fix | undefined {
    return undefined;
  }

  enableLogFileValidation(): Fix | undefined {
    return undefined;
  }
}
