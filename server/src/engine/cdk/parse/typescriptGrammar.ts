/**
 * tree-sitter's TypeScript grammar, in the process's tree-sitter runtime (see
 * `treeSitterRuntime.ts`, shared with the Terraform grammar and replaced, not lost, when the
 * WASM instance aborts). The runtime is started when the adapter is created; the grammar is
 * compiled, synchronously, the first time a file of a CDK app is parsed, and never before: a
 * workspace with no CDK app never pays for it.
 */
import { locateRuntimeFile, treeSitterRuntime, type TreeSitterRuntime } from '../../treeSitterRuntime';
import type { Parser } from 'web-tree-sitter';

let runtime: TreeSitterRuntime | undefined;
let grammarFile: string | undefined;
let loaded = false;

/** Starts the tree-sitter runtime (not the TypeScript grammar); later calls reuse it. */
export async function startParserRuntime(): Promise<void> {
  runtime ??= await treeSitterRuntime();
}

/** The runtime, once `startParserRuntime` has resolved. */
export function parserRuntime(): TreeSitterRuntime {
  if (!runtime) throw new Error('the TypeScript parser was used before its runtime was started');
  return runtime;
}

/** The runtime's TypeScript parser, in its current instance (the grammar is compiled on the first call). Ask at each use; do not keep it. */
export function typeScriptParser(): Parser {
  grammarFile ??= locateRuntimeFile('tree-sitter-typescript.wasm', 'tree-sitter-typescript/tree-sitter-typescript.wasm');
  const parser = parserRuntime().parser(grammarFile);
  loaded = true;
  return parser;
}

/** Whether the grammar has been loaded in this process: a workspace without a CDK app never loads it. */
export const isTypeScriptGrammarLoaded = (): boolean => loaded;

export type { Parser };
