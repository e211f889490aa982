/**
 * The CloudFormation adapter over every YAML/JSON/template file of the shared corpus (real
 * templates and peers' fixtures, read in place; their sources are in the corpus's
 * MANIFEST.tsv): no file throws, every file LABELS.tsv lists a CloudFormation logical id for
 * is detected as a template, and each of those logical ids is a resource block whose header is
 * on the labelled line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCloudFormationTemplate, parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const corpusDir = process.env.CORPUS_DIR ?? path.resolve(repoRoot(), '..', 'shared', 'corpus');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.(ya?ml|json|template)$/i.test(entry.name) ? [full] : [];
  });
}

interface Label {
  file: string;
  logicalId: string;
  line: number;
  verdict: string;
}

/** LABELS.tsv rows naming a CloudFormation logical id (not a Terraform address, not a whole file). */
function cloudFormationLabels(): Label[] {
  const [header, ...rows] = fs.readFileSync(path.join(corpusDir, 'LABELS.tsv'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  const column = (name: string) => {
    const index = columns.indexOf(name);
    assert.notEqual(index, -1, `LABELS.tsv has no ${name} column`);
    return index;
  };
  const [file, address, line, verdict] = [column('local_path'), column('resource_address'), column('line'), column('verdict')];
  return rows.map((row) => row.split('\t')).filter((cells) => {
    const id = cells[address];
    return !/^(aws_|module\.|data\.)/.test(id) && id !== '(file)' && id !== '(standalone key policy)';
  }).map((cells) => ({ file: cells[file], logicalId: cells[address], line: Number(cells[line]), verdict: cells[verdict] }));
}

describe('CloudFormation adapter: the shared corpus', function () {
  this.timeout(120_000);

  before(function () {
    if (!fs.existsSync(path.join(corpusDir, 'LABELS.tsv'))) this.skip();
  });

  it('parses every .yaml/.yml/.json/.template file without throwing', () => {
    const files = filesUnder(corpusDir);
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotThrow(() => parseCloudFormation(`file://${file}`, text), file);
      assert.equal(isCloudFormationTemplate(text), parseCloudFormation(`file://${file}`, text) !== undefined, file);
    }
  });

  it('detects every labelled template and finds each labelled logical id on its line', () => {
    const labels = cloudFormationLabels();
    assert.ok(labels.length >= 20, `only ${labels.length} CloudFormation labels`);
    for (const label of labels) {
      const full = path.join(corpusDir, label.file);
      const text = fs.readFileSync(full, 'utf8');
      assert.equal(isCloudFormationTemplate(text), true, `${label.file} not detected as a template`);
      const file = parseCloudFormation(`file://${full}`, text);
      assert.ok(file, label.file);
      assert.deepEqual(file.syntaxErrors, [], `${label.file} has syntax errors`);
      const block = file.blocks.find((b) => b.type === 'resource' && b.labels[1] === label.logicalId);
      assert.ok(block, `${label.file}: no resource ${label.logicalId}`);
      assert.equal(block.headerRange.start.line + 1, label.line, `${label.file}: ${label.logicalId}`);
      assert.ok(block.labels[0] !== '', `${label.file}: ${label.logicalId} has no Type`);
    }
  });

  it('does not take the standalone key policies and other labelled non-templates for templates', () => {
    const rows = fs.readFileSync(path.join(corpusDir, 'LABELS.tsv'), 'utf8').split(/\r?\n/).slice(1).map((l) => l.split('\t'));
    const nonTemplates = rows.filter((cells) => cells[1] === '(standalone key policy)' && /\.json$/.test(cells[0]));
    assert.ok(nonTemplates.length > 0);
    for (const [file] of nonTemplates) {
      assert.equal(isCloudFormationTemplate(fs.readFileSync(path.join(corpusDir, file), 'utf8')), false, file);
    }
  });
});
