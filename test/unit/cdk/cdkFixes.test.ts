/**
 * The CDK fixes, applied as an editor would: the result is valid TypeScript in the file's own
 * style, `tsc --noEmit` clean against aws-cdk-lib's types, the finding is gone (and not offered
 * again), and the fixed app, synthesised with aws-cdk-lib, gives a template the engine passes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analyzer } from '../../../server/src/engine';
import { createAnalyzer } from '../../../server/src/engine';
import { createDiskHost, pathToUri } from '../../../server/src/diskHost';
import { applyEdits } from '../../support/applyEdits';
import { fixtureAppDir, synthesize } from '../../support/cdkSynth';
import { verdictsOnTemplates, verdictsOnTypeScript } from '../../support/cdkConformance';
import { syntaxErrors, typeErrors } from '../../support/cdkTypeCheck';

const APP = fixtureAppDir('fixes');

class Session {
  readonly texts = new Map<string, string>();
  constructor(readonly analyzer: Analyzer) {}

  text(relative: string): string {
    return this.texts.get(relative) ?? fs.readFileSync(path.join(APP, relative), 'utf8');
  }

  findings(relative: string) {
    return this.analyzer.analyze(pathToUri(path.join(APP, relative)));
  }

  /** Applies the fix titled `title` of the `ruleId` finding on `resource`. */
  apply(relative: string, ruleId: string, resource: string, title: string): string {
    const finding = this.findings(relative).find((f) => f.ruleId === ruleId && f.resource === resource);
    assert.ok(finding, `no ${ruleId} on ${resource}`);
    const fix = finding.fixes.find((f) => f.title.startsWith(title));
    assert.ok(fix, `no fix "${title}" among ${finding.fixes.map((f) => f.title).join(' | ')}`);
    for (const change of fix.edits) {
      const changed = path.relative(APP, new URL(change.uri).pathname);
      const text = applyEdits(this.text(changed), change.edits);
      this.texts.set(changed, text);
      this.analyzer.setDocument(change.uri, text);
    }
    return this.text(relative);
  }
}

async function session(): Promise<Session> {
  return new Session(await createAnalyzer(createDiskHost({ roots: [APP], maxFileSize: 5 * 1024 * 1024 })));
}

describe('CDK fixes', function () {
  this.timeout(180000);

  it('creates a key with CloudTrail\'s statements, in the file\'s style, with the imports it needs', async () => {
    const s = await session();
    const fixed = s.apply('lib/style-stack.ts', 'CTK001', 'AuditTrail', 'Create a KMS key for this trail');
    assert.equal(fixed, `import { Stack, StackProps, Aws } from "aws-cdk-lib"
import { Trail } from "aws-cdk-lib/aws-cloudtrail"
import { Construct } from "constructs"
import * as kms from "aws-cdk-lib/aws-kms"
import * as iam from "aws-cdk-lib/aws-iam"

// Double quotes, no semicolons, four spaces: what the fixes must write too.
export class StyleStack extends Stack {
    constructor(scope: Construct, id: string, props?: StackProps) {
        super(scope, id, props)

        const auditTrailKey = new kms.Key(this, "AuditTrailKey", {
            description: "Encrypts the log files of AuditTrail",
            enableKeyRotation: true,
        })
        auditTrailKey.addToResourcePolicy(new iam.PolicyStatement({
            sid: "AllowCloudTrailToEncryptLogs",
            actions: ["kms:GenerateDataKey*"],
            principals: [new iam.ServicePrincipal("cloudtrail.amazonaws.com")],
            resources: ["*"],
            conditions: {
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": \`arn:\${Aws.PARTITION}:cloudtrail:*:\${Aws.ACCOUNT_ID}:trail/*\` },
            },
        }))
        auditTrailKey.addToResourcePolicy(new iam.PolicyStatement({
            sid: "AllowCloudTrailToDescribeKey",
            actions: ["kms:DescribeKey"],
            principals: [new iam.ServicePrincipal("cloudtrail.amazonaws.com")],
            resources: ["*"],
        }))
        new Trail(this, "AuditTrail", {
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            encryptionKey: auditTrailKey
        })
    }
}
`);
    assert.deepEqual(syntaxErrors('style-stack.ts', fixed), []);
    assert.deepEqual(s.findings('lib/style-stack.ts').map((f) => f.ruleId), []);
  });

  it('adds the missing statements to an existing key, turns rotation on and points the trail at it', async () => {
    const s = await session();
    s.apply('lib/named-stack.ts', 'CTK101', 'ExistingKey', "Add CloudTrail's encrypt statement");
    s.apply('lib/named-stack.ts', 'CTK103', 'ExistingKey', "Add CloudTrail's DescribeKey statement");
    s.apply('lib/named-stack.ts', 'CTK201', 'ExistingKey', 'Enable automatic key rotation');
    const fixed = s.apply('lib/named-stack.ts', 'CTK001', 'NamedTrail', 'Encrypt with ExistingKey');
    // The file's `import * as cdk from 'aws-cdk-lib'` already names aws-iam: no import is added.
    assert.match(fixed, /^import \* as cdk from 'aws-cdk-lib';\nimport \{ Trail \} from 'aws-cdk-lib\/aws-cloudtrail';\nimport \{ Key \} from 'aws-cdk-lib\/aws-kms';\nimport \{ Construct \} from 'constructs';\n\n/);
    assert.match(fixed, /new Key\(this, 'ExistingKey', \{ enableKeyRotation: true \}\);\n    existingKey\.addToResourcePolicy\(new cdk\.aws_iam\.PolicyStatement\(\{\n      sid: 'AllowCloudTrailToEncryptLogs',/);
    assert.match(fixed, /\n {8}StringLike: \{ 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:\$\{cdk\.Aws\.PARTITION\}:cloudtrail:\*:\$\{cdk\.Aws\.ACCOUNT_ID\}:trail\/\*` \},\n/);
    assert.match(fixed, /existingKey\.addToResourcePolicy\(new cdk\.aws_iam\.PolicyStatement\(\{\n      sid: 'AllowCloudTrailToDescribeKey',/);
    assert.match(fixed, /new Trail\(this, 'NamedTrail', \{ encryptionKey: existingKey \}\);/);
    assert.deepEqual(syntaxErrors('named-stack.ts', fixed), []);
    assert.deepEqual(s.findings('lib/named-stack.ts').map((f) => `${f.ruleId} ${f.resource}`), []);
  });

  it('leaves the fixed app tsc-clean against aws-cdk-lib\'s types, and its synthesised template passes', async () => {
    const s = await session();
    s.apply('lib/style-stack.ts', 'CTK001', 'AuditTrail', 'Create a KMS key for this trail');
    s.apply('lib/named-stack.ts', 'CTK101', 'ExistingKey', "Add CloudTrail's encrypt statement");
    s.apply('lib/named-stack.ts', 'CTK103', 'ExistingKey', "Add CloudTrail's DescribeKey statement");
    s.apply('lib/named-stack.ts', 'CTK201', 'ExistingKey', 'Enable automatic key rotation');
    s.apply('lib/named-stack.ts', 'CTK001', 'NamedTrail', 'Encrypt with ExistingKey');
    assert.deepEqual(typeErrors(APP, new Map()), [], 'the fixture app itself type-checks');
    assert.deepEqual(typeErrors(APP, s.texts), []);
    assert.deepEqual((await verdictsOnTypeScript(APP, s.texts)).map((v) => v.line), []);
    const synthesis = synthesize(APP, 'fixes-fixed', s.texts);
    assert.equal(synthesis.templates.length, 2);
    assert.deepEqual((await verdictsOnTemplates(synthesis.templates)).map((v) => v.line), []);
    assert.deepEqual(synthesis.nag.map((v) => v.compliance), ['compliant', 'compliant', 'compliant']);
  });

  it('suppresses with a comment above the construct, which then silences the finding', async () => {
    const s = await session();
    const fixed = s.apply('lib/style-stack.ts', 'CTK001', 'AuditTrail', 'Suppress CTK001');
    assert.match(fixed, /\n {8}\/\/ cloudtrail-kms-lint:ignore CTK001 reason: <why this is acceptable>\n {8}new Trail\(this, "AuditTrail", \{/);
    const finding = s.findings('lib/style-stack.ts').find((f) => f.ruleId === 'CTK001');
    assert.equal(finding?.suppressedBy, 'cloudtrail-kms-lint:ignore');
  });
});
