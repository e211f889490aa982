/**
 * How long and how much memory tree-sitter may spend on one text. Ordinary HCL parses at
 * several MB/s on a small machine, but some texts make the grammar crawl: a string of a million
 * `${`, an attribute followed by 200,000 commas (seconds to minutes, and gigabytes of WASM
 * memory that are never given back, after which every later parse aborts). A parse is
 * cancelled, through tree-sitter's progress callback, once it has run longer than a grace
 * period plus what the slowest ordinary text would need for the part read so far, or once the
 * process has grown by more than `MAX_GROWTH_BYTES` while it runs.
 */
const PARSE_GRACE_MS = 500;
/** Bytes of input (tree-sitter counts UTF-16 text in bytes) an ordinary parse reads per ms, at the least: a tenth of what this machine does. */
const PARSE_MIN_BYTES_PER_MS = 1000;
const MAX_GROWTH_BYTES = 1024 * 1024 * 1024;
/** The memory is looked at once in this many callbacks (tree-sitter calls back every ~100 operations). */
const MEMORY_CHECK_EVERY = 256;

export interface ParseBudget {
  progressCallback: (state: { currentOffset: number }) => boolean;
  /** Why the parse was stopped, for the note the user sees. */
  reason(): string;
}

/** A budget for parsing `length` UTF-16 code units. */
export function parseBudget(length: number): ParseBudget {
  const started = performance.now();
  // Read at the first memory check, not here: reading RSS is a system call, and most texts
  // are parsed before tree-sitter has called back MEMORY_CHECK_EVERY times (the tens of
  // thousands of operations before then cannot take a gigabyte, so their growth is not missed).
  let startRss: number | undefined;
  let calls = 0;
  let stopped: { ms: number; offset: number; memory: boolean } | undefined;
  const grownTooMuch = (): boolean => {
    const rss = process.memoryUsage.rss();
    startRss ??= rss;
    return rss - startRss > MAX_GROWTH_BYTES;
  };
  return {
    progressCallback: ({ currentOffset }) => {
      const ms = performance.now() - started;
      const slow = ms > PARSE_GRACE_MS + currentOffset / PARSE_MIN_BYTES_PER_MS;
      const memory = ++calls % MEMORY_CHECK_EVERY === 0 && grownTooMuch();
      if (slow || memory) stopped = { ms, offset: currentOffset, memory };
      return slow || memory;
    },
    reason: () => {
      const { ms, offset, memory } = stopped ?? { ms: performance.now() - started, offset: 0, memory: false };
      const where = `${Math.floor((100 * offset) / 2 / Math.max(length, 1))}% into the file`;
      return memory
        ? `parsing stopped ${where}, after it had taken ${Math.round(MAX_GROWTH_BYTES / 2 ** 20)} MB of memory`
        : `parsing stopped ${where}, after ${(ms / 1000).toFixed(1)} s: the Terraform parser reads this text far slower than ordinary HCL`;
    },
  };
}
