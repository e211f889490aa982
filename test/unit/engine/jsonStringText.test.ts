/**
 * Decoding a JSON string literal while keeping, for every decoded character, where it is
 * written: what lets a finding in a policy saved as a string land on its statement.
 */
import * as assert from 'node:assert/strict';
import { decodeJsonString } from '../../../server/src/engine/analysis/jsonStringText';
import { LineIndex } from '../../../server/src/engine/model/text';

const URI = 'file:///mem/out.json';
/** The value literal of `{"Policy": "…"}`, decoded. */
const decode = (text: string) => {
  const start = text.indexOf('"', text.indexOf(':'));
  let end = start + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  return decodeJsonString({ uri: URI, lines: new LineIndex(text) }, start, end + 1);
};
/** The written text of decoded characters `from..to`. */
const writtenAt = (text: string, from: number, to: number): string => {
  const location = decode(text)!.location(from, to)!;
  return new LineIndex(text).slice(location.range);
};

describe('decodeJsonString', () => {
  it('decodes every JSON escape as JSON.parse does', () => {
    const literal = '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00z"';
    assert.equal(decode(`{"Policy": ${literal}}`)!.text, JSON.parse(literal));
  });

  it('maps a decoded range back to what is written, escapes included', () => {
    const text = '{"Policy": "{\\n  \\"Sid\\" : \\"\\u00e9t\\u00e9\\"\\n}"}';
    const decoded = decode(text)!;
    const from = decoded.text.indexOf('"Sid"');
    assert.equal(writtenAt(text, from, from + 5), '\\"Sid\\"');
    const value = decoded.text.indexOf('"été"');
    assert.equal(writtenAt(text, value, value + 5), '\\"\\u00e9t\\u00e9\\"');
  });

  it('refuses what is not a well-formed literal', () => {
    for (const text of ['{"P": "\\x41"}', '{"P": "\\u12"}', '{"P": "ab\\"}']) {
      const start = text.indexOf('"', text.indexOf(':'));
      assert.equal(decodeJsonString({ uri: URI, lines: new LineIndex(text) }, start, text.length - 1), undefined, text);
    }
  });
});
