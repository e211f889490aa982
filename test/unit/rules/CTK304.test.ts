/**
 * CTK304: someone besides CloudTrail must be able to use an event data store's key (a querying
 * role, or the account delegated), in each policy form; the fix delegates to the account.
 */
import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase, type ValidCase } from '../../support/ruleTester';
import { ROOT, policyLine, policyOf } from './keyPolicyCases';
import { ANALYSTS, EDS, STORE_FORMS, storeInForm } from './eventDataStoreCases';

const ANY_IN_ACCOUNT = { Sid: 'AnyoneInAccount', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } };

const valid: ValidCase[] = [
  ...STORE_FORMS.map((form): ValidCase => ({ name: `${form}: the account is delegated`, ...storeInForm(form, policyOf(ROOT, EDS)) })),
  { name: 'a querying role with Decrypt and GenerateDataKey', ...storeInForm('jsonencode', policyOf(EDS, ANALYSTS)) },
  { name: '{"AWS": "*"} limited by kms:CallerAccount', ...storeInForm('document', policyOf(EDS, ANY_IN_ACCOUNT)) },
  { name: 'a statement that cannot be seen may grant it', files: { 'main.tf': storeInForm('jsonencode', policyOf(EDS)).files['main.tf'].replace('Statement = [', 'Statement = [var.extra,').replace('resource "aws_kms_key"', 'variable "extra" {}\n\nresource "aws_kms_key"') } },
];

const invalid: InvalidCase[] = [
  ...STORE_FORMS.map((form): InvalidCase => {
    const c = storeInForm(form, policyOf(EDS));
    return {
      name: `${form}: only CloudTrail is named`, ...c,
      errors: [{ messageId: 'noQueryAccess', line: policyLine(form, c) }],
      // A JSON file read by file() cannot say "this account", and this policy names none: no fix there.
      fixes: form === 'file' ? [] : [{
        title: 'Delegate the key to the account',
        check: form === 'cloudformation'
          ? (files) => assert.ok(JSON.parse(files['template.json']).Resources.LogsKey.Properties.KeyPolicy.Statement.some((s: { Action: string }) => s.Action === 'kms:*'))
          : undefined,
      }],
    };
  }),
  {
    name: 'file(): a policy naming the account (key administration only) gets the delegation fix',
    ...storeInForm('file', policyOf({ ...ROOT, Sid: 'KeyAdministrators', Action: ['kms:Describe*', 'kms:Put*', 'kms:ScheduleKeyDeletion'] }, EDS)),
    errors: [{ messageId: 'noQueryAccess', line: 3 }],
    fixes: [{ title: 'Delegate the key to the account', check: (files) => assert.match(files['policy.json'], /"AWS": "arn:aws:iam::111122223333:root"/) }],
  },
  {
    name: 'a role with Decrypt only cannot run queries',
    ...storeInForm('heredoc', policyOf(EDS, { ...ANALYSTS, Action: 'kms:Decrypt' })),
    errors: [{ messageId: 'noQueryAccess', line: 3, data: { store: 'aws_cloudtrail_event_data_store.main' } }],
  },
];

ruleTests('CTK304', { valid, invalid });
