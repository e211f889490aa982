// `npm run bench`: measures, on this machine, every figure the product's speed and memory
// targets name, each printed with its target and whether it is met, in one Markdown table:
//  - keystroke → diagnostics over LSP stdio (one change per keystroke, waiting for that
//    version's publishDiagnostics), p50 / p95, for three kinds of typing: inside a value, a new
//    attribute/property line typed character by character, and a block or section header broken
//    then repaired (test/support/typingSessions.ts generates the documents and the keystrokes),
//    in a 3,000-line .tf, a 5,000-line CloudFormation YAML, a 7,400-line CDK-style JSON template
//    and a 2,000-line CDK stack in TypeScript;
//  - start-up: server spawn → first diagnostics and initialize → first diagnostics (3,000-line .tf);
//  - workspace scans (the CLI, in a child process) of 1,000 / 5,000 / 20,000 replicated corpus
//    files: files/s, peak RSS, against the floor (os.cpus().length × one thread of web-tree-sitter
//    + yaml + jsonc-parser parsing the same files whole, scripts/bench/floor-child.mjs), their
//    ratio and the linearity (files/s at the largest size ÷ at the smallest); a mixed workspace;
//  - a long editor session: the server scans a 20,000-file workspace, then documents are opened,
//    typed in and closed in cycles; RSS at start, after the scan, at its peak, after all close.
// Not a test: numbers vary with the machine and its load (printed at the start and the end).
//
// Knobs (environment):
//   BENCH_EDITS=60            keystrokes measured per document and kind of typing (0 skips the typing measures)
//   BENCH_STARTS=3            server starts measured (the median is reported; 0 skips)
//   BENCH_SIZES=1000,5000,20000  replicated-corpus workspace sizes scanned (empty skips the scans)
//   BENCH_MIXED=0             skip the mixed 20,000-file workspace
//   BENCH_SESSION=0           skip the editor session; BENCH_SESSION_FILES=20000 its workspace size,
//                             BENCH_SESSION_EDITS=2000 its keystrokes
//   BENCH_README=1            also rewrite the table in README.md (between the bench markers)
//   BENCH_FORMATS=yaml,json   time the typing in these documents only (terraform, yaml, json, typescript)
//   BENCH_SERVER_FLAGS='…'    node flags for the language server (e.g. --max-semi-space-size=4)
//   CORPUS_DIR=…              the corpus the workspaces copy (default ../shared/corpus)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { BenchServer, processMemory } from './bench/server.mjs';
import { mixedWorkspace, replicatedCorpus } from './bench/workspaces.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const corpus = process.env.CORPUS_DIR ?? path.resolve(root, '..', 'shared', 'corpus');
const work = path.join(os.tmpdir(), 'ctkl-bench');
const knob = (name, fallback) => Number(process.env[name] ?? fallback);
const edits = knob('BENCH_EDITS', 60);
const starts = knob('BENCH_STARTS', 3);
const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').filter(Boolean).map(Number);
const cores = os.cpus().length;
fs.mkdirSync(work, { recursive: true });

const rows = [];
/** One measure: `pass` true/false against its target, or undefined when it has none. */
const row = (what, value, target = '', pass = undefined) => {
  rows.push({ what, value, target, pass });
  console.error(`${what}: ${value}${target ? ` (target ${target}: ${pass === undefined ? '-' : pass ? 'met' : 'NOT met'})` : ''}`);
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values) => percentile(values, 50);
const int = (n) => Math.round(n).toLocaleString('en-US');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

// The generators and keystrokes are the equivalence tests' own (compiled to out/).
execFileSync('npm', ['run', '--silent', 'compile'], { cwd: root, stdio: 'inherit' });
const { EDIT_KINDS, generate, typingRound } = require('./out/test/support/typingSessions.js');

const loadAtStart = load();
console.error(`machine: ${cores} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average (1/5/15 min) ${loadAtStart}`);

function child(script, args) {
  const out = execFileSync(process.execPath, [path.join(root, 'scripts', 'bench', script), ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

/** A folder of its own holding one generated document (a TypeScript one in a CDK app). */
function documentFolder(name, text) {
  const dir = fs.mkdtempSync(path.join(work, 'doc-'));
  fs.writeFileSync(path.join(dir, name), text);
  if (name.endsWith('.ts')) fs.writeFileSync(path.join(dir, 'package.json'), '{"dependencies":{"aws-cdk-lib":"2.276.0"}}');
  return { dir, uri: pathToFileURL(path.join(dir, name)).href };
}

const DOCUMENTS = [
  { format: 'terraform', lines: 3000, name: 'main.tf', languageId: 'terraform', label: '3,000-line .tf', targets: { value: 15, newLine: 15, header: 30 } },
  { format: 'yaml', lines: 5000, name: 'template.yaml', languageId: 'yaml', label: '5,000-line CloudFormation YAML', targets: { value: 30, newLine: 30, header: 60 } },
  { format: 'json', lines: 7400, name: 'AuditStack.template.json', languageId: 'json', label: '7,400-line CloudFormation JSON (CDK output)', targets: { value: 30, newLine: 30, header: 30 } },
  { format: 'typescript', lines: 2000, name: 'audit-stack.ts', languageId: 'typescript', label: '2,000-line CDK stack (TypeScript)', targets: { value: 30, newLine: 30, header: 30 } },
];
const KIND_LABELS = { value: 'typing inside a value', newLine: 'typing a new line char by char', header: 'breaking a header, then repairing it' };

// ---------- start-up ----------
if (starts > 0) {
  const text = generate('terraform', 3000);
  const fromSpawn = [];
  const fromInitialize = [];
  for (let i = 0; i < starts; i++) {
    const { dir, uri } = documentFolder('main.tf', text);
    const server = await BenchServer.start(dir);
    const first = await server.open(uri, 'terraform', text);
    const at = performance.now();
    if (first === 'timeout') throw new Error('no first diagnostics within 30 s');
    fromSpawn.push(at - server.spawned);
    fromInitialize.push(at - server.initializeSent);
    await server.stop();
  }
  const all = (values) => values.map((v) => v.toFixed(0)).join(', ');
  row(`start-up: initialize → first diagnostics (3,000-line .tf), median of ${starts}`, `${median(fromInitialize).toFixed(0)} ms (${all(fromInitialize)})`, '≤ 300 ms', median(fromInitialize) <= 300);
  row(`start-up: process spawn → first diagnostics (3,000-line .tf), median of ${starts}`, `${median(fromSpawn).toFixed(0)} ms (${all(fromSpawn)})`);
}

// ---------- keystrokes ----------
if (edits > 0) {
  for (const document of DOCUMENTS.filter((d) => !process.env.BENCH_FORMATS || process.env.BENCH_FORMATS.split(',').includes(d.format))) {
    const original = generate(document.format, document.lines);
    const { dir, uri } = documentFolder(document.name, original);
    const server = await BenchServer.start(dir);
    try {
      if (await server.open(uri, document.languageId, original) === 'timeout') throw new Error(`no diagnostics for ${document.name}`);
      // One untimed round first: the user types in a document that has been open a moment.
      for (const keystroke of typingRound(document.format, original, 'value')) await server.type(uri, keystroke);
      for (const kind of EDIT_KINDS) {
        const latencies = [];
        let timeouts = 0;
        while (latencies.length + timeouts < edits) {
          for (const keystroke of typingRound(document.format, server.text(uri), kind)) {
            const ms = await server.type(uri, keystroke);
            if (ms === undefined) timeouts++;
            else latencies.push(ms);
          }
        }
        const target = document.targets[kind];
        const p95 = percentile(latencies, 95);
        const lost = timeouts > 0 ? `, ${timeouts} without diagnostics in 30 s` : '';
        row(`keystroke → diagnostics, ${document.label} (${original.split('\n').length} lines), ${KIND_LABELS[kind]}: p50 / p95 (${latencies.length + timeouts} keystrokes)`,
          `${percentile(latencies, 50).toFixed(1)} / ${p95.toFixed(1)} ms${lost}`, `p95 ≤ ${target} ms`, timeouts === 0 && p95 <= target);
      }
    } finally {
      await server.stop();
    }
  }
}

// ---------- scans against the parse-only floor ----------
const scanRates = [];
for (const n of sizes) {
  const dir = replicatedCorpus(work, corpus, n);
  const scan = child('scan-child.mjs', [dir]);
  const floor = child('floor-child.mjs', [dir]);
  const scanRate = scan.files / (scan.ms / 1000);
  const oneThread = floor.files / (floor.ms / 1000);
  const floorRate = oneThread * cores;
  scanRates.push({ n, files: scan.files, rate: scanRate });
  row(`scan of ${int(scan.files)} replicated corpus files: files/s`, `${int(scanRate)} files/s`);
  row(`parse-only floor, ${int(floor.files)} files: ${cores} cores × one thread of web-tree-sitter + yaml + jsonc-parser`, `${cores} × ${int(oneThread)} = ${int(floorRate)} files/s`);
  row(`scan ÷ floor, ${int(scan.files)} files`, (scanRate / floorRate).toFixed(2), '≥ 1.0', scanRate >= floorRate);
  row(`peak RSS of the scan, ${int(scan.files)} files`, `${scan.rssMb.toFixed(0)} MB`, n >= 20000 ? '≤ 250 MB' : '', n >= 20000 ? scan.rssMb <= 250 : undefined);
}
if (scanRates.length >= 2) {
  const [small, large] = [scanRates[0], scanRates[scanRates.length - 1]];
  const linearity = large.rate / small.rate;
  row(`linearity: files/s at ${int(large.files)} ÷ files/s at ${int(small.files)}`, linearity.toFixed(2), '≥ 0.9', linearity >= 0.9);
}

if (process.env.BENCH_MIXED !== '0') {
  const dir = mixedWorkspace(work, corpus, 20000);
  const scan = child('scan-child.mjs', [dir]);
  const rate = scan.files / (scan.ms / 1000);
  row(`scan of a mixed ${int(scan.files)}-file workspace (one folder in ten CloudTrail's): files/s`, `${int(rate)} files/s`, '≥ 2,000 files/s', rate >= 2000);
  row(`peak RSS of the mixed scan, ${int(scan.files)} files`, `${scan.rssMb.toFixed(0)} MB`, '≤ 250 MB', scan.rssMb <= 250);
}

// ---------- a long editor session ----------
if (process.env.BENCH_SESSION !== '0') {
  const files = knob('BENCH_SESSION_FILES', 20000);
  const sessionEdits = knob('BENCH_SESSION_EDITS', 2000);
  const dir = replicatedCorpus(work, corpus, files);
  const server = await BenchServer.start(dir);
  let peakSampled = 0;
  const sampler = setInterval(() => { peakSampled = Math.max(peakSampled, processMemory(server.pid).rssMb); }, 100);
  try {
    const atStart = processMemory(server.pid).rssMb;
    const scanStarted = performance.now();
    const summary = await server.scanWorkspace();
    const scanMs = performance.now() - scanStarted;
    const afterScan = processMemory(server.pid);
    peakSampled = 0;
    // Cycles of six documents (two per format, sizes from 300 lines up to the typing measures'
    // 3,000 / 5,000 / 7,400), in folders of the workspace, typed in with all three kinds of typing, then closed.
    const folders = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isDirectory());
    let typed = 0;
    let timeouts = 0;
    let cycle = 0;
    const latencies = [];
    while (typed < sessionEdits) {
      const opened = [];
      for (const [i, document] of [...DOCUMENTS, ...DOCUMENTS].entries()) {
        const lines = i < DOCUMENTS.length && cycle % 4 === 3 ? document.lines : 300 + ((cycle * 7 + i * 3) % 10) * 150;
        const uri = pathToFileURL(path.join(dir, folders[(cycle * 6 + i) % folders.length], `edited-${cycle}-${document.name}`)).href;
        const text = generate(document.format, lines);
        await server.open(uri, document.languageId, text);
        opened.push({ uri, format: document.format });
      }
      for (const kind of EDIT_KINDS) {
        for (const { uri, format } of opened) {
          for (const keystroke of typingRound(format, server.text(uri), kind)) {
            const ms = await server.type(uri, keystroke);
            if (ms === undefined) timeouts++;
            else latencies.push(ms);
            typed++;
          }
        }
      }
      for (const { uri } of opened) await server.close(uri);
      cycle++;
    }
    // V8 gives memory back once the process is idle for a moment.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const afterClose = processMemory(server.pid);
    const peak = Math.max(afterClose.peakMb, peakSampled);
    row(`editor session: server RSS at start, after scanning ${int(summary.files)} files (${(scanMs / 1000).toFixed(1)} s), peak while scanning`, `${atStart.toFixed(0)} / ${afterScan.rssMb.toFixed(0)} / ${afterScan.peakMb.toFixed(0)} MB`, '< 300 MB', afterScan.peakMb < 300);
    row(`editor session: ${int(typed)} keystrokes in ${cycle * 6} documents opened and closed (cycles of six: ${cycle}), keystroke p50 / p95 ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} ms${timeouts ? `, ${timeouts} without diagnostics` : ''}: peak RSS while editing`, `${peakSampled.toFixed(0)} MB`, '< 300 MB', peakSampled < 300 && timeouts === 0);
    row('editor session: RSS after every document closed (5 s idle) vs. after the scan', `${afterClose.rssMb.toFixed(0)} MB vs. ${afterScan.rssMb.toFixed(0)} MB`, 'within 30 MB', afterClose.rssMb - afterScan.rssMb <= 30);
    row('editor session: peak RSS of the whole session', `${peak.toFixed(0)} MB`, '< 300 MB', peak < 300);
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

// ---------- the table ----------
const loadAtEnd = load();
const mark = (r) => (r.pass === undefined ? '' : r.pass ? 'met' : '**not met**');
const table = [
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cores} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average (1/5/15 min) ${loadAtStart} at the start, ${loadAtEnd} at the end.`,
  '',
  '| measure | result | target | |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.target} | ${mark(r)} |`),
].join('\n');
console.error(`load average at the end: ${loadAtEnd}`);
console.log(`\n${table}`);

if (process.env.BENCH_README === '1') {
  const readme = path.join(root, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = text.indexOf('<!-- bench:start -->');
  const end = text.indexOf('<!-- bench:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no <!-- bench:start --> … <!-- bench:end --> markers');
  fs.writeFileSync(readme, `${text.slice(0, start)}<!-- bench:start -->\n${table}\n${text.slice(end)}`);
  console.error('README.md: table rewritten');
}
