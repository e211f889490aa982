// Validates HCL with HashiCorp's own parser (@cdktf/hcl2json, Go compiled to WASM), in a child
// process because it installs globals. Reads [{name, text}] as JSON on stdin; prints
// [{name, error}] (error null when the text parses).
'use strict';
const { parse } = require('@cdktf/hcl2json');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const results = [];
  for (const { name, text } of JSON.parse(input)) {
    try {
      await parse(name, text);
      results.push({ name, error: null });
    } catch (error) {
      results.push({ name, error: String(error && error.message || error) });
    }
  }
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
});
