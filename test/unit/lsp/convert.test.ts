/** Diagnostics as published: a related location is given once among diagnostics an editor shows together. */
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { withoutRepeatedRelated } from '../../../server/src/lsp/convert';
import { Prng } from '../../support/fuzz/prng';

const at = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
const trail = { location: { uri: 'file:///w/main.tf', range: at(15, 0, 30) }, message: 'aws_cloudtrail.t encrypts its logs with aws_kms_key.k' };
const diagnostic = (code: string, range: ReturnType<typeof at>, related = [trail]): Diagnostic => ({ code, range, message: `${code} message`, relatedInformation: related });

describe('withoutRepeatedRelated', () => {
  it('keeps a related location on the first of the diagnostics whose ranges overlap, and every diagnostic with its message', () => {
    const out = withoutRepeatedRelated([diagnostic('CTK101', at(1, 2, 8)), diagnostic('CTK103', at(1, 2, 8)), diagnostic('CTK102', at(1, 5, 20))]);
    assert.deepEqual(out.map((d) => [d.code, d.message, d.relatedInformation?.length]), [['CTK101', 'CTK101 message', 1], ['CTK103', 'CTK103 message', 0], ['CTK102', 'CTK102 message', 0]]);
  });

  it('leaves diagnostics apart from each other as they are, and other related locations of an overlapping one', () => {
    const other = { location: { uri: 'file:///w/vars.tf', range: at(2, 0, 5) }, message: 'the default that empties it' };
    const input = [diagnostic('CTK201', at(0, 0, 26)), diagnostic('CTK101', at(1, 2, 8)), diagnostic('CTK103', at(1, 2, 8), [trail, other])];
    const out = withoutRepeatedRelated(input);
    assert.equal(out[0], input[0]);
    assert.equal(out[1], input[1], 'line 0 and line 1 are not shown together');
    assert.deepEqual(out[2].relatedInformation, [other]);
    assert.equal(input[2].relatedInformation?.length, 2, 'the input is not changed');
  });

  it('gives what comparing each diagnostic with every earlier one gives, in order or not, with many sharing a location', () => {
    const overlaps = (a: Diagnostic['range'], b: Diagnostic['range']) => !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) || b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));
    const reference = (input: Diagnostic[]): (number | undefined)[] => {
      const kept: { key: string; range: Diagnostic['range'] }[] = [];
      return input.map((d) => d.relatedInformation?.filter((r) => {
        const key = `${r.location.range.start.line}#${r.message}`;
        if (kept.some((k) => k.key === key && overlaps(k.range, d.range))) return false;
        kept.push({ key, range: d.range });
        return true;
      }).length);
    };
    const random = new Prng(20261202);
    const shared = [trail, { location: { uri: 'file:///w/vars.tf', range: at(2, 0, 5) }, message: 'the default that empties it' }];
    for (let n = 0; n < 300; n++) {
      const input = Array.from({ length: 1 + random.int(40) }, (_, k) => {
        const line = random.int(12);
        const from = random.int(10);
        const to = random.int(3) === 0 ? { line: line + 1 + random.int(2), character: random.int(10) } : { line, character: from + random.int(6) };
        return diagnostic(`D${k}`, { start: { line, character: from }, end: to }, shared.filter(() => random.int(3) > 0));
      });
      if (n % 2 === 0) input.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      assert.deepEqual(withoutRepeatedRelated(input).map((d) => d.relatedInformation?.length), reference(input), `case ${n}`);
    }
  });
});
