'use strict';
// The project's scan worker (the tsc build in out/), except that a batch holding a file whose
// name contains "exhausts-memory" makes it allocate until V8 stops the thread with "Worker
// terminated due to reaching memory limit", as a runaway analysis does. Run with small
// resourceLimits so that happens quickly. A file whose name contains "hangs-forever" makes it
// spin without end.
const path = require('node:path');
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (message) => {
  if (message.type !== 'batch') return;
  // "hangs-forever": an analysis that never ends, which only terminating the thread stops.
  if (message.files.some((f) => path.basename(f).includes('hangs-forever'))) for (;;);
  if (!message.files.some((f) => path.basename(f).includes('exhausts-memory'))) return;
  const hoard = [];
  for (;;) hoard.push(new Array(1e5).fill(hoard.length));
});
require(path.join(__dirname, '..', '..', 'out', 'server', 'src', 'scan', 'scanWorker.js'));
