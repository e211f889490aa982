/**
 * Messages are filled from their templates at every keystroke, from templates cut once: the
 * result must be what replacing each `{name}` in the template gives.
 */
import * as assert from 'node:assert/strict';
import { formatMessage } from '../../../server/src/engine/rules/rule';
import { RULES as allRules } from '../../../server/src/engine/rules';

const replaced = (template: string, data: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (whole, key: string) => data[key] ?? whole);

describe('formatMessage', () => {
  it('fills every name, leaves a name without data as written, and keeps the text around them', () => {
    assert.equal(formatMessage('{a}{b} and {a}, {missing} {}', { a: 'x', b: '' }), 'x and x, {missing} {}');
    assert.equal(formatMessage('no names', { a: 'x' }), 'no names');
    assert.equal(formatMessage('{a}', { a: '{b}' }), '{b}', 'data is not read again as a template');
  });

  it('gives what replacing the names gives, for every message of every rule, twice (the second from the cut template)', () => {
    let count = 0;
    for (const rule of allRules) {
      for (const template of Object.values(rule.meta.messages)) {
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const data = Object.fromEntries(names.filter((_, k) => k % 3 !== 2).map((name) => [name, `<${name} value>`]));
        for (let round = 0; round < 2; round++) assert.equal(formatMessage(template, data), replaced(template, data), `${rule.meta.id}: ${template}`);
        count++;
      }
    }
    assert.ok(count > 30, `only ${count} templates`);
  });
});
