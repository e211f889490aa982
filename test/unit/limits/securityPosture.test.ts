/**
 * What the README's Security section promises about the code itself: the engine imports no
 * file, process or network module (it reads through the host it is given), and the CI command's
 * bundles load no module that could run a program or open a connection.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/engine';

const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('security posture', () => {
  it('the engine imports no fs, process or network module, except to load its own parser from the install folder', () => {
    const offenders = walk(path.join(repoRoot(), 'server', 'src', 'engine'))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '(node:)?(fs|child_process|net|http|https|http2|tls|dgram|dns|worker_threads)(\/promises)?'/.test(fs.readFileSync(f, 'utf8')));
    // The tree-sitter loaders (Terraform's, CDK's TypeScript) read the bundled WASM files next to the code, never a workspace path.
    assert.deepEqual(offenders.map((f) => path.relative(repoRoot(), f)), [path.join('server', 'src', 'engine', 'cdk', 'parse', 'typescriptGrammar.ts'), path.join('server', 'src', 'engine', 'terraform', 'parse', 'treeSitter.ts')]);
  });

  it('the CLI and scan-worker bundles load no module that runs programs or opens connections', () => {
    for (const bundle of ['cli.js', 'scanWorker.js']) {
      const text = fs.readFileSync(path.join(repoRoot(), 'dist', bundle), 'utf8');
      const loaded = [...new Set(text.match(/require\("(node:)?(child_process|net|http|https|http2|tls|dgram|dns)"\)/g) ?? [])];
      assert.deepEqual(loaded, [], bundle);
    }
  });
});
