/**
 * Proof against the real CDK: each fixture app under test/fixtures/cdk/ is synthesised with
 * aws-cdk-lib (no AWS access), and for every trail and key our verdict on the TypeScript equals
 * our verdict on the synthesised template, and both equal the app's EXPECTED.tsv; so does each
 * trail's overview (its key chain and every requirement's mark). cdk-nag's
 * CloudTrailEncryptionEnabled, run on the same app, says what EXPECTED.tsv records beside them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureAppDir, synthesize } from '../../support/cdkSynth';
import { overviewsOnTemplates, overviewsOnTypeScript, verdictsOnTemplates, verdictsOnTypeScript } from '../../support/cdkConformance';

const APPS = fs.readdirSync(path.dirname(fixtureAppDir('x'))).filter((name) => fs.existsSync(path.join(fixtureAppDir(name), 'EXPECTED.tsv'))).sort();

/**
 * Overview lines of the synthesised template that differ from the TypeScript's, with why: the
 * findings still agree (they are compared above these), the template's overview shows less.
 */
const TEMPLATE_OVERVIEW_GAPS: Record<string, { trail: string; template: RegExp; why: string }[]> = {
  grants: [{
    trail: 'AliasTrail',
    template: /^AliasTrail \[\] encrypt:unknown /,
    why: 'CDK writes an alias\'s ARN as an Fn::Join of the alias name; the CloudFormation overview does not follow it to the alias (its findings do)',
  }],
};

interface Expected {
  rules: string[];
  suppressed: string[];
  nag: string[];
  names: Map<string, string>;
  /** Findings of the synthesised template that the TypeScript cannot know (`gap <rule> <construct> <why>`). */
  templateOnly: string[];
  /** Trails whose key the TypeScript cannot follow (`gap overview <trail> <why>`): there it shows every requirement unknown. */
  unknownOnTypeScript: string[];
}

function expected(app: string): Expected {
  const rows = fs.readFileSync(path.join(fixtureAppDir(app), 'EXPECTED.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
  const findings = rows.filter((r) => r[0] !== 'nag' && r[0] !== 'as' && r[0] !== 'gap');
  const gaps = rows.filter((r) => r[0] === 'gap');
  return {
    templateOnly: gaps.filter((r) => r[1] !== 'overview').map((r) => `${r[1]} ${r[2]}`).sort(),
    unknownOnTypeScript: gaps.filter((r) => r[1] === 'overview').map((r) => r[2]),
    rules: findings.map((r) => `${r[0]} ${r[1]}`).sort(),
    suppressed: findings.filter((r) => r[2]).map((r) => `${r[0]} ${r[1]} ${r[2]}`).sort(),
    nag: rows.filter((r) => r[0] === 'nag').map((r) => `${r[1]} ${r[2]}`).sort(),
    // `as <name on the TypeScript> <construct id>`: a construct whose id the TypeScript cannot know.
    names: new Map(rows.filter((r) => r[0] === 'as').map((r) => [r[1], r[2]])),
  };
}

/** Renames, in a verdict or overview line, the constructs the TypeScript names otherwise. */
function renamed(line: string, names: Map<string, string>): string {
  return line.replace(/[\w.-]+/g, (word) => names.get(word) ?? word);
}

describe('CDK apps: our verdict on the TypeScript equals our verdict on what aws-cdk-lib synthesises', function () {
  this.timeout(180000);

  it('has fixture apps', () => assert.ok(APPS.length >= 12, APPS.join(', ')));

  for (const app of APPS) {
    it(app, async () => {
      const want = expected(app);
      const synthesis = synthesize(fixtureAppDir(app), app);
      assert.ok(synthesis.templates.length > 0, 'no template synthesised');
      const onTypeScript = (await verdictsOnTypeScript(fixtureAppDir(app))).map((v) => ({ ...v, line: renamed(v.line, want.names) }));
      const onTemplates = await verdictsOnTemplates(synthesis.templates);
      // Where the TypeScript cannot know, it says nothing; the template's findings there are listed as gaps.
      assert.deepEqual([...onTypeScript.map((v) => v.line), ...want.templateOnly].sort(), onTemplates.map((v) => v.line), 'TypeScript and synthesised template differ');
      assert.deepEqual(onTypeScript.map((v) => v.line).sort(), want.rules);
      assert.deepEqual(onTypeScript.filter((v) => v.suppressedBy).map((v) => `${v.line} ${v.suppressedBy}`).sort(), want.suppressed);
      const nag = synthesis.nag.map((v) => `${v.path.split('/').filter((s) => s !== 'Resource').pop()} ${v.compliance}`).sort();
      assert.deepEqual(nag, want.nag);

      const gaps = TEMPLATE_OVERVIEW_GAPS[app] ?? [];
      const overviewTs = (await overviewsOnTypeScript(fixtureAppDir(app))).map((l) => renamed(l, want.names)).sort();
      const overviewTemplate = await overviewsOnTemplates(synthesis.templates);
      assert.ok(overviewTs.length > 0, 'no trail seen in the TypeScript');
      const hidden = [...gaps.map((g) => g.trail), ...want.unknownOnTypeScript];
      const shown = (lines: string[]): string[] => lines.filter((l) => !hidden.some((trail) => l.startsWith(`${trail} `)));
      for (const trail of want.unknownOnTypeScript) {
        assert.ok(overviewTs.some((l) => l.startsWith(`${trail} [] encrypt:unknown scoped:unknown describe:unknown readers:unknown decrypt-open:unknown rotation:unknown `)), `${trail} is not left unknown on the TypeScript: ${overviewTs.join('; ')}`);
      }
      assert.deepEqual(shown(overviewTs), shown(overviewTemplate), 'trail overviews differ');
      for (const gap of gaps) assert.ok(overviewTemplate.some((l) => gap.template.test(l)), `the known gap is gone (${gap.why}): ${overviewTemplate.join('; ')}`);
    });
  }
});
