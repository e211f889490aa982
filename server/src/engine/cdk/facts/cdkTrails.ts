/**
 * CDK trails → trail facts. `Trail` (the L2 construct) takes its key as `encryptionKey` (or
 * the deprecated `kmsKey`) and writes `EnableLogFileValidation: true` unless
 * `enableFileValidation` is false; `CfnTrail` passes its props through as written
 * (`kmsKeyId`, `enableLogFileValidation`, absent when not set).
 */
import type { TrailFacts, TrailFixes } from '../../analysis/facts';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../../model/keyReference';
import type { Attribute } from '../../model/syntax';
import type { ResourceRef, Value } from '../../model/values';

import { cdkAccess } from './cdkAccess';
import type { CdkConstruct, CdkConstructs } from './cdkConstructs';

export function cdkTrailFacts(trail: CdkConstruct, constructs: CdkConstructs, keyCandidates: ResourceRef[], fixes: TrailFixes): TrailFacts {
  const l2 = trail.kind === 'Trail';
  const keyProp = l2 ? (trail.propsByName.has('encryptionKey') || !trail.propsByName.has('kmsKey') ? 'encryptionKey' : 'kmsKey') : 'kmsKeyId';
  const validationProp = l2 ? 'enableFileValidation' : 'enableLogFileValidation';
  const attribute = (name: string): Attribute | undefined => trail.ref.block.attributes.find((a) => a.name === name);
  const key = constructs.prop(trail, keyProp);
  return {
    format: 'cdk',
    uri: trail.module.uri,
    address: trail.ref.address,
    block: trail.ref.block,
    keyAttribute: attribute(keyProp),
    verdict: verdictOf(key),
    logFileValidation: { attribute: attribute(validationProp), value: validation(trail, constructs, validationProp) },
    keyCandidates,
    access: cdkAccess(constructs, { trailKey: keyProp, logFileValidation: validationProp }),
    fixes,
  };
}

function verdictOf(key: Value | undefined): TrailKeyVerdict {
  return key ? judgeTrailKey(resolveKeyOptions(key)) : { kind: 'no-cmk', options: [] };
}

/** `Trail` defaults `enableFileValidation` to true (CDK writes `EnableLogFileValidation: true`); `CfnTrail` leaves it out. */
function validation(trail: CdkConstruct, constructs: CdkConstructs, name: string): Value | undefined {
  const written = constructs.prop(trail, name);
  if (written || trail.kind !== 'Trail') return written;
  return { kind: 'bool', value: true, origin: { uri: trail.module.uri, range: trail.ref.block.headerRange } };
}

