// The parse-only floor, in a process of its own (run by bench.mjs): one thread parsing every
// file a scan of the folder looks at, whole, with the parsers alone: web-tree-sitter and the
// Terraform grammar for `.tf`, `yaml` (Parser + Composer, CloudFormation's short tags declared,
// as the engine composes) for YAML, jsonc-parser's parseTree for JSON. No conversion to the
// model, no analysis. Reading a file is not timed; only the parse calls are.
// Prints one JSON line: { files, ms, bytes, rssMb }.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const { walkFiles } = require('./out/server/src/walk.js');
const { Parser, Language } = require('web-tree-sitter');
const YAML = require('yaml');
const { parseTree } = require('jsonc-parser');

const SHORT_TAGS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'ImportValue',
  'Equals', 'Not', 'And', 'Or', 'Base64', 'Cidr', 'GetAZs', 'Transform', 'ToJsonString', 'Length'];
const customTags = SHORT_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value) => value },
  { tag: `!${name}`, collection: 'map', resolve: (value) => value },
  { tag: `!${name}`, collection: 'seq', resolve: (value) => value },
]);
const composerOptions = { customTags, prettyErrors: false, version: '1.2', schema: 'core' };
const jsonOptions = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
const terraform = await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
const parser = new Parser();
parser.setLanguage(terraform);

const parseJson = (text) => parseTree(text, [], jsonOptions);
const parseYaml = (text) => Array.from(new YAML.Composer(composerOptions).compose(new YAML.Parser().parse(text), true, text.length));
const parseTerraform = (text) => parser.parse(text)?.delete();

let files = 0;
let bytes = 0;
let ms = 0;
for (const file of walkFiles([process.argv[2]], { exclude: [] })) {
  const text = fs.readFileSync(file, 'utf8');
  const name = file.toLowerCase();
  const parse = name.endsWith('.tf') ? parseTerraform
    : name.endsWith('.json') ? parseJson
    : name.endsWith('.template') && text.trimStart().startsWith('{') ? parseJson
    : parseYaml;
  const started = performance.now();
  parse(text);
  ms += performance.now() - started;
  files++;
  bytes += text.length;
}
console.log(JSON.stringify({ files, ms, bytes, rssMb: process.resourceUsage().maxRSS / 1024 }));
