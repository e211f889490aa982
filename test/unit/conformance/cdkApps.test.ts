/**
 * Proof against the real CDK: each fixture app under test/fixtures/cdk/ is synthesised with
 * aws-cdk-lib (no AWS access), and for every trail and key our verdict on the TypeScript equals
 * our verdict on the synthesised template, and both equal the app's EXPECTED.tsv; cdk-nag's
 * CloudTrailEncryptionEnabled, run on the same app, says what EXPECTED.tsv records beside them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureAppDir, synthesize } from '../../support/cdkSynth';
import { verdictsOnTemplates, verdictsOnTypeScript } from '../../support/cdkConformance';

const APPS = fs.readdirSync(path.dirname(fixtureAppDir('x'))).filter((name) => fs.existsSync(path.join(fixtureAppDir(name), 'EXPECTED.tsv'))).sort();

function expected(app: string): { rules: string[]; suppressed: string[]; nag: string[] } {
  const rows = fs.readFileSync(path.join(fixtureAppDir(app), 'EXPECTED.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
  const findings = rows.filter((r) => r[0] !== 'nag');
  return {
    rules: findings.map((r) => `${r[0]} ${r[1]}`).sort(),
    suppressed: findings.filter((r) => r[2]).map((r) => `${r[0]} ${r[1]} ${r[2]}`).sort(),
    nag: rows.filter((r) => r[0] === 'nag').map((r) => `${r[1]} ${r[2]}`).sort(),
  };
}

describe('CDK apps: our verdict on the TypeScript equals our verdict on what aws-cdk-lib synthesises', function () {
  this.timeout(180000);

  it('has fixture apps', () => assert.ok(APPS.length >= 5, APPS.join(', ')));

  for (const app of APPS) {
    it(app, async () => {
      const want = expected(app);
      const synthesis = synthesize(fixtureAppDir(app), app);
      assert.ok(synthesis.templates.length > 0, 'no template synthesised');
      const onTypeScript = await verdictsOnTypeScript(fixtureAppDir(app));
      const onTemplates = await verdictsOnTemplates(synthesis.templates);
      assert.deepEqual(onTypeScript.map((v) => v.line), onTemplates.map((v) => v.line), 'TypeScript and synthesised template differ');
      assert.deepEqual(onTypeScript.map((v) => v.line), want.rules);
      assert.deepEqual(onTypeScript.filter((v) => v.suppressedBy).map((v) => `${v.line} ${v.suppressedBy}`).sort(), want.suppressed);
      const nag = synthesis.nag.map((v) => `${v.path.split('/').filter((s) => s !== 'Resource').pop()} ${v.compliance}`).sort();
      assert.deepEqual(nag, want.nag);
    });
  }
});
