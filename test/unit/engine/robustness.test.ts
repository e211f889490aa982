/**
 * Hostile input, one reproducer each from the shared robustness cases (read in place): the
 * analysis ends, throws nothing, and keeps the findings the case's README expects.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAnalyzer, type Analyzer, type Finding } from '../../../server/src/engine';
import { createDiskHost, pathToUri } from '../../../server/src/diskHost';
import { TerraformParser } from '../../../server/src/engine/terraform/parse/terraform';
import { loadTerraformGrammar } from '../../../server/src/engine/terraform/parse/treeSitter';
import { memoryAnalyzer, memUri, repoRoot } from '../../support/engine';

const casesDir = (): string => process.env.ROBUSTNESS_CASES_DIR ?? path.resolve(repoRoot(), '..', 'shared', 'robustness-cases');
const casePath = (relative: string): string => path.join(casesDir(), relative);

async function caseAnalyzer(folder: string): Promise<Analyzer> {
  return createAnalyzer(createDiskHost({ roots: [casePath(folder)], maxFileSize: 5 * 1024 * 1024 }));
}

/** `CTK001 aws_cloudtrail.t 1:1` per finding (1-based line:column, as the CLI prints). */
const summary = (findings: Finding[]): string[] =>
  findings.map((f) => `${f.ruleId} ${f.resource} ${f.range.start.line + 1}:${f.range.start.character + 1}`).sort();

async function findingsOf(folder: string, file: string): Promise<string[]> {
  const analyzer = await caseAnalyzer(folder);
  return summary(analyzer.analyze(pathToUri(casePath(path.join(folder, file)))));
}

describe('robustness 06-hcl-invalid-unicode-escape', () => {
  it('a "\\u" right before the closing quote crashes nothing: the trail and the other file of the module are reported', async () => {
    const analyzer = await caseAnalyzer('06-hcl-invalid-unicode-escape/crash');
    const main = analyzer.analyze(pathToUri(casePath('06-hcl-invalid-unicode-escape/crash/main.tf')));
    const other = analyzer.analyze(pathToUri(casePath('06-hcl-invalid-unicode-escape/crash/other.tf')));
    assert.deepEqual(summary(main).map((s) => s.split(' ')[0]), ['CTK001', 'CTK202']);
    assert.deepEqual(summary(other), ['CTK001 aws_cloudtrail.management_events 5:1']);
  });

  it('a bad escape in the name does not remove the trail: CTK001 and CTK202 are reported', async () => {
    assert.deepEqual(await findingsOf('06-hcl-invalid-unicode-escape/dropped', 'main.tf'), ['CTK001 aws_cloudtrail.t 1:1', 'CTK202 aws_cloudtrail.t 1:1']);
  });
});

describe('robustness 07-yaml-alias-bomb', () => {
  it('a 660-byte alias bomb is read within its budget and the trail is still reported', async () => {
    const used = process.memoryUsage().heapUsed;
    const findings = await findingsOf('07-yaml-alias-bomb', 'template.yaml');
    assert.deepEqual(findings.map((s) => s.split(' ').slice(0, 2).join(' ')), ['CTK001 Trail', 'CTK202 Trail']);
    // Expanded in full the aliases would stand for 9^10 lists (gigabytes); the budget keeps it small.
    assert.ok(process.memoryUsage().heapUsed - used < 200 * 1024 * 1024, 'heap grew by more than 200 MB');
  });
});

describe('robustness 08-module-fanout-exponential', () => {
  it('a module that calls itself twice is evaluated once per call: the trail is judged, its key unknown', async () => {
    assert.deepEqual(await findingsOf('08-module-fanout-exponential', 'main.tf'), ['CTK202 aws_cloudtrail.t 10:1']);
  });
});

describe('robustness 11-policy-interpolation-quadratic', () => {
  it('20,000 unclosed "${" in a Resource are matched in linear time, with the policy\'s three findings', async () => {
    const findings = await findingsOf('11-policy-interpolation-quadratic', 'policy.json');
    assert.equal(findings.length, 3, findings.join('\n'));
  });
});

describe('robustness 14-half-typed-line-hides-next-block', () => {
  it('"res" typed above the trail hides neither the trail nor the key findings that depend on it', async () => {
    const original = await findingsOf('14-half-typed-line-hides-next-block/original', 'main.tf');
    assert.deepEqual(original.map((s) => s.split(' ')[0]), ['CTK101', 'CTK103', 'CTK104']);
    assert.deepEqual(await findingsOf('14-half-typed-line-hides-next-block/typing', 'main.tf'), original);
  });

  it('the junk line alone is the syntax error, where HashiCorp\'s parser puts it (23:1)', async () => {
    const parser = new TerraformParser(await loadTerraformGrammar());
    const file = parser.parse('file:///typing.tf', fs.readFileSync(casePath('14-half-typed-line-hides-next-block/typing/main.tf'), 'utf8'));
    assert.deepEqual(file.syntaxErrors.map((r) => `${r.start.line + 1}:${r.start.character + 1}`), ['23:1']);
    assert.deepEqual(file.blocks.map((b) => `${b.type} ${b.labels.join('.')}`), ['resource aws_kms_key.data_events', 'resource aws_cloudtrail.data_events']);
  });
});

describe('robustness 13-lone-cr-positions', () => {
  // The same files with LF line ends, as an editor (breaking lines at a lone CR, like LSP) shows them.
  for (const file of ['main.tf', 'trail.yaml', 'key-policy.json']) {
    it(`${file} with lone CRs gives the findings, lines and columns of its LF copy`, async () => {
      const text = fs.readFileSync(casePath(`13-lone-cr-positions/${file}`), 'utf8');
      assert.ok(/\r(?!\n)/.test(text) && !text.includes('\n'), 'the input has lone CRs only');
      const withLf = summary((await memoryAnalyzer({ [file]: text.replace(/\r/g, '\n') })).analyze(memUri(file)));
      assert.ok(withLf.length > 0);
      assert.deepEqual(await findingsOf('13-lone-cr-positions', file), withLf);
    });
  }
});

describe('robustness 05-deep-nesting-stack-overflow', () => {
  it('4,000 nested arrays in a template and 1,000 nested tuples in a trail: every file of the folder is reported', async () => {
    const analyzer = await caseAnalyzer('05-deep-nesting-stack-overflow');
    const files = ['deep.json', 'deep.tf', 'other-trail.yaml'];
    const results = analyzer.analyzeMany(files.map((f) => pathToUri(casePath(`05-deep-nesting-stack-overflow/${f}`))));
    assert.deepEqual([...results.values()].map((findings) => summary(findings).map((s) => s.split(' ')[0])), [
      ['CTK001', 'CTK202'],
      ['CTK001', 'CTK202'],
      ['CTK001', 'CTK001'],
    ]);
  });

  const trailYaml = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n';
  const deepCases: Record<string, string> = {
    'flow.yaml': `${trailYaml}Metadata:\n  Deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    // `- - - x` opens one block sequence per dash, on one line.
    'block.yaml': `${trailYaml}Metadata:\n  Deep:\n    ${'- '.repeat(10_000)}x\n`,
    'template.json': JSON.stringify({ Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: 'logs' } } } }).replace(/}$/, `, "Metadata": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
    'main.tf': `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n  tags = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}\n`,
  };
  for (const [file, text] of Object.entries(deepCases)) {
    it(`10,000 levels of nesting in ${file}: the trail is still reported`, async () => {
      const analyzer = await memoryAnalyzer({ [file]: text });
      assert.ok(summary(analyzer.analyze(memUri(file))).some((s) => s.startsWith('CTK001 ')));
    });
  }

  // Every JSON reader, not only the template's: Terraform JSON and key policies too.
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  it('10,000 levels of nesting in main.tf.json: the trail is still reported', async () => {
    const text = `{"resource": {"aws_cloudtrail": {"t": {"name": "t", "s3_bucket_name": "b", "tags": ${deep}}}}}`;
    const analyzer = await memoryAnalyzer({ 'main.tf.json': text });
    assert.ok(summary(analyzer.analyze(memUri('main.tf.json'))).some((s) => s.startsWith('CTK001 ')));
  });

  it('10,000 levels of nesting in a key-policy file: the policy is still judged', async () => {
    const text = `{"Version": "2012-10-17", "Deep": ${deep}, "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*"}]}`;
    const analyzer = await memoryAnalyzer({ 'key-policy.json': text });
    assert.ok(summary(analyzer.analyze(memUri('key-policy.json'))).some((s) => s.startsWith('CTK101 ')));
  });
});

describe('robustness 09-hcl-parse-quadratic', () => {
  it('200,000 commas after an attribute are left out of the parse: the file is checked, its key read, the error on the commas\' line', async () => {
    const analyzer = await caseAnalyzer('09-hcl-parse-quadratic');
    const commas = pathToUri(casePath('09-hcl-parse-quadratic/commas/main.tf'));
    assert.deepEqual(analyzer.analyze(commas), []);
    assert.equal(analyzer.notChecked(commas), undefined);
    const file = new TerraformParser(await loadTerraformGrammar()).parse(commas, fs.readFileSync(casePath('09-hcl-parse-quadratic/commas/main.tf'), 'utf8'));
    assert.deepEqual(file.blocks.map((b) => b.labels), [['aws_kms_key', 'k']]);
    assert.equal(file.syntaxErrors[0]?.start.line, 3, 'the error is on the line of the commas');
    const spaces = pathToUri(casePath('09-hcl-parse-quadratic/spaces.tf'));
    assert.deepEqual(summary(analyzer.analyze(spaces)), ['CTK001 aws_cloudtrail.management_events 5:1']);
    assert.equal(analyzer.notChecked(spaces), undefined);
  });

  it('30,000 spaces between a block label and "{" are left out of the parse: the trail is reported where it is', async () => {
    assert.deepEqual(await findingsOf('09-hcl-parse-quadratic', 'spaces.tf'), ['CTK001 aws_cloudtrail.management_events 5:1']);
  });

  it('strings keep their long runs of spaces, and positions after a run hold', async () => {
    const gap = ' '.repeat(5_000);
    const text = `resource "aws_cloudtrail" "t" {\n  name = "a${gap}b"\n  s3_bucket_name ${gap}= "logs"\n}\nresource "aws_cloudtrail" "u" ${gap}{\n  name = "u"\n  s3_bucket_name = "logs"\n}\n`;
    const file = new TerraformParser(await loadTerraformGrammar()).parse('file:///gap.tf', text);
    assert.deepEqual(file.syntaxErrors, []);
    const [t, u] = file.blocks;
    assert.deepEqual(t.attributes.map((a) => [a.name, a.value.kind === 'literal' ? a.value.value : a.value.kind]), [['name', `a${gap}b`], ['s3_bucket_name', 'logs']]);
    assert.deepEqual(t.attributes[1].value.range.start, { line: 2, character: '  s3_bucket_name '.length + gap.length + '= '.length });
    assert.deepEqual(u.labels, ['aws_cloudtrail', 'u']);
    assert.deepEqual(u.attributes[0].range.start, { line: 5, character: 2 });
  });

  it('strings and comments keep their long runs of commas and "${", and valid HCL around them stays valid', async () => {
    const commas = ','.repeat(300);
    const dollars = '$${'.repeat(200);
    const text = `# ${commas}\nresource "aws_cloudtrail" "t" {\n  name = "a${commas}b"\n  s3_bucket_name = "${dollars}"\n}\n`;
    const file = new TerraformParser(await loadTerraformGrammar()).parse('file:///runs.tf', text);
    assert.deepEqual(file.syntaxErrors, []);
    const values = file.blocks[0].attributes.map((a) => (a.value.kind === 'literal' ? a.value.value : a.value.kind));
    assert.deepEqual(values[0], `a${commas}b`);
    assert.deepEqual(file.comments.map((c) => text.split('\n')[c.range.start.line].slice(c.range.start.character, c.range.end.character)), [`# ${commas}`]);
  });
});

describe('robustness 12-wasm-memory-exhaustion', () => {
  it('two 2 MB files of "${" are read with the inside of the run left out: checked, memory bounded, and a trail in another folder is still reported', async () => {
    const analyzer = await caseAnalyzer('12-wasm-memory-exhaustion');
    const rss = process.memoryUsage.rss();
    const a = pathToUri(casePath('12-wasm-memory-exhaustion/a.tf'));
    const b = pathToUri(casePath('12-wasm-memory-exhaustion/b.tf'));
    assert.deepEqual(analyzer.analyze(a), []);
    assert.equal(analyzer.notChecked(a), undefined);
    assert.equal(analyzer.notChecked(b), undefined, 'b.tf, read as part of the module, too');
    assert.ok(process.memoryUsage.rss() - rss < 512 * 1024 * 1024, `grew by ${((process.memoryUsage.rss() - rss) / 2 ** 20).toFixed(0)} MB`);
    assert.deepEqual(summary(analyzer.analyze(pathToUri(casePath('12-wasm-memory-exhaustion/other/normal.tf')))), ['CTK001 aws_cloudtrail.management_events 5:1']);
  });
});
