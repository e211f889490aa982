/**
 * A scan worker thread: its own analyzer (and tree-sitter instance) over the files it is sent,
 * a batch at a time. Batches hold whole folders, so a Terraform module is parsed once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer } from '../engine';
import { createDiskHost } from '../diskHost';
import { analyzeBatch } from './analyzeBatch';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('scanWorker runs only as a worker thread');
  const setup = workerData as WorkerSetup;
  const post = (message: FromWorker): void => port.postMessage(message);
  const host = createDiskHost({ roots: setup.roots, maxFileSize: setup.maxFileSize, snapshot: true, onSkip: (file, reason) => post({ type: 'skipped', file, reason }) });
  const analyzer = await createAnalyzer(host, setup.config);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      port.close();
      return;
    }
    const outcomes = analyzeBatch(analyzer, message.files);
    // Parsed files are kept only while their folder is analysed: memory stays flat however large the workspace.
    analyzer.forgetDiskFiles();
    post({ type: 'batch-done', outcomes });
  });
  post({ type: 'ready' });
}

void main();
