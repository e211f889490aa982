/**
 * How long, and how much memory, the analysis of one file may take. Parsing has its own budget
 * (terraform/parse/parseBudget.ts); this one covers what follows: evaluating a module or a
 * template, reading policies, running the rules. Ordinary files take milliseconds; a hostile one
 * (a module graph built to fan out, a policy with thousands of wildcard statements) must not hold
 * the editor's thread or a scan worker. The engine is synchronous, so the budget is cooperative:
 * the evaluators and the policy analysis call `spend()` in their loops, and once the time or the
 * memory is over, it throws `AnalysisStopped`, which the analyzer turns into a note on the file.
 */
export const DEFAULT_TIME_LIMIT_MS = 3000;
/** Growth of the process while one file is analysed, beyond which it stops. */
const MAX_GROWTH_BYTES = 1024 * 1024 * 1024;
/** The clock is read once in this many calls; memory once in this many clock reads. */
const CLOCK_EVERY = 256;
const MEMORY_EVERY = 64;

/**
 * Milliseconds of work since `since` (from `workClock()`): the wall clock, unless the process
 * had less CPU time than that. On a machine shared with other work (a CI runner, a laptop
 * building something) the wall clock runs ahead of what the engine actually did; a budget
 * counted in it would stop ordinary files. The process's CPU time can only run ahead of this
 * thread's by what the other threads (scan workers) did, so the smaller of the two never
 * stops a file that would have finished on an idle machine within the budget's margin.
 */
export function workClock(): { wall: number; cpu: number } {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now(), cpu: (user + system) / 1000 };
}

export function workSince(since: { wall: number; cpu: number }): number {
  const now = workClock();
  return Math.min(now.wall - since.wall, now.cpu - since.cpu);
}

/**
 * Whether more than `limitMs` of work was done since `since`: `workSince(since) > limitMs`, with
 * the CPU time (a system call, which a parse's progress callback would otherwise make thousands
 * of times a second) read only once the wall clock says the limit may be past.
 */
export function workOver(since: { wall: number; cpu: number }, limitMs: number): boolean {
  if (performance.now() - since.wall <= limitMs) return false;
  return workSince(since) > limitMs;
}

export class AnalysisStopped extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface Budget {
  limitMs: number;
  started: { wall: number; cpu: number };
  /** Work not counted (parses inside the analysis), in ms. */
  excluded: number;
  /**
   * The process's RSS at the first memory check, not at the start: reading it is a system call
   * (~15 µs in a worker thread), which a scan would otherwise make for every file, and most
   * files are done before their first check. The work before that check (CLOCK_EVERY ×
   * MEMORY_EVERY units) cannot take a gigabyte, so the growth that matters is still seen.
   */
  startRss?: number;
}

let current: Budget | undefined;
let calls = 0;
let clockReads = 0;

/** One unit of work done under the current budget (cheap: a counter, most of the time). */
export function spend(): void {
  if (!current || ++calls % CLOCK_EVERY !== 0) return;
  if (workOver(current.started, current.limitMs + current.excluded)) {
    throw new AnalysisStopped(`analysis stopped after ${(current.limitMs / 1000).toFixed(1)} s (the time limit, parsing not counted)`);
  }
  if (++clockReads % MEMORY_EVERY === 0 && grownTooMuch(current)) {
    throw new AnalysisStopped(`analysis stopped after it had taken ${Math.round(MAX_GROWTH_BYTES / 2 ** 20)} MB of memory`);
  }
}

function grownTooMuch(budget: Budget): boolean {
  const rss = process.memoryUsage.rss();
  budget.startRss ??= rss;
  return rss - budget.startRss > MAX_GROWTH_BYTES;
}

/**
 * Time that does not count: a parse inside the analysis, which has a budget of its own, scaled
 * to the size of the file (`parseBudget.ts`).
 */
export function notCounting<T>(work: () => T): T {
  if (!current) return work();
  const started = workClock();
  try {
    return work();
  } finally {
    if (current) current.excluded += workSince(started);
  }
}

/**
 * Runs `work` under a budget of `limitMs`. A budget already running (the hover of a file asks
 * for its facts) is kept: the outer call's limit holds.
 */
export function withinBudget<T>(limitMs: number, work: () => T): T {
  if (current) return work();
  current = { limitMs, started: workClock(), excluded: 0 };
  try {
    return work();
  } finally {
    current = undefined;
  }
}
