import { ruleTests } from '../../support/ruleTester';
import { ALL_FORMS, DESCRIBE, ENCRYPT, ROOT, inForm, lineOf, policyOf } from './keyPolicyCases';
import type { JsonObject } from '../../../server/src/engine/policy/requiredStatements';

const effect = inForm('jsonencode', policyOf(ROOT, { ...ENCRYPT, Effect: 'allow' }, DESCRIBE));
const separator = inForm('document', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: 'kms=DescribeKey' }));
const element = inForm('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE));
element.files['main.tf'] = element.files['main.tf'].replace('"Action": "kms:DescribeKey"', '"Actions": "kms:DescribeKey"');
const principalType = inForm('cloudformation', policyOf(ROOT, { ...ENCRYPT, Principal: { Services: 'cloudtrail.amazonaws.com' } }, DESCRIBE));
const standalone = inForm('standalone', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: 'kms:DescribeKeys' }));
const noPrincipal = inForm('jsonencode', policyOf(ROOT, ENCRYPT, { Sid: 'Describe', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }));

/**
 * One malformed policy per remaining message, each a standalone policy file (or, for the
 * whole-document problems, a `jsonencode` policy of a key a trail uses), with the text on the
 * line the finding must be reported on.
 */
const malformed: { messageId: string; policy: JsonObject; at: string }[] = [
  { messageId: 'unknownPolicyElement', policy: { ...policyOf(ROOT, ENCRYPT, DESCRIBE), Statements: [] }, at: '"Statements"' },
  { messageId: 'invalidVersion', policy: { ...policyOf(ROOT, ENCRYPT, DESCRIBE), Version: '2008-10-18x' }, at: '"Version"' },
  { messageId: 'missingEffect', policy: policyOf(ROOT, ENCRYPT, { Sid: 'Describe', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' }), at: '"Sid": "Describe"' },
  { messageId: 'principalAndNotPrincipal', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }), at: '"NotPrincipal"' },
  { messageId: 'invalidPrincipalForm', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Principal: 'cloudtrail.amazonaws.com' }), at: '"Principal": "cloudtrail' },
  { messageId: 'invalidPrincipalValue', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Principal: { Service: { name: 'cloudtrail.amazonaws.com' } } }), at: '"Service": {' },
  { messageId: 'missingAction', policy: policyOf(ROOT, ENCRYPT, { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Resource: '*' }), at: '"Sid": "Describe"' },
  { messageId: 'actionAndNotAction', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, NotAction: 'kms:Decrypt' }), at: '"NotAction"' },
  { messageId: 'invalidActionType', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: { kms: 'DescribeKey' } }), at: '"Action": {' },
  { messageId: 'actionMatchesNothing', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: ['kms:DescribeKey', 'kms:Describe*Grants'] }), at: '"kms:Describe*Grants"' },
  { messageId: 'missingResource', policy: policyOf(ROOT, ENCRYPT, { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey' }), at: '"Sid": "Describe"' },
  { messageId: 'invalidResourceType', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Resource: { arn: '*' } }), at: '"Resource": {' },
  { messageId: 'invalidConditionType', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Condition: ['aws:SourceAccount'] }), at: '"Condition": [' },
  { messageId: 'unknownConditionOperator', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Condition: { StringEqualz: { 'aws:SourceAccount': '111122223333' } } }), at: '"StringEqualz"' },
  { messageId: 'invalidConditionValue', policy: policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Condition: { StringEquals: { 'aws:SourceAccount': { id: '111122223333' } } } }), at: '"aws:SourceAccount": {' },
];

const wholeDocument = (messageId: string, policy: JsonObject, at: string, edit?: (text: string) => string) => {
  const c = inForm('jsonencode', policy);
  if (edit) c.files['main.tf'] = edit(c.files['main.tf']);
  return { name: `jsonencode: ${messageId}`, ...c, errors: [{ messageId, line: lineOf(c.files['main.tf'], at) }] };
};

ruleTests('CTK106', {
  valid: ALL_FORMS.map((form) => ({ name: `${form}: well-formed`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE)) })),
  invalid: [
    ...malformed.map(({ messageId, policy, at }) => {
      const c = inForm('standalone', policy);
      return { name: `standalone: ${messageId}`, ...c, errors: [{ messageId, line: lineOf(c.files['policy.json'], at) }] };
    }),
    wholeDocument('missingStatement', { Version: '2012-10-17', Id: 'trail-key' }, 'jsonencode('),
    wholeDocument('invalidStatementType', { Version: '2012-10-17', Statement: 'everything' }, 'Statement = "everything"'),
    wholeDocument('invalidDocumentType', { Version: '2012-10-17' }, 'jsonencode(', (t) => t.replace(/jsonencode\(\{[\s\S]*?\}\)/, 'jsonencode(["kms:*"])')),
    {
      name: 'jsonencode: Effect in lower case',
      ...effect,
      errors: [{ messageId: 'invalidEffect', line: lineOf(effect.files['main.tf'], '"allow"'), data: { effect: 'allow' } }],
      fixes: [{ title: 'Change "allow" to "Allow"', output: { 'main.tf': effect.files['main.tf'].replace('"allow"', '"Allow"') } }],
    },
    {
      name: 'aws_iam_policy_document: an action with "=" instead of ":"',
      ...separator,
      errors: [{ messageId: 'malformedAction', line: lineOf(separator.files['main.tf'], 'kms=DescribeKey') }],
      fixes: [{ title: 'Change "kms=DescribeKey" to "kms:DescribeKey"', output: { 'main.tf': separator.files['main.tf'].replace('kms=DescribeKey', 'kms:DescribeKey') } }],
    },
    {
      name: 'JSON heredoc: "Actions" is not an element',
      ...element,
      errors: [{ messageId: 'unknownStatementElement', line: lineOf(element.files['main.tf'], '"Actions"'), data: { element: 'Actions' } }],
      fixes: [{ title: 'Change "Actions" to "Action"', output: { 'main.tf': element.files['main.tf'].replace('"Actions"', '"Action"') } }],
    },
    {
      name: 'CloudFormation: "Services" is not a principal type',
      ...principalType,
      errors: [{ messageId: 'unknownPrincipalType', line: lineOf(principalType.files['template.json'], '"Services"') }],
      fixes: [{ title: 'Change "Services" to "Service"', output: { 'template.json': principalType.files['template.json'].replace('"Services"', '"Service"') } }],
    },
    {
      name: 'standalone policy file: an action that is not a KMS action',
      ...standalone,
      errors: [{ messageId: 'unknownAction', line: lineOf(standalone.files['policy.json'], 'kms:DescribeKeys') }],
      fixes: [{ title: 'Change "kms:DescribeKeys" to "kms:DescribeKey"', output: { 'policy.json': standalone.files['policy.json'].replace('kms:DescribeKeys', 'kms:DescribeKey') } }],
    },
    {
      name: 'a statement without a Principal has no automatic fix',
      ...noPrincipal,
      errors: [{ messageId: 'missingPrincipal', line: lineOf(noPrincipal.files['main.tf'], 'Sid      = "Describe"') }],
    },
  ],
});
