/**
 * Shared fixtures for the event data store rule tests (CTK301–CTK304): a CloudTrail Lake
 * event data store using `aws_kms_key.logs` / `LogsKey`, with the key policy written in every
 * form the engine reads (the key-policy rule tests' forms, with the trail replaced by a store).
 */
import type { JsonObject } from '../../../server/src/engine/policy';
import { ACCOUNT, TRAIL, inForm, type FormCase, type PolicyForm } from './keyPolicyCases';

export { ACCOUNT };

/** AWS's statement for a store's key ("Granting encrypt permissions for event data stores"). */
export const EDS: JsonObject = { Sid: 'AllowCloudTrailEncryptEds', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' };
/** A trail's grant, reused for a store: GenerateDataKey* only. */
export const TRAIL_GRANT: JsonObject = { Sid: 'TrailGrant', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' };
export const ANALYSTS: JsonObject = {
  Sid: 'EnableLakeQueries', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/lake-analysts` }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*',
};

export const STORE = `resource "aws_cloudtrail_event_data_store" "main" {
  name       = "management-events"
  kms_key_id = aws_kms_key.logs.arn
}
`;

/** Forms where a store's key has a policy (a standalone policy file names no store). */
export const STORE_FORMS: PolicyForm[] = ['jsonencode', 'heredoc', 'file', 'document', 'cloudformation'];

/** The policy in one form, used by the key of store `aws_cloudtrail_event_data_store.main` / `Store`. */
export function storeInForm(form: PolicyForm, policy: JsonObject): FormCase {
  const c = inForm(form, policy);
  if (form === 'cloudformation') {
    const template = JSON.parse(c.files['template.json']);
    delete template.Resources.Trail;
    template.Resources.Store = { Type: 'AWS::CloudTrail::EventDataStore', Properties: { Name: 'management-events', KmsKeyId: { 'Fn::GetAtt': ['LogsKey', 'Arn'] } } };
    return { file: c.file, files: { 'template.json': `${JSON.stringify(template, null, 2)}\n` } };
  }
  const files = { ...c.files, [c.file]: c.files[c.file].replace(TRAIL, STORE) };
  return { file: c.file, files };
}

/** A YAML template with key `LakeKey` (its properties as given) and the store `Store` using it. */
export const yamlStoreTemplate = (keyProperties: string, storeKey = '      KmsKeyId: !GetAtt LakeKey.Arn\n'): string =>
  `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  LakeKey:\n    Type: AWS::KMS::Key\n    Properties:\n${keyProperties}  Store:\n    Type: AWS::CloudTrail::EventDataStore\n    Properties:\n      Name: management-events\n${storeKey}`;
