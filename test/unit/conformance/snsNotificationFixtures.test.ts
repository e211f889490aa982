/**
 * The trail-notification fixtures (test/fixtures/sns-notification) against their EXPECTED.tsv,
 * through the engine (message ids) and through the CLI as CI runs it (JSON and SARIF).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { createAnalyzer, type Finding } from '../../../server/src/engine';
import { createDiskHost, pathToUri } from '../../../server/src/diskHost';
import { repoRoot } from '../../support/engine';
import { fixtureCopy, realName } from '../../support/fixtureFolders';

interface Row { file: string; rule: string; messageId: string; resource: string; line: number }

const stored = path.join(repoRoot(), 'test', 'fixtures', 'sns-notification');
/** The folder with its YAML template under its real name (it is stored as `.yaml.txt`). */
let copied: string | undefined;
const fixtures = (): string => (copied ??= fixtureCopy(stored));

function expected(): Row[] {
  const [, ...lines] = fs.readFileSync(path.join(stored, 'EXPECTED.tsv'), 'utf8').trim().split('\n');
  return lines.map((l) => {
    const [file, rule, messageId, resource, line] = l.split('\t');
    return { file: realName(file), rule, messageId, resource, line: Number(line) };
  });
}

const cli = (args: string[]) => spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js'), ...args], { cwd: fixtures(), encoding: 'utf8' });
const sorted = (items: string[]): string[] => [...items].sort();

describe('trail notification fixtures (EXPECTED.tsv)', function () {
  this.timeout(120000);
  after(() => copied && fs.rmSync(copied, { recursive: true, force: true }));

  it('the engine reports exactly the expected findings, with their message ids', async () => {
    const rows = expected();
    const host = createDiskHost({ roots: [fixtures()], maxFileSize: 5 * 1024 * 1024 });
    const analyzer = await createAnalyzer(host);
    const found: (Finding & { file: string })[] = [];
    for (const file of new Set(rows.map((r) => r.file))) {
      for (const finding of analyzer.analyze(pathToUri(path.join(fixtures(), file)))) found.push({ ...finding, file });
    }
    const shown = (f: Finding & { file: string }): string => `${f.file}\t${f.ruleId}\t${f.messageId}\t${f.resource}\t${f.range.start.line + 1}`;
    const wanted = rows.filter((r) => r.rule !== 'none').map((r) => `${r.file}\t${r.rule}\t${r.messageId}\t${r.resource}\t${r.line}`);
    assert.deepEqual(sorted(found.map(shown)), sorted(wanted));
    for (const quiet of rows.filter((r) => r.rule === 'none')) {
      assert.deepEqual(found.filter((f) => f.resource === quiet.resource).map(shown), [], `${quiet.resource} should have no finding`);
    }
  });

  it('the CLI prints them in its JSON contract and fails on the warnings', () => {
    const result = cli(['scan', '.', '--format', 'json']);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; line: number; resource: string; severity: string; message: string }[] };
    assert.deepEqual(
      sorted(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity} ${f.resource}`)),
      sorted(expected().filter((r) => r.rule !== 'none').map((r) => `${r.file}:${r.line} ${r.rule} warning ${r.resource}`)),
    );
    const awsManaged = report.findings.find((f) => f.resource === 'aws_sns_topic.aws_managed');
    assert.match(awsManaged?.message ?? '', /alias\/aws\/sns, an AWS-managed key .* Encrypt the topic with a customer-managed key\./);
  });

  it('the CLI writes them as SARIF 2.1.0 that validates, CTK401 carrying its docs', () => {
    const result = cli(['scan', '.', '--format', 'sarif', '--fail-on', 'none']);
    assert.equal(result.status, 0, result.stderr);
    const sarif = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } }; results: unknown[] }[] };
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = sarif.runs[0];
    assert.ok(run.tool.driver.rules.some((r) => r.id === 'CTK401' && r.help.markdown.includes('alias/aws/sns')));
    assert.deepEqual(
      sorted((run.results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[]).map((r) =>
        `${r.locations[0].physicalLocation.artifactLocation.uri.replace(/^test\/fixtures\/sns-notification\//, '')}:${r.locations[0].physicalLocation.region.startLine} ${r.ruleId} ${r.level}`)),
      sorted(expected().filter((r) => r.rule !== 'none').map((r) => `${r.file}:${r.line} ${r.rule} warning`)),
    );
  });
});
