/**
 * Damage stays local: one junk line (a partial keyword, a stray `}`, `x =`) typed anywhere in a
 * Terraform file must not hide the findings of the blocks it does not touch (robustness case 14:
 * the junk right above a block used to hide it).
 */
import * as assert from 'node:assert/strict';
import { FuzzEngine, fuzzEngine, fuzzFormat } from '../../support/fuzz/runner';

describe('limits: junk lines between Terraform blocks', function () {
  this.timeout(120000);
  it('14: findings of intact blocks survive a junk line (fixed seed, every format and corpus modules)', async () => {
    const engine = await FuzzEngine.create();
    const options = { runs: 60, seed: 20261201, budgetMs: 5000, survival: true, mutators: ['junkLine'] };
    const runs = [fuzzFormat(engine, 'hcl', options), fuzzFormat(engine, 'cfnYaml', options), fuzzEngine(engine, options)];
    assert.deepEqual(runs.flatMap((r) => r.failures).map((f) => `case seed ${f.caseSeed} (${f.source}): ${f.problem}; ${f.change}`), []);
    // Not an empty check: enough cases had findings below or above the junk to keep.
    assert.ok(runs.every((r) => r.survivalCases >= 2), `cases with findings to keep: ${runs.map((r) => r.survivalCases).join(', ')}`);
  });
});
