/**
 * Loads web-tree-sitter and the Terraform grammar once per process.
 *
 * The WASM files are looked up next to the running bundle first (the packaged extension and
 * the CLI ship them in `dist/`), then in `node_modules` (tests running from `out/`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;

function locate(fileName: string, packageRelative: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageRelative);
}

/** Resolves once the runtime and grammar are loaded; later calls reuse the same promise. */
export function loadTerraformLanguage(): Promise<Language> {
  loading ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    return Language.load(locate('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
  })();
  return loading;
}

export { Edit, Language, Parser };
export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';
