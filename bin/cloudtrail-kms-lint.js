#!/usr/bin/env node
'use strict';
// The CI command. The bundles in dist/ are built by `npm run build` (in a clone) or shipped in
// the package. A missing bundle is a broken install, not a finding: it exits 2 and says so.
const path = require('node:path');

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
