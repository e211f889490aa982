/**
 * Damage stays local: one line of junk typed between two top-level Terraform blocks (a
 * half-typed keyword, a stray `}`, `x =`) hides no block before or after it. Every top-level
 * boundary of every corpus `.tf` file gets one junk line, and each finding of the unmodified
 * file (by rule and resource) must still be reported.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusAnalyzer, corpusDir, corpusUri } from '../../support/engine';

const JUNK = ['res', '}', 'x ='];
const TOP_LEVEL_LINE = /^(resource|data|module|variable|locals|output|provider|terraform|moved|import|check|removed)[ \t"{]/;

function corpusTerraformFiles(dir = corpusDir(), prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) found.push(...corpusTerraformFiles(path.join(dir, entry.name), relative));
    else if (entry.name.endsWith('.tf')) found.push(relative);
  }
  return found.sort();
}

/** Each finding as rule, message and resource; repeated ones stay repeated, so losing one of two counts. */
const keysOf = (findings: { ruleId: string; messageId: string; resource: string }[]): string[] => findings.map((f) => `${f.ruleId}/${f.messageId} ${f.resource}`).sort();

/** What of `expected` is missing from `actual`, as a multiset. */
function missing(expected: string[], actual: string[]): string[] {
  const left = new Map<string, number>();
  for (const k of actual) left.set(k, (left.get(k) ?? 0) + 1);
  return expected.filter((k) => {
    const n = left.get(k) ?? 0;
    left.set(k, n - 1);
    return n <= 0;
  });
}

describe('damage stays local: one junk line at every top-level boundary of the corpus', () => {
  const files = corpusTerraformFiles();

  it('finds the corpus, and most of it has findings to keep', async () => {
    assert.ok(files.length >= 40, `${files.length} .tf files`);
    const analyzer = await corpusAnalyzer();
    const withFindings = files.filter((file) => analyzer.analyze(corpusUri(file)).length > 0);
    assert.ok(withFindings.length >= 20, `only ${withFindings.length} files have findings`);
  });

  for (const file of files) {
    it(file, async function () {
      this.timeout(180_000);
      const analyzer = await corpusAnalyzer();
      const uri = corpusUri(file);
      const text = fs.readFileSync(path.join(corpusDir(), file), 'utf8');
      const expected = keysOf(analyzer.analyze(uri));
      const lines = text.split('\n');
      const boundaries = lines.flatMap((line, i) => (TOP_LEVEL_LINE.test(line) ? [i] : []));
      boundaries.push(lines.length);
      const lost: string[] = [];
      for (const [k, at] of boundaries.entries()) {
        // One kind of junk per boundary, taking turns, so every kind meets every file.
        const junk = JUNK[k % JUNK.length];
        const damaged = [...lines.slice(0, at), junk, ...lines.slice(at)].join('\n');
        analyzer.setDocument(uri, damaged);
        for (const finding of missing(expected, keysOf(analyzer.analyze(uri)))) lost.push(`"${junk}" at line ${at + 1}: ${finding}`);
      }
      analyzer.closeDocument(uri);
      assert.deepEqual(lost, []);
    });
  }
});
