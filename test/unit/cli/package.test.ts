/**
 * The package as a team installs it: `npm pack` (whose prepack builds the bundles) holds the
 * CLI, the WASM files, the rule docs and the schema and nothing else; installed from the
 * tarball into an empty project, offline and with no dev dependencies, `npx cloudtrail-kms-lint
 * scan` works there; a broken install exits 2 and says what is missing. The pre-commit hook's
 * command line and the GitHub Action's steps run here as the framework and a runner run them.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
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
      'dist/cli.js', 'dist/languageServer.js', 'dist/scanWorker.js', 'dist/server.js', 'dist/tree-sitter-terraform.wasm', 'dist/tree-sitter-typescript.wasm', 'dist/web-tree-sitter.cjs', 'dist/web-tree-sitter.wasm',
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

  it('the pre-commit hook runs on the staged files it selects and fails on a finding', () => {
    const [hook] = parseYaml(fs.readFileSync(path.join(repoRoot(), '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; args: string[]; files: string; language: string }[];
    assert.equal(hook.id, 'cloudtrail-kms-lint');
    assert.equal(hook.language, 'node');
    const selects = new RegExp(hook.files);
    assert.deepEqual(['infra/main.tf', 'a.tf.json', 'template.yaml', 'template.yml', 'stack.template', 'policy.json', 'README.md', 'main.tfvars'].filter((f) => selects.test(f)),
      ['infra/main.tf', 'a.tf.json', 'template.yaml', 'template.yml', 'stack.template', 'policy.json']);
    // pre-commit runs `entry args... files...` with the installed package's bin on PATH.
    const [command, ...entryArgs] = hook.entry.split(' ');
    const env = { ...process.env, NO_COLOR: '1', PATH: `${path.join(project, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
    const hookRun = (files: string[]) => spawnSync(command, [...entryArgs, ...hook.args, ...files], { cwd: project, encoding: 'utf8', env });
    const failing = hookRun(['infra/terraform/trail-no-key.tf']);
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stdout, /trail-no-key\.tf[\s\S]*CTK001/);
    assert.equal(hookRun(['infra/terraform/trail-good.tf', 'infra/terraform/bucket.tf']).status, 0);
  });

  it('the GitHub Action installs, scans, leaves SARIF for the upload step and then fails the job', () => {
    const action = parseYaml(fs.readFileSync(path.join(repoRoot(), 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default: string }>;
      runs: { using: string; steps: { id?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
    };
    assert.equal(action.runs.using, 'composite');
    const inputs: Record<string, string> = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), paths: 'infra', package: tarball };
    const runner = path.join(dir, 'runner');
    fs.mkdirSync(runner, { recursive: true });
    const outputs: Record<string, Record<string, string>> = {};
    const expand = (text: string): string => text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      const [scope, ...rest] = expression.split('.');
      if (scope === 'inputs') return inputs[rest[0]];
      if (scope === 'runner' && rest[0] === 'temp') return runner;
      if (scope === 'steps') return outputs[rest[0]]?.[rest[2]] ?? '';
      throw new Error(`the test does not know ${expression}`);
    });
    let gate: number | null = null;
    for (const step of action.runs.steps) {
      if (step.uses) {
        assert.match(step.uses, /^github\/codeql-action\/upload-sarif@v\d+$/);
        const sarif = JSON.parse(fs.readFileSync(path.join(project, expand(step.with!.sarif_file)), 'utf8'));
        assert.equal(sarif.version, '2.1.0');
        assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'CTK001'));
        continue;
      }
      assert.equal(step.shell, 'bash');
      const outputFile = path.join(runner, `output-${step.id ?? 'step'}`);
      fs.writeFileSync(outputFile, '');
      const env = { ...process.env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])), GITHUB_OUTPUT: outputFile, npm_config_offline: 'true' };
      const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd: project, encoding: 'utf8', env });
      if (step.id) outputs[step.id] = Object.fromEntries(fs.readFileSync(outputFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=') as [string, string]));
      if (step === action.runs.steps[action.runs.steps.length - 1]) gate = result.status;
      else assert.equal(result.status, 0, `${step.run}\n${result.stderr}`);
    }
    assert.equal(outputs.scan['exit-code'], '1');
    assert.equal(gate, 1, 'the job fails after the upload');
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
