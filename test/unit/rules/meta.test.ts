/**
 * Every rule is complete: a doc page, valid and invalid cases, a fix case exactly when it is
 * fixable, and every message it can say exercised by some case. (KICS walks its queries the
 * same way.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/engine';
import { registeredCases } from '../../support/ruleTester';
import { repoRoot } from '../../support/engine';

// Load every rule test file (already loaded ones come from the require cache), so the cases
// are registered whether this file runs alone or with the rest.
for (const dir of [__dirname, path.join(__dirname, 'cloudformation'), path.join(__dirname, 'awsCli')]) {
  for (const name of fs.readdirSync(dir)) if (name.endsWith('.test.js') && name !== path.basename(__filename)) require(path.join(dir, name));
}

describe('rule catalogue', () => {
  for (const rule of RULES) {
    const { id } = rule.meta;
    it(`${id} ${rule.meta.name} is complete`, () => {
      assert.ok(fs.existsSync(path.join(repoRoot(), 'docs', 'rules', `${id}.md`)), `docs/rules/${id}.md`);
      const sets = registeredCases.get(id) ?? [];
      const valid = sets.flatMap((s) => s.valid);
      const invalid = sets.flatMap((s) => s.invalid);
      assert.ok(valid.length > 0, 'no valid case');
      assert.ok(invalid.length > 0, 'no invalid case');
      const withFix = invalid.filter((c) => (c.fixes ?? []).length > 0);
      assert.equal(withFix.length > 0, rule.meta.fixable, rule.meta.fixable ? 'fixable, but no case applies a fix' : 'not fixable, yet a case applies a fix');
      const used = new Set(invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
      const unused = Object.keys(rule.meta.messages).filter((m) => !used.has(m));
      assert.deepEqual(unused, [], 'messages no case produces');
    });
  }
});
