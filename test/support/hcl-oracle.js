// HashiCorp's HCL tools, Go compiled to WASM, run in a child process because they install
// globals. Reads [{name, text}] as JSON on stdin. With no argument, validates with the parser
// (@cdktf/hcl2json) and prints [{name, error}] (error null when the text parses); with
// `format`, formats with hclwrite.Format (@cdktf/hcl-tools, what `terraform fmt` runs) and
// prints [{name, formatted, error}].
'use strict';
const formatting = process.argv[2] === 'format';
const run = formatting
  ? async (name, text) => ({ name, formatted: await require('@cdktf/hcl-tools').format(text), error: null })
  : async (name, text) => { await require('@cdktf/hcl2json').parse(name, text); return { name, error: null }; };

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const results = [];
  for (const { name, text } of JSON.parse(input)) {
    try {
      results.push(await run(name, text));
    } catch (error) {
      const message = String(error && error.message || error);
      results.push(formatting ? { name, formatted: null, error: message } : { name, error: message });
    }
  }
  // Exit only once the (possibly large) answer is flushed to the pipe.
  process.stdout.write(JSON.stringify(results), () => process.exit(0));
});
