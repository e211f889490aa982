import { ruleTests } from '../../support/ruleTester';

const trail = (attributes: string): string => `resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "logs"\n${attributes}}\n`;

ruleTests('CTK202', {
  valid: [
    { name: 'validation on', files: { 'main.tf': trail('  enable_log_file_validation = true\n') } },
    { name: 'validation on through a variable default', files: { 'main.tf': `variable "validate" {\n  default = true\n}\n\n${trail('  enable_log_file_validation = var.validate\n')}` } },
    { name: 'validation from an input without a default is not judged', files: { 'main.tf': `variable "validate" {}\n\n${trail('  enable_log_file_validation = var.validate\n')}` } },
    { name: 'no trail', files: { 'main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n' } },
  ],
  invalid: [
    {
      name: 'validation not set',
      files: { 'main.tf': trail('') },
      errors: [{ messageId: 'missing', line: 1, data: { trail: 'aws_cloudtrail.main', attribute: 'enable_log_file_validation' } }],
      fixes: [
        // The new attribute joins the aligned run, which is re-aligned as terraform fmt would.
        {
          title: 'Turn on log file validation',
          output: { 'main.tf': 'resource "aws_cloudtrail" "main" {\n  name                       = "main"\n  s3_bucket_name             = "logs"\n  enable_log_file_validation = true\n}\n' },
        },
        { title: 'Suppress CTK202 for aws_cloudtrail.main', output: { 'main.tf': `# cloudtrail-kms-lint:ignore CTK202 reason: <why this is acceptable>\n${trail('')}` } },
      ],
    },
    {
      name: 'validation turned off',
      files: { 'main.tf': trail('  enable_log_file_validation = false\n') },
      errors: [{ messageId: 'disabled', line: 4, data: { value: 'false' } }],
      fixes: [{ title: 'Turn on log file validation', output: { 'main.tf': trail('  enable_log_file_validation = true\n') } }],
    },
    {
      name: 'validation off through a variable default',
      files: { 'main.tf': `variable "validate" {\n  default = false\n}\n\n${trail('  enable_log_file_validation = var.validate\n')}` },
      errors: [{ messageId: 'disabled', line: 8 }],
    },
    {
      name: 'suppressed by checkov:skip=CKV_AWS_36 inside the block',
      files: { 'main.tf': trail('  #checkov:skip=CKV_AWS_36:digest files checked by the org trail\n') },
      errors: [{ messageId: 'missing', line: 1, suppressedBy: 'checkov:skip=CKV_AWS_36' }],
    },
    {
      name: 'suppressed by tfsec:ignore',
      files: { 'main.tf': `#tfsec:ignore:aws-cloudtrail-enable-log-validation\n${trail('')}` },
      errors: [{ messageId: 'missing', line: 2, suppressedBy: 'tfsec:ignore:aws-cloudtrail-enable-log-validation' }],
    },
  ],
});
