/**
 * A key's policy analysis is reused between keystrokes when the policy's fingerprint is the
 * same: equal values must give equal fingerprints, and values that differ in anything an
 * analysis or a finding reads (a string, a type, a position, a file, the shape) different ones,
 * however the strings are written (a string that spells out another value's encoding included).
 */
import * as assert from 'node:assert/strict';
import { fingerprintOf } from '../../../server/src/engine/analysis/analyzedKeys';

const URI = 'file:///app/stack.ts';
const at = (line: number, character: number, uri = URI) => ({ uri, range: { start: { line, character }, end: { line, character: character + 3 } } });
const str = (value: string, origin = at(1, 2)) => ({ kind: 'string', value, origin });
const statement = (action: unknown) => ({ kind: 'object', entries: new Map<string, unknown>([['Effect', str('Allow')], ['Action', action]]), origin: at(1, 0) });

describe('key-policy fingerprints', () => {
  it('gives values built apart, but equal, the same fingerprint', () => {
    assert.equal(fingerprintOf([null, statement(str('kms:GenerateDataKey*'))], URI), fingerprintOf([null, statement(str('kms:GenerateDataKey*'))], URI));
    assert.equal(fingerprintOf(['arn:aws:cloudtrail:eu-west-1:111122223333:trail/t', statement(str('x'))], URI), fingerprintOf(['arn:aws:cloudtrail:eu-west-1:111122223333:trail/t', statement(str('x'))], URI));
  });

  it('tells apart values that differ in a string, a type, a position, a file or the shape', () => {
    const base = fingerprintOf(statement(str('kms:GenerateDataKey*')), URI);
    const variants: unknown[] = [
      statement(str('kms:GenerateDataKey')),
      statement(str('kms:GenerateDataKey*', at(2, 2))),
      statement(str('kms:GenerateDataKey*', at(1, 3))),
      statement(str('kms:GenerateDataKey*', at(1, 2, 'file:///app/other.ts'))),
      statement({ kind: 'list', items: [str('kms:GenerateDataKey*')], origin: at(1, 2) }),
      statement({ kind: 'string', value: 'kms:GenerateDataKey*', partial: true, origin: at(1, 2) }),
      statement({ kind: 'string', value: 'kms:GenerateDataKey*', origin: { ...at(1, 2), note: 'more than a location' } }),
    ];
    for (const variant of variants) assert.notEqual(fingerprintOf(variant, URI), base, JSON.stringify(variant, (_, v) => (v instanceof Map ? [...v] : v)));
  });

  it('does not let a string pass for another value or for a structure', () => {
    const pairs: [unknown, unknown][] = [
      ['5', 5],
      ['true', true],
      ['null', null],
      [URI, 'U'],
      [['a b'], ['a', 'b']],
      [['x ) ( y'], ['x', [], 'y']],
      [['3"abc 1"d'], ['abc', 'd']],
      [{ a: '1:2' }, { a: { line: 1, character: 2 } }],
    ];
    for (const [one, other] of pairs) assert.notEqual(fingerprintOf(one, URI), fingerprintOf(other, URI), JSON.stringify([one, other]));
  });
});
