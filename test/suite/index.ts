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
  /** Set when the workbench gave the host no folder in time: the runner opens it again, once. */
  noFolder?: { workspaceFile?: string; name?: string };
  passes: number;
  failures: number;
  pending: number;
  tests: TestResult[];
}

/**
 * The folders of a multi-root workspace can reach the extension host after it has started
 * (the `.code-workspace` file is read first), and on a busy machine a workbench has been seen
 * to give its host no folder at all. Wait, with a bound, for the folder the runner opened (it
 * names it in `<result file>.expected`), or for any folder when it names none.
 */
async function openedFolder(expected: string | undefined, timeoutMs = 60_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = (vscode.workspace.workspaceFolders ?? []).map((folder) => path.basename(folder.uri.path));
    const found = expected === undefined ? names[0] : names.find((name) => name === expected);
    if (found !== undefined || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function expectedWorkspace(resultFile: string | undefined): string | undefined {
  if (!resultFile) return undefined;
  try {
    return fs.readFileSync(`${resultFile}.expected`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  const resultFile = process.env.CTKL_E2E_RESULT;
  const folder = await openedFolder(expectedWorkspace(resultFile));
  const workspace = folder ?? '(no folder)';
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
      if (folder === undefined) {
        result.noFolder = { workspaceFile: vscode.workspace.workspaceFile?.toString(), name: vscode.workspace.name };
      }
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
