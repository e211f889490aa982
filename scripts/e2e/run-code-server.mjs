#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code, on a machine that reaches only the npm
// registry and Debian's packages (shared/E2E.md says why it is done this way).
//
//   1. tools: Node 24 + code-server from npm into .tools/ (reused), Debian's Chromium.
//   2. build: `npm run build` and `npm run compile` (skip with --no-build).
//   3. code-server on 127.0.0.1 in its own process group, HOME/XDG/user data in a temp folder.
//   4. one workbench page per workspace under test/e2e/workspaces/ with the `payload` query that
//      makes the extension host run test/suite (out/test/suite/index.js) against the extension;
//      the exit code arrives through `codeAutomationExit`, the results through CTKL_E2E_RESULT.
//   5. a UI check: the squiggle, the Problems entry and the quick-fix menu in the DOM, with
//      screenshots before and after in .e2e/screenshots/.
// Prints every test and a last line "N passed, N failed"; exits 1 on any failure. code-server
// is killed with its whole process group however this ends (see code-server.mjs).
//
// Options: --no-build, --only=terraform,cloudformation,opentofu,cdk,untrusted,ui, --keep (keep the temp dir).
// Env: CTKL_E2E_TIMEOUT_MS (whole run after the tools are installed, default 10 min),
//      CTKL_E2E_EXTENSION_PATH (load another extension folder; default: this repository),
//      CTKL_TOOLS_DIR (default .tools/).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, quietUserSettings, remoteUri, startCodeServer, workbenchUrl, writeUserSettings } from './code-server.mjs';
import { STAND_IN_ID, writeStandInExtension } from './standIn.mjs';
import { REPO_ROOT, ensureTools, run } from './tools.mjs';

const argv = process.argv.slice(2);
const option = (name) => argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const only = option('only')?.split('=')[1]?.split(',');
const wanted = (name) => !only || only.includes(name);

const RUN_TIMEOUT_MS = Number(process.env.CTKL_E2E_TIMEOUT_MS ?? 10 * 60_000);
const SUITE_TIMEOUT_MS = 5 * 60_000;
const EXTENSION_PATH = path.resolve(process.env.CTKL_E2E_EXTENSION_PATH ?? REPO_ROOT);
const TESTS_INDEX = path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js');
const WORKSPACES = path.join(REPO_ROOT, 'test', 'e2e', 'workspaces');
const SCREENSHOTS = path.join(REPO_ROOT, '.e2e', 'screenshots');

// Each suite run is a fresh extension host on one workspace; `trusted: false` runs it with
// Workspace Trust on and the folder untrusted (Restricted Mode).
const SUITE_RUNS = [
  { workspace: 'terraform', trusted: true },
  { workspace: 'cloudformation', trusted: true },
  { workspace: 'opentofu', trusted: true },
  // CloudTrail Lake event data stores (CTK301-CTK304), CloudFormation and Terraform.
  { workspace: 'eventDataStore', trusted: true },
  // A CDK app in TypeScript (activation from its cdk.json), and a TypeScript project beside it that is no CDK app.
  { workspace: 'cdk', trusted: true },
  { workspace: 'untrusted', trusted: false },
  // With a stand-in for the HashiCorp Terraform and Red Hat YAML extensions loaded beside ours.
  { workspace: 'neighbours', trusted: true, standIn: true },
  // Two folders, each with its own .vscode/settings.json.
  { workspace: 'multi-root', trusted: true, workspaceFile: 'folders.code-workspace' },
].filter((r) => wanted(r.workspace));

// The flags shared/E2E.md found to work for Debian's Chromium in a container.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** @type {{ title: string, state: 'passed' | 'failed' | 'pending', durationMs?: number, error?: string }[]} */
const results = [];
const record = (title, state, error, durationMs) => results.push({ title, state, error, durationMs });

const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const indent = (text, prefix = '      ') => String(text).split('\n').map((l) => prefix + l).join('\n');

/** Rejects after `ms` with `what`; the timer never keeps the process alive. */
function bounded(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The extension host's own logs and our extension's output channel; not the chatter of built-ins. */
function hostLogFiles(tmp) {
  const logRoot = path.join(tmp, 'user-data', 'logs');
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
  return existsSync(logRoot) ? walk(logRoot).filter((f) => /(remoteexthost\.log|cloudtrail[^/]*\.log)$/i.test(f) && statSync(f).size > 0) : [];
}

/** Tails of code-server's own log and of the extension host / output channel logs it wrote. */
function serverLogs(server, tmp) {
  const parts = [`--- code-server (${server.logFile}) ---\n${server.logTail(40)}`];
  for (const file of hostLogFiles(tmp)) {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
    parts.push(`--- ${path.relative(tmp, file)} ---\n${lines}`);
  }
  return parts.join('\n');
}

async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/** Copies a workspace so tests (and people) can edit and save without touching the repository. */
function freshWorkspace(tmp, name, runIndex) {
  const target = path.join(tmp, 'workspaces', String(runIndex), name);
  cpSync(path.join(WORKSPACES, name), target, { recursive: true });
  return target;
}

function pageLog(page, tmp, name) {
  const lines = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') lines.push(`[${msg.type()}] ${msg.text()}`); });
  page.on('pageerror', (err) => lines.push(`[pageerror] ${err.message}`));
  return () => writeFileSync(path.join(tmp, `browser-${name}.log`), lines.join('\n') + '\n');
}

/** One extension-host run of the mocha suite on one workspace. */
async function runSuite({ context, server, tmp, resultFile, workspace, trusted, workspaceFile, runIndex, retried = false }) {
  const started = Date.now();
  writeUserSettings(path.join(tmp, 'user-data'), quietUserSettings({ trusted }));
  rmSync(resultFile, { force: true });
  // The suite chooses its tests by the folder it waits for: this one.
  writeFileSync(`${resultFile}.expected`, workspace);
  const folder = freshWorkspace(tmp, workspace, runIndex);
  const page = await context.newPage();
  const flushLog = pageLog(page, tmp, workspace);
  let exitCode;
  let onExit;
  const exited = new Promise((resolve) => { onExit = resolve; });
  try {
    // Must be in place before the workbench loads: it looks the function up when the host exits.
    await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; onExit(code); });
    await page.goto(workbenchUrl(server, workspaceFile ? path.join(folder, workspaceFile) : folder, [
      ['extensionDevelopmentPath', remoteUri(server.port, EXTENSION_PATH)],
      ['extensionTestsPath', remoteUri(server.port, TESTS_INDEX)],
    ]));
    await bounded(exited, SUITE_TIMEOUT_MS, `the "${workspace}" suite to finish (codeAutomationExit)`);
  } catch (err) {
    const shot = await screenshot(page, `timeout-${workspace}`).catch(() => undefined);
    record(`[${workspace}] suite`, 'failed', `${err.message}${shot ? `\nscreenshot: ${shot}` : ''}`);
  } finally {
    flushLog();
    await page.close().catch(() => {});
  }

  let suite;
  try {
    suite = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch (err) {
    record(`[${workspace}] results`, 'failed',
      `no result file from the extension host (${err.code ?? err.message}); exit code ${exitCode ?? 'none'}`);
    return;
  }
  if (suite.noFolder && !retried) {
    // The workbench gave the extension host no folder: that is the editor's start-up, not the
    // extension, so open the workspace once more before reporting anything.
    console.log(`[e2e] ${workspace}: the workbench opened no folder in time ` +
      `(workspace file ${suite.noFolder.workspaceFile ?? 'none'}); opening it again`);
    await runSuite({ context, server, tmp, resultFile, workspace, trusted, workspaceFile, runIndex: `${runIndex}-again`, retried: true });
    return;
  }
  for (const test of suite.tests) {
    const error = test.error ? (test.error.stack ?? test.error.message) : undefined;
    record(`[${workspace}] ${test.title}`, test.state, error, test.durationMs);
  }
  if (!suite.done) {
    record(`[${workspace}] ${suite.running ?? 'suite'}`, 'failed', 'still running when the suite was given up on');
  } else if (exitCode !== undefined && exitCode !== 0 && suite.failures === 0) {
    record(`[${workspace}] extension host`, 'failed', `exited with code ${exitCode} although no test failed`);
  }
  console.log(`[e2e] ${workspace}: ${suite.passes} passed, ${suite.failures} failed in ${elapsed(started)} ` +
    `(VS Code ${suite.vscodeVersion}, trusted: ${suite.isTrusted})`);
}

/** What a person would see: squiggle, Problems entry, quick-fix menu, the fix applied. */
async function uiCheck({ context, server, tmp, runIndex }) {
  const title = '[ui] squiggle, Problems entry and "Create a KMS key for this trail" in the browser';
  const started = Date.now();
  writeUserSettings(path.join(tmp, 'user-data'), quietUserSettings({ trusted: true }));
  const folder = freshWorkspace(tmp, 'terraform', runIndex);
  const file = path.join(folder, 'ui-check.tf');
  const page = await context.newPage();
  const flushLog = pageLog(page, tmp, 'ui');
  let step = 'open the workbench';
  const shots = [];
  try {
    await page.goto(workbenchUrl(server, folder, [
      ['extensionDevelopmentPath', remoteUri(server.port, EXTENSION_PATH)],
      ['openFile', remoteUri(server.port, file)],
    ]));
    const editor = page.locator('.editor-instance .monaco-editor').first();
    step = 'see ui-check.tf in the editor';
    await editor.locator('.view-lines', { hasText: 'aws_cloudtrail' }).waitFor({ timeout: 90_000 });

    step = 'see a squiggle in the editor';
    const squiggle = editor.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });

    step = 'see the CTK001 entry in the Problems panel';
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    if (!(await problems.isVisible().catch(() => false))) await page.locator('[id="status.problems"]').click();
    await problems.locator('.monaco-list-row', { hasText: 'CTK001' }).first().waitFor({ timeout: 30_000 });
    shots.push(await screenshot(page, 'before-quick-fix'));

    step = 'open the quick-fix menu on the squiggle (Ctrl+.)';
    // A republish of the same diagnostics redraws the squiggle: a box is asked for until one is there.
    let box = null;
    for (let tries = 0; !box && tries < 50; tries++) {
      box = await squiggle.boundingBox().catch(() => null);
      if (!box) await page.waitForTimeout(200);
    }
    if (!box) throw new Error('the squiggle has no bounding box');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Create a KMS key for this trail' }).first();
    // The key press can land before the editor has focus or before the code actions are in:
    // try a few times, by keyboard and then by the light bulb, as a person would.
    for (let attempt = 1; ; attempt++) {
      box = (await squiggle.boundingBox().catch(() => null)) ?? box;
      await page.mouse.click(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
      await page.waitForTimeout(300);
      if (attempt % 2 === 1) await page.keyboard.press('Control+.');
      else await page.locator('.lightBulbWidget, .codicon-light-bulb').first().click({ timeout: 5_000 }).catch(() => page.keyboard.press('Control+.'));
      const shown = await item.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt >= 4) throw new Error('the quick-fix menu did not show "Create a KMS key for this trail" after 4 tries');
      await page.keyboard.press('Escape');
    }
    shots.push(await screenshot(page, 'quick-fix-menu'));

    step = 'apply "Create a KMS key for this trail" and see the squiggle go';
    await item.click();
    await editor.locator('.view-lines', { hasText: 'kms_key_id' }).waitFor({ timeout: 30_000 });
    await editor.locator('.squiggly-warning, .squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
    shots.push(await screenshot(page, 'after-quick-fix'));
    record(title, 'passed', undefined, Date.now() - started);
  } catch (err) {
    const shot = await screenshot(page, 'ui-failure').catch(() => undefined);
    const problemsText = await page.locator('.markers-panel').innerText({ timeout: 2000 }).catch(() => '(Problems panel not shown)');
    record(title, 'failed', `step "${step}": ${err.message.split('\n')[0]}\nProblems panel: ${problemsText.slice(0, 800)}` +
      (shot ? `\nscreenshot: ${shot}` : ''), Date.now() - started);
  } finally {
    flushLog();
    await page.close().catch(() => {});
  }
  if (shots.length) console.log(`[e2e] screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
}

/** Hundreds of Terraform folders with a trail each: the view's list must stay usable. */
function addBulkModules(folder, count = 400) {
  for (let i = 0; i < count; i++) {
    const dir = path.join(folder, 'bulk', `m${String(i).padStart(3, '0')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'main.tf'), `resource "aws_cloudtrail" "t${i}" {\n  name           = "t${i}"\n  s3_bucket_name = "logs"\n}\n`);
    for (let j = 0; j < 4; j++) writeFileSync(path.join(dir, `vars${j}.tf`), `variable "v${j}" {\n  default = "${i}-${j}"\n}\n`);
  }
}

/**
 * What the rest of the editor experience looks like to a person: the rule page opened from the
 * Problems panel's code link, and the CloudTrail view on a workspace of hundreds of trails,
 * each with a screenshot. (Scan Workspace's notification is checked in `installedUiCheck`: this
 * server runs with the smoke-test driver, under which the workbench shows no notification toasts.)
 */
async function editorUiCheck({ context, server, tmp, runIndex }) {
  const title = '[ui] rule page in the Markdown preview and the CloudTrail view in the browser';
  const started = Date.now();
  writeUserSettings(path.join(tmp, 'user-data'), quietUserSettings({ trusted: true }));
  const folder = freshWorkspace(tmp, 'terraform', runIndex);
  addBulkModules(folder);
  const page = await context.newPage();
  const flushLog = pageLog(page, tmp, 'ui-editor');
  let step = 'open the workbench';
  const shots = [];
  try {
    await page.goto(workbenchUrl(server, folder, [
      ['extensionDevelopmentPath', remoteUri(server.port, EXTENSION_PATH)],
      ['openFile', remoteUri(server.port, path.join(folder, 'main.tf'))],
    ]));
    const editor = page.locator('.editor-instance .monaco-editor').first();
    step = 'see main.tf in the editor';
    await editor.locator('.view-lines', { hasText: 'aws_cloudtrail' }).waitFor({ timeout: 90_000 });

    step = 'click CTK001 in the Problems panel and see the rule page rendered';
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    if (!(await problems.isVisible().catch(() => false))) await page.locator('[id="status.problems"]').click();
    const link = problems.locator('.monaco-list-row a', { hasText: 'CTK001' }).first();
    await link.waitFor({ timeout: 60_000 });
    await link.click();
    await page.locator('.tab', { hasText: /Preview CTK001/ }).first().waitFor({ timeout: 30_000 });
    // The preview is a webview: wait until the rule's page is rendered inside it.
    await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame')
      .locator('h1', { hasText: 'CTK001' }).first().waitFor({ timeout: 30_000 });
    shots.push(await screenshot(page, 'rule-doc-preview'));

    step = 'open the CloudTrail view and see the trails with their requirement lines';
    await page.locator('.pane-header', { hasText: /^CloudTrail/ }).first().click();
    // Hundreds of trails (bulk/) are listed collapsed; open the first and see its lines.
    const row = page.locator('.monaco-list-row', { hasText: 'aws_cloudtrail.t0' }).first();
    await row.waitFor({ timeout: 60_000 });
    await page.locator('text=/\\d+ trails, \\d+ with problems/').first().waitFor({ timeout: 30_000 });
    await row.locator('.monaco-tl-twistie').click();
    await page.locator('.monaco-list-row', { hasText: 'CloudTrail can encrypt' }).first().waitFor({ timeout: 30_000 });
    shots.push(await screenshot(page, 'cloudtrail-view'));

    record(title, 'passed', undefined, Date.now() - started);
  } catch (err) {
    const shot = await screenshot(page, 'ui-editor-failure').catch(() => undefined);
    const toasts = await page.locator('.notifications-toasts').innerText({ timeout: 2000 }).catch(() => '(none)');
    record(title, 'failed', `step "${step}": ${err.message.split('\n')[0]}\nnotifications: ${toasts.slice(0, 400)}` +
      (shot ? `\nscreenshot: ${shot}` : ''), Date.now() - started);
  } finally {
    flushLog();
    await page.close().catch(() => {});
  }
  if (shots.length) console.log(`[e2e] screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
}

/** The files a packaged extension holds (.vscodeignore), copied as an installed user extension. */
function installExtensionCopy(extensionsDir) {
  const manifest = JSON.parse(readFileSync(path.join(EXTENSION_PATH, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist', 'bin', 'docs', 'syntaxes', 'schemas', 'images']) {
    if (existsSync(path.join(EXTENSION_PATH, entry))) cpSync(path.join(EXTENSION_PATH, entry), path.join(target, entry), { recursive: true });
  }
  return target;
}

/** Waits for a line of our output channel's log to match `pattern`; resolves with its first group as a number. */
async function waitForLog(tmp, pattern, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of hostLogFiles(tmp).filter((f) => /cloudtrail[^/]*\.log$/i.test(f))) {
      const match = pattern.exec(readFileSync(file, 'utf8'));
      if (match) return Number(match[1]);
    }
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in the extension's output channel within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs a command from the command palette (F1), as a person does. */
async function runFromPalette(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${label}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Opens a file by clicking it in the Explorer and waits until the editor shows `text`. */
async function openFromExplorer(page, name, text) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click({ timeout: 60_000 });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: text }).waitFor({ timeout: 60_000 });
  return editor;
}

/** A key whose policy lets CloudTrail neither encrypt nor describe it: two findings on one line. */
const HOVER_CHECK_TF = `resource "aws_kms_key" "hover_check" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_cloudtrail" "hover_check" {
  name                       = "hover-check"
  s3_bucket_name             = "logs"
  kms_key_id                 = aws_kms_key.hover_check.arn
  enable_log_file_validation = true
}
`;

// Cancel must stop the scan's workers within a second of reaching the server: the server's log
// says how long they took, and that is held to a second. From the click to the closing message
// also counts the browser and the extension host working through the diagnostics already sent,
// which on a busy machine takes seconds: that bound is loose, and the time is printed.
const CANCEL_BOUND_MS = 15_000;

/**
 * The extension as a user has it: installed (not loaded for development), beside a stand-in for
 * the HashiCorp Terraform and Red Hat YAML extensions, in a code-server without the smoke-test
 * driver (under which the workbench shows no notification toasts at all). Everything is driven
 * through the UI: Scan Workspace from the command palette in a notification with "N of M files"
 * and the folder, Cancel, the closing message with its counts and "Open Problems"; then a
 * Terraform file that both extensions read, with the grammar that colours it.
 */
async function installedUiCheck({ context, tools, tmp, runIndex, startServer }) {
  const title = '[ui] as installed beside the stand-in: Scan Workspace notification (progress, Cancel, closing message, Open Problems) and a .tf file both extensions read';
  const started = Date.now();
  const extensions = path.join(tmp, 'extensions-installed');
  writeStandInExtension(path.join(extensions, `${STAND_IN_ID}-0.0.1`));
  installExtensionCopy(extensions);
  const server = await startServer(extensions, []);
  const folder = freshWorkspace(tmp, 'terraform', runIndex);
  // Enough files that the scan is still running when its progress is seen and Cancel is clicked.
  addBulkModules(folder, 1200);
  writeFileSync(path.join(folder, 'hover-check.tf'), HOVER_CHECK_TF);
  const page = await context.newPage();
  const flushLog = pageLog(page, tmp, 'ui-installed');
  let step = 'open the workbench';
  const shots = [];
  const notes = [];
  const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  try {
    await page.goto(workbenchUrl(server, folder));
    step = 'see the extension running (status bar)';
    await page.locator('.statusbar-item', { hasText: 'CloudTrail KMS' }).locator('.codicon-shield').first().waitFor({ timeout: 90_000 });

    step = 'run "CloudTrail KMS Lint: Scan Workspace" and see its notification with "N of M files" and the folder';
    await runFromPalette(page, 'CloudTrail KMS Lint: Scan Workspace');
    const progress = toast(/\d[\d,]* of [\d,]+ files · bulk\/m\d+/);
    await progress.waitFor({ timeout: 60_000 });
    notes.push(`progress: ${(await progress.innerText()).replace(/\s+/g, ' ').trim()}`);
    shots.push(await screenshot(page, 'scan-progress'));

    step = 'click Cancel and see "Scan cancelled: …" once the workers have stopped';
    const cancel = progress.locator('.monaco-button', { hasText: 'Cancel' }).first();
    await cancel.waitFor({ timeout: 10_000 });
    const clicked = Date.now();
    await cancel.click();
    const cancelled = toast(/Scan cancelled: /);
    await cancelled.waitFor({ timeout: 30_000 });
    const cancelMs = Date.now() - clicked;
    notes.push(`closing message ${cancelMs} ms after the click: ${(await cancelled.innerText()).replace(/\s+/g, ' ').trim()}`);
    shots.push(await screenshot(page, 'scan-cancelled'));
    if (cancelMs > CANCEL_BOUND_MS) throw new Error(`the closing message came ${cancelMs} ms after Cancel (bound ${CANCEL_BOUND_MS} ms)`);
    // The server's own account, in the output channel: how soon after the cancel the workers stopped.
    const stoppedMs = await waitForLog(tmp, /the workers stopped (\d+) ms after the cancel/);
    notes.push(`workers stopped ${stoppedMs} ms after the cancel reached the server`);
    if (stoppedMs > 1000) throw new Error(`the workers stopped ${stoppedMs} ms after the cancel, not within a second`);
    await cancelled.locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => undefined);

    step = 'run Scan Workspace to the end and see the closing message with the counts and "Open Problems"';
    await runFromPalette(page, 'CloudTrail KMS Lint: Scan Workspace');
    const closing = page.locator('.notifications-toasts .notification-toast', { hasText: /[\d,]+ problems? in [\d,]+ files?, [\d,]+ files scanned in \d+\.\d s/ })
      .filter({ hasNotText: 'Scan cancelled' }).first();
    await closing.waitFor({ timeout: 180_000 });
    notes.push(`closing: ${(await closing.innerText()).replace(/\s+/g, ' ').trim()}`);
    shots.push(await screenshot(page, 'scan-done'));
    await closing.locator('.monaco-button', { hasText: 'Open Problems' }).first().click();
    // Files nobody opened (bulk/…) are listed: the scan put them there.
    await page.locator('.markers-panel .monaco-list-row', { hasText: /bulk\/m\d+/ }).first().waitFor({ timeout: 30_000 });
    shots.push(await screenshot(page, 'scan-problems'));

    step = 'hover the policy of a key with several findings: each once, the trail behind them once, then the chain and checklist';
    const keyEditor = await openFromExplorer(page, 'hover-check.tf', 'aws_kms_key');
    // The middle of the word "policy", from the token that holds it and its width per character.
    const token = keyEditor.locator('.view-line span > span', { hasText: 'policy' }).first();
    // The line's spans are rendered again when the grammar's tokens arrive: read them once they are stable.
    let tokenBox = null;
    let tokenText = null;
    for (let attempt = 1; attempt <= 10 && !(tokenBox && tokenText); attempt++) {
      await token.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      tokenBox = await token.boundingBox().catch(() => null);
      tokenText = await token.textContent({ timeout: 1_000 }).catch(() => null);
    }
    if (!tokenBox || !tokenText) throw new Error('"policy" is not on screen');
    const x = tokenBox.x + (tokenText.indexOf('policy') + 3) * (tokenBox.width / tokenText.length);
    const y = tokenBox.y + tokenBox.height / 2;
    const hover = page.locator('.monaco-hover', { hasText: 'used by' }).first();
    for (let attempt = 1; ; attempt++) {
      // From outside the editor (no hover) onto the squiggled word, as a mouse does.
      await page.mouse.move(20, y);
      await page.mouse.move(x, y, { steps: 5 });
      if (await hover.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
      if (attempt >= 4) throw new Error('no hover with the key\'s chain over its policy after 4 tries');
    }
    // The findings' part comes with the hover or just after it.
    await hover.locator('text=CTK103').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    const hoverText = await hover.innerText();
    const repeats = hoverText.split('encrypts its logs with aws_kms_key.hover_check').length - 1;
    notes.push(`hover: ${hoverText.replace(/\s+/g, ' ').slice(0, 600)}`);
    shots.push(await screenshot(page, 'hover'));
    if (!/CTK101/.test(hoverText) || !/CTK103/.test(hoverText)) throw new Error('the hover does not show both findings on the policy (CTK101, CTK103)');
    if (repeats !== 1) throw new Error(`the trail behind the findings is named ${repeats} times in the hover, not once`);

    step = 'open the neighbours workspace: a .tf file both extensions read';
    const neighbours = freshWorkspace(tmp, 'neighbours', `${runIndex}-neighbours`);
    await page.goto(workbenchUrl(server, neighbours));
    await page.locator('.statusbar-item', { hasText: 'CloudTrail KMS' }).locator('.codicon-shield').first().waitFor({ timeout: 90_000 });
    const editor = await openFromExplorer(page, 'main.tf', 'aws_cloudtrail');
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'CTK001' }).first().waitFor({ timeout: 60_000 });
    // The stand-in's own diagnostic (an information, so that the Problems panel lists it).
    await problems.locator('.monaco-list-row', { hasText: 'stand-in saw this file' }).first().waitFor({ timeout: 30_000 });
    const rows = await problems.locator('.monaco-list-row', { hasText: 'CTK001' }).count();
    if (rows !== 2) throw new Error(`${rows} CTK001 rows in the Problems panel; two trails, so 2 expected`);
    const mode = (await page.locator('[id="status.editor.mode"]').innerText({ timeout: 10_000 })).trim();

    step = 'inspect the TextMate scopes of "resource" (Developer: Inspect Editor Tokens and Scopes)';
    await editor.locator('.view-line span', { hasText: /^resource$/ }).first().click();
    await runFromPalette(page, 'Developer: Inspect Editor Tokens and Scopes');
    const widget = page.locator('.token-inspect-widget');
    await widget.waitFor({ timeout: 15_000 });
    const scopes = (await widget.innerText()).replace(/\s+/g, ' ').trim();
    notes.push(`neighbours: language mode "${mode}", 2 CTK001 rows and the stand-in's own; tokens: ${scopes.slice(0, 300)}`);
    shots.push(await screenshot(page, 'neighbours'));
    // VS Code keeps one grammar per language, the last registered: installed extensions register
    // in the order of their folders' names, so the stand-in's (like hashicorp.terraform-…)
    // comes after cloudtrail-kms-lint.cloudtrail-kms-lint-… and its grammar colours .tf files.
    if (!/\bkeyword\.standin\.terraform source\.hcl\.terraform\b/.test(scopes)) {
      throw new Error(`the stand-in's grammar (source.hcl.terraform) does not colour "resource": ${scopes.slice(0, 300)}`);
    }
    record(title, 'passed', undefined, Date.now() - started);
  } catch (err) {
    const shot = await screenshot(page, 'ui-installed-failure').catch(() => undefined);
    const toasts = await page.locator('.notifications-toasts').innerText({ timeout: 2000 }).catch(() => '(none)');
    record(title, 'failed', `step "${step}": ${err.message.split('\n')[0]}\nnotifications: ${toasts.slice(0, 400)}\n${notes.join('\n')}` +
      (shot ? `\nscreenshot: ${shot}` : ''), Date.now() - started);
  } finally {
    flushLog();
    await page.close().catch(() => {});
    await server.stop();
  }
  if (notes.length) console.log(`[e2e] installed:\n${notes.map((n) => `  ${n}`).join('\n')}`);
  if (shots.length) console.log(`[e2e] screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
}

function printSummary() {
  console.log('');
  for (const test of results) {
    const mark = { passed: '✓', failed: '✗', pending: '-' }[test.state];
    const ms = test.durationMs !== undefined ? ` (${test.durationMs} ms)` : '';
    console.log(`  ${mark} ${test.title}${ms}`);
    if (test.error) console.log(indent(test.error));
  }
  const count = (state) => results.filter((t) => t.state === state).length;
  const skipped = count('pending');
  console.log(`\n${count('passed')} passed, ${count('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return count('failed') === 0 && count('passed') > 0;
}

async function main() {
  const started = Date.now();
  const tools = await ensureTools();
  console.log(`[e2e] tools ready in ${elapsed(started)}: node ${tools.node.version}, code-server ${tools.codeServer.version}`);

  if (!option('no-build')) {
    await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
    await run('npm', ['run', '--silent', 'compile'], { cwd: REPO_ROOT });
  }
  const manifest = JSON.parse(readFileSync(path.join(EXTENSION_PATH, 'package.json'), 'utf8'));
  for (const required of [path.join(EXTENSION_PATH, manifest.main ?? 'dist/client.js'), TESTS_INDEX]) {
    if (!existsSync(required)) throw new Error(`${required} is missing: run \`npm run build && npm run compile\``);
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ctkl-e2e-'));
  const resultFile = path.join(tmp, 'result.json');
  let server;
  let context;
  let ok = false;
  // The overall bound: whatever hangs (a page that never loads, a browser that never closes),
  // say what was happening, and exit; the 'exit' handler kills code-server's group.
  const watchdog = setTimeout(() => {
    console.log(`\n[e2e] the run exceeded ${RUN_TIMEOUT_MS / 1000} s; giving up`);
    if (server) console.log(serverLogs(server, tmp));
    record('[e2e] overall time bound', 'failed', `exceeded ${RUN_TIMEOUT_MS / 1000} s; kept ${tmp}`);
    printSummary();
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  watchdog.unref();

  try {
    // `args` replaces the smoke-test driver switch (the installed check runs without it).
    const start = async (extensions, args = ['--vscode-option', 'enable-smoke-test-driver']) => startCodeServer({
      tools,
      port: await freePort(),
      dirs: { home: path.join(tmp, 'home'), userData: path.join(tmp, 'user-data'),
        extensions, logFile: path.join(tmp, 'code-server.log') },
      // An empty gallery: no extension-marketplace queries leave the machine during tests.
      env: { CTKL_E2E_RESULT: resultFile, EXTENSIONS_GALLERY: '{}' },
      // Without it the built workbench ignores the `payload` query. Workspace Trust is left on;
      // the user settings written before each page decide whether the run is trusted.
      args,
    });
    server = await start(path.join(tmp, 'extensions'));
    console.log(`[e2e] code-server ${server.baseUrl} (process group ${server.pgid}) up in ${elapsed(started)}; temp ${tmp}`);

    context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
      executablePath: tools.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: path.join(tmp, 'home'), XDG_CONFIG_HOME: path.join(tmp, 'home', '.config'),
        XDG_CACHE_HOME: path.join(tmp, 'home', '.cache') },
      viewport: { width: 1440, height: 900 },
    });

    let runIndex = 0;
    for (const suiteRun of SUITE_RUNS) {
      if (!suiteRun.standIn) {
        await runSuite({ context, server, tmp, resultFile, runIndex: runIndex++, ...suiteRun });
        continue;
      }
      // A second code-server whose extensions folder holds the stand-in, installed as a user
      // extension (a development path in the payload replaces ours rather than adding to it).
      const extensions = path.join(tmp, 'extensions-with-stand-in');
      writeStandInExtension(path.join(extensions, `${STAND_IN_ID}-0.0.1`));
      const neighbourServer = await start(extensions);
      try {
        await runSuite({ context, server: neighbourServer, tmp, resultFile, runIndex: runIndex++, ...suiteRun });
      } finally {
        await neighbourServer.stop();
      }
    }
    if (wanted('ui')) await uiCheck({ context, server, tmp, runIndex: runIndex++ });
    if (wanted('ui')) await editorUiCheck({ context, server, tmp, runIndex: runIndex++ });
    if (wanted('ui')) await installedUiCheck({ context, tools, tmp, runIndex: runIndex++, startServer: start });
  } catch (err) {
    record('[e2e] harness', 'failed', err.stack ?? String(err));
  } finally {
    await context?.close().catch(() => {});
    ok = results.every((t) => t.state !== 'failed') && results.some((t) => t.state === 'passed');
    if (!ok && server) console.log(`\n[e2e] logs (kept in ${tmp}):\n${serverLogs(server, tmp)}`);
    await server?.stop();
    clearTimeout(watchdog);
    if (ok && !option('keep')) rmSync(tmp, { recursive: true, force: true });
    console.log(`\n[e2e] done in ${elapsed(started)}`);
  }
  // The summary's last line is what CI reads, so nothing may be printed after it.
  process.exit(printSummary() ? 0 : 1);
}

main().catch((err) => {
  console.error(`[e2e] ${err.stack ?? err}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
});
