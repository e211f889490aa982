'use strict';
// The project's scan worker (the tsc build in out/), which first tells the scan the V8 resource
// limits it was started with, as a skipped file named "resource-limits" whose reason is them in JSON.
const path = require('node:path');
const { parentPort, resourceLimits } = require('node:worker_threads');

parentPort.postMessage({ type: 'skipped', file: 'resource-limits', reason: JSON.stringify(resourceLimits) });
require(path.join(__dirname, '..', '..', 'out', 'server', 'src', 'scan', 'scanWorker.js'));
