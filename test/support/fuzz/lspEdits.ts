/**
 * The edit-sequence fuzzer over the real language server (`cloudtrail-kms-lint lsp --stdio`):
 * random incremental edits, CRLF and non-ASCII text (surrogate pairs) included, new lines typed
 * character by character and block/section headers broken and repaired, then undo back
 * to the original; at each checkpoint the diagnostics the server published for the edited
 * document must equal what a second, fresh server publishes for the same text opened anew.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, ShutdownRequest,
  StreamMessageReader, StreamMessageWriter, createProtocolConnection,
  type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repoRoot } from '../engine';
import { Prng, caseSeed } from './prng';
import { seedFiles, type SeedFile } from './seeds';
import { cdkTemplate } from '../typingSessions';
import type { FuzzFailure, FuzzStats } from './runner';

export class Server {
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters = new Set<() => void>();
  private constructor(private readonly process: ChildProcess, readonly connection: ProtocolConnection) {}

  /** `nodeArgs` go before the script (`--expose-gc`, `--require` a probe), `env` over this process's. */
  static async start(workspace: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Server> {
    const script = path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js');
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...options.env } });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const server = new Server(child, connection);
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      server.published.push(p);
      server.waiters.forEach((w) => w());
    });
    connection.listen();
    const rootUri = pathToFileURL(workspace).href;
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: {} });
    await connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  /** The next publication for `uri` at `version` (or one without a version: the server's "analysis failed"), after index `from`. */
  diagnostics(uri: string, version: number, from: number, timeoutMs: number, strict = false): Promise<Diagnostic[] | 'failed' | 'timeout'> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const hit = this.published.slice(from).find((p) => p.uri === uri && (p.version === version || (!strict && p.version === undefined)));
        if (!hit) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(hit.version === undefined ? 'failed' : hit.diagnostics);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve('timeout');
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get mark(): number {
    return this.published.length;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}

const INSERTS = ['\r\n', '\n', '😀', 'é', '𝔘', '"', '{', '}', '[', ']', '${', 'resou', ' = ', '\r\n  kms_key_id = aws_kms_key.logs.arn\r\n', '\n  KMSKeyId: !Ref Key\n', '  ', '#'];

/** An offset that does not split a surrogate pair or a CRLF, as an editor's cursor never does. */
function safeOffset(text: string, offset: number): number {
  let o = offset;
  while (o > 0 && o < text.length && ((/[\udc00-\udfff]/.test(text[o]) && /[\ud800-\udbff]/.test(text[o - 1])) || (text[o] === '\n' && text[o - 1] === '\r'))) o--;
  return o;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function randomEdit(text: string, rng: Prng): Edit {
  const start = safeOffset(text, rng.int(text.length + 1));
  const kind = rng.int(3);
  if (kind === 0) return { start, end: start, text: rng.pick(INSERTS) };
  if (kind === 1) {
    const end = safeOffset(text, Math.min(text.length, start + 1 + rng.int(40)));
    return { start, end: Math.max(start, end), text: '' };
  }
  // Copy a slice of the file elsewhere: text that looks like the format, misplaced.
  const from = safeOffset(text, rng.int(text.length + 1));
  const to = safeOffset(text, Math.min(text.length, from + rng.int(60)));
  return { start, end: start, text: text.slice(from, Math.max(from, to)) };
}

/** A line the user might add to an entry or block, at the indentation of the line it follows. */
const NEW_LINES: Record<string, (indent: string) => string> = {
  terraform: (indent) => `${indent}description = "x"`,
  yaml: (indent) => `${indent}Description: x`,
  json: (indent) => `${indent}"Description": "x",`,
};

/** Enter at the end of a random non-blank line, then a new attribute/property line typed one character at a time. */
function newLineKeystrokes(text: string, languageId: string, rng: Prng): Edit[] {
  const ends = [...text.matchAll(/[^\s][ \t]*(?=\r?\n)/g)].map((m) => m.index! + m[0].length);
  if (ends.length === 0) return [];
  const at = rng.pick(ends);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, at))![0];
  const eol = text[at] === '\r' ? '\r\n' : '\n';
  const line = NEW_LINES[languageId](indent);
  return [{ start: at, end: at, text: eol }, ...[...line].map((ch, i) => ({ start: at + eol.length + i, end: at + eol.length + i, text: ch }))];
}

/** The character whose deletion breaks a block or section header: a block's `{`, a key's colon. */
const HEADERS: Record<string, RegExp> = {
  terraform: /^(?:resource|data|module|variable|output|locals|provider)\b[^\n]*(\{)[ \t]*\r?$/gm,
  yaml: /^[ \t]*[A-Za-z0-9:_-]*[A-Za-z0-9_](:)[ \t]*\r?$/gm,
  json: /"[^"\n]*"[ \t]*:[ \t]*(\{)[ \t]*\r?$/gm,
};

function headerBreak(text: string, languageId: string, rng: Prng): Edit | undefined {
  const found = [...text.matchAll(HEADERS[languageId])].map((m) => m.index! + m[0].lastIndexOf(m[1]));
  if (found.length === 0) return undefined;
  const at = rng.pick(found);
  return { start: at, end: at + 1, text: '' };
}

export const normalise = (d: Diagnostic[]): string => JSON.stringify(d.map((x) => ({ ...x })).sort((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

export interface LspFuzzOptions {
  runs: number;
  seed: number;
  budgetMs: number;
  /** Edits per sequence before undoing them all. */
  edits?: number;
}

/** `runs` edit sequences, each on a seed file small enough to edit interactively. */
export async function fuzzLspEdits(options: LspFuzzOptions): Promise<FuzzStats> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-lspfuzz-'));
  const edited = await Server.start(workspace);
  const fresh = await Server.start(workspace);
  const stats: FuzzStats = { cases: 0, analyses: 0, survivalCases: 0, survivalFindings: 0, longestMs: 0, longestSource: '', failures: [] };
  // Besides the corpus, a template shaped like CDK output (2-space JSON, aws:cdk:path metadata, intrinsics everywhere).
  const cdk: SeedFile = { source: 'generated CDK template (test/support/typingSessions.ts)', name: 'stack.template.json', text: cdkTemplate(300) };
  const seeds: SeedFile[] = [...seedFiles('hcl'), ...seedFiles('cfnYaml'), ...seedFiles('cfnJson'), cdk].filter((s) => s.text.length < 20000);
  const timeoutMs = Math.max(10000, options.budgetMs * 5);
  let freshOpenings = 0;
  try {
    for (let i = 0; i < options.runs; i++) {
      const cs = caseSeed(options.seed, i);
      const rng = new Prng(cs);
      const seed = rng.pick(seeds);
      const uri = pathToFileURL(path.join(workspace, `c${i}-${seed.name}`)).href;
      const languageId = seed.name.endsWith('.tf') ? 'terraform' : seed.name.endsWith('.yaml') ? 'yaml' : 'json';
      const failure = (problem: string, text: string): FuzzFailure => ({ format: 'lsp', caseSeed: cs, source: seed.source, applied: [`${history.length} edits`], problem, reproducer: text });
      let version = 1;
      let text = seed.text;
      const history: Edit[] = [];
      stats.cases++;
      let mark = edited.mark;
      await edited.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });

      /** Compares the edited server's diagnostics for the current version with a fresh analysis of the same text. */
      const checkpoint = async (): Promise<string | undefined> => {
        const started = performance.now();
        const incremental = await edited.diagnostics(uri, version, mark, timeoutMs);
        const ms = performance.now() - started;
        stats.analyses++;
        if (ms > stats.longestMs) [stats.longestMs, stats.longestSource] = [ms, seed.source];
        const freshMark = fresh.mark;
        // A version of its own per opening: the fresh server's "cleared on close" is not mistaken for it.
        const freshVersion = ++freshOpenings;
        await fresh.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: freshVersion, text } });
        const reference = await fresh.diagnostics(uri, freshVersion, freshMark, timeoutMs, true);
        await fresh.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
        if (incremental === 'timeout' || incremental === 'failed') return `edited server: ${incremental === 'failed' ? 'analysis failed' : `no diagnostics within ${timeoutMs} ms`} at version ${version}`;
        if (reference === 'timeout' || reference === 'failed') return `fresh server: ${reference} at version ${version}`;
        if (normalise(incremental) !== normalise(reference)) return `at version ${version} the edited document's diagnostics ${normalise(incremental).slice(0, 300)} differ from a fresh analysis ${normalise(reference).slice(0, 300)}`;
        return undefined;
      };

      const apply = async (edit: Edit): Promise<Edit> => {
        const doc = TextDocument.create(uri, languageId, version, text);
        const range = { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) };
        const removed = text.slice(edit.start, edit.end);
        text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
        version++;
        mark = edited.mark;
        await edited.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: edit.text }] });
        return { start: edit.start, end: edit.start + edit.text.length, text: removed };
      };

      let problem = await checkpoint();
      const edits = options.edits ?? 12;
      for (let e = 0; e < edits && !problem; e++) {
        // Now and then what users do most: a new line typed character by character (checked at
        // some keystrokes and once typed; typingEquivalence.test.ts checks every one on
        // generated files), and a header broken and repaired, checked at both steps.
        const typing = e >= 2 ? rng.int(6) : -1;
        if (typing === 0) {
          const keystrokes = newLineKeystrokes(text, languageId, rng);
          for (const [k, keystroke] of keystrokes.entries()) {
            history.push(await apply(keystroke));
            if (k === keystrokes.length - 1 || rng.int(5) === 0) problem = await checkpoint();
            if (problem) break;
          }
          continue;
        }
        const broken = typing === 1 ? headerBreak(text, languageId, rng) : undefined;
        if (broken) {
          const repair = await apply(broken);
          problem = await checkpoint();
          if (!problem) {
            await apply(repair);
            problem = await checkpoint();
          }
          continue;
        }
        // Every sequence types an astral character (a surrogate pair in UTF-16) and a CRLF once, where LSP and JS offsets part ways.
        const edit = e < 2 ? { ...randomEdit(text, rng), text: e === 0 ? '😀' : '\r\n' } : randomEdit(text, rng);
        history.push(await apply(edit.end > edit.start ? { ...edit, end: edit.start } : edit));
        // A burst of keystrokes, then a pause: the server's debounce decides what it analyses.
        if (rng.int(3) === 0) problem = await checkpoint();
      }
      if (!problem) problem = await checkpoint();
      while (history.length > 0 && !problem) {
        await apply(history.pop()!);
        if (rng.int(4) === 0) problem = await checkpoint();
      }
      if (!problem && text !== seed.text) problem = 'undoing every edit did not give back the original text (fuzzer bug)';
      if (!problem) problem = await checkpoint();
      if (problem) stats.failures.push(failure(problem, text));
      await edited.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    }
  } finally {
    await edited.stop();
    await fresh.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  return stats;
}
