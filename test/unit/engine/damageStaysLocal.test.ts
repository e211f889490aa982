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

const byRuleAndResource = (findings: { ruleId: string; resource: string }[]): string[] => [...new Set(findings.map((f) => `${f.ruleId} ${f.resource}`))].sort();

describe('damage stays local: one junk line at every top-level boundary of the corpus', () => {
  const files = corpusTerraformFiles();

  it('finds the corpus', () => assert.ok(files.length >= 40, `${files.length} .tf files`));

  for (const file of files) {
    it(file, async function () {
      this.timeout(180_000);
      const analyzer = await corpusAnalyzer();
      const uri = corpusUri(file);
      const text = fs.readFileSync(path.join(corpusDir(), file), 'utf8');
      const expected = byRuleAndResource(analyzer.analyze(uri));
      const lines = text.split('\n');
      const boundaries = lines.flatMap((line, i) => (TOP_LEVEL_LINE.test(line) ? [i] : []));
      boundaries.push(lines.length);
      const lost: string[] = [];
      for (const [k, at] of boundaries.entries()) {
        // One kind of junk per boundary, taking turns, so every kind meets every file.
        const junk = JUNK[k % JUNK.length];
        const damaged = [...lines.slice(0, at), junk, ...lines.slice(at)].join('\n');
        analyzer.setDocument(uri, damaged);
        const survived = new Set(byRuleAndResource(analyzer.analyze(uri)));
        for (const finding of expected) if (!survived.has(finding)) lost.push(`"${junk}" at line ${at + 1}: ${finding}`);
      }
      analyzer.closeDocument(uri);
      assert.deepEqual(lost, []);
    });
  }
});
