/**
 * Preloaded (`node --require`) into the CLI by the limits tests: appends every path the
 * process (and its worker threads, which inherit --require) opens, reads, lists or resolves
 * to the file named by CTKL_READ_LOG, and the peak RSS at exit to CTKL_RSS_LOG.
 */
'use strict';
const fs = require('node:fs');
const log = process.env.CTKL_READ_LOG;
const rssLog = process.env.CTKL_RSS_LOG;
const append = fs.appendFileSync;
if (log) {
  const record = (name) => {
    const original = fs[name];
    if (typeof original !== 'function') return;
    fs[name] = function traced(p, ...rest) {
      try {
        append(log, `${name}\t${typeof p === 'number' ? `fd:${p}` : String(p)}\n`);
      } catch { /* the log is best effort */ }
      return original.call(this, p, ...rest);
    };
    Object.assign(fs[name], original); // realpathSync.native and the like
  };
  for (const name of ['openSync', 'readFileSync', 'readdirSync', 'opendirSync', 'realpathSync', 'statSync', 'lstatSync', 'open', 'readFile', 'readdir', 'createReadStream']) record(name);
  const promises = fs.promises;
  for (const name of ['open', 'readFile', 'readdir', 'opendir']) {
    const original = promises[name];
    promises[name] = function traced(p, ...rest) {
      try {
        append(log, `promises.${name}\t${String(p)}\n`);
      } catch { /* best effort */ }
      return original.call(this, p, ...rest);
    };
  }
}
if (rssLog && require('node:worker_threads').isMainThread) {
  process.on('exit', () => append(rssLog, `${Math.round(process.resourceUsage().maxRSS / 1024)}\n`));
}
