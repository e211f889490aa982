/**
 * Runs the built CLI (`bin/cloudtrail-kms-lint.js scan … --format json`) as CI does, with the
 * read tracer preloaded, a memory cap and a time limit, and returns what a user would see plus
 * every path the process touched and its peak RSS.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './engine';

export interface ScanRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The JSON report, when stdout holds one. */
  report?: { findings: { ruleId: string; file: string; resource: string; message: string }[]; stats: { files: number; ms: number } };
  /** Paths opened, read, listed or resolved, one per line as `call\tpath`. */
  reads: string[];
  maxRssMb?: number;
  ms: number;
}

export function scanCli(args: string[], options: { timeoutMs?: number; maxOldSpaceMb?: number; cwd?: string } = {}): ScanRun {
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-trace-'));
  const readLog = path.join(logs, 'reads');
  const rssLog = path.join(logs, 'rss');
  const started = Date.now();
  const run = spawnSync(process.execPath, [
    `--max-old-space-size=${options.maxOldSpaceMb ?? 1024}`, '--require', path.join(repoRoot(), 'test', 'support', 'readTrace.js'),
    path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js'), 'scan', ...args, '--format', 'json', '--fail-on', 'none',
  ], { encoding: 'utf8', timeout: options.timeoutMs ?? 60000, maxBuffer: 256 * 2 ** 20, cwd: options.cwd, env: { ...process.env, CTKL_READ_LOG: readLog, CTKL_RSS_LOG: rssLog } });
  const ms = Date.now() - started;
  const read = (p: string): string => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
  let report: ScanRun['report'];
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  const rss = read(rssLog).trim().split('\n').filter(Boolean).map(Number);
  const result = { status: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '', report, reads: read(readLog).split('\n').filter(Boolean), maxRssMb: rss.length ? Math.max(...rss) : undefined, ms };
  fs.rmSync(logs, { recursive: true, force: true });
  return result;
}

export const TRAIL_WITHOUT_KEY = 'resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "logs"\n}\n';

/** A temp folder with `ws/ok/main.tf` (a trail without a key, whose finding must survive), made before each test and removed after. */
export function useLimitsWorkspace(): { tmp: string; ws: string; put(relative: string, text: string): string } {
  const w = {
    tmp: '',
    ws: '',
    put(relative: string, text: string): string {
      const p = path.join(w.ws, relative);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return p;
    },
  };
  beforeEach(() => {
    w.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-limits-'));
    w.ws = path.join(w.tmp, 'ws');
    w.put(path.join('ok', 'main.tf'), TRAIL_WITHOUT_KEY);
  });
  afterEach(() => fs.rmSync(w.tmp, { recursive: true, force: true }));
  return w;
}
