import { ruleTests } from '../../support/ruleTester';
import { ALL_FORMS, DESCRIBE, ENCRYPT, ROOT, inForm, lineOf, policyOf } from './keyPolicyCases';

const effect = inForm('jsonencode', policyOf(ROOT, { ...ENCRYPT, Effect: 'allow' }, DESCRIBE));
const separator = inForm('document', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: 'kms=DescribeKey' }));
const element = inForm('heredoc', policyOf(ROOT, ENCRYPT, DESCRIBE));
element.files['main.tf'] = element.files['main.tf'].replace('"Action": "kms:DescribeKey"', '"Actions": "kms:DescribeKey"');
const principalType = inForm('cloudformation', policyOf(ROOT, { ...ENCRYPT, Principal: { Services: 'cloudtrail.amazonaws.com' } }, DESCRIBE));
const standalone = inForm('standalone', policyOf(ROOT, ENCRYPT, { ...DESCRIBE, Action: 'kms:DescribeKeys' }));
const noPrincipal = inForm('jsonencode', policyOf(ROOT, ENCRYPT, { Sid: 'Describe', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }));

ruleTests('CTK106', {
  valid: ALL_FORMS.map((form) => ({ name: `${form}: well-formed`, ...inForm(form, policyOf(ROOT, ENCRYPT, DESCRIBE)) })),
  invalid: [
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
