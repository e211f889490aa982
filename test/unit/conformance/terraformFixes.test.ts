/**
 * Every quick fix offered for a Terraform trail of the corpus, applied: HashiCorp's parser
 * accepts the result, the finding is gone (or suppressed, for a suppression), and the same
 * fix is not offered again, so applying it twice changes nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Analyzer, Fix } from '../../../server/src/engine';
import { uriToPath } from '../../../server/src/diskHost';
import { applyEdits } from '../../support/applyEdits';
import { corpusAnalyzer, corpusUri } from '../../support/engine';
import { validateHcl } from '../../support/hclOracle';
import { isTerraformLabel, readLabels } from './labels';

describe('corpus: every Terraform trail fix', function () {
  this.timeout(120000);
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await corpusAnalyzer();
  });

  it('leaves valid HCL, clears its finding and is not offered again', async () => {
    const rows = readLabels().filter((l) => isTerraformLabel(l) && l.verdict === 'trail_no_cmk');
    const toValidate: { name: string; text: string }[] = [];
    const problems: string[] = [];
    let applied = 0;
    for (const row of rows) {
      const uri = corpusUri(row.localPath);
      const finding = analyzer.analyze(uri).find((f) => f.ruleId === 'CTK001' && f.resource === row.address);
      if (!finding) continue; // the Terraform conformance test reports a missing finding
      for (const fix of finding.fixes) {
        applied++;
        const changed = applyFix(fix);
        try {
          for (const [u, text] of changed) {
            analyzer.setDocument(u, text);
            toValidate.push({ name: `${row.localPath} / ${fix.title} / ${u.slice(u.lastIndexOf('/') + 1)}`, text });
          }
          const after = analyzer.analyze(uri).filter((f) => f.ruleId === 'CTK001' && f.resource === row.address);
          const expectSuppressed = fix.kind === 'suppress';
          if (after.some((f) => !f.suppressedBy)) problems.push(`${row.address}: "${fix.title}" left CTK001: ${after.map((f) => f.message).join(' | ')}`);
          if (expectSuppressed && after.length !== 1) problems.push(`${row.address}: "${fix.title}" did not leave exactly one suppressed finding`);
          if (after.some((f) => f.fixes.some((g) => g.title === fix.title))) problems.push(`${row.address}: "${fix.title}" is offered again`);
        } finally {
          for (const u of changed.keys()) analyzer.closeDocument(u);
        }
      }
    }
    assert.ok(applied >= 20, `only ${applied} fixes applied`);
    for (const result of await validateHcl(toValidate)) if (result.error) problems.push(`${result.name}: ${result.error}`);
    assert.deepEqual(problems, []);
  });
});

/** The fixed text of every file a fix edits. */
function applyFix(fix: Fix): Map<string, string> {
  const changed = new Map<string, string>();
  for (const { uri, edits } of fix.edits) {
    const filePath = uriToPath(uri);
    assert.ok(filePath, `fix edits a non-file URI ${uri}`);
    changed.set(uri, applyEdits(changed.get(uri) ?? fs.readFileSync(filePath, 'utf8'), edits));
  }
  return changed;
}
