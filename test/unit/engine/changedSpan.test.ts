/**
 * The span between two versions of a document, which every incremental parse starts from:
 * compared chunk by chunk for speed, it must still be exactly the span between the longest
 * common prefix and the longest common suffix that does not overlap it.
 */
import * as assert from 'node:assert/strict';
import { changedSpan } from '../../../server/src/engine/model/text';
import { Prng } from '../../support/fuzz/prng';

/** The definition, one character at a time. */
function expected(oldText: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  let start = 0;
  while (start < Math.min(oldText.length, text.length) && oldText[start] === text[start]) start++;
  let oldEnd = oldText.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && oldText[oldEnd - 1] === text[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

describe('changedSpan', () => {
  it('finds one typed, deleted or replaced character anywhere in a long text', () => {
    const text = Array.from({ length: 400 }, (_, k) => `  attribute_${k} = "value ${k}"\n`).join('');
    for (const at of [0, 1, 15, 16, 17, 63, 64, 65, 1000, 4097, text.length - 65, text.length - 1, text.length]) {
      const typed = text.slice(0, at) + 'x' + text.slice(at);
      assert.deepEqual(changedSpan(text, typed), expected(text, typed), `typed at ${at}`);
      assert.deepEqual(changedSpan(typed, text), expected(typed, text), `deleted at ${at}`);
      const replaced = text.slice(0, at) + '#' + text.slice(at + 1);
      assert.deepEqual(changedSpan(text, replaced), expected(text, replaced), `replaced at ${at}`);
    }
  });

  it('equals the definition on seeded edits of repetitive texts, where prefix and suffix can overlap', () => {
    const random = new Prng(20261202);
    const alphabet = ['a', 'b', '\n', ' ', '{', '}'];
    for (let n = 0; n < 3000; n++) {
      const length = random.int(600);
      const oldText = Array.from({ length }, () => alphabet[random.int(random.int(3) === 0 ? 2 : alphabet.length)]).join('');
      const start = random.int(length + 1);
      const end = Math.min(length, start + random.int(200));
      const inserted = Array.from({ length: random.int(150) }, () => alphabet[random.int(2)]).join('');
      const text = oldText.slice(0, start) + inserted + oldText.slice(end);
      assert.deepEqual(changedSpan(oldText, text), expected(oldText, text), `case ${n}`);
    }
  });

  it('finds nothing changed in equal texts, and everything in disjoint ones', () => {
    const text = 'resource "aws_kms_key" "logs" {}\n'.repeat(50);
    assert.deepEqual(changedSpan(text, text), { start: text.length, oldEnd: text.length, newEnd: text.length });
    assert.deepEqual(changedSpan('a'.repeat(100), 'b'.repeat(70)), { start: 0, oldEnd: 100, newEnd: 70 });
    assert.deepEqual(changedSpan('', 'abc'), { start: 0, oldEnd: 0, newEnd: 3 });
  });
});
