/**
 * The Terraform grammar's tree-sitter runtime, loaded once per process (see
 * `treeSitterRuntime.ts`: it is replaced, not lost, when the WASM instance aborts).
 */
import { GrammarRuntime, locateRuntimeFile } from '../../treeSitterRuntime';

let loading: Promise<GrammarRuntime> | undefined;

/** Resolves once the runtime and grammar are loaded; later calls reuse the same promise. */
export function loadTerraformGrammar(): Promise<GrammarRuntime> {
  loading ??= GrammarRuntime.load(locateRuntimeFile('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
  return loading;
}

export type { GrammarRuntime };
export type { Node as SyntaxNode, Tree, Parser } from 'web-tree-sitter';
