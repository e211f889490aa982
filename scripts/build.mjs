// Bundles the client, the server and the CLI with esbuild, and copies the files the Terraform
// and TypeScript (CDK) parsers load at run time (web-tree-sitter's CommonJS build and the WASM
// files) next to them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  // jsonc-parser's "main" is a UMD build esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // dist/server.js is a small loader that runs dist/languageServer.js with V8's code cache.
  esbuild.build({ ...common, entryPoints: ['server/src/boot/serverBoot.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/languageServer.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/scan/scanWorker.ts'], outfile: 'dist/scanWorker.js' }),
]);

// web-tree-sitter stays outside the bundle: the engine loads a fresh copy of its CommonJS build
// when a WASM instance aborts (server/src/engine/treeSitterRuntime.ts), which a bundled copy
// could not be.
const runtimeFiles = ['web-tree-sitter', 'web-tree-sitter/web-tree-sitter.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'tree-sitter-typescript/tree-sitter-typescript.wasm'];
for (const file of runtimeFiles) {
  const from = require.resolve(file);
  copyFileSync(from, path.join('dist', path.basename(from)));
}
console.log('built dist/client.js, dist/server.js, dist/languageServer.js, dist/cli.js, dist/scanWorker.js');
