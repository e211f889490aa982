import type { Fix, RuleId } from '../../types';
import type { TrailFixes } from '../../analysis/facts';
import type { ResourceRef } from '../../model/values';
import type { CdkConstruct } from '../facts/cdkConstructs';

export class CdkTrailFixes implements TrailFixes {
  constructor(readonly trail: CdkConstruct, readonly keys: CdkConstruct[]) {}
  useKey(_key: ResourceRef): Fix | undefined { return undefined; }
  createKey(): Fix | undefined { return undefined; }
  suppress(_ruleId: RuleId): Fix | undefined { return undefined; }
  enableLogFileValidation(): Fix | undefined { return undefined; }
}
