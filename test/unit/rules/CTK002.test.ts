import { ruleTests } from '../../support/ruleTester';

const KEY = 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n';

ruleTests('CTK002', {
  valid: [
    { name: 'variable with a default', files: { 'main.tf': 'variable "k" {\n  default = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.k\n}\n' } },
    { name: 'input set in terraform.tfvars', files: { 'main.tf': 'variable "k" {}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.k\n}\n', 'terraform.tfvars': 'k = "arn:aws:kms:us-east-1:111122223333:alias/trail"\n' } },
    { name: 'condition on a computed value (not an input)', files: { 'main.tf': `${KEY}resource "aws_cloudtrail" "t" {\n  kms_key_id = length(data.aws_regions.all.names) > 1 ? aws_kms_key.logs.arn : null\n}\n` } },
    { name: 'both branches are keys', files: { 'main.tf': `${KEY}variable "b" {}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.b ? aws_kms_key.logs.arn : "arn:aws:kms:us-east-1:111122223333:alias/other"\n}\n` } },
  ],
  invalid: [
    {
      name: 'variable without a default',
      files: { 'main.tf': 'variable "kms_key_arn" {\n  type = string\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.kms_key_arn\n}\n' },
      errors: [{ messageId: 'unresolved', line: 5, data: { input: 'var.kms_key_arn, which has no default' } }],
      fixes: [{ title: 'Suppress CTK002 for aws_cloudtrail.t' }],
    },
    {
      name: 'encryption switched by a variable without a default',
      files: { 'main.tf': `${KEY}variable "encrypt" {\n  type = bool\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.encrypt ? aws_kms_key.logs.arn : null\n}\n` },
      errors: [{ messageId: 'unresolved', line: 8, data: { input: 'var.encrypt, which has no default' } }],
    },
    {
      name: 'an ARN built from an input without a default',
      files: { 'main.tf': 'variable "key_id" {}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/${var.key_id}"\n}\n' },
      errors: [{ messageId: 'unresolved', line: 3, data: { input: 'var.key_id, which has no default' } }],
    },
    {
      name: 'through a local and a counted module',
      files: {
        'main.tf': 'variable "mode" {}\nmodule "kms" {\n  source = "./kms"\n  count  = var.mode == "hub" ? 1 : 0\n}\nlocals {\n  key = join("", module.kms.*.arn)\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = local.key\n}\n',
        'kms/main.tf': `${KEY}output "arn" {\n  value = aws_kms_key.logs.arn\n}\n`,
      },
      errors: [{ messageId: 'unresolved', line: 10, data: { input: 'var.mode, which has no default' } }],
    },
  ],
});
