#!/usr/bin/env node
// `npm run test:nvim`: the language server under a second real LSP client, Neovim's built-in
// one (Debian's neovim 0.7, headless; scripts/e2e/install-system.sh installs it). Proves the
// server is a plain LSP server: diagnostics, code actions, hover without any VS Code code.
//
// neovim/lsp-check.lua does the editor side and writes JSON; this script asserts on it.
// Prints every check and a last line "N passed, N failed"; exits 1 on any failure.
//
// Options: --no-build.
// Env: CTKL_LSP_CMD (JSON array; default ["node", "<repo>/bin/cloudtrail-kms-lint.js", "lsp", "--stdio"]).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, run } from './tools.mjs';

const NVIM = '/usr/bin/nvim';
const RUN_TIMEOUT_MS = 120_000;
const LSP_CMD = process.env.CTKL_LSP_CMD
  ? JSON.parse(process.env.CTKL_LSP_CMD)
  : [process.execPath, path.join(REPO_ROOT, 'bin', 'cloudtrail-kms-lint.js'), 'lsp', '--stdio'];

const checks = [];
function check(title, ok, detail) {
  checks.push({ title, ok: Boolean(ok), detail: ok ? undefined : detail });
}

/** Runs nvim in its own process group so the language server it starts dies with it. */
function runNeovim(env, cwd) {
  return new Promise((resolve) => {
    const child = spawn(NVIM, ['--headless', '--clean', '-u', path.join(import.meta.dirname, 'neovim', 'lsp-check.lua')], {
      cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const kill = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
    process.on('exit', kill);
    const timer = setTimeout(() => { output += `\n(killed after ${RUN_TIMEOUT_MS / 1000} s)`; kill(); }, RUN_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      kill(); // the language server, if nvim left it behind
      process.off('exit', kill);
      resolve({ code, signal, output });
    });
  });
}

async function main() {
  if (!existsSync(NVIM)) throw new Error(`${NVIM} not found: run scripts/e2e/install-system.sh as root`);
  const version = spawnSync(NVIM, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  if (!process.argv.includes('--no-build') && !process.env.CTKL_LSP_CMD) {
    await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
  }
  if (!process.env.CTKL_LSP_CMD && !existsSync(LSP_CMD[1])) throw new Error(`${LSP_CMD[1]} is missing: run \`npm run build\``);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ctkl-nvim-'));
  const root = path.join(tmp, 'terraform');
  cpSync(path.join(REPO_ROOT, 'test', 'e2e', 'workspaces', 'terraform'), root, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');
  const started = Date.now();
  const nvim = await runNeovim({
    CTKL_NVIM_RESULT: resultFile,
    CTKL_NVIM_FILE: path.join(root, 'fix-create-key.tf'),
    CTKL_NVIM_ROOT: root,
    CTKL_LSP_CMD: JSON.stringify(LSP_CMD),
    // Keep Neovim's own state and logs (lsp.log) out of the real home.
    HOME: tmp, XDG_STATE_HOME: path.join(tmp, 'state'), XDG_CACHE_HOME: path.join(tmp, 'cache'),
    XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_DATA_HOME: path.join(tmp, 'data'),
  }, root);
  console.log(`[nvim] ${version}: ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${nvim.signal ?? nvim.code}`);

  let result;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch (err) {
    check('neovim wrote its result', false, `${err.message}\nneovim output:\n${nvim.output}`);
  }
  if (result) {
    const seen = (list) => JSON.stringify(list ?? [], null, 1).replace(/\n\s*/g, ' ');
    const lspLog = () => {
      for (const dir of ['state', 'cache']) {
        const file = path.join(tmp, dir, 'nvim', 'lsp.log');
        if (existsSync(file)) return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
      }
      return '(no lsp.log)';
    };
    check('the server starts and initializes', result.initialized,
      `${result.error ?? 'not initialized'}; server exit: ${JSON.stringify(result.server_exit)}\n${lspLog()}`);
    const trail = (result.diagnostics ?? []).find((d) => d.code === 'CTK001');
    check('a CTK001 diagnostic (source cloudtrail-kms-lint) on the Terraform trail',
      trail && trail.source === 'cloudtrail-kms-lint' && trail.line === 3,
      `diagnostics: ${seen(result.diagnostics)}${result.error ? `\nerror: ${result.error}` : ''}`);
    check('hover on the trail mentions the missing key', /CTK001|KMS/i.test(JSON.stringify(result.hover ?? '')),
      result.hover_provider === false ? 'the server does not declare hoverProvider' : `hover: ${JSON.stringify(result.hover ?? null)}`);
    check('textDocument/codeAction returns "Create a KMS key for this trail"',
      (result.code_action_titles ?? []).some((t) => t.startsWith('Create a KMS key for this trail')),
      result.code_action_provider === false ? 'the server does not declare codeActionProvider' : `titles: ${seen(result.code_action_titles)}${result.code_action_error ? `, error: ${JSON.stringify(result.code_action_error)}` : ''}`);
    check('applying its edit adds kms_key_id and clears the diagnostic',
      result.cleared_after_fix && /kms_key_id\s*=/.test(result.text_after ?? ''),
      `applied: ${result.applied_title ?? '(nothing)'}; diagnostics after: ${seen(result.diagnostics_after_fix)}\n` +
      `text after:\n${result.text_after ?? '(none)'}`);
  }
  rmSync(tmp, { recursive: true, force: true });

  console.log('');
  for (const { title, ok, detail } of checks) {
    console.log(`  ${ok ? '✓' : '✗'} ${title}`);
    if (detail) console.log(detail.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`\n${checks.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

main().then((ok) => process.exit(ok ? 0 : 1), (err) => {
  console.error(`[nvim] ${err.stack ?? err}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
});
