import type { Fix } from '../../types';
import type { KeyFixes } from '../../analysis/keyFacts';
import type { Value } from '../../model/values';
import type { CdkConstruct } from '../facts/cdkConstructs';

export class CdkKeyFixes implements KeyFixes {
  constructor(readonly key: CdkConstruct, readonly policy: Value) {}
  suppress(): Fix | undefined { return undefined; }
  addPolicy(): Fix | undefined { return undefined; }
  addStatements(): Fix | undefined { return undefined; }
  addCondition(): Fix | undefined { return undefined; }
  correct(): Fix | undefined { return undefined; }
  enableRotation(): Fix | undefined { return undefined; }
}
