/**
 * The Terraform TextMate grammar, tokenized the way VS Code does it (vscode-textmate on top of
 * the oniguruma WASM). Asserts the scopes of the tokens a theme colours and a user looks at,
 * and that every pattern compiles, since one bad regex silently disables its whole rule.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import { parse as parseJsonc, ParseError } from 'jsonc-parser';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const SCOPE = 'source.terraform';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

const root = findRepoRoot(__dirname);
const grammarPath = path.join(root, 'syntaxes', 'terraform.tmLanguage.json');
const languageConfigurationPath = path.join(root, 'syntaxes', 'language-configuration.json');
const fixture = (name: string): string => path.join(root, 'test', 'fixtures', 'grammar', name);

interface Token {
  text: string;
  scopes: string[];
}

interface TokenizedFile {
  lines: string[];
  tokens: Token[][];
  /** Depth of the rule stack after the last line: 1 when every block, string and heredoc closed. */
  finalDepth: number;
}

let onigReady: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  if (!onigReady) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    onigReady = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  }
  return onigReady;
}

async function loadGrammar(): Promise<textmate.IGrammar> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === SCOPE ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar(SCOPE);
  if (!grammar) throw new Error(`grammar ${SCOPE} did not load`);
  return grammar;
}

function tokenize(grammar: textmate.IGrammar, text: string): TokenizedFile {
  const lines = text.split(/\r?\n/);
  let stack = textmate.INITIAL;
  const tokens: Token[][] = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, stack);
    tokens.push(result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
    stack = result.ruleStack;
  }
  return { lines, tokens, finalDepth: (stack as unknown as { depth: number }).depth };
}

/**
 * The token that starts where `needle` starts, on the first line containing `lineNeedle`
 * (`occurrence` picks among several matches of `needle` on that line).
 */
function tokenAt(file: TokenizedFile, lineNeedle: string, needle: string, occurrence = 0): Token & { line: number } {
  const line = file.lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `no line contains ${JSON.stringify(lineNeedle)}`);
  let column = -1;
  for (let i = 0; i <= occurrence; i++) {
    column = file.lines[line].indexOf(needle, column + 1);
    assert.ok(column >= 0, `line ${line + 1} has no occurrence #${i} of ${JSON.stringify(needle)}`);
  }
  let start = 0;
  for (const token of file.tokens[line]) {
    if (start <= column && column < start + token.text.length) return { ...token, line };
    start += token.text.length;
  }
  throw new Error(`no token at ${line + 1}:${column + 1}`);
}

function expectScope(file: TokenizedFile, lineNeedle: string, needle: string, scope: string, occurrence = 0): Token {
  const token = tokenAt(file, lineNeedle, needle, occurrence);
  assert.ok(
    token.scopes.includes(scope),
    `${JSON.stringify(needle)} on line ${token.line + 1} (token ${JSON.stringify(token.text)}) has scopes ` +
      `[${token.scopes.join(', ')}], expected ${scope}`,
  );
  return token;
}

function expectNoScope(file: TokenizedFile, lineNeedle: string, needle: string, scopePrefix: string, occurrence = 0): void {
  const token = tokenAt(file, lineNeedle, needle, occurrence);
  const offending = token.scopes.find((s) => s === scopePrefix || s.startsWith(`${scopePrefix}.`));
  assert.ok(!offending, `${JSON.stringify(needle)} on line ${token.line + 1} unexpectedly has ${offending}`);
}

/** Every `match` / `begin` / `end` / `while` regex in the grammar, with where it sits. */
function collectRegexes(node: unknown, where: string, out: { where: string; source: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => collectRegexes(child, `${where}[${i}]`, out));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') {
      out.push({ where: `${where}.${key}`, source: value });
    } else {
      collectRegexes(value, `${where}.${key}`, out);
    }
  }
}

function collectIncludes(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((child) => collectIncludes(child, out));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'include' && typeof value === 'string') out.push(value);
    else collectIncludes(value, out);
  }
}

describe('Terraform TextMate grammar', function () {
  let grammar: textmate.IGrammar;
  let main: TokenizedFile;

  before(async function () {
    grammar = await loadGrammar();
    main = tokenize(grammar, fs.readFileSync(fixture('cloudtrail.tf'), 'utf8'));
  });

  describe('the grammar file', function () {
    const raw = JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as { scopeName: string; repository: Record<string, unknown> };

    it('is named source.terraform', function () {
      assert.strictEqual(raw.scopeName, SCOPE);
    });

    it('compiles every regex with oniguruma', async function () {
      await loadOniguruma();
      const regexes: { where: string; source: string }[] = [];
      collectRegexes(raw, '$', regexes);
      assert.ok(regexes.length > 40, `only ${regexes.length} regexes found`);
      const failures: string[] = [];
      for (const { where, source } of regexes) {
        // vscode-textmate substitutes begin captures for \1..\9 in `end` before compiling.
        const compilable = where.endsWith('.end') ? source.replace(/\\(\d)/g, 'MARKER') : source;
        try {
          new oniguruma.OnigScanner([compilable]).dispose();
        } catch (e) {
          failures.push(`${where}: ${source} -> ${(e as Error).message}`);
        }
      }
      assert.deepStrictEqual(failures, []);
    });

    it('would notice a regex oniguruma rejects', async function () {
      await loadOniguruma();
      assert.throws(() => new oniguruma.OnigScanner(['(unclosed']));
    });

    it('includes only repository rules that exist', function () {
      const includes: string[] = [];
      collectIncludes(raw, includes);
      const missing = includes.filter((i) => i.startsWith('#') && !(i.slice(1) in raw.repository));
      assert.deepStrictEqual(missing, []);
    });

    it('closes every block, string and heredoc of the fixture', function () {
      assert.strictEqual(main.finalDepth, 1);
    });
  });

  describe('comments', function () {
    it('scopes # comments', function () {
      expectScope(main, '# A trail encrypted', '#', 'punctuation.definition.comment.terraform');
      expectScope(main, '# A trail encrypted', 'A trail', 'comment.line.number-sign.terraform');
    });

    it('scopes // comments and highlights the suppression directive in them', function () {
      expectScope(main, '// cloudtrail-kms-lint', '//', 'comment.line.double-slash.terraform');
      expectScope(main, '// cloudtrail-kms-lint', 'cloudtrail-kms-lint:ignore', 'keyword.other.suppression.terraform');
      expectScope(main, '// cloudtrail-kms-lint', 'CTK202', 'constant.other.rule-id.terraform');
      expectScope(main, '// cloudtrail-kms-lint', 'digest', 'comment.line.double-slash.terraform');
    });

    it('scopes /* */ comments across lines', function () {
      expectScope(main, '/*', '/*', 'comment.block.terraform');
      expectScope(main, 'several lines.', 'several', 'comment.block.terraform');
      expectScope(main, '*/', '*/', 'punctuation.definition.comment.end.terraform');
      expectNoScope(main, 'terraform {', 'terraform', 'comment');
    });
  });

  describe('block headers', function () {
    it('scopes the block type, the resource type label and the name label', function () {
      const type = expectScope(main, 'resource "aws_cloudtrail" "main" {', 'resource', 'storage.type.block.terraform');
      assert.strictEqual(type.text, 'resource');
      assert.ok(type.scopes.includes('meta.block.terraform'));
      const resourceType = expectScope(main, 'resource "aws_cloudtrail" "main" {', 'aws_cloudtrail', 'entity.name.type.resource.terraform');
      assert.strictEqual(resourceType.text, 'aws_cloudtrail');
      assert.ok(resourceType.scopes.includes('string.quoted.double.terraform'));
      const label = expectScope(main, 'resource "aws_cloudtrail" "main" {', 'main', 'entity.name.label.terraform');
      assert.strictEqual(label.text, 'main');
      expectScope(main, 'resource "aws_cloudtrail" "main" {', '"', 'punctuation.definition.string.begin.terraform');
      expectScope(main, 'resource "aws_cloudtrail" "main" {', '{', 'punctuation.section.block.begin.terraform');
    });

    it('scopes data sources like resources', function () {
      expectScope(main, 'data "aws_iam_policy_document" "key" {', 'data', 'storage.type.block.terraform');
      expectScope(main, 'data "aws_iam_policy_document" "key" {', 'aws_iam_policy_document', 'entity.name.type.resource.terraform');
      expectScope(main, 'data "aws_iam_policy_document" "key" {', 'key', 'entity.name.label.terraform');
    });

    it('scopes blocks with one label, no label, and nested blocks', function () {
      expectScope(main, 'variable "kms_key_arn" {', 'variable', 'storage.type.block.terraform');
      expectScope(main, 'variable "kms_key_arn" {', 'kms_key_arn', 'entity.name.label.terraform');
      expectScope(main, 'locals {', 'locals', 'storage.type.block.terraform');
      expectScope(main, 'event_selector {', 'event_selector', 'storage.type.block.terraform');
      expectScope(main, 'data_resource {', 'data_resource', 'storage.type.block.terraform');
      expectScope(main, 'dynamic "advanced_event_selector" {', 'advanced_event_selector', 'entity.name.label.terraform');
      expectScope(main, 'provisioner "local-exec" {', 'local-exec', 'entity.name.label.terraform');
      expectScope(main, 'lifecycle { ignore_changes', 'lifecycle', 'storage.type.block.terraform');
      expectScope(main, 'lifecycle { ignore_changes', 'ignore_changes', 'variable.other.property.terraform');
    });

    it('closes a block at its brace so the next block starts fresh', function () {
      const header = tokenAt(main, 'resource "aws_kms_key_policy" "trail" {', 'resource');
      const depth = header.scopes.filter((s) => s === 'meta.block.terraform').length;
      assert.strictEqual(depth, 1, `nested in ${depth} blocks: [${header.scopes.join(', ')}]`);
    });
  });

  describe('attributes and objects', function () {
    it('scopes an attribute name and its =', function () {
      const name = expectScope(main, 'kms_key_id                 = aws_kms_key', 'kms_key_id', 'variable.other.property.terraform');
      assert.strictEqual(name.text, 'kms_key_id');
      expectScope(main, 'kms_key_id                 = aws_kms_key', '=', 'keyword.operator.assignment.terraform');
    });

    it('scopes object keys, quoted or not', function () {
      expectScope(main, 'Principal = { Service', 'Service', 'variable.other.property.terraform');
      expectScope(main, '"kms:EncryptionContext:aws:cloudtrail:arn" =', 'kms:EncryptionContext', 'variable.other.property.terraform');
      expectScope(main, 'source  = "hashicorp/aws"', 'source', 'variable.other.property.terraform');
    });

    it('does not take the : of a conditional for an object key', function () {
      const tolerance = tokenize(grammar, fs.readFileSync(fixture('tolerance.tf'), 'utf8'));
      expectScope(tolerance, '"Effect": "Allow"', 'Effect', 'variable.other.property.terraform');
      expectScope(tolerance, '"Effect": "Allow"', ':', 'punctuation.separator.key-value.terraform');
      expectNoScope(tolerance, 'pick = var.a ?', 'left', 'variable.other.property');
      expectScope(tolerance, 'pick = var.a ?', 'left', 'string.quoted.double.terraform');
      expectScope(tolerance, 'pick = var.a ?', ':', 'keyword.operator.conditional.terraform');
    });
  });

  describe('strings and templates', function () {
    it('scopes a string and the interpolation inside it', function () {
      expectScope(main, 'trail_arn  = "arn:aws', 'arn:aws:cloudtrail:', 'string.quoted.double.terraform');
      const open = expectScope(main, 'trail_arn  = "arn:aws', '${', 'punctuation.section.interpolation.begin.terraform');
      assert.strictEqual(open.text, '${');
      const root = expectScope(main, 'trail_arn  = "arn:aws', 'var', 'variable.language.terraform');
      assert.ok(root.scopes.includes('meta.interpolation.terraform'));
      assert.ok(root.scopes.includes('meta.embedded.line.terraform'), 'expressions inside ${} are code, not string');
      expectScope(main, 'trail_arn  = "arn:aws', 'region', 'variable.other.member.terraform');
      expectScope(main, 'trail_arn  = "arn:aws', '}', 'punctuation.section.interpolation.end.terraform');
      expectScope(main, 'trail_arn  = "arn:aws', ':trail/main', 'string.quoted.double.terraform');
      expectNoScope(main, 'trail_arn  = "arn:aws', ':trail/main', 'meta.interpolation');
    });

    it('nests interpolations, strings and for expressions', function () {
      expectScope(main, 'nested     =', 'join', 'support.function.terraform');
      expectScope(main, 'nested     =', '","', 'string.quoted.double.terraform');
      expectScope(main, 'nested     =', 'for', 'keyword.control.for.terraform');
      const inner = tokenAt(main, 'nested     =', 's}-x', 0);
      const depth = inner.scopes.filter((s) => s === 'meta.interpolation.terraform').length;
      assert.strictEqual(depth, 2, `expected two interpolation levels: [${inner.scopes.join(', ')}]`);
      expectScope(main, 'nested     =', '-x', 'string.quoted.double.terraform');
    });

    it('scopes %{} directives', function () {
      expectScope(main, 'greeting   =', '%{', 'punctuation.section.directive.begin.terraform');
      expectScope(main, 'greeting   =', 'if', 'keyword.control.directive.terraform');
      expectScope(main, 'greeting   =', 'else', 'keyword.control.directive.terraform');
      expectScope(main, 'greeting   =', 'endif', 'keyword.control.directive.terraform');
      expectScope(main, 'greeting   =', 'on%', 'string.quoted.double.terraform');
    });

    it('leaves $${ and %%{ as literal text', function () {
      expectScope(main, 'literal    =', '$${', 'constant.character.escape.template.terraform');
      expectScope(main, 'literal    =', '%%{', 'constant.character.escape.template.terraform');
      expectNoScope(main, 'literal    =', 'not_interpolated', 'meta.interpolation');
    });

    it('ends an unterminated string at the end of its line', function () {
      const tolerance = tokenize(grammar, fs.readFileSync(fixture('tolerance.tf'), 'utf8'));
      expectScope(tolerance, 'name = "unterminated', 'unterminated', 'string.quoted.double.terraform');
      expectScope(tolerance, 'kms_key_id = var.key', 'kms_key_id', 'variable.other.property.terraform');
      expectNoScope(tolerance, 'kms_key_id = var.key', 'kms_key_id', 'string');
      assert.strictEqual(tolerance.finalDepth, 1);
    });
  });

  describe('heredocs', function () {
    it('scopes a <<MARKER heredoc body as a string with interpolation', function () {
      expectScope(main, 'policy = <<POLICY', '<<', 'keyword.operator.heredoc.terraform');
      expectScope(main, 'policy = <<POLICY', 'POLICY', 'keyword.control.heredoc.terraform');
      expectScope(main, '"Version": "2012-10-17",', '"Version"', 'string.unquoted.heredoc.terraform');
      expectNoScope(main, '"Version": "2012-10-17",', '"Version"', 'variable.other.property');
      expectScope(main, '"Statement": [{"Sid"', 'aws_cloudtrail', 'meta.interpolation.terraform');
      expectScope(main, '"Statement": [{"Sid"', 'aws_cloudtrail', 'variable.other.object.terraform');
      const end = expectScope(main, 'POLICY', 'POLICY', 'keyword.control.heredoc.terraform', 0);
      assert.ok(end.scopes.includes('keyword.control.heredoc.terraform'));
    });

    it('ends the heredoc at its marker line', function () {
      const closing = main.lines.findIndex((l) => l === 'POLICY');
      assert.ok(closing > 0);
      const marker = main.tokens[closing].find((t) => t.text === 'POLICY');
      assert.ok(marker && marker.scopes.includes('keyword.control.heredoc.terraform'));
      const after = tokenAt(main, 'data "aws_iam_policy_document" "key" {', 'data');
      assert.ok(!after.scopes.some((s) => s.startsWith('string')), `still in a string: [${after.scopes.join(', ')}]`);
    });

    it('handles the indented <<-MARKER form and its directives', function () {
      expectScope(main, 'value = <<-EOT', '<<-', 'keyword.operator.heredoc.terraform');
      expectScope(main, 'Trail ${aws_cloudtrail.main.name}', 'Trail', 'string.unquoted.heredoc.terraform');
      expectScope(main, 'Trail ${aws_cloudtrail.main.name}', 'name', 'variable.other.member.terraform');
      expectScope(main, '%{ for id in module.trail.ids ~}', 'for', 'keyword.control.for.terraform');
      expectScope(main, '%{ for id in module.trail.ids ~}', '~', 'keyword.operator.template.strip.terraform');
      expectScope(main, '%{ endfor ~}', 'endfor', 'keyword.control.directive.terraform');
      expectScope(main, '    EOT', 'EOT', 'keyword.control.heredoc.terraform');
      expectScope(main, 'resource "null_resource" "run" {', 'null_resource', 'entity.name.type.resource.terraform');
    });
  });

  describe('literals and operators', function () {
    it('scopes numbers, booleans and null', function () {
      expectScope(main, 'size       = 1.5e3', '1.5e3', 'constant.numeric.float.terraform');
      expectScope(main, 'count_max  = 42', '42', 'constant.numeric.integer.terraform');
      expectScope(main, 'enable_key_rotation = true', 'true', 'constant.language.boolean.terraform');
      expectScope(main, 'default     = null', 'null', 'constant.language.null.terraform');
      expectScope(main, 'type        = string', 'string', 'support.type.primitive.terraform');
    });

    it('scopes logical, comparison and conditional operators', function () {
      expectScope(main, 'ready      =', '&&', 'keyword.operator.logical.terraform');
      expectScope(main, 'ready      =', '!', 'keyword.operator.logical.terraform');
      expectScope(main, 'ready      =', '==', 'keyword.operator.comparison.terraform');
      expectScope(main, 'ready      =', '?', 'keyword.operator.conditional.terraform');
      expectScope(main, 'ready      =', 'false', 'constant.language.boolean.terraform');
    });
  });

  describe('functions, for expressions and references', function () {
    it('scopes function calls, including provider-defined functions', function () {
      const call = expectScope(main, 'policy = jsonencode({', 'jsonencode', 'support.function.terraform');
      assert.strictEqual(call.text, 'jsonencode');
      expectScope(main, 'policy = jsonencode({', '(', 'punctuation.section.arguments.begin.terraform');
      const provider = expectScope(main, 'parsed     =', 'provider::aws::arn_parse', 'support.function.terraform');
      assert.strictEqual(provider.text, 'provider::aws::arn_parse');
    });

    it('scopes [for ...] and {for ...} expressions', function () {
      expectScope(main, 'names      =', 'for', 'keyword.control.for.terraform');
      expectScope(main, 'names      =', 's', 'variable.parameter.iterator.terraform', 1);
      expectScope(main, 'names      =', 'in', 'keyword.control.in.terraform');
      expectScope(main, 'names      =', 'if', 'keyword.control.conditional.terraform');
      expectScope(main, 'names      =', 'upper', 'support.function.terraform');
      expectScope(main, 'by_name    =', 'k', 'variable.parameter.iterator.terraform');
      expectScope(main, 'by_name    =', 'v', 'variable.parameter.iterator.terraform');
      expectScope(main, 'by_name    =', ',', 'punctuation.separator.comma.terraform');
      expectScope(main, 'by_name    =', '=>', 'keyword.operator.arrow.terraform');
      expectScope(main, 'by_name    =', '...', 'keyword.operator.expansion.terraform');
    });

    it('scopes var., local., module. and data. references', function () {
      expectScope(main, 'is_multi_region_trail      = var.multi_region', 'var', 'variable.language.terraform');
      expectScope(main, 'is_multi_region_trail      = var.multi_region', '.', 'punctuation.accessor.terraform');
      expectScope(main, 'is_multi_region_trail      = var.multi_region', 'multi_region', 'variable.other.member.terraform', 1);
      expectScope(main, 'trail_arn  = "arn:aws', 'local', 'variable.language.terraform');
      expectScope(main, 'kms_key_arn = module.keys.cloudtrail.arn', 'module', 'variable.language.terraform');
      expectScope(main, 'kms_key_arn = module.keys.cloudtrail.arn', 'keys', 'variable.other.member.terraform');
      expectScope(main, 'kms_key_arn = module.keys.cloudtrail.arn', 'arn', 'variable.other.member.terraform', 1);
      expectScope(main, 'account_id = data.aws_caller_identity', 'data', 'variable.language.terraform');
      expectScope(main, 'command = "echo ${self.id}"', 'self', 'variable.language.terraform');
    });

    it('scopes resource references and splats', function () {
      expectScope(main, 'kms_key_id                 = aws_kms_key.trail.arn', 'aws_kms_key', 'variable.other.object.terraform');
      expectScope(main, 'kms_key_id                 = aws_kms_key.trail.arn', 'trail', 'variable.other.member.terraform');
      expectScope(main, 'ids         = aws_kms_key.trail[*].id', '*', 'keyword.operator.splat.terraform');
      expectScope(main, 'first       = aws_kms_key.trail.*.arn', '*', 'keyword.operator.splat.terraform');
    });
  });

  describe('.tfvars files', function () {
    it('scopes top-level attributes and values', function () {
      const tfvars = tokenize(grammar, fs.readFileSync(fixture('values.tfvars'), 'utf8'));
      expectScope(tfvars, 'region       =', 'region', 'variable.other.property.terraform');
      expectScope(tfvars, 'region       =', 'eu-west-1', 'string.quoted.double.terraform');
      expectScope(tfvars, 'multi_region = true', 'true', 'constant.language.boolean.terraform');
      expectScope(tfvars, 'retention    = 365', '365', 'constant.numeric.integer.terraform');
      expectScope(tfvars, 'Owner = "security"', 'Owner', 'variable.other.property.terraform');
      expectScope(tfvars, '# Inputs', 'Inputs', 'comment.line.number-sign.terraform');
      assert.strictEqual(tfvars.finalDepth, 1);
    });
  });
});

describe('Terraform language configuration', function () {
  // The file is JSON with comments, as VS Code reads it.
  const text = fs.readFileSync(languageConfigurationPath, 'utf8');
  const errors: ParseError[] = [];
  const configuration = parseJsonc(text, errors) as {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    folding: { markers: { start: string; end: string } };
  };

  it('parses', function () {
    assert.deepStrictEqual(errors, []);
  });

  it('declares # and /* */ comments and the three bracket pairs', function () {
    assert.strictEqual(configuration.comments.lineComment, '#');
    assert.deepStrictEqual(configuration.comments.blockComment, ['/*', '*/']);
    assert.deepStrictEqual(configuration.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    const opens = configuration.autoClosingPairs.map((p) => p.open);
    for (const open of ['{', '[', '(', '"']) assert.ok(opens.includes(open), `no auto-closing pair for ${open}`);
  });

  it('has JavaScript regexes that behave on Terraform lines', function () {
    const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
    assert.ok(increase.test('resource "aws_cloudtrail" "main" {'));
    assert.ok(increase.test('  values = ['));
    assert.ok(!increase.test('  name = "main"'));
    assert.ok(!increase.test('  # a comment that ends with {'));
    assert.ok(decrease.test('  }'));
    assert.ok(decrease.test(']'));
    const word = new RegExp(configuration.wordPattern);
    assert.strictEqual(word.exec('local-exec')?.[0], 'local-exec');
    assert.strictEqual(word.exec('aws_kms_key.trail')?.[0], 'aws_kms_key');
    assert.ok(new RegExp(configuration.folding.markers.start).test('# region keys'));
    assert.ok(new RegExp(configuration.folding.markers.end).test('// endregion'));
  });
});
