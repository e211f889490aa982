/**
 * A short fixed-seed pass of the fuzzers (`npm run fuzz` runs them long, with any seed): every
 * adapter, the whole engine on corpus modules, and the language server's edit handling. A
 * failure names the case seed that replays it and a reproducer.
 */
import * as assert from 'node:assert/strict';
import { FuzzEngine, fuzzEngine, fuzzFormat, type FuzzStats } from '../../support/fuzz/runner';
import { fuzzLspEdits } from '../../support/fuzz/lspEdits';
import type { FuzzFormat } from '../../support/fuzz/seeds';
import { mutate } from '../../support/fuzz/mutators';
import { Prng, caseSeed } from '../../support/fuzz/prng';
import { seedFiles } from '../../support/fuzz/seeds';

const SEED = 20261201;
// Generous: the machine running the tests is shared; `npm run fuzz` defaults to 2 s.
const BUDGET_MS = 5000;

const RUNS: Record<FuzzFormat, number> = { hcl: 60, tfjson: 80, cfnYaml: 60, cfnJson: 60, policy: 80, plan: 80, state: 40, awsCli: 80 };

function assertClean(stats: FuzzStats): void {
  const report = stats.failures.map((f) => `case seed ${f.caseSeed} (${f.source}, ${f.applied.join('+')}): ${f.problem}${f.change ? `; ${f.change}` : ''}`);
  assert.deepEqual(report, []);
  assert.equal(stats.cases, stats.analyses, 'every case was analysed');
}

describe('fuzzing (fixed seed)', function () {
  this.timeout(120000);
  let engine: FuzzEngine;
  before(async () => {
    engine = await FuzzEngine.create();
  });

  // Formats whose top-level blocks the fuzzer can tell apart by layout: there, findings of the
  // blocks a mutation leaves alone must survive it.
  // With the fixed seed, how many cases at least must have had findings to keep (so the check is not empty).
  const SURVIVAL_CASES: Partial<Record<FuzzFormat, number>> = { hcl: 5, cfnYaml: 3 };
  for (const format of Object.keys(RUNS) as FuzzFormat[]) {
    const survival = SURVIVAL_CASES[format] !== undefined;
    it(`${format}: ${RUNS[format]} mutants raise nothing, stay within ${BUDGET_MS} ms${survival ? ' and keep the findings of intact blocks' : ''}`, () => {
      const stats = fuzzFormat(engine, format, { runs: RUNS[format], seed: SEED, budgetMs: BUDGET_MS, survival });
      assert.equal(stats.cases, RUNS[format], 'the corpus and fixtures give this format seed files');
      assertClean(stats);
      if (survival) assert.ok(stats.survivalCases >= SURVIVAL_CASES[format]!, `only ${stats.survivalCases} cases had findings of intact blocks to keep`);
    });
  }

  it('the whole engine: 40 corpus modules with one file mutated keep the findings of intact blocks and untouched files', () => {
    const stats = fuzzEngine(engine, { runs: 40, seed: SEED, budgetMs: BUDGET_MS, survival: true });
    assertClean(stats);
    assert.ok(stats.survivalCases >= 6, `only ${stats.survivalCases} cases had findings to keep`);
  });

  it('the language server: edit sequences with CRLF and surrogate pairs, undone, match a fresh server at every checkpoint', async () => {
    const stats = await fuzzLspEdits({ runs: 4, seed: SEED, budgetMs: BUDGET_MS, edits: 10 });
    assert.deepEqual(stats.failures.map((f) => `case seed ${f.caseSeed} (${f.source}): ${f.problem}`), []);
    assert.ok(stats.analyses >= 8, `at least two checkpoints per sequence, saw ${stats.analyses}`);
  });
});

describe('fuzz helpers', () => {
  it('replay: a case seed gives the same mutant every time, and another seed another one', () => {
    const seeds = seedFiles('hcl');
    const mutantOf = (runSeed: number, index: number) => {
      const rng = new Prng(caseSeed(runSeed, index));
      const seed = rng.pick(seeds);
      return { source: seed.source, ...mutate(seed.text, rng) };
    };
    const texts = new Set<string>();
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(mutantOf(7, i), mutantOf(7, i));
      texts.add(mutantOf(7, i).text);
    }
    assert.ok(texts.size > 1, 'the cases of a run differ');
    assert.notDeepEqual([0, 1, 2, 3, 4].map((i) => mutantOf(7, i).text), [0, 1, 2, 3, 4].map((i) => mutantOf(8, i).text));
  });

  it('replay: the same seed gives the same verdicts and counts', async () => {
    const engine = await FuzzEngine.create();
    const a = fuzzFormat(engine, 'hcl', { runs: 5, seed: 7, budgetMs: 60000, survival: true });
    const b = fuzzFormat(engine, 'hcl', { runs: 5, seed: 7, budgetMs: 60000, survival: true });
    assert.deepEqual([a.failures, a.cases, a.analyses, a.survivalCases, a.survivalFindings], [b.failures, b.cases, b.analyses, b.survivalCases, b.survivalFindings]);
    assert.equal(a.cases, 5);
  });
});
