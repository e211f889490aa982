import * as assert from 'node:assert/strict';
import { ruleTests } from '../../support/ruleTester';
import { memoryAnalyzer, memUri } from '../../support/engine';

const KEY = `resource "aws_kms_key" "logs" {
  description         = "trail logs"
  enable_key_rotation = true
}
`;

/** A vendor-integration module: it creates a trail and its key together, or uses the caller's trail. */
const EXISTING_TRAIL_MODULE = `variable "create_cloudtrail" {
  type    = bool
  default = true
}
variable "cloudtrail_name" {
  default = "vendor-trail"
}
resource "aws_kms_key" "trail" {
  count               = var.create_cloudtrail ? 1 : 0
  enable_key_rotation = true
}
resource "aws_cloudtrail" "this" {
  count          = var.create_cloudtrail ? 1 : 0
  name           = var.cloudtrail_name
  s3_bucket_name = "vendor-logs"
  kms_key_id     = aws_kms_key.trail[0].arn
}
`;
const FOR_EACH_MODULE = `variable "trails" {
  type    = map(string)
  default = { main = "main" }
}
resource "aws_kms_key" "trail" {
  for_each = var.trails
}
resource "aws_cloudtrail" "this" {
  for_each   = var.trails
  name       = each.value
  kms_key_id = aws_kms_key.trail[each.key].arn
}
`;

/** An organization-trail module whose key is behind a true/false switch (`use_kms`), called with it off. */
const SWITCHED_OFF = {
  caller: 'module "org" {\n  source  = "./trail"\n  use_kms = false\n}\n',
  child: 'variable "use_kms" {\n  type    = bool\n  default = false\n}\nvariable "kms_key_arn" {\n  type    = string\n  default = ""\n}\n' +
    'resource "aws_kms_key" "trail" {\n  count               = var.use_kms && var.kms_key_arn == "" ? 1 : 0\n  enable_key_rotation = true\n}\n' +
    'resource "aws_cloudtrail" "org" {\n  name                  = "org"\n  s3_bucket_name        = "org-logs"\n  is_organization_trail = true\n' +
    '  kms_key_id            = var.use_kms ? (var.kms_key_arn != "" ? var.kms_key_arn : aws_kms_key.trail[0].arn) : null\n}\n',
};

ruleTests('CTK001', {
  valid: [
    { name: 'key reference', files: { 'main.tf': `${KEY}\nresource "aws_cloudtrail" "t" {\n  name       = "t"\n  kms_key_id = aws_kms_key.logs.arn\n}\n` } },
    { name: 'literal key ARN', files: { 'main.tf': 'resource "aws_cloudtrail" "t" {\n  kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n}\n' } },
    { name: 'variable with a key default', files: { 'main.tf': 'variable "key" {\n  default = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.key\n}\n' } },
    { name: 'conditional whose default picks the key', files: { 'main.tf': `${KEY}variable "encrypt" {\n  default = true\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.encrypt ? aws_kms_key.logs.arn : null\n}\n` } },
    { name: 'join over a counted key that exists', files: { 'main.tf': 'resource "aws_kms_key" "k" {\n  count = 1\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = join("", aws_kms_key.k[*].arn)\n}\n' } },
    { name: 'Terraform 0.11 interpolation', files: { 'main.tf': `${KEY}resource "aws_cloudtrail" "t" {\n  kms_key_id = "\${aws_kms_key.logs.arn}"\n}\n` } },
    { name: 'local module output', files: {
      'main.tf': 'module "kms" {\n  source = "./kms"\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = module.kms.arn\n}\n',
      'kms/main.tf': `${KEY}output "arn" {\n  value = aws_kms_key.logs.arn\n}\n`,
    } },
    { name: 'registry module output (not visible: assumed set)', files: { 'main.tf': 'module "kms" {\n  source  = "cloudposse/kms-key/aws"\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = module.kms.key_arn\n}\n' } },
    { name: 'a block left open elsewhere does not hide the trail\'s key', files: { 'main.tf': `${KEY}resource "aws_cloudtrail" "t" {\n  kms_key_id = aws_kms_key.logs.arn\n}\n\nresource "aws_s3_bucket" "b" {\n  bucket = \n` } },
    { name: 'an attribute being typed above the key', files: { 'main.tf': `${KEY}resource "aws_cloudtrail" "t" {\n  name =\n  kms_key_id = aws_kms_key.logs.arn\n}\n` } },
    { name: 'existing-trail module: the caller brings its own trail', files: {
      'main.tf': 'module "vendor" {\n  source            = "./vendor"\n  create_cloudtrail = false\n}\n',
      'vendor/main.tf': EXISTING_TRAIL_MODULE,
    } },
    { name: 'existing-trail module: the caller lets it create the trail, and the key comes with it', files: {
      'main.tf': 'module "vendor" {\n  source = "./vendor"\n}\n',
      'vendor/main.tf': EXISTING_TRAIL_MODULE,
    } },
    { name: 'existing-trail module: the choice is an input without a default', files: {
      'main.tf': 'variable "use_existing" {\n  type = bool\n}\nmodule "vendor" {\n  source            = "./vendor"\n  create_cloudtrail = !var.use_existing\n}\n',
      'vendor/main.tf': EXISTING_TRAIL_MODULE,
    } },
    { name: 'existing-trail module: terraform.tfvars turns the trail off', files: {
      'main.tf': 'variable "use_existing" {\n  default = false\n}\nmodule "vendor" {\n  source            = "./vendor"\n  create_cloudtrail = !var.use_existing\n}\n',
      'terraform.tfvars': 'use_existing = true\n',
      'vendor/main.tf': EXISTING_TRAIL_MODULE,
    } },
    { name: 'existing-trail module judged on its own, with its defaults', files: { 'main.tf': EXISTING_TRAIL_MODULE } },
    { name: 'existing-trail module whose default is not to create the trail', files: { 'main.tf': EXISTING_TRAIL_MODULE.replace('default = true', 'default = false') } },
    { name: 'trail and key share a condition written through a local', files: {
      'main.tf': 'variable "mode" {}\nlocals {\n  create = var.mode == "new"\n}\nresource "aws_kms_key" "k" {\n  count = local.create ? 1 : 0\n}\nresource "aws_cloudtrail" "t" {\n  count      = local.create ? 1 : 0\n  kms_key_id = aws_kms_key.k[count.index].arn\n}\n',
    } },
    { name: 'module call counted to zero', files: {
      'main.tf': 'module "trail" {\n  source = "./trail"\n  count  = 0\n}\n',
      'trail/main.tf': 'variable "kms_key_arn" {\n  default = ""\n}\nresource "aws_cloudtrail" "this" {\n  kms_key_id = var.kms_key_arn\n}\n',
    } },
    { name: 'for_each trail and key over the same map', files: { 'main.tf': FOR_EACH_MODULE } },
    { name: 'for_each trail and key, caller passes an empty map', files: {
      'main.tf': 'module "trails" {\n  source = "./trails"\n  trails = {}\n}\n',
      'trails/main.tf': FOR_EACH_MODULE,
    } },
  ],
  invalid: [
    {
      name: 'created key: a snake_case name from the trail\'s, references instead of interpolation-only strings, kms_key_id before depends_on',
      files: { 'main.tf': 'resource "aws_cloudtrail" "my-trail" {\n  name           = "t"\n  s3_bucket_name = "logs"\n  depends_on     = [aws_s3_bucket_policy.logs]\n}\n' },
      errors: [{ messageId: 'missing', line: 1 }],
      fixes: [{
        title: 'Create a KMS key for this trail',
        check: (files) => {
          const text = files['main.tf'];
          assert.match(text, /^resource "aws_cloudtrail" "my-trail" \{\n  name           = "t"\n  s3_bucket_name = "logs"\n  kms_key_id     = aws_kms_key\.my_trail_logs\.arn\n  depends_on     = \[aws_s3_bucket_policy\.logs\]\n\}\n\nresource "aws_kms_key" "my_trail_logs" \{/);
          assert.doesNotMatch(text, /= "\$\{[^"]*\}"/, 'no interpolation-only string');
        },
      }],
    },
    {
      name: 'no kms_key_id',
      files: { 'main.tf': 'resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n}\n' },
      errors: [{ messageId: 'missing', line: 1, data: { trail: 'aws_cloudtrail.t', attribute: 'kms_key_id' } }],
      fixes: [
        { title: 'Create a KMS key for this trail', check: (files) => {
          assert.match(files['main.tf'], /kms_key_id {5}= aws_kms_key\.t_logs\.arn/);
          assert.match(files['main.tf'], /resource "aws_kms_key" "t_logs" \{[\s\S]*enable_key_rotation\s+= true[\s\S]*policy\s+= jsonencode\(/);
          assert.match(files['main.tf'], /data "aws_caller_identity" "current" \{\}/);
        } },
        { title: 'Suppress CTK001 for aws_cloudtrail.t', output: { 'main.tf': '# cloudtrail-kms-lint:ignore CTK001 reason: <why this is acceptable>\nresource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n}\n' } },
      ],
    },
    {
      name: 'kms_key_id = null, with a key to use',
      files: { 'main.tf': `${KEY}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = null\n}\n` },
      errors: [{ messageId: 'empty', line: 7, data: { value: 'null' } }],
      fixes: [{ title: 'Encrypt with aws_kms_key.logs', output: { 'main.tf': `${KEY}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = aws_kms_key.logs.arn\n}\n` } }],
    },
    {
      name: 'kms_key_id = "" ',
      files: { 'main.tf': 'resource "aws_cloudtrail" "t" {\n  kms_key_id = ""\n}\n' },
      errors: [{ messageId: 'empty', line: 2, data: { value: '""' } }],
    },
    {
      name: 'variable defaulting to "" in another file',
      files: { 'main.tf': 'resource "aws_cloudtrail" "t" {\n  kms_key_id = var.kms_key_arn\n}\n', 'variables.tf': 'variable "kms_key_arn" {\n  type    = string\n  default = ""\n}\n' },
      errors: [{ messageId: 'empty', line: 2 }],
    },
    {
      name: 'terraform.tfvars empties a good default',
      files: { 'main.tf': 'variable "k" {\n  default = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.k\n}\n', 'terraform.tfvars': 'k = ""\n' },
      errors: [{ messageId: 'empty', line: 5 }],
    },
    {
      name: 'conditional whose default picks null',
      files: { 'main.tf': `${KEY}variable "encrypt" {\n  default = false\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = var.encrypt ? aws_kms_key.logs.arn : null\n}\n` },
      errors: [{ messageId: 'empty', line: 9 }],
    },
    {
      name: 'join over a key whose count is 0 by default',
      files: { 'main.tf': 'variable "kms_enabled" {\n  default = false\n}\nresource "aws_kms_key" "k" {\n  count = var.kms_enabled ? 1 : 0\n}\nresource "aws_cloudtrail" "t" {\n  kms_key_id = join("", aws_kms_key.k[*].arn)\n}\n' },
      errors: [{ messageId: 'empty', line: 8 }],
    },
    {
      name: 'local module called without the key input',
      files: {
        'main.tf': `${KEY}module "trail" {\n  source = "./trail"\n  name   = "org"\n}\n`,
        'trail/main.tf': 'variable "kms_key_arn" {\n  default = ""\n}\nresource "aws_cloudtrail" "this" {\n  kms_key_id = var.kms_key_arn\n}\n',
      },
      errors: [{ messageId: 'moduleInput', line: 5, data: { module: 'module.trail', inputs: 'kms_key_arn' } }],
      fixes: [{ title: 'Encrypt with aws_kms_key.logs', output: { 'main.tf': `${KEY}module "trail" {\n  source      = "./trail"\n  name        = "org"\n  kms_key_arn = aws_kms_key.logs.arn\n}\n` } }],
    },
    {
      name: 'local module called with an empty key',
      files: {
        'main.tf': 'module "trail" {\n  source      = "./trail"\n  kms_key_arn = ""\n}\n',
        'trail/main.tf': 'variable "kms_key_arn" {}\nresource "aws_cloudtrail" "this" {\n  kms_key_id = var.kms_key_arn\n}\n',
      },
      errors: [{ messageId: 'moduleInput', line: 1 }],
      fixes: [{ title: 'Create a KMS key for this trail and pass it as kms_key_arn' }],
    },
    {
      name: 'registry module installed by terraform init, called without the key input',
      files: {
        'main.tf': 'module "trail" {\n  source  = "example/cloudtrail/aws"\n  version = "1.4.3"\n}\n',
        '.terraform/modules/modules.json': '{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"trail","Source":"registry.terraform.io/example/cloudtrail/aws","Version":"1.4.3","Dir":".terraform/modules/trail"}]}',
        '.terraform/modules/trail/main.tf': 'variable "kms_enabled" {\n  default = false\n}\nresource "aws_kms_key" "k" {\n  count = var.kms_enabled ? 1 : 0\n}\nresource "aws_cloudtrail" "default" {\n  kms_key_id = join("", aws_kms_key.k[*].arn)\n}\n',
      },
      errors: [{ messageId: 'moduleInput', line: 1, data: { trail: 'aws_cloudtrail.default', inputs: 'kms_enabled' } }],
    },
    {
      name: 'trail created always, key only under another input the caller turns off',
      files: {
        'main.tf': 'module "vendor" {\n  source     = "./vendor"\n  create_kms = false\n}\n',
        'vendor/main.tf': 'variable "create_kms" {\n  default = true\n}\nvariable "cloudtrail_name" {\n  default = "t"\n}\nresource "aws_kms_key" "trail" {\n  count = var.create_kms ? 1 : 0\n}\nresource "aws_cloudtrail" "this" {\n  name       = var.cloudtrail_name\n  kms_key_id = aws_kms_key.trail[0].arn\n}\n',
      },
      errors: [{ messageId: 'moduleInput', line: 1, data: { trail: 'aws_cloudtrail.this', inputs: 'create_kms', verb: 'is' } }],
    },
    {
      name: 'existing-trail module with its own key switch: the message names the input that empties the key',
      files: {
        'main.tf': 'module "vendor" {\n  source            = "./vendor"\n  create_cloudtrail = true\n  kms_key_arn       = ""\n}\n',
        'vendor/main.tf': 'variable "create_cloudtrail" {\n  default = true\n}\nvariable "create_kms" {\n  default = false\n}\nvariable "kms_key_arn" {\n  default = null\n}\nresource "aws_kms_key" "trail" {\n  count = var.create_cloudtrail && var.create_kms ? 1 : 0\n}\nresource "aws_cloudtrail" "this" {\n  count      = var.create_cloudtrail ? 1 : 0\n  kms_key_id = var.create_kms ? aws_kms_key.trail[0].arn : var.kms_key_arn\n}\n',
      },
      errors: [{ messageId: 'moduleInput', line: 1, data: { inputs: 'create_kms, kms_key_arn', verb: 'are' } }],
    },
    {
      name: 'organization-trail module whose caller turns its key switch off: the switch is named, and only the suppression is offered (a key is no value for a true/false input)',
      files: { 'main.tf': SWITCHED_OFF.caller, 'trail/main.tf': SWITCHED_OFF.child },
      errors: [{ messageId: 'moduleInput', line: 1, data: { module: 'module.org', inputs: 'use_kms', verb: 'is' } }],
      fixes: [{ title: 'Suppress CTK001 for module.org' }],
    },
    {
      name: 'a trail counted on, with its key counted off by default',
      files: { 'main.tf': 'variable "create_kms" {\n  default = false\n}\nresource "aws_kms_key" "k" {\n  count = var.create_kms ? 1 : 0\n}\nresource "aws_cloudtrail" "t" {\n  count      = 1\n  kms_key_id = join("", aws_kms_key.k[*].arn)\n}\n' },
      errors: [{ messageId: 'empty', line: 9 }],
    },
    {
      name: 'suppressed by our comment',
      files: { 'main.tf': '# cloudtrail-kms-lint:ignore CTK001 org trail encrypts centrally\nresource "aws_cloudtrail" "t" {\n}\n' },
      errors: [{ messageId: 'missing', line: 2, suppressedBy: 'cloudtrail-kms-lint:ignore' }],
    },
    {
      name: 'suppressed by checkov:skip inside the block',
      files: { 'main.tf': 'resource "aws_cloudtrail" "t" {\n  #checkov:skip=CKV_AWS_35:encrypted by org\n  name = "t"\n}\n' },
      errors: [{ messageId: 'missing', line: 1, suppressedBy: 'checkov:skip=CKV_AWS_35' }],
    },
    {
      name: 'suppressed by tfsec long id and trivy AVD id',
      files: { 'main.tf': '#tfsec:ignore:aws-cloudtrail-enable-at-rest-encryption\nresource "aws_cloudtrail" "a" {\n}\n# trivy:ignore:AVD-AWS-0015\nresource "aws_cloudtrail" "b" {\n}\n' },
      errors: [
        { messageId: 'missing', line: 2, suppressedBy: 'tfsec:ignore:aws-cloudtrail-enable-at-rest-encryption' },
        { messageId: 'missing', line: 5, suppressedBy: 'trivy:ignore:AVD-AWS-0015' },
      ],
    },
    {
      name: 'trivy:ignore with an expiry date still ahead applies; one already past does not',
      files: { 'main.tf': '# trivy:ignore:AVD-AWS-0015:exp:2999-12-31\nresource "aws_cloudtrail" "a" {\n}\n# trivy:ignore:AVD-AWS-0015:exp:2000-01-01\nresource "aws_cloudtrail" "b" {\n}\n' },
      errors: [
        { messageId: 'missing', line: 2, suppressedBy: 'trivy:ignore:AVD-AWS-0015' },
        { messageId: 'missing', line: 5 },
      ],
    },
    {
      name: 'trivy:ignore for the default workspace applies; one for another workspace does not',
      files: { 'main.tf': '#trivy:ignore:aws-cloudtrail-encryption-customer-managed-key:ws:default\nresource "aws_cloudtrail" "a" {\n}\n#trivy:ignore:aws-cloudtrail-encryption-customer-managed-key:ws:prod\nresource "aws_cloudtrail" "b" {\n}\n' },
      errors: [
        { messageId: 'missing', line: 2, suppressedBy: 'trivy:ignore:aws-cloudtrail-encryption-customer-managed-key' },
        { messageId: 'missing', line: 5 },
      ],
    },
    {
      name: 'trivy:ignore above a module block silences the finding at the module call',
      files: {
        'main.tf': '# trivy:ignore:AVD-AWS-0015\nmodule "trail" {\n  source = "./trail"\n}\n',
        'trail/main.tf': 'variable "kms_key_arn" {\n  default = ""\n}\nresource "aws_cloudtrail" "this" {\n  kms_key_id = var.kms_key_arn\n}\n',
      },
      errors: [{ messageId: 'moduleInput', line: 2, suppressedBy: 'trivy:ignore:AVD-AWS-0015' }],
    },
    {
      name: 'kics-scan disable= with the Terraform query id silences the whole file; another query id does not',
      files: { 'main.tf': '# kics-scan disable=5d9e3164-9265-470c-9a10-57ae454ac0c7\n\nresource "aws_cloudtrail" "a" {\n}\n', 'other.tf': '# kics-scan disable=e592a0c5-5bdb-414c-9066-5dba7cdea370\nresource "aws_cloudtrail" "b" {\n}\n' },
      errors: [{ messageId: 'missing', line: 3, suppressedBy: 'kics-scan disable=5d9e3164-9265-470c-9a10-57ae454ac0c7' }],
    },
    {
      name: 'kics-scan disable= with another query id leaves the trail reported',
      files: { 'main.tf': '# kics-scan disable=5d9e3164-9265-470c-9a10-57ae454ac0c7\n\nresource "aws_cloudtrail" "a" {\n}\n', 'other.tf': '# kics-scan disable=e592a0c5-5bdb-414c-9066-5dba7cdea370\nresource "aws_cloudtrail" "b" {\n}\n' },
      file: 'other.tf',
      errors: [{ messageId: 'missing', line: 2 }],
    },
    {
      name: 'kics-scan disable= for a query in another file does not reach this one',
      files: { 'other.tf': '# kics-scan disable=5d9e3164-9265-470c-9a10-57ae454ac0c7\n', 'main.tf': 'resource "aws_cloudtrail" "a" {\n}\n' },
      file: 'main.tf',
      errors: [{ messageId: 'missing', line: 1 }],
    },
    {
      name: 'suppressed by kics-scan ignore-block, not by a comment for another rule',
      files: { 'main.tf': '# kics-scan ignore-block\nresource "aws_cloudtrail" "a" {\n}\n# cloudtrail-kms-lint:ignore CTK202\nresource "aws_cloudtrail" "b" {\n}\n' },
      errors: [
        { messageId: 'missing', line: 2, suppressedBy: 'kics-scan ignore-block' },
        { messageId: 'missing', line: 5 },
      ],
    },
    {
      name: 'a trail after a block left open is still found at its own line',
      files: { 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n\nresource "aws_cloudtrail" "t" {\n  name = "t"\n}\n' },
      errors: [{ messageId: 'missing', line: 4 }],
    },
  ],
});

describe('CTK001 fixes for a module call', () => {
  it('offers no key for a true/false switch: only the suppression', async () => {
    const analyzer = await memoryAnalyzer({ 'main.tf': SWITCHED_OFF.caller, 'trail/main.tf': SWITCHED_OFF.child });
    const [finding] = analyzer.analyze(memUri('main.tf')).filter((f) => f.ruleId === 'CTK001');
    assert.deepEqual(finding.fixes.map((f) => f.title), ['Suppress CTK001 for module.org']);
  });
});
