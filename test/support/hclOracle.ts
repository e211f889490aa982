/** HashiCorp's HCL parser and formatter, each run in a child process (their WASM installs globals). */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './engine';

type Named = { name: string; text: string };

/** Sends all files to one oracle process at once: a process per file would be too slow here. */
function runOracle<T>(args: string[], files: Named[]): Promise<T[]> {
  if (files.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'test', 'support', 'hcl-oracle.js'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`hcl oracle exited with ${code}`));
      resolve(JSON.parse(out));
    });
    child.stdin.end(JSON.stringify(files));
  });
}

/** Whether texts are valid HCL, by `@cdktf/hcl2json`. */
export function validateHcl(files: Named[]): Promise<{ name: string; error: string | null }[]> {
  return runOracle([], files);
}

/** What `terraform fmt` would write (hclwrite.Format via `@cdktf/hcl-tools`); null when it cannot. */
export function formatHcl(files: Named[]): Promise<{ name: string; formatted: string | null; error: string | null }[]> {
  return runOracle(['format'], files);
}
