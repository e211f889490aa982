/**
 * CloudFormation → trail facts: every `AWS::CloudTrail::Trail` of a template, judged with the
 * template's parameter defaults and conditions, including a misspelled `KMSKeyId`.
 */
import type { Attribute, ObjectEntry } from '../../model/syntax';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../../model/keyReference';
import { CloudFormationEvaluator, propertiesOf, type CloudFormationTemplate } from './cloudformationEvaluator';
import { CfnTrailFixes } from '../fixes/cfnTrailFixes';
import type { ModelAccess, TrailFacts } from '../../analysis/facts';

export const TRAIL_TYPE = 'AWS::CloudTrail::Trail';
const KEY_PROPERTY = 'KMSKeyId';

export function cloudformationTrailFacts(template: CloudFormationTemplate, evaluator = new CloudFormationEvaluator(template)): TrailFacts[] {
  const access: ModelAccess = {
    attribute: (resource, name) => evaluator.property(resource, name),
    names: { keySpec: ['KeySpec'], keyUsage: 'KeyUsage', aliasTarget: 'TargetKeyId', dataAliasName: 'AliasName', dataKeyId: 'KeyId' },
  };
  const keyCandidates = [...template.resources.values()].filter((r) => r.type === 'AWS::KMS::Key');
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
      keyCandidates,
      access,
      fixes: new CfnTrailFixes(template, trail, keyAttribute, misspelledKeyAttribute),
    });
  }
  return facts;
}

function judge(evaluator: CloudFormationEvaluator, keyEntry: ObjectEntry | undefined): TrailKeyVerdict {
  if (!keyEntry) return { kind: 'no-cmk', options: [] };
  return judgeTrailKey(resolveKeyOptions(evaluator.evaluate(keyEntry.value)));
}

function logFileValidation(evaluator: CloudFormationEvaluator, entries: ObjectEntry[]): TrailFacts['logFileValidation'] {
  const entry = entries.find((e) => e.key === 'EnableLogFileValidation');
  return { attribute: entry && toAttribute(entry), value: entry && evaluator.evaluate(entry.value) };
}

/** `KmsKeyId`, `KMSKeyID`, `KmsKeyArn`…: what people write for `KMSKeyId`, which CloudFormation rejects or ignores. */
export function isMisspelledKeyProperty(key: string): boolean {
  const folded = key.toLowerCase().replace(/[^a-z]/g, '');
  return key !== KEY_PROPERTY && ['kmskeyid', 'kmskeyarn', 'kmskey', 'kmsid', 'kmsmasterkeyid', 'keyid'].includes(folded);
}

export const toAttribute = (entry: ObjectEntry): Attribute => ({ name: entry.key ?? '', nameRange: entry.keyRange, value: entry.value, range: entry.range });

