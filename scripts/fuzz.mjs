#!/usr/bin/env node
/**
 * Long fuzz runs: `npm run fuzz -- --runs N --seed S [--format hcl,cfnYaml,…,engine,lsp] [--budget MS]`.
 * Prints, per format, the cases run, the longest analysis and every failure with the seed
 * that replays it and a shrunk reproducer; exits 1 when anything failed.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { FuzzEngine, fuzzFormat, fuzzEngine } = require(path.join(root, 'out/test/support/fuzz/runner.js'));
const { FORMATS } = require(path.join(root, 'out/test/support/fuzz/seeds.js'));
const { fuzzLspEdits } = require(path.join(root, 'out/test/support/fuzz/lspEdits.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '2000'));
const seed = Number(option('seed', String(Date.now() % 2 ** 31)));
const budgetMs = Number(option('budget', '2000'));
const formats = option('format', [...FORMATS, 'engine', 'lsp'].join(',')).split(',');
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- --runs N --seed S [--format LIST] [--budget MS]');
  process.exit(2);
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-fuzz-'));
console.log(`seed ${seed}, ${runs} runs per format, budget ${budgetMs} ms; reproducers go to ${outDir}`);
const engine = await FuzzEngine.create();
let failed = 0;
for (const format of formats) {
  const started = Date.now();
  let stats;
  if (format === 'lsp') stats = await fuzzLspEdits({ runs, seed, budgetMs });
  else if (format === 'engine') stats = fuzzEngine(engine, { runs, seed, budgetMs, survival: true });
  else stats = fuzzFormat(engine, format, { runs, seed, budgetMs, survival: true });
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(`${format}: ${stats.cases} cases, ${stats.failures.length} failures, longest analysis ${Math.round(stats.longestMs)} ms (${stats.longestSource}), ${Math.round((Date.now() - started) / 1000)} s, RSS ${rss} MB`);
  for (const [i, f] of stats.failures.entries()) {
    const file = path.join(outDir, `${format}-${f.caseSeed}.txt`);
    fs.writeFileSync(file, f.reproducer);
    console.log(`  FAIL ${i + 1}: case seed ${f.caseSeed} from ${f.source} after ${f.applied.join('+')}: ${f.problem}`);
    if (f.change) console.log(`    change: ${f.change}`);
    console.log(`    reproducer (${f.reproducer.length} chars): ${file}  ${JSON.stringify(f.reproducer.slice(0, 160))}`);
  }
  failed += stats.failures.length;
}
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; ${failed} failures`);
process.exit(failed > 0 ? 1 : 0);
