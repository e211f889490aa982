/**
 * A YAML template open in an editor: a keystroke that leaves the edited entry unparseable on
 * its own (a property line half typed, a section header taken apart) is read between the
 * entry's neighbours rather than by parsing the whole template (see `reparseWindow`). What it
 * gives must be exactly what parsing the whole text gives, after every keystroke, and the
 * findings must be those of a fresh analysis.
 */
import * as assert from 'node:assert/strict';
import { CloudFormationParser, parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';
import { reparseWindow, yamlBase } from '../../../server/src/engine/cloudformation/parse/cfnIncremental';
import { SourceText } from '../../../server/src/engine/cloudformation/parse/cfnText';
import { parseYamlDocuments } from '../../../server/src/engine/cloudformation/parse/cfnYaml';
import { salvageEntryLocally } from '../../../server/src/engine/cloudformation/parse/cfnLocalSalvage';
import { memoryAnalyzer, memUri } from '../../support/engine';
import { breakAndRepair, typeAndErase, type Step } from '../../support/typingSteps';
import { Prng } from '../../support/fuzz/prng';

/** A template of `count` keys and trails; every third trail has no `KMSKeyId`. */
function template(count: number): string {
  let text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
  for (let i = 0; i < count; i++) {
    text += `  Key${i}:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true # rotated\n`;
    text += `  Trail${i}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: logs-${i}\n${i % 3 === 0 ? '' : `      KMSKeyId: !Ref Key${i}\n`}`;
  }
  return text + 'Outputs:\n  Name:\n    Value: trails\n';
}

const comparable = (file: ReturnType<typeof parseCloudFormation>) => file && JSON.stringify({ blocks: file.blocks, comments: file.comments, errors: file.syntaxErrors });

/** Runs the steps through one parser; returns how many broken versions the window read. */
function checkSession(start: string, steps: Step[], counts = { salvaged: 0 }): number {
  const parser = new CloudFormationParser();
  const uri = 'file:///t/template.yaml';
  let text = start;
  parser.parse(uri, text);
  const clean = { source: new SourceText(text) };
  let base = yamlBase(clean.source, parseYamlDocuments(clean.source)[0])!;
  let windowed = 0;
  for (const [index, step] of steps.entries()) {
    text = step(text);
    const source = new SourceText(text);
    const whole = parseCloudFormation(uri, text);
    if (whole?.syntaxErrors.length && reparseWindow(base, source)) windowed++;
    else if (whole?.syntaxErrors.length && salvageEntryLocally(base, source)) counts.salvaged++;
    assert.equal(comparable(parser.parse(uri, text)), comparable(whole), `step ${index}: ${JSON.stringify(text.split('\n').find((l, k, all) => all[k] !== start.split('\n')[k]) ?? '')}`);
    if (whole?.syntaxErrors.length === 0) base = yamlBase(source, parseYamlDocuments(source)[0])!;
  }
  assert.equal(text, start);
  return windowed;
}

describe('CloudFormation YAML: an entry that does not parse alone, read between its neighbours', () => {
  const text = template(8);
  const trail = text.indexOf('  Trail4:');
  const isLoggingEnd = text.indexOf('\n', text.indexOf('IsLogging', trail));

  it('typing a new property line character by character gives what a whole parse gives', () => {
    const windowed = checkSession(text, [
      (t) => t.slice(0, isLoggingEnd) + '\n' + t.slice(isLoggingEnd),
      ...typeAndErase(isLoggingEnd + 1, '      EnableLogFileValidation: true'),
      (t) => t.slice(0, isLoggingEnd) + t.slice(isLoggingEnd + 1),
    ]);
    // `      E`…`      EnableLogFileValidation` are broken and read in the window.
    assert.ok(windowed >= 20, `only ${windowed} versions read in the window`);
  });

  it('a property header taken apart and typed back, and an entry key losing its colon, give what a whole parse gives', () => {
    const properties = text.indexOf('    Properties:', trail);
    const windowed = checkSession(text, [
      ...breakAndRepair(text, properties + 4, properties + 15),
      ...breakAndRepair(text, trail + 2, trail + 9),
    ]);
    assert.ok(windowed >= 10, `only ${windowed} versions read in the window`);
  });

  it('a resource key losing its colon, and a header line deleted, are salvaged between the neighbours and give what a whole parse gives', () => {
    const colon = trail + '  Trail4'.length;
    const typeLine = text.indexOf('    Type:', trail);
    const steps: Step[] = [
      ...breakAndRepair(text, colon, colon + 1),
      ...breakAndRepair(text, typeLine, text.indexOf('\n', typeLine) + 1),
      ...breakAndRepair(text, trail, trail + '  Trail4:\n'.length),
    ];
    checkSession(text, steps);
    // The broken versions are read locally, not by a whole parse and salvage.
    const source = new SourceText(text);
    const base = yamlBase(source, parseYamlDocuments(source)[0])!;
    const broken = text.slice(0, colon) + text.slice(colon + 1);
    const whole = parseCloudFormation('file:///t/template.yaml', broken)!;
    assert.ok(whole.syntaxErrors.length > 0);
    const local = salvageEntryLocally(base, new SourceText(broken));
    assert.ok(local, 'the key without its colon was not salvaged locally');
    assert.deepEqual(local.syntaxErrors, whole.syntaxErrors);
  });

  it('seeded header breaks (an entry key losing its colon, a header line, an indentation) on random entries give what a whole parse gives', () => {
    const big = template(30);
    const keyLines = [...big.matchAll(/^ {2,4}\w+:/gm)].map((m) => m.index!);
    const counts = { salvaged: 0 };
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Prng(seed);
      const steps: Step[] = [];
      for (let k = 0; k < 4; k++) {
        const at = keyLines[rng.int(keyLines.length)];
        const colon = big.indexOf(':', at);
        const lineEnd = big.indexOf('\n', at) + 1;
        const kind = rng.int(4);
        if (kind === 0) steps.push(...breakAndRepair(big, colon, colon + 1));
        else if (kind === 1) steps.push((t) => t.slice(0, at) + t.slice(lineEnd), (t) => t.slice(0, at) + big.slice(at, lineEnd) + t.slice(at));
        else if (kind === 2) steps.push((t) => t.slice(0, at) + ' ' + t.slice(at), (t) => t.slice(0, at) + t.slice(at + 1));
        else steps.push((t) => t.slice(0, at) + t.slice(at + 1), (t) => t.slice(0, at) + ' ' + t.slice(at));
      }
      try {
        checkSession(big, steps, counts);
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`);
      }
    }
    assert.ok(counts.salvaged >= 5, `only ${counts.salvaged} broken versions salvaged between their neighbours`);
  });

  it('refuses what can leave the window: a line typed at column 0, a tab, an unclosed flow sequence', () => {
    const source = new SourceText(text);
    const base = yamlBase(source, parseYamlDocuments(source)[0])!;
    for (const typed of ['X', '\tA: 1', '      Tags: [a, b']) {
      const edited = text.slice(0, isLoggingEnd + 1) + typed + '\n' + text.slice(isLoggingEnd + 1);
      const whole = parseCloudFormation('file:///t/template.yaml', edited);
      const windowed = reparseWindow(base, new SourceText(edited));
      assert.ok(whole && whole.syntaxErrors.length > 0, typed);
      assert.equal(windowed, undefined, `${JSON.stringify(typed)} was read in the window`);
    }
  });

  it('the findings shown after every keystroke are those of a fresh analysis', async () => {
    const small = template(4);
    const trail0 = small.indexOf('  Trail0:');
    const at = small.indexOf('\n', small.indexOf('S3BucketName', trail0));
    const steps = [(t: string) => t.slice(0, at) + '\n' + t.slice(at), ...typeAndErase(at + 1, '      KMSKeyId: !Ref Key0')];
    const uri = memUri('template.yaml');
    const analyzer = await memoryAnalyzer({ 'template.yaml': small });
    const shown = (findings: { ruleId: string; message: string; range: unknown }[]) => findings.map((f) => `${f.ruleId} ${JSON.stringify(f.range)} ${f.message}`);
    let t = small;
    analyzer.setDocument(uri, t);
    const before = shown(analyzer.analyze(uri));
    let after: string[] = [];
    for (const [index, step] of steps.entries()) {
      t = step(t);
      analyzer.setDocument(uri, t);
      after = shown(analyzer.analyze(uri));
      const fresh = await memoryAnalyzer({ 'template.yaml': t });
      fresh.setDocument(uri, t);
      assert.deepEqual(after, shown(fresh.analyze(uri)), `step ${index}`);
    }
    // Trail0 had no key: its CTK001 is gone once `KMSKeyId: !Ref Key0` is typed.
    const gone = before.filter((f) => f.startsWith('CTK001') && !after.includes(f));
    assert.equal(gone.length, 1, `CTK001 findings gone: ${gone.join('; ')}`);
  });
});
