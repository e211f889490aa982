/**
 * A Terraform document open in an editor keeps its tree and its converted blocks and pieces
 * between keystrokes (see `TerraformParser`). Whatever it gives back must be exactly what a
 * fresh parse of the same text gives: the same blocks, comments and errors at the same
 * positions, and the same findings. Checked after every keystroke of the edits that leave the
 * file broken for a while: a new attribute line typed character by character, a block header
 * taken apart and typed again, a `{` deleted and put back, a junk line typed between blocks,
 * and seeded random damage around heredocs, block comments and the lines that start blocks
 * (where a broken block is read without parsing the whole file again).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformParser } from '../../../server/src/engine/terraform/parse/terraform';
import { loadTerraformGrammar } from '../../../server/src/engine/terraform/parse/treeSitter';
import type { SourceFile } from '../../../server/src/engine/model/syntax';
import { corpusDir, memoryAnalyzer, memUri } from '../../support/engine';
import { breakAndRepair, typeAndErase, type Step } from '../../support/typingSteps';
import { Prng } from '../../support/fuzz/prng';

/** A module of `count` trails, each with its key and variable; every fifth trail's key is empty. */
function module(count: number): string {
  let text = '# Trails and their keys\n\n';
  for (let i = 0; i < count; i++) {
    text += `variable "key_${i}" {\n  type    = string\n  default = "${i % 5 === 0 ? '' : `arn:aws:kms:us-east-1:111122223333:key/${i}`}"\n}\n\n`;
    text += `resource "aws_kms_key" "k${i}" {\n  description         = "key ${i}" # for trail ${i}\n  enable_key_rotation = ${i % 3 === 0}\n}\n\n`;
    text += `resource "aws_cloudtrail" "t${i}" {\n  name           = "trail-${i}"\n  s3_bucket_name = "logs-${i}"\n  kms_key_id     = var.key_${i}\n}\n\n`;
  }
  return text;
}

const comparable = (file: SourceFile): string => JSON.stringify({ blocks: file.blocks, comments: file.comments, errors: file.syntaxErrors, notChecked: file.notChecked });

/** Runs the steps through one kept parser, comparing each version with a fresh parse; returns how many versions had a syntax error. */
async function checkSession(start: string, steps: Step[], uri = 'file:///m/main.tf'): Promise<number> {
  const language = await loadTerraformGrammar();
  const kept = new TerraformParser(language);
  const fresh = new TerraformParser(language);
  let text = start;
  kept.parse(uri, text, true);
  let broken = 0;
  try {
    for (const [index, step] of steps.entries()) {
      text = step(text);
      const incremental = kept.parse(uri, text, true);
      const whole = fresh.parse(uri, text, false);
      if (whole.syntaxErrors.length > 0) broken++;
      assert.equal(comparable(incremental), comparable(whole), `step ${index}: the kept parse differs from a fresh one`);
    }
  } finally {
    kept.forget(uri);
  }
  assert.equal(text, start, 'the session ends where it started');
  return broken;
}

describe('Terraform: an open document re-parsed after each keystroke', () => {
  const text = module(12);
  const trailLine = text.indexOf('resource "aws_cloudtrail" "t6"');
  const bucketLineEnd = text.indexOf('\n', text.indexOf('s3_bucket_name = "logs-6"'));

  it('typing a new attribute line character by character gives what a fresh parse gives', async () => {
    const broken = await checkSession(text, [
      (t) => t.slice(0, bucketLineEnd) + '\n' + t.slice(bucketLineEnd),
      ...typeAndErase(bucketLineEnd + 1, '  include_global_service_events = false'),
      (t) => t.slice(0, bucketLineEnd) + t.slice(bucketLineEnd + 1),
    ]);
    // Most of the states typed through are broken (`  incl`, `  include_global_service_events =`).
    assert.ok(broken >= 40, `only ${broken} broken versions`);
  });

  it('breaking a block header and typing it back gives what a fresh parse gives', async () => {
    const keyHeader = text.indexOf('resource "aws_kms_key" "k9"');
    const keyBrace = text.indexOf('{', keyHeader);
    const broken = await checkSession(text, [
      ...breakAndRepair(text, trailLine, trailLine + 'resource'.length),
      ...breakAndRepair(text, keyBrace - 6, keyBrace + 1),
      ...breakAndRepair(text, trailLine + 9, trailLine + 25),
    ]);
    assert.ok(broken >= 20, `only ${broken} broken versions`);
  });

  it('a junk line typed between blocks, then a comment after it, gives what a fresh parse gives', async () => {
    const between = text.indexOf('resource "aws_kms_key" "k3"');
    await checkSession(text, [...typeAndErase(between, 'res\n'), ...typeAndErase(between, 'x = \n# note\n')]);
  });

  it('on corpus modules: a header broken and repaired, a line typed into the first block', async () => {
    const files = ['checkov/tests/terraform/checks/resource/aws/example_CloudtrailEncryptedWithCMK/aws_cloudtrail.tf', 'realworld/cloudposse-terraform-aws-cloudtrail/main.tf', 'realworld/trussworks-terraform-aws-cloudtrail/main.tf'];
    for (const relative of files) {
      const source = fs.readFileSync(path.join(corpusDir(), relative), 'utf8');
      const header = source.search(/^resource /m);
      assert.ok(header >= 0, relative);
      const lineEnd = source.indexOf('\n', source.indexOf('{', header));
      await checkSession(source, [...breakAndRepair(source, header, header + 12), ...typeAndErase(lineEnd + 1, '  tags = {\n')], `file:///m/${path.basename(relative)}`);
    }
  });

  it('a heredoc or a block comment that a broken block opens is read as a fresh parse reads it', async () => {
    // The heredoc holds a line that looks like a block's start; the comment runs over two blocks.
    const tricky = text.replace('# Trails and their keys\n', '# Trails and their keys\nlocals {\n  doc = <<EOT\nresource "x" "y" {\nEOT\n}\n\n/* old:\nresource "aws_kms_key" "old" {\n}\n*/\n');
    const heredoc = tricky.indexOf('<<EOT');
    const terminator = tricky.indexOf('\nEOT\n') + 1;
    const comment = tricky.indexOf('/* old');
    const key = tricky.indexOf('{', tricky.indexOf('resource "aws_kms_key" "k2"'));
    const broken = await checkSession(tricky, [
      ...breakAndRepair(tricky, terminator, terminator + 3),
      ...breakAndRepair(tricky, heredoc, heredoc + 2),
      ...breakAndRepair(tricky, comment + 1, comment + 2),
      ...breakAndRepair(tricky, key, key + 1),
      // A heredoc and a comment opened inside a block, then closed again.
      ...typeAndErase(key + 2, '  x = <<EOT\n'),
      ...typeAndErase(key + 2, '/*\n'),
    ]);
    assert.ok(broken >= 10, `only ${broken} broken versions`);
  });

  it('seeded random damage (brackets, quotes, line breaks, block keywords at a line start) gives what a fresh parse gives', async function () {
    this.timeout(120_000);
    const start = module(8);
    const random = new Prng(20261202);
    const pieces = ['{', '}', '"', '\n', '[', '(', '<<EOF\n', '/*', '#', '=', 'resource ', 'module "m" {', 'x', ' '];
    const steps: Step[] = [];
    let current = start;
    for (let round = 0; round < 40; round++) {
      // One to three edits, then each undone in reverse order: the session ends where it began.
      const undo: Step[] = [];
      for (let n = 1 + random.int(3); n > 0; n--) {
        const at = random.int(2) === 0 ? random.int(current.length) : lineStart(current, random.int(current.length));
        const removed = random.int(3) === 0 ? Math.min(1 + random.int(3), current.length - at) : 0;
        const inserted = removed > 0 && random.int(2) === 0 ? '' : random.pick(pieces);
        const before = current.slice(at, at + removed);
        const edit: Step = (t) => t.slice(0, at) + inserted + t.slice(at + removed);
        current = edit(current);
        steps.push(edit);
        undo.unshift((t) => t.slice(0, at) + before + t.slice(at + inserted.length));
      }
      for (const step of undo) current = step(current);
      steps.push(...undo);
    }
    const broken = await checkSession(start, steps);
    assert.ok(broken >= 60, `only ${broken} broken versions`);
  });

  it('seeded edits that keep the file valid (values, blank lines, comments before, between and after the blocks, whole blocks) give what a fresh parse gives (the top level carried over)', async function () {
    this.timeout(120_000);
    const start = module(8) + '# the end\n';
    const random = new Prng(20261204);
    const atLineStart = ['\n', '# a note\n', 'locals {\n  extra = 1\n}\n', '\n\n', 'resource "aws_kms_key" "new" {}\n'];
    const inValue = ['x', 'key', ' ', '12'];
    const steps: Step[] = [];
    let current = start;
    for (let round = 0; round < 60; round++) {
      const undo: Step[] = [];
      for (let n = 1 + random.int(3); n > 0; n--) {
        let at: number;
        let inserted: string;
        if (random.int(2) === 0) {
          at = lineStart(current, random.int(current.length));
          inserted = random.pick(atLineStart);
        } else {
          // Inside a quoted value: just after the opening quote of some `= "`.
          const quotes = [...current.matchAll(/= "/g)].map((m) => (m.index ?? 0) + 3);
          at = random.pick(quotes);
          inserted = random.pick(inValue);
        }
        const edit: Step = (t) => t.slice(0, at) + inserted + t.slice(at);
        current = edit(current);
        steps.push(edit);
        undo.unshift((t) => t.slice(0, at) + t.slice(at + inserted.length));
      }
      for (const step of undo) current = step(current);
      steps.push(...undo);
    }
    assert.equal(await checkSession(start, steps), 0, 'every version is valid HCL');
    const tfvars = 'region = "us-east-1"\n# accounts\naccounts = ["111122223333"]\n\nkey_arn = ""\n';
    const valueAt = tfvars.indexOf('""') + 1;
    const tfvarsSteps: Step[] = [...typeAndErase(valueAt, 'arn:aws:kms'), (t) => '\n' + t, (t) => t.slice(1), (t) => t + 'extra = 1\n', (t) => t.slice(0, -'extra = 1\n'.length)];
    assert.equal(await checkSession(tfvars, tfvarsSteps, 'file:///m/terraform.tfvars'), 0);
  });

  it('long runs (blanks, commas, `${`) and line breaks of every kind typed and removed give what a fresh parse gives (found again only on the edited lines)', async function () {
    this.timeout(120_000);
    const start = module(6);
    const random = new Prng(20261203);
    const pieces = [' '.repeat(300), ','.repeat(300), '${'.repeat(130), '\r\n', '\r', '\u2028', 'resource ', '\nresource "x" "y" {\n', ' {', '"'];
    const steps: Step[] = [];
    let current = start;
    for (let round = 0; round < 30; round++) {
      const at = random.int(2) === 0 ? random.int(current.length) : lineStart(current, random.int(current.length));
      const inserted = random.pick(pieces);
      steps.push((t) => t.slice(0, at) + inserted + t.slice(at));
      // Kept for a few keystrokes (typing next to it), then removed.
      const next = at + inserted.length;
      steps.push((t) => t.slice(0, next) + 'a' + t.slice(next), (t) => t.slice(0, next) + t.slice(next + 1));
      steps.push((t) => t.slice(0, at) + t.slice(at + inserted.length));
      current = start;
    }
    await checkSession(start, steps);
  });

  it('the findings shown after every keystroke of a new line are those of a fresh analysis', async function () {
    this.timeout(60_000);
    const small = module(4);
    const at = small.indexOf('\n', small.indexOf('s3_bucket_name = "logs-0"'));
    const steps = [(t: string) => t.slice(0, at) + '\n' + t.slice(at), ...typeAndErase(at + 1, '  kms_key_id = ""')];
    const files: Record<string, string> = { 'main.tf': small };
    const analyzer = await memoryAnalyzer(files);
    const uri = memUri('main.tf');
    const shown = (findings: { ruleId: string; message: string; range: unknown }[]) => findings.map((f) => `${f.ruleId} ${JSON.stringify(f.range)} ${f.message}`);
    let text = small;
    analyzer.setDocument(uri, text);
    analyzer.analyze(uri);
    let changed = 0;
    for (const [index, step] of steps.entries()) {
      text = step(text);
      analyzer.setDocument(uri, text);
      const incremental = shown(analyzer.analyze(uri));
      const fresh = await memoryAnalyzer({ 'main.tf': text });
      fresh.setDocument(uri, text);
      const expected = shown(fresh.analyze(uri));
      assert.deepEqual(incremental, expected, `step ${index}`);
      if (expected.length !== shown(await firstFindings()).length) changed++;
    }
    // `kms_key_id = ""` typed into a trail with a key: its finding appears along the way.
    assert.ok(changed > 0, 'no keystroke changed the findings');

    async function firstFindings() {
      const original = await memoryAnalyzer({ 'main.tf': small });
      original.setDocument(uri, small);
      return original.analyze(uri);
    }
  });
});

/** The offset of the start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
