#!/usr/bin/env node
// `npm run test:vscode`: the same suite (test/suite) in desktop VS Code through
// @vscode/test-electron, for machines with internet access: it downloads VS Code itself, which
// the project's own machines cannot (they reach only the npm registry; use `npm run test:e2e`).
//
// @vscode/test-electron is a devDependency (installing it downloads nothing); VS Code itself is
// downloaded when the suite runs. Where that download cannot happen (no internet), the run is
// skipped, saying why, and exits 0: the code-server runner covers those machines.
// On Linux without a display, run it under xvfb-run.
//
// Options: --no-build, --only=terraform,cloudformation,untrusted.
// Env: CTKL_VSCODE_VERSION (default "stable"; e.g. 1.91.0, the oldest engines.vscode allows).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { quietUserSettings, writeUserSettings } from './code-server.mjs';
import { REPO_ROOT, TOOLS_DIR, run } from './tools.mjs';

const argv = process.argv.slice(2);
const only = argv.find((a) => a.startsWith('--only='))?.split('=')[1]?.split(',');
const SUITE_RUNS = [
  { workspace: 'terraform', trusted: true },
  { workspace: 'cloudformation', trusted: true },
  { workspace: 'eventDataStore', trusted: true },
  { workspace: 'untrusted', trusted: false },
].filter((r) => !only || only.includes(r.workspace));
const TESTS_INDEX = path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js');

async function loadTestElectron() {
  const fromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));
  const toolDir = path.join(TOOLS_DIR, 'test-electron');
  const fromTools = createRequire(path.join(toolDir, 'package.json'));
  for (const require of [fromRepo, fromTools]) {
    try {
      return await import(pathToFileURL(require.resolve('@vscode/test-electron')).href);
    } catch { /* not there */ }
  }
  console.log(`[vscode] installing @vscode/test-electron into ${toolDir}`);
  await run('npm', ['install', '--prefix', toolDir, '--no-audit', '--no-fund', '--no-save', '--no-package-lock',
    '--loglevel=error', '@vscode/test-electron@2']);
  return import(pathToFileURL(fromTools.resolve('@vscode/test-electron')).href);
}

async function main() {
  if (!argv.includes('--no-build')) {
    await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
    await run('npm', ['run', '--silent', 'compile'], { cwd: REPO_ROOT });
  }
  if (!existsSync(TESTS_INDEX)) throw new Error(`${TESTS_INDEX} is missing: run \`npm run compile\``);

  let testElectron;
  try {
    testElectron = await loadTestElectron();
  } catch (err) {
    console.log(`[vscode] @vscode/test-electron is not available (${err.message.split('\n')[0]}).\n` +
      '[vscode] Install it (npm install --no-save @vscode/test-electron) or use `npm run test:e2e` (code-server).');
    console.log('\n0 passed, 1 failed');
    return false;
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ctkl-vscode-'));
  const tests = [];
  let skipped;
  try {
    for (const { workspace, trusted } of SUITE_RUNS) {
      // A fresh copy and profile per run: tests edit files, and trust is remembered per profile.
      const folder = path.join(tmp, workspace, workspace);
      cpSync(path.join(REPO_ROOT, 'test', 'e2e', 'workspaces', workspace), folder, { recursive: true });
      const userData = path.join(tmp, workspace, 'user-data');
      writeUserSettings(userData, quietUserSettings({ trusted }));
      const resultFile = path.join(tmp, workspace, 'result.json');
      let exitError;
      try {
        const runTests = testElectron.runTests ?? testElectron.default.runTests;
        await runTests({
          version: process.env.CTKL_VSCODE_VERSION ?? 'stable',
          extensionDevelopmentPath: REPO_ROOT,
          extensionTestsPath: TESTS_INDEX,
          extensionTestsEnv: { CTKL_E2E_RESULT: resultFile },
          launchArgs: [folder, '--user-data-dir', userData, '--disable-extensions', '--skip-welcome',
            '--skip-release-notes', ...(trusted ? ['--disable-workspace-trust'] : [])],
        });
      } catch (err) {
        exitError = err;
      }
      if (!existsSync(resultFile)) {
        const reason = exitError?.message ?? String(exitError);
        const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(reason);
        if (offline && tests.length === 0) {
          skipped = `VS Code could not be downloaded (${reason.split('\n')[0]}): this machine cannot reach update.code.visualstudio.com. ` +
            'Run `npm run test:e2e` (code-server from npm) here instead.';
          break; // every other run would fail the same way
        }
        tests.push({ title: `[${workspace}] suite`, state: 'failed', error: `VS Code ended without results: ${reason}` });
        continue;
      }
      const suite = JSON.parse(readFileSync(resultFile, 'utf8'));
      for (const test of suite.tests) {
        tests.push({ ...test, title: `[${workspace}] ${test.title}`, error: test.error?.stack ?? test.error?.message });
      }
      if (!suite.done) tests.push({ title: `[${workspace}] ${suite.running ?? 'suite'}`, state: 'failed', error: 'did not finish' });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  if (skipped) {
    console.log(`\n[vscode] skipped: ${skipped}`);
    return true;
  }
  console.log('');
  for (const test of tests) {
    console.log(`  ${{ passed: '✓', failed: '✗', pending: '-' }[test.state]} ${test.title}`);
    if (test.error) console.log(test.error.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  const passed = tests.filter((t) => t.state === 'passed').length;
  const failed = tests.filter((t) => t.state === 'failed').length;
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

main().then((ok) => process.exit(ok ? 0 : 1), (err) => {
  console.error(`[vscode] ${err.stack ?? err}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
});
