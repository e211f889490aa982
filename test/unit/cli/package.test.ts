/**
 * The package as a team installs it: `npm pack` (whose prepack builds the bundles) holds the
 * CLI, the WASM files, the rule docs and the schema and nothing else; installed from the
 * tarball into an empty project, offline and with no dev dependencies, `npx cloudtrail-kms-lint
 * scan` works there; a broken install exits 2 and says what is missing.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/engine';

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });

describe('the npm package', function () {
  this.timeout(240000);
  let dir: string;
  let tarball: string;
  let project: string;
  const npx = (args: string[]) => spawnSync('npx', ['--no-install', 'cloudtrail-kms-lint', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-pack-'));
    const packed = npm(['pack', '--json', '--pack-destination', dir], repoRoot());
    assert.equal(packed.status, 0, packed.stderr);
    // The prepack build prints a line before npm's JSON.
    const json = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
    tarball = path.join(dir, json[0].filename);
    project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{"name": "adopter", "version": "1.0.0", "private": true}\n');
    const installed = npm(['install', '--offline', '--no-audit', '--no-fund', '--omit=dev', tarball], project);
    assert.equal(installed.status, 0, installed.stderr);
    fs.cpSync(path.join(repoRoot(), 'examples'), path.join(project, 'infra'), { recursive: true });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the built CLI, the WASM files, the rule docs and the schema, and nothing else', () => {
    const listed = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
    const docs = fs.readdirSync(path.join(repoRoot(), 'docs', 'rules')).map((f) => `docs/rules/${f}`);
    assert.deepEqual(listed, [
      'LICENSE', 'README.md', 'bin/cloudtrail-kms-lint.js',
      'dist/cli.js', 'dist/scanWorker.js', 'dist/server.js', 'dist/tree-sitter-terraform.wasm', 'dist/web-tree-sitter.wasm',
      ...docs, 'package.json', 'schemas/cloudtrail-kms-lint.schema.json',
    ].sort());
    assert.ok(fs.statSync(tarball).size < 1_500_000, `${fs.statSync(tarball).size} bytes`);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'cloudtrail-kms-lint', 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.dependencies, undefined, 'everything the CLI runs is bundled: nothing else is installed');
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/cloudtrail-kms-lint\/cloudtrail-kms-lint/);
    assert.ok(manifest.homepage && manifest.bugs.url);
    assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')), ['cloudtrail-kms-lint']);
  });

  it('runs `npx cloudtrail-kms-lint scan` in the empty project: exit codes and the JSON contract', () => {
    const found = npx(['scan', 'infra', '--format', 'json']);
    assert.equal(found.status, 1, found.stderr);
    const report = JSON.parse(found.stdout);
    assert.equal(report.version, 1);
    assert.ok(report.findings.some((f: { ruleId: string; file: string }) => f.ruleId === 'CTK001' && f.file === 'terraform/trail-no-key.tf'));
    assert.equal(npx(['scan', 'infra', '--fail-on', 'none']).status, 0);
    assert.equal(npx(['scan', 'infra/terraform/trail-good.tf', 'infra/terraform/bucket.tf', '--fail-on', 'warning']).status, 0);
    const version = npx(['--version']);
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')).version);
  });

  it('links SARIF rules to the public docs of the installed version, never to a local path', () => {
    const sarif = JSON.parse(npx(['scan', 'infra', '--format', 'sarif', '--fail-on', 'none']).stdout);
    for (const rule of sarif.runs[0].tool.driver.rules) {
      assert.match(rule.helpUri, /^https:\/\/github\.com\/cloudtrail-kms-lint\/cloudtrail-kms-lint\/blob\/main\/docs\/rules\/CTK\d{3}\.md$/);
      assert.ok(rule.help.markdown.startsWith('# '), 'the installed rule doc is the help');
    }
    assert.doesNotMatch(JSON.stringify(sarif.runs[0].tool), /file:\/\//);
  });

  it('a broken install exits 2 (not 1, the findings code) and says what is missing', () => {
    const bundle = path.join(project, 'node_modules', 'cloudtrail-kms-lint', 'dist', 'cli.js');
    fs.renameSync(bundle, `${bundle}.away`);
    try {
      const broken = npx(['scan', 'infra']);
      assert.equal(broken.status, 2);
      assert.match(broken.stderr, /broken install: .*dist\/cli\.js is missing/);
    } finally {
      fs.renameSync(`${bundle}.away`, bundle);
    }
  });
});
