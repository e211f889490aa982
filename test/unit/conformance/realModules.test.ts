/**
 * Conformance on the real-module fixture set (test/fixtures/real-modules): the shapes of public
 * vendor, landing-zone and CDK modules, with hand labels in EXPECTED.tsv made from AWS's
 * documentation. The folder is scanned as `cloudtrail-kms-lint scan` does (the same walk, the
 * same batch analysis), and every label is a test: an expected finding the engine does not
 * report, a finding no label expects, or a finding at another line, fails and names the file,
 * line, rule and the label's reason.
 *
 * Labels the engine does not meet yet are listed below with the reason. Their tests assert the
 * disagreement is still there, so fixing the engine makes them fail until the entry is removed;
 * the label itself stays the truth.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { uriToPath } from '../../../server/src/diskHost';
import { scanFiles } from '../../../server/src/scan/parallelScan';
import type { FindingData } from '../../../server/src/scan/protocol';
import { walkFiles } from '../../../server/src/walk';
import { repoRoot } from '../../support/engine';
import { fixtureCopy, realName } from '../../support/fixtureFolders';

interface Row { file: string; rule: string; messageId: string; resource: string; line: number; why: string }
interface Seen { file: string; rule: string; messageId: string; resource: string; line: number; message: string }

interface KnownMiss {
  reason: string;
  /** What the engine reports instead, when it reports the rule on the resource with another message. */
  instead?: { messageId: string; line: number };
}

/** `file<TAB>rule<TAB>resource` of an expected finding the engine does not report as labelled, and why. */
const KNOWN_MISSES: Record<string, KnownMiss> = {
  'itgix-org-cloudtrail/key.tf.txt\tCTK101\tdata.aws_iam_policy_document.logs_key': {
    reason: 'the {"AWS": "*"} kms:* statement is taken to cover GenerateDataKey*, so CTK101 says no statement names CloudTrail (notNamed) instead of pointing at the CloudTrail statement whose "arn:logs:" encryption-context condition never matches',
    instead: { messageId: 'notNamed', line: 3 },
  },
};

/** `file<TAB>rule<TAB>resource` of an engine finding the labels say is wrong, and why it stays for now. */
const KNOWN_FALSE_ALARMS: Record<string, string> = {};

const stored = path.join(repoRoot(), 'test', 'fixtures', 'real-modules');
const caseOf = (file: string): string => file.split('/')[0];
const keyOf = (x: { file: string; rule: string; resource: string }): string => `${x.file}\t${x.rule}\t${x.resource}`;
const shown = (x: { file: string; line: number; rule: string; resource: string }): string => `${x.file}:${x.line} ${x.rule} ${x.resource}`;

/** Every file of the set, by its stored name (`lacework-cloudtrail/main.tf.txt`). */
function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.txt')) out.push(path.relative(stored, full).split(path.sep).join('/'));
    }
  };
  walk(stored);
  return out.sort();
}

function expectedRows(): Row[] {
  const [, ...lines] = fs.readFileSync(path.join(stored, 'EXPECTED.tsv'), 'utf8').trim().split('\n');
  return lines.map((l) => {
    const [file, rule, messageId, resource, line, why] = l.split('\t');
    return { file, rule, messageId, resource, line: Number(line), why };
  });
}

/** Every finding of a scan of the whole set, keyed by the stored name of its file. */
async function scanSet(copy: string): Promise<Seen[]> {
  // The copy drops `.txt`; findings are reported under the stored names the labels use.
  const storedName = new Map<string, string>();
  const walkStored = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walkStored(full);
      else storedName.set(realName(path.relative(stored, full)).split(path.sep).join('/'), path.relative(stored, full).split(path.sep).join('/'));
    }
  };
  walkStored(stored);
  const files = [...walkFiles([copy], { exclude: [] })];
  const seen: Seen[] = [];
  const errors: string[] = [];
  await scanFiles(files, { roots: [copy], maxFileSize: 5 * 1024 * 1024, config: {} }, {
    onResult: (_file, found: FindingData[]) => {
      for (const f of found) {
        const analysed = path.relative(copy, uriToPath(f.uri) ?? '').split(path.sep).join('/');
        seen.push({ file: storedName.get(analysed) ?? analysed, rule: f.ruleId, messageId: f.messageId, resource: f.resource, line: f.range.start.line + 1, message: f.message });
      }
    },
    onError: (file, error) => errors.push(`${file}: ${error}`),
  });
  assert.deepEqual(errors, [], 'every file of the set is checked');
  assert.ok(files.length >= 20, `the scan walked the set (${files.length} files)`);
  return seen;
}

describe('real-module conformance (test/fixtures/real-modules/EXPECTED.tsv)', function () {
  this.timeout(120000);
  const rows = expectedRows();
  const wanted = rows.filter((r) => r.rule !== 'none');
  let copy: string | undefined;
  let seen: Seen[] = [];
  before(async () => {
    copy = fixtureCopy(stored);
    seen = await scanSet(copy);
  });
  after(() => copy && fs.rmSync(copy, { recursive: true, force: true }));

  const reported = (row: Row): Seen | undefined => seen.find((s) => keyOf(s) === keyOf(row));
  const labelled = (s: Seen): Row | undefined => wanted.find((r) => keyOf(r) === keyOf(s));

  it('every labelled file exists, and every case of the set is labelled', () => {
    const files = new Set(storedFiles());
    for (const row of rows) assert.ok(files.has(row.file), `EXPECTED.tsv names ${row.file}, which is not in the set`);
    const unlabelledCases = [...new Set([...files].map(caseOf))].filter((c) => !rows.some((r) => caseOf(r.file) === c));
    assert.deepEqual(unlabelledCases, [], 'every case has labels');
    for (const key of [...Object.keys(KNOWN_MISSES), ...Object.keys(KNOWN_FALSE_ALARMS)]) {
      assert.ok(rows.some((r) => keyOf(r) === key) || KNOWN_FALSE_ALARMS[key], `known entry ${key} names no label`);
    }
  });

  for (const row of wanted) {
    const key = keyOf(row);
    const miss = KNOWN_MISSES[key];
    if (miss) {
      it(`${shown(row)} ${row.messageId} (known miss: ${miss.reason})`, () => {
        const found = reported(row);
        const now = found && `${found.messageId}@${found.line}`;
        assert.equal(now, miss.instead && `${miss.instead.messageId}@${miss.instead.line}`, `the engine now reports ${shown(row)} as ${now ?? 'nothing'}: update KNOWN_MISSES`);
      });
      continue;
    }
    it(`${shown(row)} ${row.messageId}`, () => {
      const found = reported(row);
      assert.ok(found, `expected ${row.rule} (${row.messageId}) on ${row.resource} in ${row.file} at line ${row.line}: ${row.why}`);
      assert.equal(found.messageId, row.messageId, `${shown(row)}: message id (${row.why})`);
      assert.equal(found.line, row.line, `${shown(row)}: reported at line ${found.line} (${row.why})`);
    });
  }

  // Files without a row (variables, versions) must have no finding either.
  for (const file of storedFiles()) {
    it(`${file}: no finding the labels do not expect`, () => {
      const unexpected = seen.filter((s) => s.file === file && !labelled(s) && !KNOWN_FALSE_ALARMS[keyOf(s)]);
      const reasons = unexpected.map((s) => {
        const quiet = rows.find((r) => r.file === file && r.rule === 'none' && r.resource === s.resource);
        return `${shown(s)} (${s.messageId}: ${s.message})${quiet ? ` but the label says: ${quiet.why}` : ''}`;
      });
      assert.deepEqual(reasons, [], `${file}: unexpected findings`);
    });
  }

  for (const [key, reason] of Object.entries(KNOWN_FALSE_ALARMS)) {
    it(`${key.replace(/\t/g, ' ')} (known false alarm: ${reason})`, () => {
      assert.ok(seen.some((s) => keyOf(s) === key), `the engine no longer reports ${key}: remove it from KNOWN_FALSE_ALARMS`);
    });
  }

  it('agreement per case (printed) adds up to every label', () => {
    const table = [...new Set(rows.map((r) => caseOf(r.file)))].map((c) => {
      const mine = rows.filter((r) => caseOf(r.file) === c);
      const agreed = mine.filter((r) => (r.rule === 'none'
        ? !seen.some((s) => s.file === r.file && s.resource === r.resource && !labelled(s))
        : reported(r)?.messageId === r.messageId)).length;
      const extra = seen.filter((s) => caseOf(s.file) === c && !labelled(s)).length;
      return { c, agreed, labels: mine.length, extra };
    });
    const findings = seen.length;
    const wrong = seen.filter((s) => !labelled(s)).length;
    process.stdout.write(`      real modules: ${table.map((t) => `${t.c} ${t.agreed}/${t.labels}${t.extra ? ` (+${t.extra} unlabelled)` : ''}`).join(', ')}\n`);
    process.stdout.write(`      agreement ${table.reduce((n, t) => n + t.agreed, 0)}/${rows.length}; engine findings ${findings}, of which the labels say ${wrong} are wrong\n`);
    const misses = Object.keys(KNOWN_MISSES).length;
    const falseAlarms = Object.keys(KNOWN_FALSE_ALARMS).length;
    assert.equal(table.reduce((n, t) => n + t.labels - t.agreed, 0) <= misses + falseAlarms, true, 'every disagreement is a known entry');
  });
});
