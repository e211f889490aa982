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
import { salvageJsonEntryLocally } from '../../../server/src/engine/cloudformation/parse/cfnJsonLocalSalvage';
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

  /**
   * Edits that close an entry early or break its key line (a brace deleted, a quote typed into
   * a key or a value, a colon deleted), each repaired by the next keystroke, on random entries:
   * every version must equal a whole parse and salvage, and enough of them must have been
   * salvaged between their neighbours for the check to mean something.
   */
  it('seeded header breaks on random entries (a brace, a quote, a colon) give what a whole parse and salvage give, most salvaged between their neighbours', function () {
    this.timeout(120_000);
    const sources = [{ name: 'cdk template', text: cdkTemplate(1500) }, ...templates.filter((t) => !t.name.includes('generated'))];
    let local = 0;
    let broken = 0;
    for (const [index, { name, text: start }] of sources.entries()) {
      const rng = new Prng(20261202 + index);
      const spots = [...start.matchAll(/[{":]/g)].map((m) => m.index!);
      if (spots.length === 0) continue;
      const parser = new CloudFormationParser();
      const uri = `file:///t/h${index}.json`;
      parser.parse(uri, start);
      // The CDK-shaped template has the long Resources section this path is for: most breaks go there.
      for (let k = 0; k < (index === 0 ? 60 : 12); k++) {
        const at = spots[rng.int(spots.length)];
        const typed = rng.next() < 0.5 ? '' : '"';
        const brokenText = typed === '' ? start.slice(0, at) + start.slice(at + 1) : start.slice(0, at) + typed + start.slice(at);
        const base = baseOf(new SourceText(start));
        const whole = parseCloudFormation(uri, brokenText);
        if (whole && whole.syntaxErrors.length > 0) broken++;
        if (base && salvageJsonEntryLocally(base, new SourceText(brokenText)) && !reparseJsonEntry(base, new SourceText(brokenText))) local++;
        assert.equal(comparable(parser.parse(uri, brokenText)), comparable(whole), `${name}, seed ${20261202 + index}, break ${k} at ${at} (${JSON.stringify(typed)})`);
        assert.equal(comparable(parser.parse(uri, start)), comparable(parseCloudFormation(uri, start)), `${name}: repaired after break ${k}`);
      }
    }
    assert.ok(broken > 50, `only ${broken} broken versions`);
    assert.ok(local > 20, `only ${local} of ${broken} broken versions salvaged between their neighbours`);
  });

  it('the bench\'s Properties brace and logical-id quote are salvaged between their neighbours, with the whole parse\'s "end of file expected" where it reports it', () => {
    const start = cdkTemplate(1500);
    const strokes = typingRound('json', start, 'header');
    for (const k of [0, 4]) {
      const brokenText = applyKeystroke(start, strokes[k]);
      const base = baseOf(new SourceText(start))!;
      const local = salvageJsonEntryLocally(base, new SourceText(brokenText));
      assert.ok(local, `keystroke ${k} salvaged locally`);
      const whole = parseCloudFormation('file:///t.json', brokenText)!;
      assert.ok(whole.syntaxErrors.length >= 2);
      const last = whole.syntaxErrors[whole.syntaxErrors.length - 1];
      // The error past the damage: the whole parse closed the template at the Resources section's brace.
      assert.ok(last.start.line > local.syntaxErrors[0].start.line + 100, JSON.stringify(last));
      assert.deepEqual(local.syntaxErrors, whole.syntaxErrors);
    }
  });

  it('refuses where the whole salvage would stop early: a key line at an entry\'s column that the clean parse has deeper', () => {
    // Three entries, so the middle one has neighbours; then a line in an output that the outline takes for an entry.
    const three = template.replace('"Trail": {', '"Topic": { "Type": "AWS::SNS::Topic" },\n    "Trail": {');
    const odd = three.replace('"Value": {', '"Description": "x",\n    "Fake": 1,\n      "Value": {');
    for (const text of [three, odd]) {
      const base = baseOf(new SourceText(text));
      assert.ok(base);
      const brokenText = text.replace('"Topic": { "Type"', '"Topic": "Type"');
      assert.notEqual(brokenText, text);
      const whole = parseCloudFormation('file:///t.json', brokenText)!;
      assert.ok(whole.syntaxErrors.length > 0);
      const local = salvageJsonEntryLocally(base, new SourceText(brokenText));
      if (text === three) assert.ok(local, 'the plain template is salvaged locally');
      else assert.equal(local, undefined, 'an outline item the clean parse lacks: the whole salvage decides');
    }
  });
});

