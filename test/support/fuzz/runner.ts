/**
 * The fuzz loop shared by the fixed-seed pass in the unit tests and `npm run fuzz`: grow
 * mutants from seed files, analyse each with the real engine over an in-memory workspace, and
 * check that no exception escapes, each analysis ends within the budget, and findings of
 * intact top-level blocks survive. A failure carries its seed and a shrunk reproducer.
 */
import { createAnalyzer, type Analyzer, type AnalyzerHost, type Finding } from '../../../server/src/engine';
import { Prng, caseSeed } from './prng';
import { mutate, MUTATOR_NAMES, type Mutant } from './mutators';
import { intactBlocks, topLevelBlocks } from './blocks';
import { seedFiles, seedModules, type FuzzFormat } from './seeds';

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Milliseconds one analysis may take. */
  budgetMs: number;
  /** Mutations to draw from (all by default). */
  mutators?: readonly string[];
  /** Check that findings of intact blocks survive (formats whose blocks can be told apart by layout). */
  survival?: boolean;
}

export interface FuzzFailure {
  format: FuzzFormat | 'engine' | 'lsp';
  caseSeed: number;
  source: string;
  applied: string[];
  problem: string;
  /** The smallest text found that still fails the same way (for lost findings and slow cases: the whole mutant). */
  reproducer: string;
  /** Where the mutant differs from its seed: the line and the text replaced. */
  change?: string;
}

export interface FuzzStats {
  cases: number;
  analyses: number;
  /** Cases in which findings of intact blocks were expected to survive, and how many findings that was. */
  survivalCases: number;
  survivalFindings: number;
  longestMs: number;
  longestSource: string;
  failures: FuzzFailure[];
}

/** A host over a workspace swapped in per case; files are opened as documents and closed after, so nothing is cached between cases. */
class SwappableHost implements AnalyzerHost {
  files = new Map<string, string>();
  readFile = (uri: string): string | undefined => this.files.get(uri);
  readDirectory = (dirUri: string): string[] | undefined => {
    const names = [...this.files.keys()].filter((u) => u.slice(0, u.lastIndexOf('/')) === dirUri).map((u) => u.slice(u.lastIndexOf('/') + 1));
    return names.length > 0 ? names : undefined;
  };
}

const key = (f: Finding): string => `${f.ruleId}/${f.messageId}/${f.resource}`;

export class FuzzEngine {
  private constructor(private readonly analyzer: Analyzer, private readonly host: SwappableHost) {}

  static async create(): Promise<FuzzEngine> {
    const host = new SwappableHost();
    return new FuzzEngine(await createAnalyzer(host), host);
  }

  private counter = 0;

  /** Findings per file name of a workspace folder, and how long the analysis took; throws what the engine throws. */
  analyze(files: Record<string, string>): { findings: Map<string, Finding[]>; ms: number } {
    const dir = `file:///fuzz/w${this.counter++}`;
    const uris = Object.keys(files).map((name) => `${dir}/${name}`);
    this.host.files = new Map(Object.entries(files).map(([name, text]) => [`${dir}/${name}`, text]));
    try {
      const started = performance.now();
      const results = this.analyzer.analyzeMany(uris);
      const ms = performance.now() - started;
      return { findings: new Map([...results].map(([uri, f]) => [uri.slice(dir.length + 1), f])), ms };
    } finally {
      for (const uri of uris) this.analyzer.closeDocument(uri);
      this.host.files = new Map();
    }
  }
}

type Verdict = { problem: string } | undefined;

/**
 * Judges one mutant of `name` in workspace `files`: what went wrong, if anything. `expected`
 * are the findings (by rule, message and resource) that must still be reported.
 */
function judge(engine: FuzzEngine, files: Record<string, string>, budgetMs: number, expected: string[], stats?: FuzzStats, source = ''): Verdict {
  let result;
  try {
    result = engine.analyze(files);
  } catch (error) {
    return { problem: `exception: ${(error as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(error)}` };
  }
  if (stats) {
    stats.analyses++;
    if (result.ms > stats.longestMs) {
      stats.longestMs = result.ms;
      stats.longestSource = source;
    }
  }
  if (result.ms > budgetMs) return { problem: `took ${Math.round(result.ms)} ms (budget ${budgetMs} ms)` };
  // Counted per file: a finding lost in one file is not made up for by the same one in another.
  const seen = new Map<string, number>();
  for (const [name, list] of result.findings) for (const f of list) seen.set(`${name}|${key(f)}`, (seen.get(`${name}|${key(f)}`) ?? 0) + 1);
  const lost = expected.filter((k) => {
    const n = seen.get(k) ?? 0;
    if (n === 0) return true;
    seen.set(k, n - 1);
    return false;
  });
  return lost.length > 0 ? { problem: `lost findings of intact blocks: ${lost.join(', ')}` } : undefined;
}

/** What a Terraform file declares, as other files would refer to it (`aws_kms_key.logs`, `var.x`, `module.m`, `local.`). */
function declaredNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^(resource|data|module|variable|output|locals)\b\s*(?:"([^"]*)")?\s*(?:"([^"]*)")?/gm)) {
    const [, kind, a, b] = m;
    if (kind === 'resource' && a && b) names.push(`${a}.${b}`);
    else if (kind === 'data' && a && b) names.push(`data.${a}.${b}`);
    else if (kind === 'module' && a) names.push(`module.${a}`);
    else if (kind === 'variable' && a) names.push(`var.${a}`);
    else if (kind === 'locals') names.push('local.');
  }
  return names;
}

/** Counts of what opens or closes a structure: a mutation that changes them may swallow the blocks after it. */
const structure = (text: string): string => ['{', '}', '[', ']', '(', ')', '"', "'", '/*', '*/', '<<', '#', '//', '\\', '${', '%{', '\r', '\u0000'].map((t) => text.split(t).length).join(',');

/** Findings of `file` located in blocks that the mutation leaves intact (none are named when the layout is not understood). */
function survivors(format: FuzzFormat, text: string, findings: Finding[], mutant: Mutant): string[] {
  if (!mutant.touched) return [];
  const touched = structure(text) === structure(mutant.text) ? mutant.touched : { first: mutant.touched.first, last: Number.MAX_SAFE_INTEGER };
  const blocks = topLevelBlocks(format, text);
  if (!blocks) return [];
  const intact = intactBlocks(blocks, touched, format === 'cfnYaml');
  const inIntact = (line: number): boolean => intact.some((b) => b.first <= line && line <= b.last);
  return findings
    .filter((f) => inIntact(f.range.start.line) && f.relatedInformation.every((r) => r.location.uri !== f.uri || inIntact(r.location.range.start.line)))
    .map(key);
}

/** Line-wise, then character-wise, removal of parts of `text` while `fails` still holds: a small reproducer to print. */
export function shrink(text: string, fails: (t: string) => boolean, maxTries = 300): string {
  let best = text;
  let tries = 0;
  for (const unit of ['\n', '']) {
    let parts = unit ? best.split(unit) : [...best];
    for (let size = Math.max(1, parts.length >> 1); size >= 1 && tries < maxTries; size = size >> 1) {
      for (let i = 0; i + size <= parts.length && tries < maxTries; ) {
        const candidate = [...parts.slice(0, i), ...parts.slice(i + size)];
        tries++;
        if (fails(candidate.join(unit))) parts = candidate;
        else i += size;
      }
      if (size === 1) break;
    }
    best = parts.join(unit);
  }
  return best;
}

/** `line N: "old" → "new"`, from the common prefix and suffix of the two texts (long parts elided). */
export function describeChange(before: string, after: string): string {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const clip = (t: string): string => JSON.stringify(t.length > 120 ? `${t.slice(0, 60)}…(${t.length} chars)…${t.slice(-40)}` : t);
  const line = before.slice(0, start).split('\n').length;
  return `line ${line}: ${clip(before.slice(start, before.length - end))} → ${clip(after.slice(start, after.length - end))}`;
}

const newStats = (): FuzzStats => ({ cases: 0, analyses: 0, survivalCases: 0, survivalFindings: 0, longestMs: 0, longestSource: '', failures: [] });

function countSurvival(stats: FuzzStats, expected: string[]): void {
  if (expected.length === 0) return;
  stats.survivalCases++;
  stats.survivalFindings += expected.length;
}

/** Fuzzes one adapter: `runs` mutants of its seed files, case i replayable from `caseSeed(seed, i)`. */
export function fuzzFormat(engine: FuzzEngine, format: FuzzFormat, options: FuzzOptions): FuzzStats {
  const seeds = seedFiles(format);
  const stats = newStats();
  const baselines = new Map<string, Finding[]>();
  const baseline = (seed: (typeof seeds)[number]): Finding[] => {
    if (!baselines.has(seed.source)) baselines.set(seed.source, engine.analyze({ [seed.name]: seed.text }).findings.get(seed.name) ?? []);
    return baselines.get(seed.source)!;
  };
  // When survival is checked, every other case mutates a file that has findings to keep.
  let withFindings: typeof seeds | undefined;
  for (let i = 0; i < options.runs && seeds.length > 0; i++) {
    const cs = caseSeed(options.seed, i);
    const rng = new Prng(cs);
    if (options.survival && i % 2 === 1) withFindings ??= seeds.filter((s) => baseline(s).length > 0);
    const seed = rng.pick(options.survival && i % 2 === 1 && withFindings!.length > 0 ? withFindings! : seeds);
    baseline(seed);
    // Survival is judged on a single mutation, whose place is known.
    const mutant = mutate(seed.text, rng, options.mutators ?? MUTATOR_NAMES, options.survival);
    const expected = options.survival ? survivors(format, seed.text, baselines.get(seed.source)!, mutant).map((k) => `${seed.name}|${k}`) : [];
    countSurvival(stats, expected);
    stats.cases++;
    const verdict = judge(engine, { [seed.name]: mutant.text }, options.budgetMs, expected, stats, seed.source);
    if (!verdict) continue;
    const kind = verdict.problem.split(':')[0];
    // Shrinking a slow case would re-run it hundreds of times: it is printed whole.
    const reproducer = verdict.problem.startsWith('took') || kind.startsWith('lost')
      ? mutant.text
      : shrink(mutant.text, (t) => judge(engine, { [seed.name]: t }, options.budgetMs, expected)?.problem.split(':')[0] === kind);
    stats.failures.push({ format, caseSeed: cs, source: seed.source, applied: mutant.applied, problem: verdict.problem, reproducer, change: describeChange(seed.text, mutant.text) });
  }
  return stats;
}

/** Fuzzes the whole engine on module folders: one file of a corpus module mutated, all its files analysed together. */
export function fuzzEngine(engine: FuzzEngine, options: FuzzOptions): FuzzStats {
  const modules = seedModules();
  const stats = newStats();
  const baselines = new Map<string, Map<string, Finding[]>>();
  for (let i = 0; i < options.runs && modules.length > 0; i++) {
    const cs = caseSeed(options.seed, i);
    const rng = new Prng(cs);
    const module = rng.pick(modules);
    if (!baselines.has(module.source)) baselines.set(module.source, engine.analyze(module.files).findings);
    const names = Object.keys(module.files);
    const target = rng.pick(names);
    const mutant = mutate(module.files[target], rng, options.mutators ?? MUTATOR_NAMES, options.survival);
    const baseline = baselines.get(module.source)!;
    // Files other than the mutated one keep their findings unless the two refer to each other
    // (a trail in one and its key in the other: the key is judged for that trail).
    const declared = declaredNames(module.files[target]);
    const linked = (n: string): boolean => declared.some((name) => module.files[n].includes(name)) || declaredNames(module.files[n]).some((name) => module.files[target].includes(name));
    const expected = options.survival && mutant.touched
      ? names.flatMap((n) => (n === target
        ? survivors('hcl', module.files[n], baseline.get(n) ?? [], mutant)
        : linked(n) ? [] : (baseline.get(n) ?? []).filter((f) => f.relatedInformation.every((r) => r.location.uri === f.uri)).map(key)
      ).map((k) => `${n}|${k}`))
      : [];
    countSurvival(stats, expected);
    stats.cases++;
    const verdict = judge(engine, { ...module.files, [target]: mutant.text }, options.budgetMs, expected, stats, `${module.source}/${target}`);
    if (verdict) stats.failures.push({ format: 'engine', caseSeed: cs, source: `${module.source}/${target}`, applied: mutant.applied, problem: verdict.problem, reproducer: mutant.text, change: describeChange(module.files[target], mutant.text) });
  }
  return stats;
}
