/**
 * A CDK stack open in an editor is re-read keystroke by keystroke: its last tree is parsed again
 * with the edit, only the nodes around the change are copied again, and key policies read from
 * the same statements reuse their analysis. After every edit, what that gives must be exactly
 * what a whole parse and a fresh analysis of the same text give: the same tree, comments and
 * syntax errors, and the same findings, messages, ranges and fixes. Checked on the fixture apps'
 * files and a generated 400-line stack, under the bench's typing (inside a value, a new line
 * typed character by character, a header broken then repaired) and a seeded stream of edits
 * (typing, deletions, pasted lines and whole statements).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAnalyzer, type Analyzer } from '../../../server/src/engine/analyzer';
import { startParserRuntime } from '../../../server/src/engine/cdk/parse/typescriptGrammar';
import { parseTypeScript, type TsNode, type TsSource } from '../../../server/src/engine/cdk/parse/tsTree';
import { TsDocuments } from '../../../server/src/engine/cdk/parse/tsIncremental';
import { forgetPolicyAnalyses } from '../../../server/src/engine/analysis/analyzedKeys';
import type { Finding } from '../../../server/src/engine/types';
import { Prng } from '../../support/fuzz/prng';
import { EDIT_KINDS, applyKeystroke, cdkStack, typingRound } from '../../support/typingSessions';
import { memUri, memoryHost, repoRoot } from '../../support/engine';

const TYPED = [' ', 'a', '1', "'", '"', '`', ',', ':', ';', '(', ')', '{', '}', '[', ']', '\n', '//', '/*', '*/', '${', 'new ', 'const x = ', '\n    encryptionKey: key0,'];

/** A keystroke-like edit: mostly typing, sometimes a deletion, a pasted line or a pasted statement. */
function edit(text: string, rng: Prng): string {
  const at = rng.int(text.length + 1);
  const choice = rng.next();
  if (choice < 0.55) return text.slice(0, at) + rng.pick(TYPED) + text.slice(at);
  if (choice < 0.85) return text.slice(0, at) + text.slice(at + 1 + rng.int(rng.next() < 0.8 ? 3 : 200));
  const lines = text.split('\n');
  const from = rng.int(lines.length);
  lines.splice(rng.int(lines.length), 0, ...lines.slice(from, from + 1 + rng.int(8)));
  return lines.join('\n');
}

/** The tree as data, with each node's parent checked on the way. */
function shape(node: TsNode, parent?: TsNode): unknown {
  assert.equal(node.parent, parent, `the parent of ${node.type} at ${node.start}`);
  return [node.type, node.start, node.end, node.field ?? '', node.children.map((c) => shape(c, node))];
}

const comparableSource = (source: TsSource): string => JSON.stringify({ root: shape(source.root), file: source.file });

const comparableFindings = (findings: Finding[]): string => JSON.stringify(findings.map((f) => ({ ...f, fixes: f.fixes })));

const fixtureFiles = (): { name: string; text: string }[] => {
  const dir = path.join(repoRoot(), 'test', 'fixtures', 'cdk');
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
  return walk(dir).map((file) => ({ name: path.relative(dir, file), text: fs.readFileSync(file, 'utf8') }));
};

const PACKAGE = JSON.stringify({ dependencies: { 'aws-cdk-lib': '2.0.0' } });

describe('CDK TypeScript: re-reading an open document after each keystroke', () => {
  before(() => startParserRuntime());

  const documents = [...fixtureFiles(), { name: 'stack.ts (generated, 400 lines)', text: cdkStack(400) }];

  it('finds the fixture apps to edit', () => {
    assert.ok(documents.length >= 10, `only ${documents.length} files`);
  });

  it('parses each edit of a seeded session into the tree a whole parse gives', function () {
    this.timeout(300_000);
    let edits = 0;
    for (const [index, document] of documents.entries()) {
      const rng = new Prng(index + 11);
      const parsed = new TsDocuments();
      let text = document.text;
      parsed.parse('file:///mem/a.ts', text);
      for (let i = 0; i < 60; i++) {
        // Now and then the text goes back to the file as written (a header repaired, an undo).
        text = rng.next() < 0.1 ? document.text : edit(text, rng);
        assert.equal(comparableSource(parsed.parse('file:///mem/a.ts', text)), comparableSource(parseTypeScript('file:///mem/a.ts', text)), `${document.name}, edit ${i}`);
        edits++;
      }
      parsed.forget('file:///mem/a.ts');
    }
    assert.ok(edits >= 600);
  });

  it('parses the bench\'s typing into the tree a whole parse gives', () => {
    let text = cdkStack(400);
    const parsed = new TsDocuments();
    parsed.parse('file:///mem/a.ts', text);
    for (const kind of EDIT_KINDS) {
      for (const keystroke of typingRound('typescript', text, kind)) {
        text = applyKeystroke(text, keystroke);
        assert.equal(comparableSource(parsed.parse('file:///mem/a.ts', text)), comparableSource(parseTypeScript('file:///mem/a.ts', text)), `${kind}: ${JSON.stringify(keystroke)}`);
      }
    }
    parsed.forget('file:///mem/a.ts');
  });

  /** Findings of `text` as a fresh analyzer, with nothing kept from before, gives them. */
  async function fresh(name: string, text: string): Promise<string> {
    forgetPolicyAnalyses();
    const analyzer = await createAnalyzer(memoryHost({ 'app/package.json': PACKAGE, [`app/${name}`]: text }));
    const findings = comparableFindings(analyzer.analyze(memUri(`app/${name}`)));
    analyzer.closeDocument(memUri(`app/${name}`));
    return findings;
  }

  async function typing(analyzer: Analyzer, uri: string, name: string, text: string): Promise<number> {
    analyzer.setDocument(uri, text);
    const findings = analyzer.analyze(uri);
    assert.equal(comparableFindings(findings), await fresh(name, text), `${name}: ${text.length} characters`);
    return findings.length;
  }

  it('finds after each keystroke what a fresh analysis of the same text finds, fixes included', async function () {
    this.timeout(300_000);
    const name = 'stack.ts';
    const uri = memUri(`app/${name}`);
    const analyzer = await createAnalyzer(memoryHost({ 'app/package.json': PACKAGE }));
    let text = cdkStack(300);
    let found = await typing(analyzer, uri, name, text);
    assert.ok(found > 0, 'the generated stack has findings');
    for (const kind of EDIT_KINDS) {
      for (const keystroke of typingRound('typescript', text, kind)) {
        text = applyKeystroke(text, keystroke);
        found += await typing(analyzer, uri, name, text);
      }
    }
    const rng = new Prng(7);
    for (let i = 0; i < 40; i++) {
      text = edit(text, rng);
      await typing(analyzer, uri, name, text);
    }
    analyzer.closeDocument(uri);
  });

  it('finds in each fixture file, edited, what a fresh analysis finds', async function () {
    this.timeout(300_000);
    for (const [index, document] of fixtureFiles().entries()) {
      const name = path.basename(document.name);
      const uri = memUri(`app/${name}`);
      const analyzer = await createAnalyzer(memoryHost({ 'app/package.json': PACKAGE }));
      const rng = new Prng(index + 101);
      let text = document.text;
      await typing(analyzer, uri, name, text);
      for (let i = 0; i < 15; i++) {
        text = rng.next() < 0.15 ? document.text : edit(text, rng);
        await typing(analyzer, uri, name, text);
      }
      analyzer.closeDocument(uri);
    }
  });
});
