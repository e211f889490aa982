// `npm run bench`: measures, on this machine, what users feel.
//  - keystroke → diagnostics latency through the real server over stdio (3,000-line .tf,
//    5,000-line CloudFormation YAML), p50/p95 over single-character edits;
//  - server start → first diagnostics;
//  - workspace scan throughput and peak RSS for generated workspaces of 1,000 / 5,000 / 20,000
//    files built from the corpus's small files, against the parse-only floor of the same files.
// Prints a Markdown table. Not a test: numbers vary with the machine.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.CORPUS_DIR ?? path.resolve(root, '..', 'shared', 'corpus');
const work = path.join(os.tmpdir(), 'ctkl-bench');
const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').filter(Boolean).map(Number);
const edits = Number(process.env.BENCH_EDITS ?? 60);
fs.mkdirSync(work, { recursive: true });

const rows = [];
const row = (what, value, target = '') => {
  rows.push({ what, value, target });
  console.error(`${what}: ${value}`);
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

// ---------- generated inputs ----------
// A realistic module: one trail in twenty has no key (so diagnostics are few, as in real files).
function bigTerraform(lines) {
  const key = (i) => (i % 20 === 0 ? '' : `arn:aws:kms:us-east-1:111122223333:key/0000${String(i).padStart(4, '0')}-12ab-34cd-56ef-1234567890ab`);
  const chunk = (i) => `variable "key_${i}" {\n  type    = string\n  default = "${key(i)}"\n}\n\nresource "aws_kms_key" "k${i}" {\n  description         = "key ${i}"\n  enable_key_rotation = true\n}\n\nresource "aws_cloudtrail" "t${i}" {\n  name                       = "trail-${i}"\n  s3_bucket_name             = "logs-${i}"\n  kms_key_id                 = var.key_${i}\n  enable_log_file_validation = true\n}\n\n`;
  let text = '';
  for (let i = 0; text.split('\n').length < lines; i++) text += chunk(i);
  return text;
}

function bigYaml(lines) {
  let text = 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  KeyArn:\n    Type: String\n    Default: ""\nConditions:\n  HasKey: !Not [!Equals [!Ref KeyArn, ""]]\nResources:\n';
  for (let i = 0; text.split('\n').length < lines; i++) {
    text += `  Key${i}:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Sid: Root\n            Effect: Allow\n            Principal:\n              AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"\n            Action: "kms:*"\n            Resource: "*"\n`;
    text += `  Trail${i}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: !Ref Bucket\n      KMSKeyId: !If [HasKey, !Ref KeyArn, !Ref AWS::NoValue]\n`;
  }
  return text;
}

function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(tf|ya?ml|json|template)$/.test(e.name) && fs.statSync(full).size < 8192) out.push(path.relative(corpus, full));
    }
  };
  walk(corpus);
  return out.sort();
}

/** A workspace of `n` files: copies of the corpus's small files, folder structure kept so modules stay whole. */
function workspace(n) {
  const dir = path.join(work, `ws-${n}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const files = corpusFiles();
  for (let i = 0; i < n; i++) {
    const source = files[i % files.length];
    const target = path.join(dir, `copy-${Math.floor(i / files.length)}`, source);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(corpus, source), target);
  }
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

/**
 * A workspace more like a real monorepo: one folder in ten is CloudTrail's (copied from the
 * corpus), the others are ordinary modules (buckets, roles, queues) the scan must read but
 * need not parse.
 */
function mixedWorkspace(n) {
  const dir = path.join(work, `mixed-${n}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const related = corpusFiles();
  let written = 0;
  for (let folder = 0; written < n; folder++) {
    const target = path.join(dir, `service-${folder}`);
    fs.mkdirSync(target, { recursive: true });
    if (folder % 10 === 0) {
      const source = related[folder % related.length];
      fs.copyFileSync(path.join(corpus, source), path.join(target, path.basename(source)));
      written++;
      continue;
    }
    for (const [name, text] of Object.entries(ordinaryModule(folder))) {
      if (written >= n) break;
      fs.writeFileSync(path.join(target, name), text);
      written++;
    }
  }
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

function ordinaryModule(i) {
  return {
    'main.tf': `resource "aws_s3_bucket" "data" {\n  bucket = "data-${i}"\n  tags   = var.tags\n}\n\nresource "aws_iam_role" "app" {\n  name               = "app-${i}"\n  assume_role_policy = data.aws_iam_policy_document.assume.json\n}\n\ndata "aws_iam_policy_document" "assume" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "Service"\n      identifiers = ["lambda.amazonaws.com"]\n    }\n  }\n}\n\nresource "aws_sqs_queue" "jobs" {\n  name = "jobs-${i}"\n}\n`,
    'variables.tf': `variable "tags" {\n  type    = map(string)\n  default = {}\n}\n`,
    'outputs.tf': `output "bucket" {\n  value = aws_s3_bucket.data.id\n}\n`,
  };
}

// ---------- scan vs. parse floor (in child processes, for clean RSS) ----------
function child(script, args) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

const SCAN_CHILD = `
const { createRequire } = await import('node:module');
const require = createRequire(process.cwd() + '/');
const { main } = require('./out/server/src/cli.js');
const write = process.stdout.write.bind(process.stdout);
let captured = '';
process.stdout.write = (s) => { captured += s; return true; };
const started = performance.now();
await main(['scan', process.argv[1], '--format', 'json', '--fail-on', 'none']);
const ms = performance.now() - started;
process.stdout.write = write;
const stats = JSON.parse(captured).stats;
console.log(JSON.stringify({ files: stats.files, ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
`;

const PARSE_CHILD = `
const { createRequire } = await import('node:module');
const require = createRequire(process.cwd() + '/');
const fs = require('node:fs');
const { walkFiles } = require('./out/server/src/walk.js');
const { TerraformParser } = require('./out/server/src/engine/terraform/parse/terraform.js');
const { loadTerraformLanguage } = require('./out/server/src/engine/terraform/parse/treeSitter.js');
const { parseCloudFormation } = require('./out/server/src/engine/cloudformation/parse/cloudformation.js');
const { parseTerraformJson } = require('./out/server/src/engine/terraform/parse/terraformJson.js');
const started = performance.now();
const parser = new TerraformParser(await loadTerraformLanguage());
let files = 0;
for (const file of walkFiles([process.argv[1]], { exclude: [] })) {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.tf.json')) parseTerraformJson(file, text, (e) => parser.parseExpression(e));
  else if (file.endsWith('.tf')) parser.parse(file, text);
  else parseCloudFormation(file, text);
  files++;
}
console.log(JSON.stringify({ files, ms: performance.now() - started, rssMb: process.resourceUsage().maxRSS / 1024 }));
`;

// ---------- the real server over stdio ----------
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, PublishDiagnosticsNotification, ShutdownRequest, ExitNotification } =
  require('vscode-languageserver-protocol/node');

async function withServer(dir, body) {
  const started = performance.now();
  const server = spawn(process.execPath, [...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean), path.join(root, 'bin', 'cloudtrail-kms-lint.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const listeners = new Set();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => listeners.forEach((l) => l(p)));
  connection.listen();
  const waitFor = (accept) => new Promise((resolve) => {
    const l = (p) => { if (accept(p)) { listeners.delete(l); resolve(p); } };
    listeners.add(l);
  });
  const rootUri = pathToFileURL(dir).href;
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'bench' }], capabilities: {} });
  await connection.sendNotification(InitializedNotification.type, {});
  try {
    return await body({ connection, waitFor, started });
  } finally {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    connection.dispose();
    // The server exits on `exit`; kill it only if it has not after a second.
    if (server.exitCode === null) await Promise.race([new Promise((resolve) => server.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 1000))]);
    server.kill();
  }
}

async function keystrokes(fileName, text, languageId) {
  const dir = fs.mkdtempSync(path.join(work, 'keys-'));
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  return withServer(dir, async ({ connection, waitFor, started }) => {
    const first = waitFor((p) => p.uri === uri);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    await first;
    const firstMs = performance.now() - started;
    const lines = text.split('\n');
    const latencies = [];
    for (let i = 0; i < edits; i++) {
      const version = i + 2;
      // Type a space at the end of a line in the middle of the file, then delete it.
      const line = Math.floor(lines.length / 2) + (Math.floor(i / 2) % 20);
      const end = lines[line].length;
      const range = i % 2 ? { start: { line, character: end }, end: { line, character: end + 1 } } : { start: { line, character: end }, end: { line, character: end } };
      const done = waitFor((p) => p.uri === uri && p.version === version);
      const sent = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: i % 2 ? '' : ' ' }],
      });
      await done;
      latencies.push(performance.now() - sent);
    }
    return { firstMs, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  });
}

// ---------- run ----------
execFileSync('npm', ['run', '--silent', 'compile'], { cwd: root, stdio: 'inherit' });
console.error(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);

const tf = await keystrokes('main.tf', bigTerraform(3000), 'terraform');
row('server start → first diagnostics (3,000-line .tf)', `${tf.firstMs.toFixed(0)} ms`, '≤ 300 ms');
row('keystroke → diagnostics, 3,000-line .tf, p50 / p95', `${tf.p50.toFixed(1)} / ${tf.p95.toFixed(1)} ms`, 'p95 ≤ 15 ms');
const yaml = await keystrokes('template.yaml', bigYaml(5000), 'yaml');
row('keystroke → diagnostics, 5,000-line CloudFormation YAML, p50 / p95', `${yaml.p50.toFixed(1)} / ${yaml.p95.toFixed(1)} ms`, 'p95 ≤ 100 ms');

for (const n of sizes) {
  const dir = workspace(n);
  const scan = child(SCAN_CHILD, [dir]);
  const floor = child(PARSE_CHILD, [dir]);
  const scanRate = scan.files / (scan.ms / 1000);
  const floorRate = floor.files / (floor.ms / 1000);
  row(`scan ${scan.files} files: files/s, peak RSS`, `${scanRate.toFixed(0)} files/s, ${scan.rssMb.toFixed(0)} MB`, '≥ 1,000 files/s, ≤ 250 MB');
  row(`parse-only floor ${floor.files} files: files/s; scan / floor`, `${floorRate.toFixed(0)} files/s; ${(scanRate / floorRate).toFixed(2)}`, 'ratio ≥ 0.7');
}

if (process.env.BENCH_MIXED !== '0') {
  const n = 20000;
  const dir = mixedWorkspace(n);
  const scan = child(SCAN_CHILD, [dir]);
  row(`scan ${scan.files} files of a mixed workspace (one folder in ten CloudTrail's): files/s, peak RSS`, `${(scan.files / (scan.ms / 1000)).toFixed(0)} files/s, ${scan.rssMb.toFixed(0)} MB`, '≥ 1,000 files/s, ≤ 250 MB');
}

console.log('\n| measure | result | target |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.value} | ${r.target} |`);
