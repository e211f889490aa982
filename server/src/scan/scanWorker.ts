/**
 * A scan worker thread: its own analyzer (and tree-sitter instance) over the files it is sent,
 * a batch at a time. Batches hold whole folders, so a Terraform module is parsed once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer, type Analyzer } from '../engine';
import { createDiskHost, type DiskHost } from '../diskHost';
import { analyzeBatch } from './analyzeBatch';
import { batchOutcomes, type FromWorker, type ToWorker, type WorkerData } from './protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('scanWorker runs only as a worker thread');
  const { setups } = workerData as WorkerData;
  const post = (message: FromWorker): void => port.postMessage(message);
  // One analyzer per setup, made when a batch of it first arrives (most scans have one setup).
  const analyzers = new Map<number, Promise<{ analyzer: Analyzer; host: DiskHost }>>();
  const analyzerFor = (index: number): Promise<{ analyzer: Analyzer; host: DiskHost }> => {
    let analyzer = analyzers.get(index);
    if (!analyzer) {
      const setup = setups[index];
      const host = createDiskHost({ roots: setup.roots, maxFileSize: setup.maxFileSize, snapshot: true, onSkip: (file, reason) => post({ type: 'skipped', file, reason }) });
      analyzer = createAnalyzer(host, setup.config).then((made) => ({ analyzer: made, host }));
      analyzers.set(index, analyzer);
    }
    return analyzer;
  };
  // The first setup's analyzer is ready before the worker says so, as before groups existed.
  await analyzerFor(0);
  port.on('message', async (message: ToWorker) => {
    if (message.type === 'stop') {
      port.close();
      return;
    }
    // A worker holds one batch at a time: the next arrives only after this one's answer.
    const { analyzer, host } = await analyzerFor(message.setup);
    const outcomes = analyzeBatch(analyzer, message.files);
    // Parsed files (and the folders listed) are kept only while their batch is analysed:
    // memory stays flat however large the workspace.
    analyzer.forgetDiskFiles();
    host.forgetSnapshot();
    post({ type: 'batch-done', outcomes: batchOutcomes(outcomes) });
  });
  post({ type: 'ready' });
}

void main();
