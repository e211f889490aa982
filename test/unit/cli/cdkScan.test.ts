/**
 * The CLI covers CDK apps: the built bundle (with the TypeScript grammar beside it in dist/)
 * finds the findings of a fixture app's .ts files, and a TypeScript project that is no CDK app
 * gets none, without its .ts files ever being opened.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanCli } from '../../support/scanCli';
import { fixtureAppDir } from '../../support/cdkSynth';

describe('CLI on CDK apps', function () {
  this.timeout(120000);

  it('reports the findings of a CDK app\'s TypeScript', () => {
    const run = scanCli([fixtureAppDir('basic')]);
    assert.equal(run.status, 0, run.stderr);
    const found = run.report!.findings.map((f) => `${f.ruleId} ${f.resource} ${path.basename(f.file)}`).sort();
    assert.deepEqual(found, ['CTK001 PlainTrail audit-stack.ts', 'CTK101 BareKey audit-stack.ts', 'CTK103 BareKey audit-stack.ts', 'CTK201 BareKey audit-stack.ts', 'CTK202 GoodTrail audit-stack.ts']);
  });

  it('never opens the .ts files of a TypeScript project that is no CDK app', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-ts-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"dependencies":{"express":"4"}}');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.copyFileSync(path.join(fixtureAppDir('basic'), 'lib', 'audit-stack.ts'), path.join(dir, 'src', 'audit-stack.ts'));
    const run = scanCli([dir]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.report!.findings, []);
    assert.deepEqual(run.reads.filter((r) => r.endsWith('audit-stack.ts') && /^(open|read)/.test(r)), []);
  });
});
