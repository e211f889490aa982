// One CLI scan of a folder, in a process of its own (run by bench.mjs), for a clean peak RSS:
// the command's `main` with `--format json`, timed from the call to the report.
// Prints one JSON line: { files, ms, rssMb }.
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
// The shipped bundle (dist/, built by `npm run bench`), as `cloudtrail-kms-lint scan` runs it.
const { main } = require('./dist/cli.js');

const write = process.stdout.write.bind(process.stdout);
let captured = '';
process.stdout.write = (s) => { captured += s; return true; };
const started = performance.now();
await main(['scan', process.argv[2], '--format', 'json', '--fail-on', 'none']);
const ms = performance.now() - started;
process.stdout.write = write;
const { stats } = JSON.parse(captured);
console.log(JSON.stringify({ files: stats.files, ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
