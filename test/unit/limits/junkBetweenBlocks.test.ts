/**
 * Damage stays local: one junk line (a partial keyword, a stray `}`, `x =`) typed anywhere in a
 * Terraform file must not hide the findings of the blocks it does not touch. Fails today where
 * the junk sits right above a block (robustness case 14).
 */
import * as assert from 'node:assert/strict';
import { FuzzEngine, fuzzEngine, fuzzFormat } from '../../support/fuzz/runner';

describe('limits: junk lines between Terraform blocks', function () {
  this.timeout(120000);
  it('14: findings of intact blocks survive a junk line (fixed seed, every format and corpus modules)', async () => {
    const engine = await FuzzEngine.create();
    const options = { runs: 60, seed: 20261201, budgetMs: 5000, survival: true, mutators: ['junkLine'] };
    const failures = [...fuzzFormat(engine, 'hcl', options).failures, ...fuzzFormat(engine, 'cfnYaml', options).failures, ...fuzzEngine(engine, options).failures];
    assert.deepEqual(failures.map((f) => `case seed ${f.caseSeed} (${f.source}): ${f.problem}; ${f.change}`), []);
  });
});
