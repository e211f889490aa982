// The real language server (`cloudtrail-kms-lint lsp --stdio`, the bundle in dist/) driven by a
// raw JSON-RPC client, as an editor drives it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification, ExecuteCommandRequest, ShutdownRequest, ExitNotification,
} = require('vscode-languageserver-protocol/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

/** VmRSS / VmHWM of a process, in MB (Linux). */
export function processMemory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
}

export class BenchServer {
  static async start(workspace) {
    const spawned = performance.now();
    const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...flags, path.join(root, 'bin', 'cloudtrail-kms-lint.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const server = new BenchServer(child, spawned);
    const rootUri = pathToFileURL(workspace).href;
    server.initializeSent = performance.now();
    await server.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'bench' }], capabilities: {} });
    await server.connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  constructor(child, spawned) {
    this.child = child;
    this.spawned = spawned;
    this.listeners = new Set();
    this.texts = new Map();
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.listeners.forEach((l) => l(p)));
    this.connection.listen();
  }

  get pid() {
    return this.child.pid;
  }

  /** Resolves with the first publication `accept`ed from now on, or 'timeout'. */
  waitFor(accept, timeoutMs = 30000) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.listeners.delete(listener); resolve('timeout'); }, timeoutMs);
      const listener = (p) => {
        if (!accept(p)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(p);
      };
      this.listeners.add(listener);
    });
  }

  /** Opens a document and waits for its first diagnostics. */
  async open(uri, languageId, text) {
    this.texts.set(uri, { languageId, text, version: 1 });
    const done = this.waitFor((p) => p.uri === uri && p.version === 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return done;
  }

  /** One keystroke (offsets into the document's current text); resolves with ms until that version's diagnostics, or undefined on a timeout. */
  async type(uri, keystroke) {
    const doc = this.texts.get(uri);
    const lsp = TextDocument.create(uri, doc.languageId, doc.version, doc.text);
    const range = { start: lsp.positionAt(keystroke.start), end: lsp.positionAt(keystroke.end) };
    doc.text = doc.text.slice(0, keystroke.start) + keystroke.text + doc.text.slice(keystroke.end);
    const version = ++doc.version;
    const done = this.waitFor((p) => p.uri === uri && p.version === version);
    const sent = performance.now();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: keystroke.text }] });
    const published = await done;
    return published === 'timeout' ? undefined : performance.now() - sent;
  }

  text(uri) {
    return this.texts.get(uri).text;
  }

  async close(uri) {
    this.texts.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  scanWorkspace() {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command: 'cloudtrailKmsLint.server.scanWorkspace', arguments: [{}] });
  }

  async stop() {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      // The server exits on `exit`; it is killed only if it has not after a second.
      if (this.child.exitCode === null) await Promise.race([new Promise((resolve) => this.child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (this.child.exitCode === null) this.child.kill();
    }
  }
}
