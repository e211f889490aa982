/**
 * Guarantees of every quick fix, checked as properties over every fix offered on every corpus
 * file, fixture and example (and over "Fix all" on each of them):
 * - it clears the finding it is offered for (a suppression suppresses it) and is not offered again;
 * - it adds no new error or warning anywhere in the files it edits;
 * - CloudFormation text it writes uses Fn::Sub exactly where a string substitutes;
 * - the result parses: HCL by HashiCorp's parser, JSON strictly (Terraform JSON: an object at the
 *   root, indented as the file is; HashiCorp's parser reads no JSON), YAML with no new warning;
 * - a Terraform file that `terraform fmt` leaves alone before the fix, it leaves alone after it
 *   (HashiCorp's formatter decides);
 * - applying it twice equals applying it once;
 * - it changes no line outside its own edits except by re-aligning whitespace;
 * - in a CRLF file it writes CRLF only, and no edit starts or ends between a CR and its LF.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { createAnalyzer, type Analyzer, type Finding, type Fix, type Location, type Range, type TextEdit } from '../../../server/src/engine';
import { createDiskHost, pathToUri, uriToPath } from '../../../server/src/diskHost';
import { fixAll } from '../../../server/src/engine/fixAll';
import { UNUSABLE_NOTE } from '../../../server/src/engine/analysis/keyCandidates';
import { LineIndex } from '../../../server/src/engine/model/text';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../../support/applyEdits';
import { corpusDir, repoRoot } from '../../support/engine';
import { formatHcl, validateHcl } from '../../support/hclOracle';
import { isJson } from '../rules/keyPolicyCases';
import { fixtureCopy } from '../../support/fixtureFolders';

const FIX_ALL_RULES = new Set(['CTK101', 'CTK102', 'CTK103', 'CTK104', 'CTK105', 'CTK106', 'CTK107', 'CTK201', 'CTK202'] as const);
const READ = /\.(tf|tf\.json|json|ya?ml|template)$/;

interface Applied {
  source: string;
  title: string;
  before: Map<string, string>;
  after: Map<string, string>;
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && READ.test(entry.name)) out.push(full);
    }
  };
  walk(root);
  return out;
}

const key = (f: Finding): string => `${f.ruleId} ${f.resource} ${f.severity}`;
const isHcl = (name: string): boolean => name.endsWith('.tf');

/** Findings that count as warnings or errors, as a multiset by rule, resource and severity. */
function serious(findings: Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) if (!f.suppressedBy && (f.severity === 'error' || f.severity === 'warning')) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return counts;
}

function yamlProblems(text: string): number {
  return YAML.parseAllDocuments(text, { customTags: cfnTags(), uniqueKeys: false }).reduce((n, d) => n + (Array.isArray(d) ? 0 : d.errors.length + d.warnings.length), 0);
}

/** CloudFormation's short-form intrinsics, so `!Sub` and friends are not "unresolved tags". */
function cfnTags(): YAML.Tags {
  const names = ['Ref', 'Sub', 'GetAtt', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Select', 'Split', 'FindInMap', 'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Condition', 'Transform', 'ToJsonString', 'Length'];
  return names.flatMap((n) => (['scalar', 'seq', 'map'] as const).map((kind) => ({ tag: `!${n}`, collection: kind === 'scalar' ? undefined : kind, resolve: (v: unknown) => v } as unknown as YAML.ScalarTag)));
}

/** Lines of `after` that differ from `before` other than by the edits' own lines and whitespace. */
function strayChanges(before: string, edits: TextEdit[], after: string, targets: Range[]): string[] {
  // Rebuild `after` from `before` with each edit, then compare whitespace-normalised lines:
  // anything but re-aligned spacing outside the edited text would show as a difference.
  const squash = (s: string): string => s.replace(/[ \t]+/g, ' ');
  // Applied as an LSP client does (it also rejects overlapping edits): the same result.
  const rebuilt = TextDocument.applyEdits(TextDocument.create('file:///x', 'plaintext', 1, before), edits);
  if (rebuilt !== after) return ['the fix\'s edits applied by an LSP client give another result'];
  const problems: string[] = [];
  const lines = new LineIndex(before);
  for (const edit of edits) {
    const start = lines.offsetAt(edit.range.start);
    const end = lines.offsetAt(edit.range.end);
    const removed = before.slice(start, end);
    if (removed.length === 0 || removed.trim() === '' || squash(edit.newText).includes(squash(removed).trim())) continue;
    if (targets.some((t) => overlapsLines(t, edit.range))) continue;
    problems.push(`replaces ${JSON.stringify(removed.slice(0, 80))} at ${edit.range.start.line + 1}:${edit.range.start.character + 1}`);
  }
  return problems;
}

/** Whether an edit lies on the lines of the finding (or of a place it names): the fix's target. */
const overlapsLines = (a: Range, b: Range): boolean => a.start.line <= b.end.line && b.start.line <= a.end.line;

function crlfProblems(text: string, edits: TextEdit[]): string[] {
  const problems: string[] = [];
  const lines = new LineIndex(text);
  for (const edit of edits) {
    if (/(^|[^\r])\n/.test(edit.newText)) problems.push(`inserts a bare LF at ${edit.range.start.line + 1}`);
    for (const p of [edit.range.start, edit.range.end]) {
      const offset = lines.offsetAt(p);
      if (text[offset - 1] === '\r' && text[offset] === '\n') problems.push(`an edit ends between CR and LF at ${p.line + 1}:${p.character + 1}`);
    }
  }
  return problems;
}

class FixRun {
  readonly applied: Applied[] = [];
  readonly problems: string[] = [];
  fixes = 0;
  fixAlls = 0;
  terraformJsonFixes = 0;

  constructor(private readonly analyzer: Analyzer, private readonly read: (uri: string) => string, private readonly crlf = false) {}

  private apply(fix: Fix, name: string, targets: Location[] = []): { before: Map<string, string>; after: Map<string, string> } {
    const before = new Map<string, string>();
    const after = new Map<string, string>();
    for (const { uri, edits } of fix.edits) {
      const text = after.get(uri) ?? this.read(uri);
      if (!before.has(uri)) before.set(uri, text);
      if (this.crlf) for (const p of crlfProblems(text, edits)) this.problems.push(`${name}: "${fix.title}" ${p}`);
      after.set(uri, applyEdits(text, edits));
      if (!isTerraformJson(uri) && /\.(json|ya?ml|template)$/.test(uri)) for (const p of substitutionProblems(edits)) this.problems.push(`${name}: "${fix.title}" ${p}`);
      const own = targets.filter((t) => t.uri === uri).map((t) => t.range);
      for (const p of strayChanges(text, edits, after.get(uri)!, own)) this.problems.push(`${name}: "${fix.title}" ${p}`);
    }
    return { before, after };
  }

  private withTexts<T>(texts: Map<string, string>, f: () => T): T {
    for (const [u, t] of texts) this.analyzer.setDocument(u, t);
    try {
      return f();
    } finally {
      for (const u of texts.keys()) this.analyzer.closeDocument(u);
    }
  }

  checkFile(file: string, name: string): void {
    const uri = pathToUri(file);
    const findings = this.withTexts(new Map([[uri, this.read(uri)]]), () => this.analyzer.analyze(uri));
    for (const finding of findings.filter((f) => !f.suppressedBy)) {
      for (const fix of finding.fixes) this.checkFix(uri, name, finding, fix);
    }
    if (findings.some((f) => FIX_ALL_RULES.has(f.ruleId as never) && !f.suppressedBy)) this.checkFixAll(uri, name);
  }

  private checkFix(uri: string, name: string, finding: Finding, fix: Fix): void {
    this.fixes++;
    const label = `${name}: ${finding.ruleId} ${finding.resource}: "${fix.title}"`;
    const targets = [{ uri: finding.uri, range: finding.range }, ...finding.relatedInformation.map((r) => r.location)];
    const { before, after } = this.apply(fix, name, targets);
    const seriousBefore = new Map<string, Map<string, number>>();
    this.withTexts(before, () => { for (const u of before.keys()) seriousBefore.set(u, serious(this.analyzer.analyze(u))); });
    this.withTexts(after, () => {
      const now = this.analyzer.analyze(uri);
      const same = now.filter((f) => f.ruleId === finding.ruleId && f.resource === finding.resource);
      if (fix.kind === 'suppress') {
        if (same.some((f) => !f.suppressedBy && f.message === finding.message)) this.problems.push(`${label} does not suppress it`);
      } else if (same.some((f) => !f.suppressedBy && f.messageId === finding.messageId && sameRangeStart(f, finding, before.get(uri), after.get(uri)))) {
        this.problems.push(`${label} leaves it: ${same.map((f) => f.message).join(' | ')}`);
      }
      if (same.some((f) => f.fixes.some((g) => g.title === fix.title) && !f.suppressedBy)) this.problems.push(`${label} is offered again`);
      for (const u of after.keys()) {
        const was = seriousBefore.get(u) ?? new Map();
        for (const [k, n] of serious(u === uri ? now : this.analyzer.analyze(u))) {
          if (n <= (was.get(k) ?? 0) || k.startsWith(`${finding.ruleId} ${finding.resource} `)) continue;
          // A fix whose title warns that the key it points at cannot be used yet may expose that key's policy findings.
          if (fix.title.endsWith(`, ${UNUSABLE_NOTE}`) && fix.title.startsWith(`Encrypt with ${k.split(' ')[1]},`)) continue;
          this.problems.push(`${label} adds ${k}`);
        }
      }
    });
    for (const [u, text] of after) this.checkSyntax(label, uri === u ? name : u, before.get(u)!, text);
    this.applied.push({ source: name, title: fix.title, before, after });
  }

  private checkFixAll(uri: string, name: string): void {
    const text = this.read(uri);
    const edit = fixAll(this.analyzer, uri, text, FIX_ALL_RULES as never);
    this.analyzer.closeDocument(uri);
    if (!edit) return;
    this.fixAlls++;
    const label = `${name}: fix all`;
    if (this.crlf) for (const p of crlfProblems(text, [edit])) this.problems.push(`${label} ${p}`);
    const fixed = applyEdits(text, [edit]);
    const again = fixAll(this.analyzer, uri, fixed, FIX_ALL_RULES as never);
    this.analyzer.closeDocument(uri);
    if (again) this.problems.push(`${label} is not idempotent (a second run changes ${again.range.start.line + 1}:${again.range.start.character + 1})`);
    this.checkSyntax(label, name, text, fixed);
    this.applied.push({ source: name, title: 'fix all', before: new Map([[uri, text]]), after: new Map([[uri, fixed]]) });
  }

  private checkSyntax(label: string, name: string, before: string, after: string): void {
    if (isTerraformJson(name) && before !== after) {
      this.terraformJsonFixes++;
      // HashiCorp's parser reads native syntax only (it rejects any JSON): strict JSON, an
      // object at the root, and the file's own indentation are what Terraform JSON needs here.
      if (isJson(before) && !(isJson(after) && /^\s*\{/.test(after))) this.problems.push(`${label}: the result is not a Terraform JSON object`);
      for (const p of indentationProblems(before, after)) this.problems.push(`${label}: ${p}`);
    } else if (/\.json$/.test(name)) {
      if (isJson(before) && !isJson(after)) this.problems.push(`${label}: the result is not JSON`);
    } else if (/\.(ya?ml|template)$/.test(name)) {
      if (yamlProblems(after) > yamlProblems(before)) this.problems.push(`${label}: YAML gains a parse warning or error`);
    }
  }
}

/**
 * CloudFormation text a fix writes uses `Fn::Sub` (`!Sub`) exactly where a string substitutes:
 * every Sub'd string holds a `${…}` (not the `${!…}` escape), and no `${…}` is written outside one.
 */
function substitutionProblems(edits: TextEdit[]): string[] {
  const problems: string[] = [];
  const SUB = /(?:!Sub|"?Fn::Sub"?\s*:)[ \t]+("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s,}\]#][^,\]#\r\n]*)/g;
  const substitutions = (text: string): number => (text.match(/\$\{(?!!)/g) ?? []).length;
  for (const { newText } of edits) {
    let inSub = 0;
    for (const [, value] of newText.matchAll(SUB)) {
      const n = substitutions(value);
      if (n === 0) problems.push(`writes Fn::Sub around a string with nothing to substitute: ${value}`);
      inSub += n;
    }
    if (substitutions(newText) > inSub) problems.push(`writes \${…} outside Fn::Sub: ${JSON.stringify(newText.slice(0, 120))}`);
  }
  return problems;
}

const isTerraformJson = (name: string): boolean => /\.(tf|tofu)\.json$/.test(name);

/** Lines a fix indents with tabs in a file indented with spaces, or the other way round. */
function indentationProblems(before: string, after: string): string[] {
  const tabs = (text: string): boolean => /^\t/m.test(text);
  const spaces = (text: string): boolean => /^ +\S/m.test(text);
  if (tabs(before) && !spaces(before) && spaces(after)) return ['indents with spaces in a file indented with tabs'];
  if (spaces(before) && !tabs(before) && tabs(after)) return ['indents with tabs in a file indented with spaces'];
  return [];
}

/** The finding at the same place (shifted by lines the fix inserted above it). */
function sameRangeStart(now: Finding, was: Finding, before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return true;
  const shift = new LineIndex(after).lineCount - new LineIndex(before).lineCount;
  return now.range.start.line === was.range.start.line || now.range.start.line === was.range.start.line + shift;
}


async function runOver(root: string, files: string[], crlf: boolean): Promise<FixRun> {
  const host = createDiskHost({ roots: [root], maxFileSize: 5 * 1024 * 1024 });
  const toCrlf = (t: string): string => t.replace(/\r?\n/g, '\r\n');
  const hostRead = (uri: string): string => {
    const text = host.readFile(uri) ?? fs.readFileSync(uriToPath(uri)!, 'utf8');
    return crlf ? toCrlf(text) : text;
  };
  const analyzer = await createAnalyzer({ readFile: (u) => (host.readFile(u) === undefined ? undefined : hostRead(u)), readDirectory: (d) => host.readDirectory(d) });
  const run = new FixRun(analyzer, hostRead, crlf);
  for (const file of files) run.checkFile(file, path.relative(path.dirname(root), file));
  return run;
}

/** HashiCorp's parser on every Terraform result; with `fmt`, its formatter on those whose input was fmt-clean. */
async function hclChecks(run: FixRun, fmt: boolean): Promise<{ fmtCleanBefore: number; fmtCleanAfter: number; terraformFixes: number }> {
  const inputs = new Map<string, string>();
  const outputs: { name: string; text: string; input: string }[] = [];
  for (const a of run.applied) {
    for (const [uri, text] of a.after) {
      if (!isHcl(uri)) continue;
      const input = a.before.get(uri)!;
      inputs.set(input, input);
      outputs.push({ name: `${a.source}: "${a.title}" (${path.basename(uriToPath(uri) ?? uri)})`, text, input });
    }
  }
  // One batch per oracle: inputs first (a fix is held to what its input already was).
  const distinctInputs = [...inputs.keys()];
  const named = (texts: string[]): { name: string; text: string }[] => texts.map((text, i) => ({ name: `${i}.tf`, text }));
  const validInputs = await validateHcl(named(distinctInputs));
  const parses = new Set(distinctInputs.filter((_, i) => validInputs[i].error === null));
  const checked = outputs.filter((o) => parses.has(o.input));
  const valid = await validateHcl(named(checked.map((o) => o.text)));
  checked.forEach((o, i) => { if (valid[i].error) run.problems.push(`${o.name}: not valid HCL: ${valid[i].error}`); });
  if (!fmt) return { fmtCleanBefore: 0, fmtCleanAfter: 0, terraformFixes: outputs.length };
  const formattedInputs = await formatHcl(named(distinctInputs));
  const cleanInputs = new Set(distinctInputs.filter((t, i) => formattedInputs[i].formatted === t));
  const onClean = outputs.filter((o) => cleanInputs.has(o.input));
  const formattedOutputs = await formatHcl(named(onClean.map((o) => o.text)));
  let fmtCleanAfter = 0;
  onClean.forEach((output, i) => {
    const formatted = formattedOutputs[i].formatted;
    if (formatted === output.text) fmtCleanAfter++;
    else run.problems.push(`${output.name}: terraform fmt would rewrite it:\n${firstDifference(output.text, formatted ?? '')}`);
  });
  return { fmtCleanBefore: onClean.length, fmtCleanAfter, terraformFixes: outputs.length };
}

function firstDifference(a: string, b: string): string {
  const x = a.split(/\r?\n/);
  const y = b.split(/\r?\n/);
  const i = x.findIndex((line, n) => line !== y[n]);
  return `  fix: ${JSON.stringify(x[i])}\n  fmt: ${JSON.stringify(y[i])}`;
}

describe('fix guarantees over every offered fix (corpus, fixtures, examples)', function () {
  this.timeout(240000);
  const sources = [
    { root: corpusDir(), label: 'corpus' },
    { root: path.join(repoRoot(), 'test', 'fixtures'), label: 'fixtures' },
    { root: path.join(repoRoot(), 'examples'), label: 'examples' },
    // Stored with `.txt` appended (see its README): checked under their real names.
    { root: fixtureCopy(path.join(repoRoot(), 'test', 'fixtures', 'real-modules')), label: 'real modules' },
  ];
  after(() => fs.rmSync(sources[3].root, { recursive: true, force: true }));

  for (const crlf of [false, true]) {
    it(`${crlf ? 'CRLF copies: ' : ''}every fix clears its finding, adds no warning or error, parses, is idempotent, touches only its target${crlf ? ' and writes CRLF' : ' and stays terraform-fmt clean'}`, async () => {
      const problems: string[] = [];
      let fixes = 0;
      let fixAlls = 0;
      let terraformJsonFixes = 0;
      const fmt = { fmtCleanBefore: 0, fmtCleanAfter: 0, terraformFixes: 0 };
      for (const { root } of sources) {
        const run = await runOver(root, filesUnder(root), crlf);
        // terraform fmt writes LF: the CRLF copies are checked by the parser alone.
        const counts = await hclChecks(run, !crlf);
        for (const k of Object.keys(fmt) as (keyof typeof fmt)[]) fmt[k] += counts[k];
        problems.push(...run.problems);
        fixes += run.fixes;
        fixAlls += run.fixAlls;
        terraformJsonFixes += run.terraformJsonFixes;
      }
      if (!crlf) console.log(`      ${fixes} fixes and ${fixAlls} fix-alls checked; ${fmt.terraformFixes} Terraform results, ${fmt.fmtCleanAfter} of ${fmt.fmtCleanBefore} on fmt-clean inputs stay fmt-clean; ${terraformJsonFixes} Terraform JSON results`);
      assert.ok(fixes >= 150, `only ${fixes} fixes offered`);
      assert.ok(terraformJsonFixes >= 30, `only ${terraformJsonFixes} Terraform JSON results checked`);
      assert.deepEqual(problems, []);
    });
  }
});
