import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase } from '../../support/ruleTester';
import type { JsonObject } from '../../../server/src/engine/policy';
import { ACCOUNT, ALL_FORMS, DESCRIBE, ENCRYPT, ROOT, inForm, isJson, policyOf, statementLine } from './keyPolicyCases';

const OPEN_READERS: JsonObject = { Sid: 'Readers', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' };
const LIMITED_READERS: JsonObject = { ...OPEN_READERS, Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } };

const broadInEveryForm = ALL_FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE, OPEN_READERS));
  return {
    name: `${form}: Decrypt for {"AWS": "*"} without a condition`,
    ...input,
    errors: [{ messageId: 'tooBroad', line: statementLine(form, input, 'Readers') }],
    fixes: [{
      title: 'Limit decryption to this account',
      output: form === 'cloudformation' ? undefined : inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE, LIMITED_READERS)).files,
      check: (files) => {
        for (const [name, text] of Object.entries(files)) if (name.endsWith('.json')) assert.ok(isJson(text), `${name} is JSON`);
      },
    }],
  };
});

ruleTests('CTK105', {
  valid: [
    ...ALL_FORMS.map((form) => ({ name: `${form}: limited by kms:CallerAccount`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE, LIMITED_READERS)) })),
    { name: 'limited by aws:PrincipalOrgID', ...inForm('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE, { ...OPEN_READERS, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })) },
    { name: 'the encryption context alone does not count, but a named role is not "*"', ...inForm('document', policyOf(ROOT, ENCRYPT, DESCRIBE, { ...OPEN_READERS, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Auditor` } })) },
  ],
  invalid: [
    ...broadInEveryForm,
    (() => {
      const c = inForm('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE, { ...OPEN_READERS, Principal: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } }));
      return {
        name: 'Principal "*" under only the encryption context',
        ...c,
        errors: [{ messageId: 'tooBroad', line: statementLine('jsonencode', c, 'Readers') }],
        fixes: [{
          title: 'Limit decryption to this account',
          // Added after the existing operator; the `=` of what was there is not re-aligned (the fix moves no other text).
          output: { 'main.tf': inForm('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE, {
            ...OPEN_READERS, Principal: '*',
            Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` }, StringEquals: { 'kms:CallerAccount': ACCOUNT } },
          })).files['main.tf'].replace('StringLike   = {', 'StringLike = {') },
        }],
      };
    })(),
  ],
});
