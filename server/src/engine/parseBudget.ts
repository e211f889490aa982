/**
 * How long and how much memory tree-sitter may spend on one text, for every grammar (the
 * numbers come from HCL, the slowest of them to go wrong). Ordinary HCL parses at
 * several MB/s on a small machine, but some texts make the grammar crawl: a string of a million
 * `${`, an attribute followed by 200,000 commas (seconds to minutes, and gigabytes of WASM
 * memory that are never given back, after which every later parse aborts). A parse is
 * cancelled, through tree-sitter's progress callback, once it has worked (`workSince`: wall
 * clock, or CPU time on a busy machine) longer than a grace
 * period plus what the slowest ordinary text would need for the part read so far, or once the
 * process has grown by more than `MAX_GROWTH_BYTES` while it runs.
 */
import { workClock, workOver, workSince } from './analysisBudget';

const PARSE_GRACE_MS = 1000;
/** Bytes of input (tree-sitter counts UTF-16 text in bytes) an ordinary parse reads per ms, at the least: a twentieth of what a 2-core runner does when idle, half of what it does at a load of 20. */
const PARSE_MIN_BYTES_PER_MS = 500;
/** However large the file: the largest file read by default (5 MB) parses in well under a second. */
const PARSE_MAX_MS = 5000;
const MAX_GROWTH_BYTES = 1024 * 1024 * 1024;
/** The clocks are read once in this many callbacks (tree-sitter calls back every ~100 operations), the memory once in this many clock reads. */
const CLOCK_CHECK_EVERY = 8;
const MEMORY_CHECK_EVERY = 32;

export interface ParseBudget {
  progressCallback: (state: { currentOffset: number }) => boolean;
  /** Why the parse was stopped, for the note the user sees. */
  reason(): string;
}

/** A budget for parsing `length` UTF-16 code units of `language` (`Terraform`, `TypeScript`), named in the note. */
export function parseBudget(length: number, language = 'Terraform'): ParseBudget {
  const started = workClock();
  // Read at the first memory check, not here: reading RSS is a system call, and most texts
  // are parsed before the first memory check (the operations before it cannot take a
  // gigabyte, so their growth is not missed).
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
      // The clocks cost a system call: read them once in a few callbacks.
      if (++calls % CLOCK_CHECK_EVERY !== 0) return false;
      const slow = workOver(started, Math.min(PARSE_GRACE_MS + currentOffset / PARSE_MIN_BYTES_PER_MS, PARSE_MAX_MS));
      const memory = calls % (CLOCK_CHECK_EVERY * MEMORY_CHECK_EVERY) === 0 && grownTooMuch();
      if (slow || memory) stopped = { ms: workSince(started), offset: currentOffset, memory };
      return slow || memory;
    },
    reason: () => {
      const { ms, offset, memory } = stopped ?? { ms: workSince(started), offset: 0, memory: false };
      const where = `${Math.floor((100 * offset) / 2 / Math.max(length, 1))}% into the file`;
      return memory
        ? `parsing stopped ${where}, after it had taken ${Math.round(MAX_GROWTH_BYTES / 2 ** 20)} MB of memory`
        : `parsing stopped ${where}, after ${(ms / 1000).toFixed(1)} s: the ${language} parser reads this text far slower than ordinary code`;
    },
  };
}
