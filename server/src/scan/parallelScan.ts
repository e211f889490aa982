/**
 * Analyses many files off the calling thread: folders are packed into batches and handed to
 * worker threads as they become free, so the language server's main loop keeps answering
 * keystrokes during a workspace scan, and the CLI uses every core.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createAnalyzer } from '../engine';
import { createDiskHost, pathToUri } from '../diskHost';
import { stringSharer, toFindingData, type FindingData, type FromWorker, type WorkerSetup } from './protocol';

export interface ScanCallbacks {
  onResult(file: string, findings: FindingData[]): void;
  onSkip?(file: string, reason: string): void;
  onError?(file: string, error: string): void;
  /** Called after each batch with how many files are done. */
  onProgress?(done: number, total: number, folder: string): void;
  isCancelled?(): boolean;
}

/** Below this many files a worker's start-up (~100 ms) costs more than it saves. */
const INLINE_LIMIT = 60;
const BATCH_FILES = 40;

export async function scanFiles(files: string[], setup: WorkerSetup, callbacks: ScanCallbacks, workers = defaultWorkers()): Promise<void> {
  if (files.length <= INLINE_LIMIT || workers <= 1) return scanInline(files, setup, callbacks);
  const batches = packByFolder(files);
  const total = files.length;
  let done = 0;
  let next = 0;
  const share = stringSharer();
  const workerFile = path.join(__dirname, 'scanWorker.js');
  const run = (): Promise<void> => new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: setup });
    let current: string[] = [];
    const dispatch = (): void => {
      if (callbacks.isCancelled?.() || next >= batches.length) {
        void worker.terminate().then(() => resolve());
        return;
      }
      current = batches[next++];
      worker.postMessage({ type: 'batch', files: current });
    };
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready': dispatch(); break;
        case 'skipped': callbacks.onSkip?.(message.file, message.reason); break;
        case 'batch-done': {
          const finished = current;
          // Hand out the next batch before reporting this one, so the worker is not idle meanwhile.
          dispatch();
          for (const outcome of message.outcomes) {
            if ('error' in outcome) callbacks.onError?.(outcome.file, outcome.error);
            else callbacks.onResult(outcome.file, outcome.findings.map(share));
          }
          done += finished.length;
          callbacks.onProgress?.(done, total, path.dirname(finished[finished.length - 1] ?? ''));
          break;
        }
      }
    });
    worker.on('error', reject);
  });
  await Promise.all(Array.from({ length: Math.min(workers, batches.length) }, run));
}

async function scanInline(files: string[], setup: WorkerSetup, callbacks: ScanCallbacks): Promise<void> {
  const host = createDiskHost({ roots: setup.roots, maxFileSize: setup.maxFileSize, snapshot: true, onSkip: (file, reason) => callbacks.onSkip?.(file, reason) });
  const analyzer = await createAnalyzer(host, setup.config);
  let done = 0;
  for (const batch of packByFolder(files)) {
    if (callbacks.isCancelled?.()) return;
    let results: Map<string, FindingData[]> | undefined;
    try {
      results = new Map([...analyzer.analyzeMany(batch.map(pathToUri))].map(([uri, found]) => [uri, found.map(toFindingData)]));
    } catch {
      // One file broke the batch: the files are analysed one by one below.
    }
    for (const file of batch) {
      try {
        callbacks.onResult(file, results?.get(pathToUri(file)) ?? analyzer.analyze(pathToUri(file)).map(toFindingData));
      } catch (error) {
        callbacks.onError?.(file, error instanceof Error ? error.stack ?? error.message : String(error));
      }
    }
    analyzer.forgetDiskFiles();
    done += batch.length;
    callbacks.onProgress?.(done, files.length, path.dirname(batch[batch.length - 1]));
    // Let the language server answer keystrokes between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whole folders per batch (a module is analysed by one worker), about BATCH_FILES files each. */
export function packByFolder(files: string[]): string[][] {
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = path.dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  const batches: string[][] = [];
  let batch: string[] = [];
  for (const group of byFolder.values()) {
    batch.push(...group);
    if (batch.length >= BATCH_FILES) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export function defaultWorkers(): number {
  const fromEnv = Number(process.env.CLOUDTRAIL_KMS_LINT_WORKERS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}
