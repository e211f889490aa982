/**
 * Gating CI on what is deployed: the built CLI scans a folder of saved AWS CLI output (the
 * test/fixtures/deployed files the commands of docs/inputs/deployed.md produce), reports trails
 * and keys by their ARNs, in JSON and in SARIF that validates against the 2.1.0 schema.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { repoRoot } from '../../support/engine';

const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const FIXTURES = path.join(repoRoot(), 'test', 'fixtures', 'deployed');
const TRAIL = (name: string): string => `arn:aws:cloudtrail:us-east-1:111122223333:trail/${name}`;
const KEY_2222 = 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-2222-4a5b-8c9d-0123456789ab';
const BARE_POLICY = '0a1b2c3d-2222-4a5b-8c9d-0123456789ab.key-policy.json';

interface JsonFinding { ruleId: string; file: string; line: number; resource: string; severity: string }

describe('cloudtrail-kms-lint scan of saved AWS CLI output', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-awscli-'));
    fs.mkdirSync(path.join(dir, 'deployed'));
    // The AWS CLI files only: the state files beside them are another input's.
    for (const name of fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.json') && !n.startsWith('state'))) {
      fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, 'deployed', name));
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('JSON: every finding by ARN (files relative to the path scanned), and exit 1 on the errors', () => {
    const result = run(['scan', 'deployed', '--format', 'json', '--fail-on', 'error'], dir);
    assert.equal(result.status, 1, result.stderr);
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    // The event data stores too: eds-with-key.json's key (the trail key 1111) lacks the store's grant, eds-no-key.json has no key.
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line} ${f.resource}`), [
      `CTK303 error 0a1b2c3d-1111-4a5b-8c9d-0123456789ab.key-policy.json:2 arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4a5b-8c9d-0123456789ab`,
      `CTK101 error ${BARE_POLICY}:4 ${KEY_2222}`,
      `CTK103 warning ${BARE_POLICY}:4 ${KEY_2222}`,
      `CTK301 warning eds-no-key.json:2 arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-1111-4e8f-8bd1-bcf6cEXAMPLE`,
      `CTK001 warning trails-us-east-1.json:3 ${TRAIL('unencrypted')}`,
      `CTK001 warning trails-us-east-1.json:23 ${TRAIL('empty-key')}`,
      `CTK202 information trails-us-east-1.json:50 ${TRAIL('default-policy')}`,
      `CTK003 error trails-us-east-1.json:64 ${TRAIL('aws-managed-key')}`,
    ]);
  });

  it('SARIF: valid 2.1.0, the key-policy result related to the trail that uses the key', () => {
    const result = run(['scan', 'deployed', '--format', 'sarif', '--fail-on', 'none', '--sarif-root', dir], dir);
    assert.equal(result.status, 0, result.stderr);
    const sarif = JSON.parse(result.stdout) as { runs: { results: any[] }[] };
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const results = sarif.runs[0].results;
    assert.equal(results.length, 8);
    const ctk101 = results.find((r) => r.ruleId === 'CTK101');
    assert.equal(ctk101.locations[0].physicalLocation.artifactLocation.uri, `deployed/${BARE_POLICY}`);
    assert.equal(ctk101.locations[0].logicalLocations[0].fullyQualifiedName, KEY_2222);
    assert.deepEqual(ctk101.relatedLocations.map((r: any) => `${r.physicalLocation.artifactLocation.uri}:${r.physicalLocation.region.startLine} ${r.message.text}`), [
      `deployed/trails-us-east-1.json:51 ${TRAIL('default-policy')} encrypts its logs with ${KEY_2222}`,
    ]);
    const ctk003 = results.find((r) => r.ruleId === 'CTK003');
    assert.equal(ctk003.relatedLocations[0].physicalLocation.artifactLocation.uri, 'deployed/0a1b2c3d-3333-4a5b-8c9d-0123456789ab.describe-key.json');
  });

  it('a JSON-form policy finding is placed inside the Policy string, at the statement', () => {
    const policy = JSON.parse(fs.readFileSync(path.join(FIXTURES, '0a1b2c3d-1111-4a5b-8c9d-0123456789ab.key-policy.json'), 'utf8'));
    // The same key policy without its DescribeKey statement, saved beside a trail that uses the key.
    const document = JSON.parse(policy.Policy);
    document.Statement = document.Statement.filter((s: { Sid: string }) => s.Sid !== 'Allow CloudTrail to describe key');
    const text = `${JSON.stringify({ Policy: JSON.stringify(document, null, 2), PolicyName: 'default' }, null, 4)}\n`;
    const folder = path.join(dir, 'json-form');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, '0a1b2c3d-1111-4a5b-8c9d-0123456789ab.key-policy.json'), text);
    fs.copyFileSync(path.join(FIXTURES, 'trails-us-east-1.json'), path.join(folder, 'trails-us-east-1.json'));
    const result = run(['scan', 'json-form', '--format', 'json', '--fail-on', 'none', '--rule', 'CTK001=off', '--rule', 'CTK202=off'], dir);
    const findings = (JSON.parse(result.stdout) as { findings: (JsonFinding & { column: number; endColumn: number })[] }).findings;
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`), ['CTK103 0a1b2c3d-1111-4a5b-8c9d-0123456789ab.key-policy.json:2']);
    const line = text.split('\n')[1];
    assert.equal(line.slice(findings[0].column - 1, findings[0].endColumn - 1), '\\"Statement\\"');
  });
});
