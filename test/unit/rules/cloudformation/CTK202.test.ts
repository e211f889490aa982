/**
 * CTK202 on CloudFormation templates, for its fix: `EnableLogFileValidation: true` set in the
 * template's own syntax (the rule's Terraform cases live with the rule).
 */
import { ruleTests } from '../../../support/ruleTester';

const yamlTrail = (properties: string, head = ''): string =>
  `${head}Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: alias/trail-logs\n${properties}`;

ruleTests('CTK202', {
  valid: [
    { name: 'EnableLogFileValidation: true', files: { 'template.yaml': yamlTrail('      EnableLogFileValidation: true\n') } },
    { name: 'a parameter defaulting to true', files: { 'template.yaml': yamlTrail('      EnableLogFileValidation: !Ref Validate\n', 'Parameters:\n  Validate:\n    Type: String\n    Default: "true"\n') } },
  ],
  invalid: [
    {
      name: 'absent (YAML)',
      files: { 'template.yaml': yamlTrail('      IsLogging: true\n') },
      errors: [{ messageId: 'missing', line: 2 }],
      fixes: [
        { title: 'Turn on log file validation', output: { 'template.yaml': yamlTrail('      IsLogging: true\n      EnableLogFileValidation: true\n') } },
        { title: 'Suppress CTK202 for Trail', output: { 'template.yaml': yamlTrail('      IsLogging: true\n').replace('  Trail:', '  # cloudtrail-kms-lint:ignore CTK202 reason: <why this is acceptable>\n  Trail:') } },
      ],
    },
    {
      name: 'false, through a parameter default (YAML)',
      files: { 'template.yaml': yamlTrail('      EnableLogFileValidation: !Ref Validate\n', 'Parameters:\n  Validate:\n    Type: String\n    Default: "false"\n') },
      errors: [{ messageId: 'disabled', line: 10 }],
      fixes: [{ title: 'Turn on log file validation', output: { 'template.yaml': yamlTrail('      EnableLogFileValidation: true\n', 'Parameters:\n  Validate:\n    Type: String\n    Default: "false"\n') } }],
    },
    {
      name: '"false" (JSON)',
      files: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "EnableLogFileValidation": "false",\n        "KMSKeyId": "alias/trail-logs"\n      }\n    }\n  }\n}\n' },
      errors: [{ messageId: 'disabled', line: 6 }],
      fixes: [
        { title: 'Turn on log file validation', output: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "EnableLogFileValidation": true,\n        "KMSKeyId": "alias/trail-logs"\n      }\n    }\n  }\n}\n' } },
        { title: 'Suppress CTK202 for Trail', output: { 'template.json': '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "EnableLogFileValidation": "false",\n        "KMSKeyId": "alias/trail-logs"\n      },\n      "Metadata": {\n        "cloudtrail-kms-lint": {\n          "ignore": [\n            "CTK202"\n          ]\n        }\n      }\n    }\n  }\n}\n' } },
      ],
    },
  ],
});
