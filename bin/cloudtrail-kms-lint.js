#!/usr/bin/env node
'use strict';
// The CI command. The bundles in dist/ are built by `npm run build` (in a clone) or shipped in
// the package. A missing bundle is a broken install, not a finding: it exits 2 and says so.
const fs = require('node:fs');
const path = require('node:path');

const NO_TRAP_HANDLER = '--disable-wasm-trap-handler';

/**
 * Whether this process runs under an address-space limit (`ulimit -v`, as some CI runners and
 * containers set). V8 reserves several GB of address space per WebAssembly memory for its
 * trap-handler bounds checks, so under such a limit the Terraform parser cannot even start
 * ("WebAssembly.Memory(): could not allocate memory"). Linux says so in /proc/self/limits.
 */
function addressSpaceLimited() {
  try {
    const line = /^Max address space\s+(\S+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return line !== null && line[1] !== 'unlimited';
  } catch {
    return false;
  }
}

// Under such a limit the command runs itself again with explicit bounds checks instead (a
// little slower to parse, no reservation), which the flag can only choose at start-up
// (Node 20.15 and later have it).
if (addressSpaceLimited() && !process.execArgv.includes(NO_TRAP_HANDLER) && process.allowedNodeEnvironmentFlags.has(NO_TRAP_HANDLER)) {
  const { spawnSync } = require('node:child_process');
  const child = spawnSync(process.execPath, [...process.execArgv, NO_TRAP_HANDLER, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 2);
}

// V8's compile cache (Node 22.1 and later) keeps the bundles' compiled code between runs, so
// the server and the command start without compiling their JavaScript again. Older Node has no
// such call: it starts as before. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const nodeModule = require('node:module');
if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();

function load(bundle, usage) {
  const file = path.join(__dirname, '..', 'dist', bundle);
  try {
    return require(file);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(file)) {
      process.stderr.write(`cloudtrail-kms-lint: broken install: ${file} is missing. In a clone of the repository run \`npm run build\`; otherwise reinstall the package.\n`);
    } else {
      process.stderr.write(`cloudtrail-kms-lint: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    }
    process.exitCode = 2;
    return undefined;
  }
}

// `lsp` loads the server's bundle alone: loading the CLI's too would only delay the first answer.
if (process.argv[2] === 'lsp') {
  // The server reads `--stdio` from process.argv, as vscode-languageserver expects.
  load('server.js', '(usage: cloudtrail-kms-lint lsp --stdio)\n');
} else {
  const cli = load('cli.js', '');
  if (cli) {
    cli.main(process.argv.slice(2)).then((code) => {
      if (code >= 0) process.exitCode = code;
    });
  }
}
