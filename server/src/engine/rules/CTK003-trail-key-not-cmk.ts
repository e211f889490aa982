/**
 * CTK003 trail-key-not-cmk: the key setting is there but cannot be a customer-managed key
 * CloudTrail can use: an AWS-managed alias (`alias/aws/s3`: its policy is AWS's and does not
 * admit CloudTrail, so delivery fails), a string that is not a KMS key or alias ARN, or a key
 * that is asymmetric, HMAC or for signing (CloudTrail needs SYMMETRIC_DEFAULT + ENCRYPT_DECRYPT).
 *
 * In CloudFormation a bare word such as `"kms-key"` is not flagged: `KMSKeyId` accepts key ids
 * and alias names, and telling those from placeholders would guess. Terraform's provider accepts
 * only a key ARN or an alias ARN in `kms_key_id` (anything else fails validation at plan), so
 * there a key id, an alias name or a placeholder is reported, and so is a reference to a key's
 * or alias's id or name instead of its ARN.
 */
import { encryptWithFixes } from '../analysis/keyCandidates';
import type { ModelAccess } from '../analysis/facts';
import type { KeyOption } from '../model/keyReference';
import { KEY_TYPES } from '../model/keyReference';
import type { ResourceRef, Value } from '../model/values';
import type { RelatedInformation } from '../types';
import type { Report, Rule } from './rule';

const AWS_MANAGED_ALIAS = /^(arn:aws[a-z-]*:kms:[^:]*:[^:]*:)?alias\/aws\//;
const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/(mrk-)?[0-9a-fA-F-]+|alias\/[A-Za-z0-9/_-]+)$/;

export const rule: Rule = {
  meta: {
    id: 'CTK003',
    name: 'trail-key-not-cmk',
    defaultSeverity: 'error',
    description: 'The trail\'s key must be a symmetric customer-managed KMS key, not an AWS-managed alias or a malformed id.',
    fixable: true,
    messages: {
      awsManaged: '{trail} uses {key}, an AWS-managed key: CloudTrail cannot use it (its key policy is AWS\'s and cannot grant CloudTrail), so log delivery fails. Use a customer-managed key.',
      malformed: '{trail} sets {attribute} to {key}, which is not a KMS key or alias ARN.',
      notArn: '{trail} sets {attribute} to {key}, which is not an ARN: the AWS provider accepts only a KMS key ARN or alias ARN here, so terraform plan fails and the trail is not created. Use the key\'s ARN ({suggestion}).',
      unsuitableKey: '{trail} uses {key}, whose {setting} is {actual}: CloudTrail needs a symmetric encryption key ({expected}).',
    },
  },
  check(context) {
    for (const trail of context.trails) {
      if (trail.verdict.kind === 'no-cmk' || trail.throughModule) continue;
      for (const option of trail.verdict.options) {
        const problem = inspect(option, trail.access) ?? (trail.format === 'terraform' ? inspectTerraformArn(option) : undefined);
        if (!problem) continue;
        const related: RelatedInformation[] = [...(option.value.trace ?? [])];
        if (problem.at) related.push({ location: problem.at, message: 'set here' });
        const report: Report = {
          messageId: problem.messageId,
          data: { trail: trail.address, attribute: trail.access.names.trailKey ?? (trail.format === 'cloudformation' ? 'KMSKeyId' : 'kms_key_id'), ...problem.data },
          uri: trail.uri,
          range: trail.keyAttribute?.range ?? trail.block.headerRange,
          resource: trail.address, subject: trail.block.range,
          related,
          fixes: () => {
            const keys = encryptWithFixes(trail, problem.keyAddress);
            return [...keys.usable, trail.fixes.createKey(), ...keys.unusable, trail.fixes.suppress('CTK003')];
          },
        };
        context.report(report);
        break;
      }
    }
  },
};

/** Attributes of keys and aliases that hold an id or a name, not an ARN. */
const NOT_ARN_ATTRIBUTES = new Set(['id', 'key_id', 'target_key_id', 'name']);

/** Terraform's `kms_key_id` must be an ARN: a literal key id or alias name, or `aws_kms_key.k.key_id`, is rejected. */
function inspectTerraformArn(option: KeyOption): Problem | undefined {
  if (option.kind === 'literal' && !option.text.startsWith('arn:')) {
    const suggestion = option.text.startsWith('alias/') ? `arn:aws:kms:<region>:<account>:${option.text}` : 'aws_kms_key.<name>.arn, or arn:aws:kms:<region>:<account>:key/<key-id>';
    return { messageId: 'notArn', data: { key: JSON.stringify(option.text), suggestion }, at: option.value.origin };
  }
  if ((option.kind === 'key' || option.kind === 'alias') && option.value.kind === 'resource-attribute' && NOT_ARN_ATTRIBUTES.has(option.value.attribute)) {
    const arnAttribute = option.resource.mode === 'data' && option.kind === 'alias' ? 'target_key_arn' : 'arn';
    return { messageId: 'notArn', data: { key: `${option.resource.address}.${option.value.attribute}`, suggestion: `${option.resource.address}.${arnAttribute}` }, at: option.value.origin };
  }
  return undefined;
}

export interface Problem {
  messageId: string;
  data: Record<string, string>;
  at?: { uri: string; range: import('../types').Range };
  keyAddress?: string;
}

export function inspect(option: KeyOption, access: ModelAccess): Problem | undefined {
  switch (option.kind) {
    case 'literal':
      return inspectLiteral(option.text, option.value);
    case 'key':
      return option.resource.mode === 'data' ? inspectDataKey(option.resource, access) : inspectKeySettings(option.resource, access);
    case 'alias':
      return inspectAlias(option.resource, access);
    default:
      return undefined;
  }
}

function inspectLiteral(text: string, value: Value, keyAddress?: string): Problem | undefined {
  if (AWS_MANAGED_ALIAS.test(text)) return { messageId: 'awsManaged', data: { key: JSON.stringify(text) }, at: value.origin, keyAddress };
  if (text.startsWith('arn:') && !KMS_ARN.test(text)) return { messageId: 'malformed', data: { key: JSON.stringify(text) }, at: value.origin, keyAddress };
  return undefined;
}

function inspectKeySettings(key: ResourceRef, access: ModelAccess): Problem | undefined {
  const manager = access.names.keyManager === undefined ? undefined : access.attribute(key, access.names.keyManager);
  if (manager?.kind === 'string' && manager.value === 'AWS') return { messageId: 'awsManaged', data: { key: key.address }, at: manager.origin, keyAddress: key.address };
  for (const name of access.names.keySpec) {
    const spec = access.attribute(key, name);
    if (spec?.kind === 'string' && !spec.partial && spec.value !== 'SYMMETRIC_DEFAULT') {
      return { messageId: 'unsuitableKey', data: { key: key.address, setting: name, actual: spec.value, expected: 'SYMMETRIC_DEFAULT' }, at: spec.origin, keyAddress: key.address };
    }
  }
  const usage = access.attribute(key, access.names.keyUsage);
  if (usage?.kind === 'string' && !usage.partial && usage.value !== 'ENCRYPT_DECRYPT') {
    return { messageId: 'unsuitableKey', data: { key: key.address, setting: access.names.keyUsage, actual: usage.value, expected: 'ENCRYPT_DECRYPT' }, at: usage.origin, keyAddress: key.address };
  }
  return undefined;
}

function inspectDataKey(key: ResourceRef, access: ModelAccess): Problem | undefined {
  const id = access.attribute(key, access.names.dataKeyId);
  if (id?.kind === 'string' && !id.partial) {
    const problem = inspectLiteral(id.value, id, key.address);
    if (problem) return { ...problem, data: { key: `${key.address} (${JSON.stringify(id.value)})` } };
  }
  return undefined;
}

function inspectAlias(alias: ResourceRef, access: ModelAccess): Problem | undefined {
  if (alias.mode === 'data') {
    const name = access.attribute(alias, access.names.dataAliasName);
    if (name?.kind === 'string' && !name.partial) {
      const problem = inspectLiteral(name.value, name, alias.address);
      if (problem) return { ...problem, data: { key: `${alias.address} (${JSON.stringify(name.value)})` } };
    }
    return undefined;
  }
  const target = access.attribute(alias, access.names.aliasTarget);
  if (target?.kind === 'resource-attribute' && KEY_TYPES.has(target.resource.type) && target.resource.mode === 'resource') {
    return inspectKeySettings(target.resource, access);
  }
  return undefined;
}

