/**
 * Memory of a long editor session, in a bounded loop: the real language server scans a
 * workspace, then documents of every format are opened, typed in and closed, cycle after cycle.
 * The server's heap is read after a full collection (a preloaded probe, see heapProbe.js), so
 * what it still holds is told apart from garbage: closed documents must leave nothing behind,
 * the process must not grow from cycle to cycle (tree-sitter trees live outside the JS heap),
 * and its RSS stays bounded. Not a timing test: `npm run bench` measures the hour-long session.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExecuteCommandRequest, HoverRequest,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Server } from '../../support/fuzz/lspEdits';
import { applyKeystroke, generate, typingRound, type TypingFormat } from '../../support/typingSessions';
import { repoRoot } from '../../support/engine';

const FOLDERS = 25;
const CYCLES = 3;
const FORMATS: { format: TypingFormat; name: string; languageId: string }[] = [
  { format: 'terraform', name: 'main.tf', languageId: 'terraform' },
  { format: 'yaml', name: 'template.yaml', languageId: 'yaml' },
  { format: 'json', name: 'stack.template.json', languageId: 'json' },
];
/** Documents of each format open at once in a cycle. */
const OPEN_PER_FORMAT = 2;
const OPEN_LINES = 1000;
/** Keystrokes typed in each open document. */
const KEYSTROKES = 2;
const TIMEOUT_MS = 20000;
/** Generous: the process holds two scan workers' worth of memory at most for a moment. */
const RSS_BOUND_MB = 400;

interface Memory {
  heapUsed: number;
  rss: number;
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

describe('a long editor session: memory stays bounded and closed documents are dropped', function () {
  this.timeout(90000);
  let workspace: string;
  let server: Server;
  const heapLog = path.join(os.tmpdir(), `ctkl-heap-${process.pid}.json`);

  /** The server's memory after a full collection. */
  const memory = async (): Promise<Memory> => {
    fs.rmSync(heapLog, { force: true });
    process.kill(server.pid!, 'SIGUSR2');
    for (let waited = 0; !fs.existsSync(heapLog); waited += 20) {
      if (waited > TIMEOUT_MS) throw new Error('the heap probe did not answer');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return JSON.parse(fs.readFileSync(heapLog, 'utf8')) as Memory;
  };
  /** The most the server's process has held so far (Linux's high-water mark). */
  const peakMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-session-'));
    for (let i = 0; i < FOLDERS; i++) {
      const dir = path.join(workspace, `service-${i}`);
      fs.mkdirSync(dir);
      for (const { format, name } of FORMATS) fs.writeFileSync(path.join(dir, name), generate(format, 60 + (i % 5) * 20));
    }
    server = await Server.start(workspace, { nodeArgs: ['--expose-gc', '--require', path.join(repoRoot(), 'test', 'support', 'heapProbe.js')], env: { CTKL_HEAP_LOG: heapLog } });
  });

  after(async () => {
    await server?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(heapLog, { force: true });
  });

  it(`scans ${FOLDERS * FORMATS.length} files, then ${CYCLES} cycles of ${OPEN_PER_FORMAT * FORMATS.length} documents opened, typed in and closed`, async () => {
    const summary = await server.connection.sendRequest(ExecuteCommandRequest.type, { command: 'cloudtrailKmsLint.server.scanWorkspace', arguments: [{}] }) as { files: number; findings: number };
    assert.equal(summary.files, FOLDERS * FORMATS.length, JSON.stringify(summary));
    assert.ok(summary.findings > 0, 'the scanned files have findings (published and held by the client, not the server)');
    const afterScan = await memory();

    let version = 1;
    const closed: Memory[] = [];
    const open: Memory[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const documents: string[] = [];
      for (let n = 0; n < OPEN_PER_FORMAT; n++) {
        for (const { format, name, languageId } of FORMATS) {
          // New files not yet saved, other ones each cycle: what the server keeps per document cannot hide behind a reused URI.
          const uri = pathToFileURL(path.join(workspace, `unsaved-${cycle}-${n}`, name)).href;
          let text = generate(format, OPEN_LINES + n * 50);
          let mark = server.mark;
          await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: ++version, text } });
          assert.ok(Array.isArray(await server.diagnostics(uri, version, mark, TIMEOUT_MS, true)), `diagnostics for ${uri}`);
          for (const keystroke of typingRound(format, text, 'value').slice(0, KEYSTROKES)) {
            const document = TextDocument.create(uri, languageId, version, text);
            const range = { start: document.positionAt(keystroke.start), end: document.positionAt(keystroke.end) };
            text = applyKeystroke(text, keystroke);
            mark = server.mark;
            await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: keystroke.text }] });
            assert.ok(Array.isArray(await server.diagnostics(uri, version, mark, TIMEOUT_MS, true)), `diagnostics for ${uri} at version ${version}`);
          }
          documents.push(uri);
        }
      }
      open.push(await memory());
      for (const uri of documents) await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      // A request after the closes: answered only once they have been handled.
      await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: documents[0] }, position: { line: 0, character: 0 } });
      closed.push(await memory());
    }

    const report = `after the scan ${mb(afterScan.heapUsed).toFixed(1)} MB heap, ${mb(afterScan.rss).toFixed(0)} MB RSS; ` +
      open.map((m, i) => `cycle ${i + 1}: open ${mb(m.heapUsed).toFixed(1)} MB heap, closed ${mb(closed[i].heapUsed).toFixed(1)} MB heap / ${mb(closed[i].rss).toFixed(0)} MB RSS`).join('; ') +
      `; peak RSS ${peakMb().toFixed(0)} MB`;
    // The first cycle warms the server's main thread (the scan ran in workers): later cycles must come back to where it ended.
    const start = closed[0];
    const held = mb(open[1].heapUsed - start.heapUsed);
    const margin = 1.5;
    // The check can see a leak: a third of one cycle's documents held on to would exceed the margin.
    assert.ok(held > 2 * margin, `open documents hold only ${held.toFixed(1)} MB: ${report}`);
    for (const [i, m] of closed.entries()) {
      assert.ok(mb(m.heapUsed - start.heapUsed) < margin, `cycle ${i + 1} left ${mb(m.heapUsed - start.heapUsed).toFixed(1)} MB more in the heap than cycle 1 after its documents closed: ${report}`);
    }
    assert.ok(mb(closed[CYCLES - 1].rss - start.rss) < 40, `the process grew from cycle to cycle: ${report}`);
    assert.ok(peakMb() < RSS_BOUND_MB, report);
    console.log(`      ${report}`);
  });
});
