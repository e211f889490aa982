/**
 * The options a CI pipeline uses: the project configuration file and `--config`, `--rule`,
 * `--output-file`; baselines; SARIF as GitHub code scanning takes it (its documented upload
 * limits and the properties it ranks and matches alerts by); clear outcomes for mistakes.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { RULES } from '../../../server/src/engine';
import { repoRoot } from '../../support/engine';

const bin = (): string => path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
const run = (args: string[], cwd?: string) => spawnSync(process.execPath, [bin(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const TRAIL = (name: string) => `resource "aws_cloudtrail" "${name}" {\n  name = "${name}"\n}\n`;
type JsonFinding = { ruleId: string; severity: string; file: string; line: number; column: number; endLine: number; endColumn: number; resource: string };
const findingsOf = (stdout: string): JsonFinding[] => JSON.parse(stdout).findings;

describe('CI options', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-ci-'));
    fs.mkdirSync(path.join(dir, 'infra', 'prod'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'infra', 'prod', 'main.tf'), TRAIL('main'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('configuration', () => {
    it('finds .cloudtrail-kms-lint.json by walking up from the scanned path, and --rule wins over it', () => {
      fs.mkdirSync(path.join(dir, '.git'));
      const plain = findingsOf(run(['scan', path.join(dir, 'infra', 'prod'), '--format', 'json']).stdout);
      assert.deepEqual(plain.map((f) => `${f.ruleId} ${f.severity}`), ['CTK001 warning', 'CTK202 information']);
      fs.writeFileSync(path.join(dir, 'infra', '.cloudtrail-kms-lint.json'), JSON.stringify({ rules: { CTK001: 'error', CTK202: 'off' } }));
      const configured = run(['scan', path.join(dir, 'infra', 'prod'), '--format', 'json', '--fail-on', 'error']);
      assert.equal(configured.status, 1);
      assert.deepEqual(findingsOf(configured.stdout).map((f) => `${f.ruleId} ${f.severity}`), ['CTK001 error']);
      const overridden = run(['scan', path.join(dir, 'infra', 'prod'), '--format', 'json', '--fail-on', 'error', '--rule', 'CTK001=warning', '--rule', 'ctk202:hint']);
      assert.equal(overridden.status, 0);
      assert.deepEqual(findingsOf(overridden.stdout).map((f) => `${f.ruleId} ${f.severity}`), ['CTK001 warning', 'CTK202 hint']);
    });

    it('stops looking at the repository root', () => {
      fs.writeFileSync(path.join(dir, '.cloudtrail-kms-lint.json'), JSON.stringify({ rules: { CTK001: 'off' } }));
      fs.mkdirSync(path.join(dir, 'infra', '.git'));
      const result = run(['scan', path.join(dir, 'infra', 'prod'), '--format', 'json']);
      assert.ok(findingsOf(result.stdout).some((f) => f.ruleId === 'CTK001'), 'the file above the repository is not read');
    });

    it('outside a repository reads only the scanned folder\'s file, never one above it', () => {
      fs.writeFileSync(path.join(dir, 'infra', '.cloudtrail-kms-lint.json'), JSON.stringify({ rules: { CTK001: 'off' } }));
      const below = run(['scan', path.join(dir, 'infra', 'prod'), '--format', 'json']);
      assert.ok(findingsOf(below.stdout).some((f) => f.ruleId === 'CTK001'), 'the file above the scanned folder is not read');
      const at = run(['scan', path.join(dir, 'infra'), '--format', 'json']);
      assert.ok(!findingsOf(at.stdout).some((f) => f.ruleId === 'CTK001'), 'the scanned folder\'s own file applies');
    });

    it('--config FILE replaces the search; excludes and maxFileSize apply', () => {
      fs.writeFileSync(path.join(dir, 'infra', 'legacy.tf'), TRAIL('legacy'));
      fs.writeFileSync(path.join(dir, 'big.tf'), `${TRAIL('big')}${' '.repeat(4000)}`);
      const config = path.join(dir, 'ci.json');
      fs.writeFileSync(config, JSON.stringify({ $schema: './schemas/x.json', exclude: ['infra/legacy.tf'], maxFileSize: 2000 }));
      // The file the search would find turns CTK001 off: with --config it is not read at all.
      fs.writeFileSync(path.join(dir, '.cloudtrail-kms-lint.json'), JSON.stringify({ rules: { CTK001: 'off' } }));
      const result = run(['scan', dir, '--format', 'json', '--config', config]);
      assert.deepEqual([...new Set(findingsOf(result.stdout).map((f) => f.file))], ['infra/prod/main.tf']);
      assert.ok(findingsOf(result.stdout).some((f) => f.ruleId === 'CTK001'), 'the searched-for file was merged in');
      assert.match(result.stderr, /skipped .*big\.tf/);
    });

    it('a broken configuration stops the scan with exit 2, naming the file and the key', () => {
      fs.writeFileSync(path.join(dir, '.cloudtrail-kms-lint.json'), JSON.stringify({ rules: { CTK999: 'error' } }));
      const unknownRule = run(['scan', dir]);
      assert.equal(unknownRule.status, 2);
      assert.match(unknownRule.stderr, /\.cloudtrail-kms-lint\.json: "rules": unknown rule CTK999/);
      fs.writeFileSync(path.join(dir, '.cloudtrail-kms-lint.json'), '{"rule": {}}');
      assert.match(run(['scan', dir]).stderr, /unknown key "rule"/);
      fs.writeFileSync(path.join(dir, '.cloudtrail-kms-lint.json'), '{"rules": {"CTK001": "loud"}}');
      assert.match(run(['scan', dir]).stderr, /"rules"\."CTK001": must be error, warning, information, hint or off/);
      fs.writeFileSync(path.join(dir, '.cloudtrail-kms-lint.json'), '{');
      assert.match(run(['scan', dir]).stderr, /not valid JSON/);
      assert.equal(run(['scan', dir, '--config', path.join(dir, 'none.json')]).status, 2);
    });

    it('ships a schema that VS Code validates the file with, naming every rule', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
      const [contribution] = manifest.contributes.jsonValidation;
      assert.equal(contribution.fileMatch, '.cloudtrail-kms-lint.json');
      const schema = JSON.parse(fs.readFileSync(path.join(repoRoot(), contribution.url), 'utf8'));
      assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((r) => r.meta.id).sort());
      const validate = new Ajv({ strict: false }).compile(schema);
      assert.ok(validate({ rules: { CTK001: 'error', ctk201: 'off' }, exclude: ['a/**'], maxFileSize: 10 }), JSON.stringify(validate.errors));
      assert.ok(!validate({ rules: { CTK001: 'loud' } }));
      assert.ok(!validate({ rulez: {} }));
    });

    it('--output-file writes the report there and nothing to stdout', () => {
      const out = path.join(dir, 'report.sarif');
      const result = run(['scan', dir, '--format', 'sarif', '--output-file', out]);
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, '2.1.0');
    });
  });

  describe('baseline', () => {
    it('accepts the findings it holds, matched by content not line, and fails on new ones', () => {
      const baseline = path.join(dir, 'baseline.json');
      const written = run(['scan', dir, '--write-baseline', baseline]);
      assert.equal(written.status, 0, written.stderr);
      assert.match(written.stderr, /wrote 2 findings to the baseline/);
      const entries = JSON.parse(fs.readFileSync(baseline, 'utf8')).findings;
      assert.deepEqual(entries.map((e: { ruleId: string; resource: string }) => `${e.ruleId} ${e.resource}`).sort(), ['CTK001 aws_cloudtrail.main', 'CTK202 aws_cloudtrail.main']);

      const clean = run(['scan', dir, '--baseline', baseline]);
      assert.equal(clean.status, 0, clean.stdout);
      assert.match(clean.stdout, /0 problems[\s\S]*2 more in the baseline, not shown/);

      // Unrelated edits move the trail down: it stays accepted.
      const main = path.join(dir, 'infra', 'prod', 'main.tf');
      fs.writeFileSync(main, `variable "region" {\n  default = "eu-west-1"\n}\n\n${fs.readFileSync(main, 'utf8')}`);
      const moved = run(['scan', dir, '--baseline', baseline, '--format', 'json']);
      assert.equal(moved.status, 0, moved.stdout);
      assert.equal(JSON.parse(moved.stdout).stats.baselined, 2);

      // A new trail is reported and fails the gate, alone.
      fs.appendFileSync(main, `\n${TRAIL('added')}`);
      const added = run(['scan', dir, '--baseline', baseline, '--format', 'json']);
      assert.equal(added.status, 1);
      assert.deepEqual([...new Set(findingsOf(added.stdout).map((f) => f.resource))], ['aws_cloudtrail.added']);
    });

    it('a file that is not a baseline is an error (exit 2), not an empty baseline', () => {
      fs.writeFileSync(path.join(dir, 'nope.json'), '{"findings": 3}');
      const result = run(['scan', dir, '--baseline', path.join(dir, 'nope.json')]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /is not a baseline written by --write-baseline/);
      assert.equal(run(['scan', dir, '--baseline', path.join(dir, 'missing.json')]).status, 2);
    });
  });

  describe('SARIF for GitHub code scanning', () => {
    const sarifOf = (args: string[], cwd?: string): any => {
      const result = run(['scan', ...args, '--format', 'sarif', '--fail-on', 'none'], cwd);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout);
    };

    it('is valid SARIF 2.1.0 within GitHub\'s upload limits, with the properties it ranks alerts by', () => {
      fs.writeFileSync(path.join(dir, 'template.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n');
      const sarif = sarifOf([dir]);
      const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
      const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
      assert.ok(validate(structuredClone(sarif)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
      // "SARIF results exceed limit" (docs.github.com): runs per file 20, results and rules per run 25,000,
      // locations per result 1,000, tags per rule 20 (10 shown).
      assert.ok(sarif.runs.length <= 20);
      const [run0] = sarif.runs;
      assert.ok(run0.results.length > 0 && run0.results.length <= 25000);
      assert.ok(run0.tool.driver.rules.length <= 25000);
      for (const rule of run0.tool.driver.rules) {
        assert.ok(rule.properties.tags.length <= 10 && rule.properties.tags.includes('security'), rule.id);
        const severity = Number(rule.properties['security-severity']);
        assert.ok(typeof rule.properties['security-severity'] === 'string' && severity > 0 && severity <= 10, rule.id);
        assert.ok(['very-high', 'high', 'medium', 'low'].includes(rule.properties.precision), rule.id);
        assert.ok(['error', 'warning', 'recommendation'].includes(rule.properties['problem.severity']), rule.id);
        assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.markdown.startsWith('# '), rule.id);
        assert.match(rule.helpUri, /^https:\/\//);
      }
      const prints = new Set<string>();
      for (const result of run0.results) {
        assert.equal(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
        assert.ok(result.locations.length + result.relatedLocations.length <= 1000);
        const print = result.partialFingerprints['cloudtrailKmsLint/v1'];
        assert.match(print, /^[0-9a-f]{32}(:\d+)?$/);
        assert.ok(!prints.has(print), 'fingerprints tell results apart');
        prints.add(print);
        for (const location of [...result.locations, ...result.relatedLocations]) {
          const artifact = location.physicalLocation.artifactLocation;
          assert.equal(artifact.uriBaseId, '%SRCROOT%');
          assert.ok(!artifact.uri.startsWith('/') && !artifact.uri.startsWith('..') && !artifact.uri.includes(':'), artifact.uri);
        }
      }
      assert.match(run0.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/\/.*\/$/);
      assert.equal(run0.invocations[0].executionSuccessful, true);
      assert.equal(run0.columnKind, 'utf16CodeUnits');
    });

    it('fingerprints survive lines added above and change with the offending text', () => {
      const main = path.join(dir, 'infra', 'prod', 'main.tf');
      fs.writeFileSync(main, 'resource "aws_cloudtrail" "main" {\n  name       = "main"\n  kms_key_id = ""\n}\n');
      const prints = () => sarifOf([dir]).runs[0].results.map((r: { ruleId: string; partialFingerprints: Record<string, string> }) => `${r.ruleId} ${r.partialFingerprints['cloudtrailKmsLint/v1']}`);
      const before = prints();
      fs.writeFileSync(main, `locals {\n  x = 1\n}\n${fs.readFileSync(main, 'utf8')}`);
      assert.deepEqual(prints(), before);
      fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('resource "aws_cloudtrail" "main"', 'resource "aws_cloudtrail"   "main"'));
      assert.deepEqual(prints(), before, 'whitespace is normalised');
      fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('kms_key_id = ""', 'kms_key_id = null'));
      const after = prints();
      assert.notEqual(after.find((p: string) => p.startsWith('CTK001')), before.find((p: string) => p.startsWith('CTK001')), 'the offending text changed');
      assert.equal(after.find((p: string) => p.startsWith('CTK202')), before.find((p: string) => p.startsWith('CTK202')), 'the other finding is untouched');
    });

    it('places files relative to the repository root, or --sarif-root, with exact columns', () => {
      fs.mkdirSync(path.join(dir, '.git'));
      const main = path.join(dir, 'infra', 'prod', 'main.tf');
      // Non-ASCII text before the finding on its line: columns count UTF-16 code units, not bytes.
      fs.writeFileSync(main, `/* ünïcødé 🔐 */ resource "aws_cloudtrail" "main" { name = "main" }\n`);
      const sarif = sarifOf([path.join(dir, 'infra', 'prod')]);
      const json = findingsOf(run(['scan', path.join(dir, 'infra', 'prod'), '--format', 'json', '--fail-on', 'none']).stdout);
      const first = sarif.runs[0].results[0].locations[0].physicalLocation;
      assert.equal(first.artifactLocation.uri, 'infra/prod/main.tf');
      assert.deepEqual(first.region, { startLine: json[0].line, startColumn: json[0].column, endLine: json[0].endLine, endColumn: json[0].endColumn });
      const line = fs.readFileSync(main, 'utf8').split('\n')[first.region.startLine - 1];
      assert.equal(first.region.startLine, 1);
      assert.equal(first.region.startColumn, line.indexOf('resource') + 1, 'the column of "resource" in UTF-16 code units');
      assert.notEqual(first.region.startColumn, Buffer.byteLength(line.slice(0, line.indexOf('resource'))) + 1, 'not in bytes');
      const rooted = sarifOf([path.join(dir, 'infra', 'prod'), '--sarif-root', path.join(dir, 'infra')]);
      assert.equal(rooted.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'prod/main.tf');
      const documented = sarifOf([dir, '--docs-url', 'https://example.com/ctk/docs/rules/']);
      assert.equal(documented.runs[0].tool.driver.rules[0].helpUri, 'https://example.com/ctk/docs/rules/CTK001.md');
    });
  });

  describe('mistakes', () => {
    it('a usage error prints one line and the pointer to --help, not the whole usage', () => {
      const result = run(['scan', dir, '--colour']);
      assert.equal(result.status, 2);
      assert.deepEqual(result.stderr.trim().split('\n'), ['cloudtrail-kms-lint: unknown option --colour', "Run 'cloudtrail-kms-lint --help' for the options."]);
      assert.match(run(['scan', dir, '--rule', 'CTK001']).stderr, /--rule takes ID=SEVERITY/);
      assert.match(run(['scan', dir, '--rule', 'CTK777=error']).stderr, /unknown rule CTK777/);
      assert.match(run(['scan', dir, '--format']).stderr, /--format needs a value/);
      assert.equal(run(['scan', '--help']).status, 0);
      assert.match(run(['--help']).stdout, /--write-baseline FILE/);
    });

    it('a path that does not exist, or a scan with nothing to check, exits 2 and says why', () => {
      const missing = run(['scan', path.join(dir, 'infr')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /infr does not exist/);
      const empty = path.join(dir, 'docs');
      fs.mkdirSync(empty);
      fs.writeFileSync(path.join(empty, 'README.md'), '# nothing here\n');
      const nothing = run(['scan', empty]);
      assert.equal(nothing.status, 2);
      assert.match(nothing.stderr, /nothing was checked: no Terraform, CloudFormation, plan or key-policy file below .*docs.*--allow-empty/);
      assert.match(nothing.stdout, /0 problems/, 'the report is still written');
      fs.writeFileSync(path.join(empty, 'a.tf'), Buffer.from([0x72, 0x00, 0x01]));
      const unreadable = run(['scan', empty]);
      assert.equal(unreadable.status, 2, 'a file found but skipped is not a check');
      assert.match(unreadable.stderr, /could be read/);
      assert.equal(run(['scan', empty, '--allow-empty']).status, 0);
      // A report-only run says so and passes; a path that does not exist still fails it.
      const reportOnly = run(['scan', empty, '--format', 'json', '--fail-on', 'none']);
      assert.equal(reportOnly.status, 0);
      assert.match(reportOnly.stderr, /nothing was checked: .*a report-only run, --fail-on none, passes/);
      assert.equal(JSON.parse(reportOnly.stdout).stats.files, 1);
      assert.equal(run(['scan', path.join(dir, 'infr'), '--fail-on', 'none']).status, 2);
    });
  });
});
