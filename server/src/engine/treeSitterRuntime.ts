/**
 * The process's web-tree-sitter runtime, shared by every grammar, that survives a WASM abort.
 *
 * web-tree-sitter keeps one WebAssembly instance per copy of its JavaScript module. When that
 * instance runs out of memory (a 2 GB heap filled by a hostile file) it aborts, and from then on
 * every call into it aborts too: no file of that language would parse again for the life of the
 * process. So each runtime loads its own copy of web-tree-sitter's CommonJS build (shipped beside
 * the bundle, outside it), keeps a spare copy loaded in the background, and when a call fails
 * inside the runtime, switches to the spare at once (synchronously: the parsers' callers are) and
 * drops the failed copy, whose memory is then given back.

Grammars are compiled once per process (`WebAssembly.Module`) and instantiated in a copy the
first time a parser for them is asked for, synchronously: a grammar nobody uses (TypeScript,
in a workspace with no CDK app) is never compiled.
 *
 * Calling `Parser.init` twice on one copy would not do: the copy's parsers, trees and
 * finalizers would then free their addresses in the new instance's heap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';

type WebTreeSitter = typeof TreeSitter;

/** One loaded copy of web-tree-sitter, and the grammars instantiated in it so far. */
export interface TreeSitterInstance {
  readonly api: WebTreeSitter;
  readonly languages: Map<string, TreeSitter.Language>;
  /** One parser per grammar, held here rather than by its users, so that nothing outside keeps a failed copy alive. */
  readonly parsers: Map<string, TreeSitter.Parser>;
  /** The emscripten module object (web-tree-sitter's `init` options, filled in by emscripten). */
  readonly module: Record<string, unknown>;
  /** Set by emscripten's `onAbort`, before the abort's error is thrown. */
  aborted: boolean;
}

/** Looks a file up next to the running bundle (the packaged extension and the CLI ship it in `dist/`), then in `node_modules`. */
export function locateRuntimeFile(fileName: string, packageRelative: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageRelative);
}

/** web-tree-sitter's CommonJS build (its package's `require` entry). */
const webTreeSitterModule = (): string => locateRuntimeFile('web-tree-sitter.cjs', 'web-tree-sitter');

/** A copy of web-tree-sitter that shares nothing with the copies loaded before it. */
function freshCopy(): WebTreeSitter {
  const file = webTreeSitterModule();
  const previous = require.cache[file];
  delete require.cache[file];
  // The module that required a copy lists it among its `children`, which would keep every copy
  // (and its WASM memory) reachable.
  if (previous) {
    for (const parent of Object.values(require.cache)) {
      if (parent?.children.includes(previous)) parent.children = parent.children.filter((child) => child !== previous);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as WebTreeSitter;
}

async function loadInstance(): Promise<TreeSitterInstance> {
  const api = freshCopy();
  const runtimeWasm = locateRuntimeFile('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
  const instance = { api, aborted: false, languages: new Map(), parsers: new Map() } as { -readonly [K in keyof TreeSitterInstance]: TreeSitterInstance[K] };
  const module: Record<string, unknown> = {
    locateFile: () => runtimeWasm,
    // The failure reaches the user as the file's note; emscripten would also print "Aborted()".
    printErr: () => undefined,
    onAbort: () => {
      instance.aborted = true;
      disarm(module);
    },
  };
  await api.Parser.init(module);
  instance.module = module;
  return instance;
}

/** Node's WebAssembly namespace, as far as it is used here (the project's `lib` has no DOM types). */
declare const WebAssembly: { Module: new (bytes: Uint8Array) => Parameters<WebTreeSitter['Language']['loadSync']>[0] };

/** Each grammar's compiled module, shared by every copy: instantiating it is cheap, compiling is not. */
const compiledGrammars = new Map<string, Parameters<WebTreeSitter['Language']['loadSync']>[0]>();

function compiledGrammar(grammarFile: string): Parameters<WebTreeSitter['Language']['loadSync']>[0] {
  let compiled = compiledGrammars.get(grammarFile);
  if (!compiled) {
    compiled = new WebAssembly.Module(fs.readFileSync(grammarFile));
    compiledGrammars.set(grammarFile, compiled);
  }
  return compiled;
}

/**
 * Makes a failed copy's exported functions do nothing. Its parsers and trees are dropped, not
 * deleted (a call into an aborted instance aborts again), and their finalizers, which would call
 * those exports when the objects are collected, then have nothing left to fail on.
 */
function disarm(module: Record<string, unknown>): void {
  for (const key of Object.keys(module)) if (key.startsWith('_') && typeof module[key] === 'function') module[key] = () => 0;
}

/** Something a call into tree-sitter threw: whatever it is, the runtime failed (its glue code throws TypeErrors once the heap is full). */
class TreeSitterFailed extends Error {
  constructor(readonly failure: unknown) {
    super(failureText(failure));
  }
}

/** `call()`, a call into tree-sitter, with whatever it throws marked as the runtime's failure. */
export function treeSitterCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw new TreeSitterFailed(error);
  }
}

/**
 * What a runtime failure says, for the note of the file it happened on; undefined when `error`
 * is not one (a bug of ours, to be thrown on). A failure is what a `treeSitterCall` threw, or
 * anything after an abort or a WebAssembly trap (`WebAssembly.RuntimeError`) while reading a tree.
 */
export function runtimeFailure(error: unknown, instance: TreeSitterInstance): string | undefined {
  if (error instanceof TreeSitterFailed) return error.message;
  const trapOrAbort = instance.aborted || (error instanceof Error && error.name === 'RuntimeError');
  return trapOrAbort ? failureText(error) : undefined;
}

function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('Aborted(') ? "tree-sitter's WebAssembly instance aborted, most likely because its memory was full" : message;
}

/** The note of a file a grammar's parser failed on. */
export const failedParseNote = (parser: string, failure: string): string =>
  `the ${parser} parser failed on this file (${failure}) and was restarted, so other files are read as usual`;

/** The note of a file parsed while the runtime was being replaced (two failures within moments): it is parsed again next time. */
export const restartingNote = (parser: string): string => `the ${parser} parser was being restarted after it failed on another file`;

/** Time after start-up before the spare copy is loaded, so that it does not delay the first diagnostics. */
const SPARE_DELAY_MS = 2000;

export class TreeSitterRuntime {
  private spare: TreeSitterInstance | undefined;
  private loadingSpare: Promise<void> | undefined;
  /** The current copy failed and no spare was loaded yet: nothing parses until one is. */
  private failed = false;
  /** Bumped at each switch: a parser made in an earlier generation must be made again. */
  generation = 0;
  /** How many times the runtime was replaced, for tests and logs. */
  restarts = 0;

  private constructor(private instance: TreeSitterInstance) {}

  static async load(): Promise<TreeSitterRuntime> {
    const runtime = new TreeSitterRuntime(await loadInstance());
    runtime.prepareSpare(SPARE_DELAY_MS);
    return runtime;
  }

  get current(): TreeSitterInstance {
    return this.instance;
  }

  /** False from a failure until a fresh copy is in place (moments, unless failures follow each other). */
  get usable(): boolean {
    return !this.failed;
  }

  /** Compiles a grammar ahead of its first use (at start-up, off the keystroke path). */
  prepare(grammarFile: string): void {
    compiledGrammar(grammarFile);
  }

  /**
   * The parser of the grammar in `grammarFile`, in the current copy. Ask for it at each use and
   * do not keep it: after a failure it belongs to the dropped copy. (Parsing is synchronous, so
   * one parser a grammar serves every caller.)
   */
  parser(grammarFile: string): TreeSitter.Parser {
    let parser = this.instance.parsers.get(grammarFile);
    if (!parser) {
      parser = this.newParser(grammarFile);
      this.instance.parsers.set(grammarFile, parser);
    }
    return parser;
  }

  private newParser(grammarFile: string): TreeSitter.Parser {
    const { api, languages } = this.instance;
    let language = languages.get(grammarFile);
    if (!language) {
      language = api.Language.loadSync(compiledGrammar(grammarFile));
      languages.set(grammarFile, language);
    }
    const parser = new api.Parser();
    parser.setLanguage(language);
    return parser;
  }

  /**
   * The current copy has failed: switch to the spare if it is loaded (and load another), and
   * say whether a working copy is in place. Without a spare (two failures within moments) the
   * runtime is not `usable` until the next spare has loaded.
   */
  replace(): boolean {
    disarm(this.instance.module);
    this.failed = true;
    this.takeSpare();
    this.prepareSpare(0);
    return !this.failed;
  }

  /** Bytes of WebAssembly memory the current copy holds: it grows with the largest file parsed and never shrinks. */
  get memoryBytes(): number {
    const heap = this.instance.module.HEAP8 as Int8Array | undefined;
    return heap?.length ?? 0;
  }

  /**
   * Swaps a copy whose memory grew past `minBytes` for the spare, which holds a fresh heap; the
   * old copy's memory is then given back. For when no document keeps a tree (every parser
   * drops its trees when the generation changes, so a tree kept anyway costs one whole parse).
   */
  compact(minBytes: number): boolean {
    if (this.failed || !this.spare || this.memoryBytes <= minBytes) return false;
    disarm(this.instance.module);
    this.switchToSpare(this.spare);
    this.prepareSpare(SPARE_DELAY_MS);
    return true;
  }

  /** Resolves once a spare copy is loaded, or its loading failed (tests; recovery after two failures in a row). */
  spareLoaded(): Promise<void> {
    this.prepareSpare(0);
    return this.loadingSpare ?? Promise.resolve();
  }

  private takeSpare(): void {
    if (!this.failed || !this.spare) return;
    this.switchToSpare(this.spare);
    this.failed = false;
    this.restarts++;
  }

  /** The spare becomes the current copy; parsers of the earlier generation are made again. */
  private switchToSpare(spare: TreeSitterInstance): void {
    this.instance = spare;
    this.spare = undefined;
    this.generation++;
  }

  private prepareSpare(delayMs: number): void {
    if (this.spare || this.loadingSpare) return;
    this.loadingSpare = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        loadInstance().then(
          (instance) => {
            this.spare = instance;
            this.takeSpare();
            this.loadingSpare = undefined;
            resolve();
            // The spare just became the current copy: load the next one.
            if (!this.spare) this.prepareSpare(0);
          },
          () => {
            this.loadingSpare = undefined;
            resolve();
            // Without a working copy, try again a little later; otherwise the next failure will.
            if (this.failed) this.prepareSpare(SPARE_DELAY_MS);
          },
        );
      }, delayMs);
      // The spare must not keep a CLI run alive.
      timer.unref?.();
    });
  }
}

let shared: Promise<TreeSitterRuntime> | undefined;

/**
 * Gives back the parsers' WebAssembly memory grown past `minBytes` by a large file, once no
 * document is open (see `TreeSitterRuntime.compact`); nothing when the parsers were never loaded.
 */
export async function compactParsers(minBytes: number): Promise<boolean> {
  return shared ? (await shared).compact(minBytes) : false;
}

/** The process's runtime, loaded on first call; every grammar's parsers come from it. */
export function treeSitterRuntime(): Promise<TreeSitterRuntime> {
  shared ??= TreeSitterRuntime.load();
  return shared;
}
