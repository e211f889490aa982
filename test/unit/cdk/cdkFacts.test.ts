/**
 * What the CDK adapter knows of the TypeScript, and what it leaves unknown: every finding sits
 * on the expression to fix, and a shape it does not evaluate (a spread, a call, a conditional,
 * a parameter, an imported key) gives no finding rather than a guess.
 */
import * as assert from 'node:assert/strict';
import { memoryAnalyzer, memUri } from '../../support/engine';

const PACKAGE = '{"dependencies":{"aws-cdk-lib":"2.276.0"}}';

function stack(body: string, imports = ''): string {
  return `import * as cdk from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
${imports}
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, props?: { key?: kms.IKey }) {
    super(scope, id);
${body}
  }
}
`;
}

const GOOD_KEY = `    const key = new kms.Key(this, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    }));`;

async function findings(files: Record<string, string>, file = 'lib/s.ts'): Promise<string[]> {
  const analyzer = await memoryAnalyzer({ 'package.json': PACKAGE, ...files });
  const text = files[file];
  return analyzer.analyze(memUri(file)).map((f) => {
    const lines = text.split('\n');
    const at = lines[f.range.start.line].slice(f.range.start.character, f.range.start.line === f.range.end.line ? f.range.end.character : undefined);
    return `${f.ruleId} ${f.resource} @ ${at.trim()}`;
  });
}

describe('CDK facts', () => {
  it('puts CTK001 on the trail, CTK101/CTK103/CTK201 on the key and CTK202 on the setting', async () => {
    const found = await findings({ 'lib/s.ts': stack(`    const key = new kms.Key(this, 'Bare');
    new cloudtrail.Trail(this, 'Plain');
    new cloudtrail.Trail(this, 'Keyed', { encryptionKey: key, enableFileValidation: false });`) });
    assert.deepEqual(found, [
      "CTK101 Bare @ new kms.Key(this, 'Bare'",
      "CTK103 Bare @ new kms.Key(this, 'Bare'",
      "CTK201 Bare @ new kms.Key(this, 'Bare'",
      "CTK001 Plain @ new cloudtrail.Trail(this, 'Plain'",
      'CTK202 Keyed @ enableFileValidation: false',
    ]);
  });

  it('reads every way of naming the constructs: named imports with aliases, the aws-cdk-lib namespace, CfnTrail', async () => {
    const found = await findings({ 'lib/s.ts': stack(`${GOOD_KEY}
    new T(this, 'Aliased', { encryptionKey: key });
    new cdk.aws_cloudtrail.Trail(this, 'Namespaced');
    new ct.CfnTrail(this, 'Low', { isLogging: true, s3BucketName: 'b', kmsKeyId: key.keyArn, enableLogFileValidation: true });
    new ct.CfnTrail(this, 'LowPlain', { isLogging: true, s3BucketName: 'b', enableLogFileValidation: true });`, "import { Trail as T } from 'aws-cdk-lib/aws-cloudtrail';\nimport { aws_cloudtrail as ct } from 'aws-cdk-lib';") });
    assert.deepEqual(found, ["CTK001 Namespaced @ new cdk.aws_cloudtrail.Trail(this, 'Namespaced'", "CTK001 LowPlain @ new ct.CfnTrail(this, 'LowPlain'"]);
  });

  it('follows const bindings, this.fields and a class of a sibling module', async () => {
    const keys = `import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
export class Keys extends Construct {
  readonly logs = new kms.Key(this, 'SiblingKey', { enableKeyRotation: true });
}
`;
    const found = await findings({
      'lib/keys.ts': keys,
      'lib/s.ts': stack(`    this.k = new kms.Key(this, 'FieldKey', { enableKeyRotation: true });
    const k2 = this.k;
    new cloudtrail.Trail(this, 'ThroughField', { encryptionKey: k2 });
    new cloudtrail.Trail(this, 'ThroughSibling', { encryptionKey: new Keys(this, 'Keys').logs });`, "import { Keys } from './keys';"),
    });
    assert.deepEqual(found, ["CTK101 FieldKey @ new kms.Key(this, 'FieldKey'", "CTK103 FieldKey @ new kms.Key(this, 'FieldKey'"]);
    // The sibling's key is judged in its own file, with the trail that uses it.
    const inKeys = await findings({ 'lib/keys.ts': keys, 'lib/s.ts': stack(`    new cloudtrail.Trail(this, 'ThroughSibling', { encryptionKey: new Keys(this, 'Keys').logs });`, "import { Keys } from './keys';") }, 'lib/keys.ts');
    assert.deepEqual(inKeys, ["CTK101 SiblingKey @ new kms.Key(this, 'SiblingKey'", "CTK103 SiblingKey @ new kms.Key(this, 'SiblingKey'"]);
  });

  it('says nothing where it cannot know: imported keys, parameters, calls, spreads, conditionals, reassigned lets', async () => {
    const found = await findings({ 'lib/s.ts': stack(`    const imported = kms.Key.fromKeyArn(this, 'I', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new cloudtrail.Trail(this, 'Imported', { encryptionKey: imported });
    new cloudtrail.Trail(this, 'Alias', { encryptionKey: kms.Alias.fromAliasName(this, 'A', 'alias/logs') });
    new cloudtrail.Trail(this, 'Param', { encryptionKey: props?.key });
    new cloudtrail.Trail(this, 'Call', { encryptionKey: makeKey(this) });
    const shared = { sendToCloudWatchLogs: true };
    new cloudtrail.Trail(this, 'Spread', { ...shared });
    new cloudtrail.Trail(this, 'Conditional', { encryptionKey: props ? props.key : undefined });
    let k = new kms.Key(this, 'First');
    k = new kms.Key(this, 'Second');
    new cloudtrail.Trail(this, 'Reassigned', { encryptionKey: k });
    const opaque = new kms.Key(this, 'Opaque', { enableKeyRotation: true });
    opaque.addToResourcePolicy(buildStatement());
    new cloudtrail.Trail(this, 'OpaqueStatement', { encryptionKey: opaque });`) });
    assert.deepEqual(found, []);
  });

  it('judges what CDK writes for a grant to CloudTrail, and nothing for a grant to a role of the app', async () => {
    const found = await findings({ 'lib/s.ts': stack(`    const granted = new kms.Key(this, 'Granted', { enableKeyRotation: true });
    granted.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'));
    granted.grantDecrypt(new iam.Role(this, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    new cloudtrail.Trail(this, 'Trail', { encryptionKey: granted });`) });
    // The grant has no condition (CTK102) and no DescribeKey (CTK103); the role's grant is in its own policy.
    assert.deepEqual(found, ["CTK103 Granted @ new kms.Key(this, 'Granted'", "CTK102 Granted @ granted.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'))"]);
  });

  it('says nothing of a grant whose returned Grant is used (its statements may be changed), and still judges one bound and never used', async () => {
    const found = await findings({ 'lib/s.ts': stack(`    const widened = new kms.Key(this, 'Widened', { enableKeyRotation: true });
    const grant = widened.grantEncryptDecrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'));
    for (const statement of grant.resourceStatements) statement.addActions('kms:DescribeKey');
    new cloudtrail.Trail(this, 'WidenedTrail', { encryptionKey: widened });
    const chained = new kms.Key(this, 'Chained', { enableKeyRotation: true });
    chained.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com')).resourceStatement?.addCondition('StringEquals', { 'aws:SourceAccount': '111122223333' });
    new cloudtrail.Trail(this, 'ChainedTrail', { encryptionKey: chained });
    const unused = new kms.Key(this, 'Unused', { enableKeyRotation: true });
    const ignored = unused.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'));
    new cloudtrail.Trail(this, 'UnusedTrail', { encryptionKey: unused });`) });
    // Only the grant whose Grant is never named again is known: no condition, no DescribeKey.
    assert.deepEqual(found, ["CTK103 Unused @ new kms.Key(this, 'Unused'", "CTK102 Unused @ unused.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'))"]);
  });

  it('reads a key policy given whole, and an asymmetric key is never asked to rotate', async () => {
    const found = await findings({ 'lib/s.ts': stack(`    const doc = new iam.PolicyDocument({ statements: [] });
    doc.addStatements(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'], principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')], resources: ['*'], conditions: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }));
    const own = new kms.Key(this, 'Own', { policy: doc, keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT });
    new cloudtrail.Trail(this, 'Trail', { encryptionKey: own });`) });
    assert.deepEqual(found, ["CTK104 Own @ new kms.Key(this, 'Own'", 'CTK003 Trail @ encryptionKey: own']);
  });

  it('honours our comment and cdk-nag suppressions', async () => {
    const analyzer = await memoryAnalyzer({ 'package.json': PACKAGE, 'lib/s.ts': stack(`    // cloudtrail-kms-lint:ignore CTK001 sandbox
    new cloudtrail.Trail(this, 'Commented');
    const nagged = new cloudtrail.Trail(this, 'Nagged');
    NagSuppressions.addResourceSuppressions(nagged, [{ id: 'HIPAA.Security-CloudTrailEncryptionEnabled', reason: 'sandbox' }]);
    new cloudtrail.Trail(this, 'Other');
    NagSuppressions.addResourceSuppressions([nagged], [{ id: 'AwsSolutions-IAM4', reason: 'unrelated' }]);
    const acknowledged = new cloudtrail.Trail(this, 'Acknowledged', { enableFileValidation: false });
    cdk.Validations.of(acknowledged).acknowledge({ id: 'NIST.800.53.R5-CloudTrailLogFileValidationEnabled', reason: 'digests kept elsewhere' });`, "import { NagSuppressions } from 'cdk-nag';") });
    const result = analyzer.analyze(memUri('lib/s.ts')).map((f) => `${f.ruleId} ${f.resource} ${f.suppressedBy ?? '-'}`);
    assert.deepEqual(result, [
      'CTK001 Commented cloudtrail-kms-lint:ignore',
      'CTK001 Nagged NagSuppressions HIPAA.Security-CloudTrailEncryptionEnabled',
      'CTK001 Other -',
      'CTK001 Acknowledged -',
      'CTK202 Acknowledged Validations.acknowledge NIST.800.53.R5-CloudTrailLogFileValidationEnabled',
    ]);
  });

  it('survives broken and half-typed TypeScript', async () => {
    for (const body of ["    new cloudtrail.Trail(this, 'T', { encryptionKey: ", "    new cloudtrail.Trail(", '    const k = new kms.Key(this, `K${', "    new cloudtrail.Trail(this, 'T', { ...{ ...{} } });"]) {
      const found = await findings({ 'lib/s.ts': stack(body) });
      assert.ok(Array.isArray(found));
    }
    const deep = stack(`    const x = ${'['.repeat(3000)}${']'.repeat(3000)};\n    new cloudtrail.Trail(this, 'Deep');`);
    assert.deepEqual(await findings({ 'lib/s.ts': deep }), ["CTK001 Deep @ new cloudtrail.Trail(this, 'Deep'"]);
  });
});

/** A construct of the app in its own file, built with the props it is given. */
function construct(name: string, constructorBody: string, members = ''): string {
  return `import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ${name}Props { readonly kmsKey: kms.IKey }

export class ${name} extends Construct {
  constructor(scope: Construct, id: string, props: ${name}Props) {
    super(scope, id);
${constructorBody}
  }
${members}
}
`;
}

const BARE_KEY_FINDINGS = (id: string): string[] => [`CTK101 ${id} @ new kms.Key(this, '${id}'`, `CTK103 ${id} @ new kms.Key(this, '${id}'`, `CTK201 ${id} @ new kms.Key(this, '${id}'`];

describe('CDK facts: a key followed through functions, props and parameters', () => {
  it('follows what a method, a function of the file, an imported function and a config object\'s function return', async () => {
    const keys = `import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
export const keyFor = (scope: Construct): kms.Key => new kms.Key(scope, 'FromSibling');
export const settings = { readers: (): string[] => ['kms:Decrypt'] };
`;
    const found = await findings({
      'lib/keys.ts': keys,
      'lib/s.ts': `${stack(`    const made = this.createKey();
    new cloudtrail.Trail(this, 'FromMethod', { encryptionKey: made });
    new cloudtrail.Trail(this, 'FromFunction', { encryptionKey: makeKey(this) });
    new cloudtrail.Trail(this, 'FromSibling', { encryptionKey: keyFor(this) });`, "import { keyFor, settings } from './keys';\nimport { Construct } from 'constructs';").replace(/\n}\n$/, `
  private createKey(): kms.Key {
    const policy = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: settings.readers(), principals: [new iam.AccountRootPrincipal()], resources: ['*'] })] });
    return new kms.Key(this, 'Made', { policy, enableKeyRotation: true });
  }
}

function makeKey(scope: Construct): kms.Key {
  const key = new kms.Key(scope, 'Made2', { enableKeyRotation: true });
  return key;
}
`)}`,
    });
    // Made's policy, read through the method and the imported function, lets the account decrypt (no CTK104) and not CloudTrail encrypt.
    assert.deepEqual(found, [
      "CTK101 Made @ new kms.Key(this, 'Made'",
      "CTK103 Made @ new kms.Key(this, 'Made'",
      "CTK101 Made2 @ new kms.Key(scope, 'Made2'",
      "CTK103 Made2 @ new kms.Key(scope, 'Made2'",
    ]);
    // The sibling's key is judged in its own file, with the trail its function's key is used by.
    assert.deepEqual(await findings({ 'lib/keys.ts': keys, 'lib/s.ts': stack("    new cloudtrail.Trail(this, 'T', { encryptionKey: keyFor(this) });", "import { keyFor } from './keys';") }, 'lib/keys.ts'), [
      "CTK101 FromSibling @ new kms.Key(scope, 'FromSibling'", "CTK103 FromSibling @ new kms.Key(scope, 'FromSibling'", "CTK201 FromSibling @ new kms.Key(scope, 'FromSibling'",
    ]);
  });

  it('says nothing of a function that returns in a branch, is async, or calls itself', async () => {
    const found = await findings({
      'lib/s.ts': stack(`    new cloudtrail.Trail(this, 'Single', { encryptionKey: this.single() });
    new cloudtrail.Trail(this, 'Branch', { encryptionKey: this.branch(true) });
    new cloudtrail.Trail(this, 'Async', { encryptionKey: this.later() as unknown as kms.Key });
    new cloudtrail.Trail(this, 'Loop', { encryptionKey: this.loop() });
    new cloudtrail.Trail(this, 'Ping', { encryptionKey: ping() });`).replace(/\n}\n$/, `
  private single(): kms.Key { return new kms.Key(this, 'SingleKey'); }
  private branch(first: boolean): kms.Key {
    if (first) return new kms.Key(this, 'First');
    return new kms.Key(this, 'Second');
  }
  private async later(): Promise<kms.Key> { return new kms.Key(this, 'Later'); }
  private loop(): kms.Key { return this.loop(); }
}
const ping = (): kms.Key => pong();
const pong = (): kms.Key => ping();
`),
    });
    // Only the method that returns one key is followed.
    assert.deepEqual(found, BARE_KEY_FINDINGS('SingleKey'));
  });

  it('follows props.kmsKey (and kmsKey destructured from props or in the parameter list) into a construct of another file, and the grants made on it', async () => {
    const audit = construct('Audit', `    new cloudtrail.Trail(this, 'AuditTrail', { encryptionKey: props.kmsKey });
    props.kmsKey.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'));`);
    const files = { 'lib/audit.ts': audit, 'lib/s.ts': stack(`    const handed = new kms.Key(this, 'Handed', { enableKeyRotation: true });
    new Audit(this, 'Audit', { kmsKey: handed });`, "import { Audit } from './audit';") };
    // The grant, written in audit.ts, is in Handed's policy: CloudTrail may encrypt (no CTK101), for any trail (CTK102), without DescribeKey (CTK103).
    assert.deepEqual(await findings(files), ["CTK102 Handed @ new kms.Key(this, 'Handed'", "CTK103 Handed @ new kms.Key(this, 'Handed'"]);
    assert.deepEqual(await findings(files, 'lib/audit.ts'), []);
    const destructured = construct('Audit', `    const { kmsKey } = props;
    new cloudtrail.Trail(this, 'AuditTrail', { encryptionKey: kmsKey });`);
    const bare = { 'lib/audit.ts': destructured, 'lib/s.ts': stack(`    const handed = new kms.Key(this, 'Handed');
    new Audit(this, 'Audit', { kmsKey: handed });`, "import { Audit } from './audit';") };
    assert.deepEqual(await findings(bare), BARE_KEY_FINDINGS('Handed'));
    const inParameter = construct('Audit', "    new cloudtrail.Trail(this, 'AuditTrail', { encryptionKey: kmsKey });").replace('props: AuditProps', '{ kmsKey }: AuditProps');
    assert.deepEqual(await findings({ ...bare, 'lib/audit.ts': inParameter }), BARE_KEY_FINDINGS('Handed'));
  });

  it('says nothing of props whose call sites disagree, and agrees where they do', async () => {
    const audit = construct('Audit', "    new cloudtrail.Trail(this, 'AuditTrail', { encryptionKey: props.kmsKey });");
    const twoKeys = stack(`    const one = new kms.Key(this, 'One');
    const two = new kms.Key(this, 'Two');
    new Audit(this, 'A', { kmsKey: one });
    new Audit(this, 'B', { kmsKey: two });`, "import { Audit } from './audit';");
    assert.deepEqual(await findings({ 'lib/audit.ts': audit, 'lib/s.ts': twoKeys }), []);
    assert.deepEqual(await findings({ 'lib/audit.ts': audit, 'lib/s.ts': twoKeys.replace('{ kmsKey: two }', '{ kmsKey: one, extra: two }') }), BARE_KEY_FINDINGS('One'));
    // A subclass passes its own props to the constructor: the call sites are not all seen.
    const extended = `${twoKeys.replace("new Audit(this, 'B', { kmsKey: two });", '')}\nexport class Wider extends Audit {}\n`;
    assert.deepEqual(await findings({ 'lib/audit.ts': audit, 'lib/s.ts': extended }), []);
  });

  it('follows a method parameter to the argument of its one call site, and a grant made through one', async () => {
    const found = await findings({
      'lib/s.ts': stack(`    const passed = new kms.Key(this, 'Passed');
    this.createTrail(this, passed);
    const allowed = new kms.Key(this, 'Allowed', { enableKeyRotation: true });
    this.allowCloudTrail(allowed);
    new cloudtrail.Trail(this, 'AllowedTrail', { encryptionKey: allowed });`).replace(/\n}\n$/, `
  private createTrail(scope: cdk.Stack, k: kms.IKey): cloudtrail.Trail {
    return new cloudtrail.Trail(scope, 'ParamTrail', { encryptionKey: k, enableFileValidation: false });
  }
  private allowCloudTrail(key: kms.Key): void {
${GOOD_KEY.split('\n').slice(1).join('\n')}
  }
}
`),
    });
    // Allowed gets GOOD_KEY's statement through the parameter, so it passes.
    assert.deepEqual(found, [...BARE_KEY_FINDINGS('Passed'), 'CTK202 ParamTrail @ enableFileValidation: false']);
  });

  it('says nothing of a parameter never passed, given different keys, passed on by a spread, or of a method used as a value', async () => {
    const found = await findings({
      'lib/s.ts': stack(`    const a = new kms.Key(this, 'A');
    const b = new kms.Key(this, 'B');
    this.never();
    this.twice(a);
    this.twice(b);
    const args: [kms.IKey] = [a];
    this.spread(...args);
    this.escaped(a);
    [b].forEach(this.escaped);
    const c = new kms.Key(this, 'C');
    this.once(c);`).replace(/\n}\n$/, `
  private once(k: kms.IKey): void { new cloudtrail.Trail(this, 'Once', { encryptionKey: k }); }
  private never(k?: kms.IKey): void { new cloudtrail.Trail(this, 'Never', { encryptionKey: k }); }
  private twice(k: kms.IKey): void { new cloudtrail.Trail(this, 'Twice', { encryptionKey: k }); }
  private spread(k: kms.IKey): void { new cloudtrail.Trail(this, 'Spread', { encryptionKey: k }); }
  private escaped(k: kms.IKey): void { new cloudtrail.Trail(this, 'Escaped', { encryptionKey: k }); }
}
`),
    });
    // Only C, passed once, reaches its trail: A and B are used by no trail known.
    assert.deepEqual(found, BARE_KEY_FINDINGS('C'));
  });

  it('ends at once, unknown, on methods and props that call each other (hostile input)', async () => {
    const chain = Array.from({ length: 60 }, (_, i) => `  private m${i}(k: kms.IKey): void { this.m${i + 1}(k); this.m${i + 1}(k); }`).join('\n');
    const found = await findings({
      'lib/s.ts': stack(`    const key = new kms.Key(this, 'Looped');
    this.relay(key);
    this.m0(key);
    new Ring(this, 'Ring', { kmsKey: key });
    const reached = new kms.Key(this, 'Reached');
    this.n0(reached);`).replace(/\n}\n$/, `
  private n0(k: kms.IKey): void { this.n1(k); this.n1(k); }
  private n1(k: kms.IKey): void { new cloudtrail.Trail(this, 'Near', { encryptionKey: k }); }
  private relay(k: kms.IKey): void {
    new cloudtrail.Trail(this, 'Relayed', { encryptionKey: k });
    this.relay(k);
  }
${chain}
  private m60(k: kms.IKey): void { new cloudtrail.Trail(this, 'Deep', { encryptionKey: k }); }
}

class Ring extends Construct {
  constructor(scope: Construct, id: string, props: { kmsKey: kms.IKey }) {
    super(scope, id);
    new Round(this, 'Round', { kmsKey: props.kmsKey });
    new cloudtrail.Trail(this, 'RingTrail', { encryptionKey: props.kmsKey });
  }
}
class Round extends Construct {
  constructor(scope: Construct, id: string, props: { kmsKey: kms.IKey }) {
    super(scope, id);
    new Ring(this, 'Ring', { kmsKey: props.kmsKey });
  }
}
`).replace("import * as iam from 'aws-cdk-lib/aws-iam';", "import * as iam from 'aws-cdk-lib/aws-iam';\nimport { Construct } from 'constructs';"),
    });
    // Each trail's key but Near's depends on itself (a call that never ends at run time) or lies deeper than calls are followed.
    assert.deepEqual(found, BARE_KEY_FINDINGS('Reached'));
  });
});
