/**
 * tree-sitter's TypeScript grammar, loaded the first time a file of a CDK app is parsed and
 * never before: a workspace with no CDK app never pays for it. The web-tree-sitter runtime is
 * started when the adapter is created (the Terraform grammar starts the same runtime); the
 * grammar itself is compiled synchronously on first use, so parsing stays synchronous.
 *
 * The WASM files are looked up next to the running bundle first (the packaged extension and
 * the CLI ship them in `dist/`), then in `node_modules` (tests running from `out/`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/** Node's WebAssembly global (the project's `lib` has no DOM types). */
declare const WebAssembly: { Module: new (bytes: Uint8Array) => Parameters<typeof Language.loadSync>[0] };

let runtime: Promise<void> | undefined;
let language: Language | undefined;

function locate(fileName: string, packageRelative: string): string {
  const besideBundle = path.join(__dirname, fileName);
  return fs.existsSync(besideBundle) ? besideBundle : require.resolve(packageRelative);
}

/** Starts web-tree-sitter's runtime (not the TypeScript grammar); later calls reuse the same promise. */
export function startParserRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm') });
  return runtime;
}

/** The TypeScript grammar, compiled on first call (after `startParserRuntime` resolved). */
export function typescriptLanguage(): Language {
  language ??= Language.loadSync(new WebAssembly.Module(fs.readFileSync(locate('tree-sitter-typescript.wasm', 'tree-sitter-typescript/tree-sitter-typescript.wasm'))));
  return language;
}

/** Whether the grammar has been loaded in this process: a workspace without a CDK app never loads it. */
export const isTypeScriptGrammarLoaded = (): boolean => language !== undefined;

export { Parser };
