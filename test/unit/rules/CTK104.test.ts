import * as assert from 'node:assert/strict';
import { ruleTests, type InvalidCase } from '../../support/ruleTester';
import { logReadersStatement } from '../../../server/src/engine/policy';
import type { JsonObject } from '../../../server/src/engine/policy';
import { ACCOUNT, ALL_FORMS, DESCRIBE, ENCRYPT, ROOT, inForm, isJson, policyLine, policyOf, statementLine } from './keyPolicyCases';

/** The account administers the key but may not decrypt: no delegation of Decrypt, no reader. */
const ADMIN: JsonObject = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:Put*', 'kms:Update*'], Resource: '*' };
const ADDED_READERS = logReadersStatement({ partition: 'aws', accountId: ACCOUNT });

const missingInEveryForm = ALL_FORMS.map((form): InvalidCase => {
  const input = inForm(form, policyOf(ADMIN, ENCRYPT, DESCRIBE));
  return {
    name: `${form}: nobody may decrypt`,
    ...input,
    errors: [{ messageId: 'missing', line: policyLine(form, input) }],
    fixes: [{
      title: 'Allow this account to read the logs',
      output: form === 'cloudformation' ? undefined : inForm(form, policyOf(ADMIN, ENCRYPT, DESCRIBE, ADDED_READERS)).files,
      check: (files) => {
        for (const [name, text] of Object.entries(files)) if (name.endsWith('.json')) assert.ok(isJson(text), `${name} is JSON`);
        // Never "*": the account root, under the CloudTrail encryption context.
        const fixed = Object.values(files).join('\n');
        assert.doesNotMatch(fixed.slice(fixed.lastIndexOf('decrypt log files')), /"\*"\s*[},\]]\s*\n\s*("Action"|Action|actions)/);
      },
    }],
  };
});

ruleTests('CTK104', {
  valid: [
    ...ALL_FORMS.map((form) => ({ name: `${form}: the account root may use the key (delegation)`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE)) })),
    { name: 'a reader role for the CloudTrail context', ...inForm('heredoc', policyOf(ADMIN, ENCRYPT, DESCRIBE, { Sid: 'Reader', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Auditor` }, Action: 'kms:Decrypt', Resource: '*', Condition: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } } })) },
  ],
  invalid: [
    ...missingInEveryForm,
    (() => {
      const c = inForm('jsonencode', policyOf(ROOT, ENCRYPT, DESCRIBE, { Sid: 'NobodyReads', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }));
      return { name: 'a Deny on Decrypt for everyone', ...c, errors: [{ messageId: 'denied', line: statementLine('jsonencode', c, 'NobodyReads') }] };
    })(),
    {
      name: 'no account in the policy: Terraform adds data "aws_caller_identity"',
      ...inForm('document', policyOf(ENCRYPT, DESCRIBE)),
      errors: [{ messageId: 'missing', line: 1 }],
      fixes: [{
        title: 'Allow this account to read the logs',
        check: (files) => {
          assert.match(files['main.tf'], /identifiers = \["arn:aws:iam::\$\{data\.aws_caller_identity\.current\.account_id\}:root"\]/);
          assert.match(files['main.tf'], /\n}\n\ndata "aws_caller_identity" "current" \{\}\n/);
        },
      }],
    },
  ],
});
