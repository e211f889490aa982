/** Asks HashiCorp's HCL parser (in a child process) whether texts are valid HCL. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './engine';

export function validateHcl(files: { name: string; text: string }[]): Promise<{ name: string; error: string | null }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'test', 'support', 'hcl-oracle.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
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
