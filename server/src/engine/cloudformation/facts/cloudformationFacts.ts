/**
 * CloudFormation → trail facts: every `AWS::CloudTrail::Trail` of a template, judged with the
 * template's parameter defaults and conditions, including a misspelled `KMSKeyId`.
 */
import type { Attribute, ObjectEntry } from '../../model/syntax';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../../model/keyReference';
import { CloudFormationEvaluator, propertiesOf, type CloudFormationTemplate } from './cloudformationEvaluator';
import { CfnTrailFixes } from '../fixes/cfnTrailFixes';
import { cloudformationBucketKey } from './cloudformationBucketKeys';
import type { ModelAccess, TrailFacts } from '../../analysis/facts';
import type { ResourceRef, Value } from '../../model/values';

export const TRAIL_TYPE = 'AWS::CloudTrail::Trail';
const KEY_PROPERTY = 'KMSKeyId';

export function cloudformationTrailFacts(template: CloudFormationTemplate, evaluator = new CloudFormationEvaluator(template)): TrailFacts[] {
  const access = accessFor(evaluator);
  const keyCandidates = kmsKeyCandidates(template);
  const facts: TrailFacts[] = [];
  for (const trail of template.resources.values()) {
    if (trail.type !== TRAIL_TYPE) continue;
    const entries = propertiesOf(trail)?.entries ?? [];
    const keyEntry = entries.find((e) => e.key === KEY_PROPERTY);
    const misspelled = keyEntry ? undefined : entries.find((e) => e.key !== undefined && isMisspelledKeyProperty(e.key));
    const keyAttribute = keyEntry && toAttribute(keyEntry);
    const misspelledKeyAttribute = misspelled && toAttribute(misspelled);
    facts.push({
      format: 'cloudformation',
      uri: trail.uri,
      address: trail.address,
      block: trail.block,
      keyAttribute,
      misspelledKeyAttribute,
      verdict: judge(evaluator, keyEntry),
      logFileValidation: logFileValidation(evaluator, entries),
      bucketKey: cloudformationBucketKey(evaluator, trail),
      // Every part of a stack's ARNs is a pseudo-parameter (unknown here); an organization trail's account is the management account's.
      placement: { organization: isOrganizationTrail(evaluator.property(trail, 'IsOrganizationTrail')) || undefined },
      keyCandidates,
      access,
      fixes: new CfnTrailFixes(template, trail, keyAttribute, misspelledKeyAttribute),
    });
  }
  return facts;
}

/** How the key rules read a template's resources. */
export function accessFor(evaluator: CloudFormationEvaluator): ModelAccess {
  return {
    attribute: (resource, name) => evaluator.property(resource, name),
    names: { keySpec: ['KeySpec'], keyUsage: 'KeyUsage', aliasTarget: 'TargetKeyId', dataAliasName: 'AliasName', dataKeyId: 'KeyId' },
  };
}

export const kmsKeyCandidates = (template: CloudFormationTemplate): ResourceRef[] => [...template.resources.values()].filter((r) => r.type === 'AWS::KMS::Key');

export function judge(evaluator: CloudFormationEvaluator, keyEntry: ObjectEntry | undefined): TrailKeyVerdict {
  if (!keyEntry) return { kind: 'no-cmk', options: [] };
  return judgeTrailKey(resolveKeyOptions(evaluator.evaluate(keyEntry.value)));
}

function logFileValidation(evaluator: CloudFormationEvaluator, entries: ObjectEntry[]): TrailFacts['logFileValidation'] {
  const entry = entries.find((e) => e.key === 'EnableLogFileValidation');
  return { attribute: entry && toAttribute(entry), value: entry && evaluator.evaluate(entry.value) };
}

/** `KmsKeyId`, `KMSKeyID`, `KmsKeyArn`…: what people write for `KMSKeyId`, which CloudFormation rejects or ignores. */
export function isMisspelledKeyProperty(key: string, property = KEY_PROPERTY): boolean {
  const folded = key.toLowerCase().replace(/[^a-z]/g, '');
  return key !== property && ['kmskeyid', 'kmskeyarn', 'kmskey', 'kmsid', 'kmsmasterkeyid', 'keyid'].includes(folded);
}

export const toAttribute = (entry: ObjectEntry): Attribute => ({ name: entry.key ?? '', nameRange: entry.keyRange, value: entry.value, range: entry.range });

const isOrganizationTrail = (value: Value | undefined): boolean =>
  (value?.kind === 'bool' && value.value) || (value?.kind === 'string' && value.value.toLowerCase() === 'true');
