// Entry point of the real-editor suite, loaded by the VS Code extension host as
// `extensionTestsPath`. `run()` is the contract of @vscode/test-electron and of the code-server
// runner alike: resolve when every test passed, reject otherwise.
//
// The suite runs once per workspace under test/e2e/workspaces/: a run loads the test files named
// after its workspace folder (`terraform.test.js`, `terraform.*.test.js`), so a fresh extension
// host proves activation for each kind of project.
//
// The extension host's console is not forwarded by code-server, so results also go, as JSON, to
// the file named by CTKL_E2E_RESULT. The file is rewritten after every test: if a test hangs and
// the runner gives up, it can still say what passed and which test was running.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');
import * as vscode from 'vscode';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface SuiteResult {
  workspace: string;
  vscodeVersion: string;
  isTrusted: boolean;
  done: boolean;
  running?: string;
  passes: number;
  failures: number;
  pending: number;
  tests: TestResult[];
}

/**
 * The folders of a multi-root workspace can reach the extension host after it has started
 * (the `.code-workspace` file is read first; on a busy machine the tests were once loaded
 * with none): wait for a folder, with a bound, before choosing the tests by its name.
 */
async function firstFolder(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!vscode.workspace.workspaceFolders?.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function run(): Promise<void> {
  await firstFolder();
  const workspace = path.basename(vscode.workspace.workspaceFolders?.[0]?.uri.path ?? '(no folder)');
  const resultFile = process.env.CTKL_E2E_RESULT;
  const result: SuiteResult = {
    workspace,
    vscodeVersion: vscode.version,
    isTrusted: vscode.workspace.isTrusted,
    done: false,
    passes: 0,
    failures: 0,
    pending: 0,
    tests: [],
  };
  const save = () => {
    if (!resultFile) return;
    fs.mkdirSync(path.dirname(resultFile), { recursive: true });
    // Write then rename, so the runner never reads half a file.
    fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify(result, null, 2));
    fs.renameSync(`${resultFile}.tmp`, resultFile);
  };

  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  const pattern = new RegExp(`^${workspace.replace(/[^\w-]/g, '\\$&')}(\\..+)?\\.test\\.js$`);
  const files = fs.readdirSync(__dirname).filter((name) => pattern.test(name)).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  return new Promise<void>((resolve, reject) => {
    if (files.length === 0) {
      // A run that finds no tests must not look green.
      result.failures = 1;
      result.done = true;
      result.tests.push({ title: `load tests for workspace "${workspace}"`, state: 'failed',
        error: { message: `no ${pattern} files in ${__dirname}` } });
      save();
      reject(new Error(`no test files for workspace "${workspace}"`));
      return;
    }
    save();
    const runner = mocha.run((failures) => {
      result.done = true;
      result.running = undefined;
      save();
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    const { EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_BEGIN, (test) => { result.running = test.fullTitle(); save(); });
    runner.on(EVENT_TEST_PASS, (test) => {
      result.passes++;
      result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      save();
    });
    // Also fires for failing hooks, whose "test" is the hook: count them, or a broken
    // before() would skip its tests silently.
    runner.on(EVENT_TEST_FAIL, (test, err: Error) => {
      result.failures++;
      result.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration,
        error: { message: err?.message ?? String(err), stack: err?.stack } });
      save();
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      result.pending++;
      result.tests.push({ title: test.fullTitle(), state: 'pending' });
      save();
    });
  });
}
