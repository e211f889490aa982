/**
 * The Terraform grammar, in the process's tree-sitter runtime (see `treeSitterRuntime.ts`: it is
 * replaced, not lost, when the WASM instance aborts).
 */
import { locateRuntimeFile, treeSitterRuntime, type TreeSitterRuntime } from '../../treeSitterRuntime';

let grammarFile: string | undefined;

/** The grammar's WASM file: beside the bundle, or in node_modules. */
export function terraformGrammarFile(): string {
  grammarFile ??= locateRuntimeFile('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
  return grammarFile;
}

/** Resolves once the runtime is loaded and the grammar compiled; later calls reuse both. */
export async function loadTerraformGrammar(): Promise<TreeSitterRuntime> {
  const runtime = await treeSitterRuntime();
  runtime.prepare(terraformGrammarFile());
  return runtime;
}

export type { TreeSitterRuntime };
export type { Node as SyntaxNode, Tree, Parser } from 'web-tree-sitter';
