/**
 * Re-parsing one entry after a keystroke must give exactly what parsing the whole text gives:
 * the same blocks, comments and errors, at the same positions. Checked on every YAML template
 * of the shared corpus (read in place; sources in its MANIFEST.tsv) under a seeded stream of
 * edits like typing (characters, line breaks, deletions, pasted lines), and on edits the
 * single-entry re-parse must refuse.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationParser, isCloudFormationTemplate, parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';
import { reparseEntry, yamlBase } from '../../../server/src/engine/cloudformation/parse/cfnIncremental';
import { SourceText } from '../../../server/src/engine/cloudformation/parse/cfnText';
import { parseYamlDocuments } from '../../../server/src/engine/cloudformation/parse/cfnYaml';
import { corpusDir } from '../../support/engine';

function yamlTemplates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlTemplates(full);
    if (!/\.(ya?ml|template)$/i.test(entry.name)) return [];
    const text = fs.readFileSync(full, 'utf8');
    return !text.trimStart().startsWith('{') && isCloudFormationTemplate(text) ? [full] : [];
  });
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPED = [' ', 'a', 'Z', '1', ':', '-', '\n', '#', '"', "'", '!', '[', ']', '{', '&x ', '*x', '\t', '\n      Extra: value', '\n  NewEntry:\n    Type: AWS::SNS::Topic'];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const choice = next();
  if (choice < 0.6) {
    // Typing at the end of a line is how most values are written.
    const lineEnd = text.indexOf('\n', at);
    const where = next() < 0.5 && lineEnd >= 0 ? lineEnd : at;
    return text.slice(0, where) + TYPED[Math.floor(next() * TYPED.length)] + text.slice(where);
  }
  if (choice < 0.9) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
  // Duplicate a whole line somewhere (a paste).
  const lines = text.split('\n');
  const line = lines[Math.floor(next() * lines.length)];
  lines.splice(Math.floor(next() * lines.length), 0, line);
  return lines.join('\n');
}

const comparable = (file: ReturnType<typeof parseCloudFormation>) => file && JSON.stringify({ blocks: file.blocks, comments: file.comments, errors: file.syntaxErrors });

describe('CloudFormation YAML: re-parsing the edited entry', () => {
  const templates = yamlTemplates(corpusDir());

  it('finds YAML templates in the corpus to edit', () => {
    assert.ok(templates.length >= 10, `only ${templates.length} YAML templates`);
  });

  it('gives what a whole parse gives, after every edit of a typing session, on every corpus template', function () {
    // About 900 whole and incremental parses: tens of seconds on a busy 2-core machine.
    this.timeout(180_000);
    let incremental = 0;
    for (const [index, file] of templates.entries()) {
      const next = random(index + 1);
      const parser = new CloudFormationParser();
      const uri = `file:///t/${index}.yaml`;
      let text = fs.readFileSync(file, 'utf8');
      parser.parse(uri, text);
      // An edit that breaks the template is undone by the next one (as a user fixes a typo),
      // so the parser's base, the last clean version, is older than the text it last saw.
      let clean = new SourceText(text);
      // A broken version costs whole parses (with salvage): fewer steps on the 136 KB template.
      const steps = text.length > 50_000 ? 6 : 30;
      for (let step = 0; step < steps; step++) {
        text = edit(clean.text, next);
        const source = new SourceText(text);
        const base = yamlBase(clean, parseYamlDocuments(clean)[0]);
        if (base && reparseEntry(base, source)) incremental++;
        if (yamlBase(source, parseYamlDocuments(source)[0])) clean = source;
        assert.equal(comparable(parser.parse(uri, text)), comparable(parseCloudFormation(uri, text)), `${path.relative(corpusDir(), file)}, seed ${index + 1}, edit ${step + 1}`);
      }
    }
    // The check above is only worth something if most edits took the single-entry path.
    assert.ok(incremental > templates.length * 10, `only ${incremental} edits were re-parsed by entry`);
  });

  const template = [
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '  # the trail',
    '  Trail:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      IsLogging: true',
    'Outputs:',
    '  TrailArn:',
    '    Value: !GetAtt Trail.Arn',
    '',
  ].join('\n');
  const base = () => {
    const source = new SourceText(template);
    const found = yamlBase(source, parseYamlDocuments(source)[0]);
    assert.ok(found);
    return found;
  };
  const reparse = (from: string, to: string) => reparseEntry(base(), new SourceText(template.replace(from, to)));

  it('re-parses an edit inside one entry, moving what follows', () => {
    const document = reparse('      IsLogging: true', '      IsLogging: true\n      KMSKeyId: !Ref Key');
    assert.ok(document?.root?.kind === 'object');
    const outputs = document.root.entries[1];
    assert.equal(outputs.key, 'Outputs');
    assert.equal(outputs.keyRange.start.line, 9);
  });

  it('refuses a section written as a flow mapping over several lines, a key renamed to a sibling\'s, and a lone CR', () => {
    const flow = 'AWSTemplateFormatVersion: "2010-09-09"\nConditions: {\n  A: !Equals [a, b],\n  B: !Equals [a, c]\n}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n';
    const flowSource = new SourceText(flow);
    const flowBase = yamlBase(flowSource, parseYamlDocuments(flowSource)[0]);
    assert.ok(flowBase);
    assert.equal(reparseEntry(flowBase, new SourceText(flow.replace('A: !Equals [a, b],', 'A: !Ref X,'))), undefined);
    assert.equal(reparse('  Trail:', '  Key:'), undefined);
    assert.equal(reparse('  Trail:', '  "Key":'), undefined);
    assert.equal(reparse('      IsLogging: true', '      IsLogging: true\r      Extra: 1'), undefined);
    const parser = new CloudFormationParser();
    parser.parse('file:///t.yaml', template);
    const renamed = template.replace('  Trail:', '  Key:');
    assert.equal(comparable(parser.parse('file:///t.yaml', renamed)), comparable(parseCloudFormation('file:///t.yaml', renamed)));
  });

  it('refuses edits one entry cannot tell: two entries touched, a new sibling, an alias, a syntax error', () => {
    assert.equal(reparse('AWS::KMS::Key\n  # the trail\n  Trail:', 'AWS::KMS::Key\n  Trail:'), undefined);
    assert.equal(reparse('      IsLogging: true', '      IsLogging: true\n  Topic:\n    Type: AWS::SNS::Topic'), undefined);
    assert.equal(reparse('      IsLogging: true', '      IsLogging: *flag'), undefined);
    assert.equal(reparse('      IsLogging: true', '      IsLogging: "true'), undefined);
  });
});
