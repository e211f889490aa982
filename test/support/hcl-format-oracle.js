// Formats HCL with HashiCorp's formatter (@cdktf/hcl-tools: hclwrite.Format, the code
// `terraform fmt` runs, compiled to WASM), in a child process because it installs globals.
// Reads [{name, text}] as JSON on stdin; prints [{name, formatted, error}].
'use strict';
const { format } = require('@cdktf/hcl-tools');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const results = [];
  for (const { name, text } of JSON.parse(input)) {
    try {
      results.push({ name, formatted: await format(text), error: null });
    } catch (error) {
      results.push({ name, formatted: null, error: String(error && error.message || error) });
    }
  }
  // Exit only once the (large) answer is flushed to the pipe.
  process.stdout.write(JSON.stringify(results), () => process.exit(0));
});
