/**
 * A CDK stack open in an editor is re-read keystroke by keystroke: its last tree is parsed again
 * with the edit, only the nodes around the change are copied again, and key policies read from
 * the same statements reuse their analysis. After every edit, what that gives must be exactly
 * what a whole parse and a fresh analysis of the same text give: the same tree, comments and
 * syntax errors, and the same findings, messages, ranges and fixes. Checked on the fixture apps'
 * files and a generated 400-line stack, under the bench's typing (inside a value, a new line
 * typed character by character, a header broken then repaired), a seeded stream of edits
 * (typing, deletions, pasted lines and whole statements), and seeded typing that leaves the text
 * with a syntax error keystroke after keystroke (a property line typed character by character,
 * unclosed braces, parentheses, strings, template literals and comments).
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

const TYPED = [' ', 'a', '1', "'", '"', '`', ',', ':', ';', '(', ')', '{', '}', '[', ']', '\n', '//', '/*', '*/', '${', 'new ', 'const x = ', '\n    encryptionKey: key0,', '<', '>', '=>', '?', '!', '/', '\\'];

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

/** What is typed, one character at a time, that leaves the text with a syntax error until it is complete (or for good). */
const BREAKING = [
  '\n      sendToCloudWatchLogs: true,',
  "\n    const extra = new kms.Key(this, 'Extra', {",
  " { description: 'open",
  ' `arn:${this.account',
  ' (key0, ',
  ' /* not closed',
  "\n    new cloudtrail.Trail(this, 'Typed', { encryptionKey: key0 });",
  '"',
  '}',
];

/**
 * A session of typing that leaves syntax errors: at a seeded place, one of `BREAKING` typed
 * character by character; now and then an edit elsewhere while the text is still broken; then,
 * most of the time, what was typed deleted again character by character. Each text in turn.
 */
function* brokenTyping(start: string, rng: Prng, rounds: number): Generator<string> {
  let text = start;
  for (let round = 0; round < rounds; round++) {
    const ends = [...text.matchAll(/[,{;(]\n/g)].map((m) => m.index!);
    let at = ends.length > 0 && rng.next() < 0.8 ? rng.pick(ends) + 1 : rng.int(text.length + 1);
    const typed = rng.pick(BREAKING);
    for (const ch of typed) {
      text = text.slice(0, at) + ch + text.slice(at);
      at++;
      yield text;
      if (rng.next() < 0.05) {
        // A keystroke somewhere else (before the typing, so `at` stays right), the text still broken.
        const other = rng.int(at);
        text = text.slice(0, other) + 'x' + text.slice(other);
        at++;
        yield text;
      }
    }
    if (rng.next() < 0.75) {
      for (let i = 0; i < typed.length; i++) {
        text = text.slice(0, at - 1) + text.slice(at);
        at--;
        yield text;
      }
    }
  }
}

/** The tree as data, with each node's parent checked on the way. */
function shape(node: TsNode, parent?: TsNode): unknown {
  assert.equal(node.parent, parent, `the parent of ${node.type} at ${node.start}`);
  return [node.type, node.start, node.end, node.field ?? '', node.children.map((c) => shape(c, node))];
}

const comparableSource = (source: TsSource): string => JSON.stringify({ root: shape(source.root), file: source.file });

/** Each text in turn parsed as an open document, after `start`, must give a whole parse's tree; how many of them have a syntax error. */
function parsesAsWhole(name: string, start: string, texts: Iterable<string>): number {
  const parsed = new TsDocuments();
  parsed.parse('file:///mem/a.ts', start);
  let broken = 0;
  let step = 0;
  for (const text of texts) {
    const whole = parseTypeScript('file:///mem/a.ts', text);
    assert.equal(comparableSource(parsed.parse('file:///mem/a.ts', text)), comparableSource(whole), `${name}, edit ${step++}: ${JSON.stringify(text.slice(0, 200))}`);
    if (whole.file.syntaxErrors.length > 0) broken++;
  }
  parsed.forget('file:///mem/a.ts');
  return broken;
}

/** A seeded session of `count` edits of `start`; now and then the text goes back to `start` (a header repaired, an undo). */
function* seededEdits(start: string, rng: Prng, count: number): Generator<string> {
  let text = start;
  for (let i = 0; i < count; i++) {
    text = rng.next() < 0.1 ? start : edit(text, rng);
    yield text;
  }
}

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
    let broken = 0;
    for (const [index, document] of documents.entries()) broken += parsesAsWhole(document.name, document.text, seededEdits(document.text, new Prng(index + 11), 100));
    assert.ok(broken >= 500, `only ${broken} texts with a syntax error`);
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

  it('reads again a node before the change whose missing token comes or goes with the change', () => {
    // `<` typed at the start of the next line makes tree-sitter insert a missing `;` at the end of
    // the first import (it ends before the change, and the changed ranges skip zero-width nodes);
    // deleting it takes the `;` away again.
    const clean = 'import { A } from "../lib/a"\nimport { B } from "../lib/b"\n';
    const broken = 'import { A } from "../lib/a"\n<import { B } from "../lib/b"\n';
    assert.equal(parsesAsWhole('a missing `;` comes', clean, [broken]), 1);
    assert.equal(parsesAsWhole('a missing `;` goes', broken, [clean]), 0);
  });

  it('parses typing that leaves syntax errors (half-typed lines, unclosed braces, strings, templates, comments) into the tree a whole parse gives', function () {
    this.timeout(300_000);
    let broken = 0;
    for (const [index, document] of documents.entries()) broken += parsesAsWhole(document.name, document.text, brokenTyping(document.text, new Prng(index + 501), 4));
    assert.ok(broken >= 600, `only ${broken} texts with a syntax error`);
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

  /** An analyzer of a CDK app with one stack file, `stack.ts`. */
  async function stackApp() {
    const name = 'stack.ts';
    return { name, uri: memUri(`app/${name}`), analyzer: await createAnalyzer(memoryHost({ 'app/package.json': PACKAGE })) };
  }

  it('finds after each keystroke what a fresh analysis of the same text finds, fixes included', async function () {
    this.timeout(300_000);
    const { name, uri, analyzer } = await stackApp();
    let text = cdkStack(300);
    assert.ok(await typing(analyzer, uri, name, text) > 0, 'the generated stack has findings');
    for (const kind of EDIT_KINDS) {
      for (const keystroke of typingRound('typescript', text, kind)) {
        text = applyKeystroke(text, keystroke);
        await typing(analyzer, uri, name, text);
      }
    }
    const rng = new Prng(7);
    for (let i = 0; i < 40; i++) {
      text = edit(text, rng);
      await typing(analyzer, uri, name, text);
    }
    analyzer.closeDocument(uri);
  });

  it('finds, while typing leaves syntax errors, what a fresh analysis of the same text finds, fixes included', async function () {
    this.timeout(300_000);
    const { name, uri, analyzer } = await stackApp();
    const start = cdkStack(200);
    await typing(analyzer, uri, name, start);
    let found = 0;
    for (const text of brokenTyping(start, new Prng(907), 5)) found += await typing(analyzer, uri, name, text);
    assert.ok(found > 0, 'the broken texts have findings');
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
