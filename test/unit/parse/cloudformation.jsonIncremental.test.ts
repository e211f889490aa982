/**
 * Re-parsing one entry of a JSON template after a keystroke must give exactly what parsing the
 * whole text gives: the same blocks, comments and errors, at the same positions. Checked on every
 * JSON template of the shared corpus (read in place; sources in its MANIFEST.tsv) and on a
 * CDK-shaped template, under a seeded stream of edits like typing, and on edits the single-entry
 * re-parse must refuse.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationParser, isCloudFormationTemplate, parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';
import { jsonBase, reparseJsonEntry } from '../../../server/src/engine/cloudformation/parse/cfnJsonIncremental';
import { parseJsonDocument } from '../../../server/src/engine/cloudformation/parse/cfnJson';
import { SourceText } from '../../../server/src/engine/cloudformation/parse/cfnText';
import { Prng } from '../../support/fuzz/prng';
import { applyKeystroke, cdkTemplate, typingRound } from '../../support/typingSessions';
import { corpusDir, repoRoot } from '../../support/engine';

function jsonTemplates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsonTemplates(full);
    if (!/\.(json|template)$/i.test(entry.name)) return [];
    const text = fs.readFileSync(full, 'utf8');
    return text.trimStart().startsWith('{') && isCloudFormationTemplate(text) ? [full] : [];
  });
}

const TYPED = [' ', 'a', '1', '"', ',', ':', '{', '}', '[', ']', '\n', '\r\n', '\n        "Extra": "value",', 'true', '//'];

/** A keystroke-like edit: mostly typing inside a line, sometimes a deletion or a pasted line. */
function edit(text: string, rng: Prng): string {
  const at = rng.int(text.length + 1);
  const choice = rng.next();
  if (choice < 0.6) return text.slice(0, at) + rng.pick(TYPED) + text.slice(at);
  if (choice < 0.9) return text.slice(0, at) + text.slice(at + 1 + rng.int(3));
  const lines = text.split('\n');
  lines.splice(rng.int(lines.length), 0, lines[rng.int(lines.length)]);
  return lines.join('\n');
}

const comparable = (file: ReturnType<typeof parseCloudFormation>) => file && JSON.stringify({ blocks: file.blocks, comments: file.comments, errors: file.syntaxErrors });

const baseOf = (source: SourceText) => jsonBase(source, parseJsonDocument(source));

describe('CloudFormation JSON: re-parsing the edited entry', () => {
  const fixtures = path.join(repoRoot(), 'test', 'fixtures');
  const templates = [...jsonTemplates(corpusDir()), ...jsonTemplates(fixtures)].map((file) => ({ name: file, text: fs.readFileSync(file, 'utf8') }));
  templates.push({ name: 'cdk.out/AuditStack.template.json (generated, 1,500 lines)', text: cdkTemplate(1500) });

  it('finds JSON templates in the corpus and the fixtures to edit', () => {
    assert.ok(templates.length >= 10, `only ${templates.length} JSON templates`);
  });

  it('gives what a whole parse gives, after every edit of a typing session, on every template', function () {
    this.timeout(180_000);
    let incremental = 0;
    for (const [index, template] of templates.entries()) {
      const rng = new Prng(index + 1);
      const parser = new CloudFormationParser();
      const uri = `file:///t/${index}.json`;
      parser.parse(uri, template.text);
      // A broken version is undone by the next edit (a typo fixed), so the parser's base, the
      // last clean version, is older than the text it last saw.
      let clean = new SourceText(template.text);
      for (let step = 0; step < 40; step++) {
        const text = edit(clean.text, rng);
        const source = new SourceText(text);
        const base = baseOf(clean);
        if (base && reparseJsonEntry(base, source) && text !== clean.text) incremental++;
        if (baseOf(source)) clean = source;
        assert.equal(comparable(parser.parse(uri, text)), comparable(parseCloudFormation(uri, text)), `${template.name}, seed ${index + 1}, edit ${step + 1}`);
      }
    }
    // The check above is only worth something if many edits took the single-entry path.
    assert.ok(incremental > templates.length * 5, `only ${incremental} edits were re-parsed by entry`);
  });

  const template = `${JSON.stringify({
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: 'logs' } },
    },
    Outputs: { TrailArn: { Value: { 'Fn::GetAtt': ['Trail', 'Arn'] } } },
  }, null, 2)}\n`;
  const reparse = (from: string, to: string, text = template) => {
    const base = baseOf(new SourceText(text));
    assert.ok(base);
    assert.ok(text.includes(from));
    return reparseJsonEntry(base, new SourceText(text.replace(from, to)));
  };

  it('re-parses an edit inside one entry, moving what follows, with every position as the whole parse gives it', () => {
    const edited = template.replace('"IsLogging": true,', '"IsLogging": true,\n        "KMSKeyId": {\n          "Ref": "Key"\n        },');
    const document = reparse('"IsLogging": true,', '"IsLogging": true,\n        "KMSKeyId": {\n          "Ref": "Key"\n        },');
    assert.ok(document?.root?.kind === 'object');
    assert.equal(JSON.stringify(document.root), JSON.stringify(parseJsonDocument(new SourceText(edited)).root));
    assert.equal(document.root.entries[1].key, 'Outputs');
  });

  it('re-parses a half-typed value alone, with the errors and the recovery the whole parse gives', () => {
    const whole = (text: string) => parseCloudFormation('file:///t.json', text);
    for (const [from, to] of [['"IsLogging": true,', '"IsLogging": tru,'], ['"IsLogging": true,', '"IsLogging": "true,'], ['"IsLogging": true,', '"IsLogging": true,\n        "Tr'], ['"S3BucketName": "logs"', '"S3BucketName": "logs",\n        "TrailName"'], ['"Trail": {', '"Trail": {{']]) {
      const document = reparse(from, to);
      assert.ok(document, `${to}: re-parsed alone`);
      assert.ok(document.syntaxErrors.length > 0);
      const parser = new CloudFormationParser();
      parser.parse('file:///t.json', template);
      assert.equal(comparable(parser.parse('file:///t.json', template.replace(from, to))), comparable(whole(template.replace(from, to))), to);
    }
  });

  it('refuses what one entry cannot tell: a bracket left open, an edit between entries, a comment, a lone CR, a value sharing its last line', () => {
    assert.equal(reparse('"IsLogging": true,', '"IsLogging": [true,'), undefined);
    assert.equal(reparse('    },\n    "Trail"', '    },\n    "Topic": { "Type": "AWS::SNS::Topic" },\n    "Trail"'), undefined);
    assert.equal(reparse('"IsLogging": true,', '"IsLogging": {true,'), undefined);
    assert.equal(reparse('"IsLogging": true,', '"IsLogging": true, // on'), undefined);
    assert.equal(reparse('"IsLogging": true,', '"IsLogging": true,\r"Extra": 1,'), undefined);
    const compact = '{"Resources": {"Key": {"Type": "AWS::KMS::Key"}, "Trail": {"Type": "AWS::CloudTrail::Trail"}}}\n';
    assert.equal(reparse('"AWS::KMS::Key"', '"AWS::KMS::Key", "Properties": {}', compact), undefined);
  });

  it('a header broken and repaired (a Properties brace, a colon after a key, a quote in a logical id) and a new line typed character by character give what a whole parse gives', () => {
    const parser = new CloudFormationParser();
    const uri = 'file:///cdk.out/AuditStack.template.json';
    const start = cdkTemplate(1500);
    let text = start;
    parser.parse(uri, text);
    const strokes = [...typingRound('json', start, 'header'), ...typingRound('json', start, 'newLine')];
    assert.ok(strokes.length > 20);
    for (const [index, stroke] of strokes.entries()) {
      text = applyKeystroke(text, stroke);
      assert.equal(comparable(parser.parse(uri, text)), comparable(parseCloudFormation(uri, text)), `keystroke ${index}`);
    }
    assert.equal(text, start);
  });

  it('keeps the last clean version as the base while the text is broken, and is back on the fast path once it is repaired', () => {
    const parser = new CloudFormationParser();
    const uri = 'file:///t.json';
    parser.parse(uri, template);
    const broken = template.replace('"IsLogging": true,', '"IsLogging": tr');
    assert.equal(comparable(parser.parse(uri, broken)), comparable(parseCloudFormation(uri, broken)));
    const repaired = template.replace('"IsLogging": true,', '"IsLogging": false,');
    assert.ok(reparse('"IsLogging": true,', '"IsLogging": false,'));
    assert.equal(comparable(parser.parse(uri, repaired)), comparable(parseCloudFormation(uri, repaired)));
  });
});
