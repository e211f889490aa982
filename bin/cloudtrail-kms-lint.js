#!/usr/bin/env node
'use strict';
// The CI command. The bundle in dist/ is built by `npm run build` (the README's set-up runs it).
const { main } = require('../dist/cli.js');
main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exitCode = code;
});
