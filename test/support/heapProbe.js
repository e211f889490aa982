/**
 * Preloaded (`node --expose-gc --require`) into the language server by the session-memory test:
 * on SIGUSR2 it runs a full garbage collection and writes `process.memoryUsage()` (heap after
 * the collection, RSS) to the file named by CTKL_HEAP_LOG, so a test can tell memory the server
 * still holds from garbage V8 has not collected yet. The server itself is not changed.
 */
'use strict';
const fs = require('node:fs');
const log = process.env.CTKL_HEAP_LOG;
if (log && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    fs.writeFileSync(`${log}.tmp`, JSON.stringify(process.memoryUsage()));
    fs.renameSync(`${log}.tmp`, log);
  });
}
