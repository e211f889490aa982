#!/usr/bin/env node
'use strict';
// The CI command. The bundles in dist/ are built by `npm run build` (the README's set-up runs it).
// `lsp` loads the server's bundle alone: loading the CLI's too would only delay the first answer.
if (process.argv[2] === 'lsp') {
  // The server reads `--stdio` from process.argv, as vscode-languageserver expects.
  try {
    require('../dist/server.js');
  } catch (error) {
    process.stderr.write(`cloudtrail-kms-lint: ${error instanceof Error ? error.message : String(error)}\n(usage: cloudtrail-kms-lint lsp --stdio)\n`);
    process.exitCode = 2;
  }
} else {
  const { main } = require('../dist/cli.js');
  main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}
