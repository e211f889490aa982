/**
 * The Terraform JSON adapter: the same blocks, attributes and expressions as the native
 * adapter gives the same configuration, exact ranges, comments, `.tfvars.json`, broken input.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findAttribute, type Block, type Expr, type SourceFile, type TemplateExpr } from '../../../server/src/engine/model/syntax';
import type { Position, Range } from '../../../server/src/engine/types';
import { TerraformParser } from '../../../server/src/engine/terraform/parse/terraform';
import { loadTerraformGrammar } from '../../../server/src/engine/terraform/parse/treeSitter';
import { parseTerraformJson, toQuotedHclTemplate } from '../../../server/src/engine/terraform/parse/terraformJson';
import { parseSuppression } from '../../../server/src/engine/suppressions';

// ---- helpers ---------------------------------------------------------------------------

let native: TerraformParser;

before(async () => {
  native = new TerraformParser(await loadTerraformGrammar());
});

const parse = (text: string, uri = 'file:///mem/main.tf.json'): SourceFile => parseTerraformJson(uri, text, (e) => native.parseExpression(e));

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'terraform-json', name), 'utf8');

/** Position of `offset` counted the LSP way (UTF-16 units). */
function positionAt(text: string, offset: number): Position {
  const lines = text.slice(0, offset).split(/\r\n|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** The range of the `nth` occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.notEqual(offset, -1, `"${needle}" #${nth} not in text`);
  }
  return { start: positionAt(text, offset), end: positionAt(text, offset + needle.length) };
}

/** From the start of `from` to the end of `to` (first occurrences after `from`). */
function spanOf(text: string, from: string, to: string): Range {
  const start = text.indexOf(from);
  const end = text.indexOf(to, start) + to.length;
  assert.ok(start !== -1 && end >= to.length, `${from}…${to} not in text`);
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

function block(file: SourceFile, type: string, ...labels: string[]): Block {
  const found = file.blocks.find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
  assert.ok(found, `${type} ${labels.join('.')} not found in ${file.blocks.map((b) => [b.type, ...b.labels].join('.')).join(', ')}`);
  return found;
}

function attr(b: Block, name: string): Expr {
  const found = findAttribute(b, name);
  assert.ok(found, `attribute ${name} not found`);
  return found.value;
}

/** The value without ranges (and without keys left undefined), for comparing structure. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!/^(range|rootRange|keyRange|nameRange|headerRange|bodyRange|labelRanges)$/.test(k) && v !== undefined) out[k] = shape(v);
  return out;
}

/** Every range found anywhere inside `value`. */
function allRanges(value: unknown, found: Range[] = []): Range[] {
  if (typeof value !== 'object' || value === null) return found;
  if ('start' in value && 'end' in value) {
    found.push(value as Range);
    return found;
  }
  for (const v of Object.values(value)) allRanges(v, found);
  return found;
}

const TRAIL_HEAD = `{
  "resource": {
    "aws_cloudtrail": {
      "main": {
        "name": "main",
`;

const trail = (kmsLine: string): string => `${TRAIL_HEAD}        "s3_bucket_name": "logs"${kmsLine}
      }
    }
  }
}
`;

// ---- trails and ranges -----------------------------------------------------------------

describe('parseTerraformJson', () => {
  describe('resource blocks', () => {
    it('reads a trail with a literal ARN key, with exact ranges', () => {
      const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      const text = trail(`,\n        "kms_key_id": "${arn}"`);
      const file = parse(text);
      assert.equal(file.format, 'terraform-json');
      assert.deepEqual(file.syntaxErrors, []);
      assert.equal(file.blocks.length, 1);
      const main = block(file, 'resource', 'aws_cloudtrail', 'main');
      assert.deepEqual(main.labels, ['aws_cloudtrail', 'main']);
      assert.deepEqual(main.labelRanges, [rangeOf(text, '"aws_cloudtrail"'), rangeOf(text, '"main"')]);
      assert.deepEqual(main.headerRange, rangeOf(text, '"main"'));
      assert.deepEqual(main.range, { start: rangeOf(text, '"main"').start, end: { line: 7, character: 7 } });
      assert.deepEqual(main.bodyRange, { start: { line: 3, character: 15 }, end: { line: 7, character: 6 } });
      assert.deepEqual(main.blocks, []);
      assert.deepEqual(main.attributes.map((a) => a.name), ['name', 's3_bucket_name', 'kms_key_id']);

      const kms = findAttribute(main, 'kms_key_id')!;
      assert.deepEqual(kms.nameRange, rangeOf(text, '"kms_key_id"'));
      assert.deepEqual(kms.range, spanOf(text, '"kms_key_id"', `${arn}"`));
      assert.deepEqual(kms.value, { kind: 'literal', value: arn, range: rangeOf(text, `"${arn}"`) });
    });

    it('reads "${aws_kms_key.k.arn}" as the native adapter reads the same string', () => {
      const text = trail(',\n        "kms_key_id": "${aws_kms_key.k.arn}"');
      const value = attr(block(parse(text), 'resource', 'aws_cloudtrail', 'main'), 'kms_key_id');
      assert.deepEqual(shape(value), shape(native.parseExpression('"${aws_kms_key.k.arn}"')));
      assert.equal(value.kind, 'template');
      const [part] = (value as TemplateExpr).parts;
      assert.equal((value as TemplateExpr).parts.length, 1);
      assert.equal(part.kind, 'traversal');
      if (part.kind !== 'traversal') return;
      assert.equal(part.root, 'aws_kms_key');
      assert.deepEqual(part.steps.map((s) => (s.kind === 'attr' ? s.name : s.kind)), ['k', 'arn']);
      // Every range inside a converted template is the JSON string's range.
      const stringRange = rangeOf(text, '"${aws_kms_key.k.arn}"');
      const ranges = allRanges(value);
      assert.ok(ranges.length >= 4);
      for (const r of ranges) assert.deepEqual(r, stringRange);
    });

    it('reads kms_key_id = null as a null literal', () => {
      const text = trail(',\n        "kms_key_id": null');
      const value = attr(block(parse(text), 'resource', 'aws_cloudtrail', 'main'), 'kms_key_id');
      assert.deepEqual(value, { kind: 'literal', value: null, range: rangeOf(text, 'null') });
    });

    it('has no kms_key_id attribute when it is absent', () => {
      const main = block(parse(trail('')), 'resource', 'aws_cloudtrail', 'main');
      assert.equal(findAttribute(main, 'kms_key_id'), undefined);
      assert.deepEqual(main.attributes.map((a) => a.name), ['name', 's3_bucket_name']);
    });

    it('maps numbers, booleans, arrays and objects', () => {
      const text = `{"resource": {"aws_cloudtrail": {"t": {
  "is_multi_region_trail": true, "count": 2, "ratio": 0.5,
  "event_selector": [{"read_write_type": "All", "include_management_events": false}],
  "tags": {"Team": "sec", "//": "an ordinary key inside a value"}
}}}}`;
      const t = block(parse(text), 'resource', 'aws_cloudtrail', 't');
      assert.deepEqual(shape(attr(t, 'is_multi_region_trail')), { kind: 'literal', value: true });
      assert.deepEqual(shape(attr(t, 'count')), { kind: 'literal', value: 2 });
      assert.deepEqual(shape(attr(t, 'ratio')), { kind: 'literal', value: 0.5 });
      assert.deepEqual(shape(attr(t, 'event_selector')), {
        kind: 'tuple',
        items: [{ kind: 'object', entries: [
          { key: 'read_write_type', value: { kind: 'literal', value: 'All' } },
          { key: 'include_management_events', value: { kind: 'literal', value: false } },
        ] }],
      });
      const tags = attr(t, 'tags');
      assert.equal(tags.kind, 'object');
      if (tags.kind !== 'object') return;
      assert.deepEqual(tags.entries.map((e) => e.key), ['Team', '//']);
      assert.deepEqual(tags.entries[0].keyRange, rangeOf(text, '"Team"'));
      assert.deepEqual(tags.entries[0].range, rangeOf(text, '"Team": "sec"'));
      assert.deepEqual(tags.range, spanOf(text, '{"Team"', 'value"}'));
    });

    it('reads data blocks with two labels', () => {
      const text = '{"data": {"aws_kms_alias": {"trail": {"name": "alias/cloudtrail"}}}}';
      const alias = block(parse(text), 'data', 'aws_kms_alias', 'trail');
      assert.deepEqual(alias.headerRange, rangeOf(text, '"trail"'));
      assert.deepEqual(shape(attr(alias, 'name')), { kind: 'literal', value: 'alias/cloudtrail' });
    });

    it('counts ranges in UTF-16 units, after a byte-order mark too', () => {
      const text = '\ufeff{"resource": {"aws_cloudtrail": {"t": {"name": "é🙂", "kms_key_id": "k"}}}}';
      const file = parse(text);
      assert.deepEqual(file.syntaxErrors, []);
      const t = block(file, 'resource', 'aws_cloudtrail', 't');
      assert.deepEqual(findAttribute(t, 'kms_key_id')!.nameRange, rangeOf(text, '"kms_key_id"'));
      assert.equal(rangeOf(text, '"kms_key_id"').start.character, 55);
    });
  });

  describe('repeated blocks (arrays of objects)', () => {
    it('reads an array under the resource type, under "resource" and under a label', () => {
      const text = `{
  "resource": [
    {"aws_cloudtrail": [
      {"a": {"name": "a"}},
      {"b": {"name": "b"}}
    ]},
    {"aws_kms_key": {"k": {"description": "k"}}}
  ],
  "provider": {
    "aws": [
      {"region": "us-east-1"},
      {"alias": "west", "region": "us-west-2"}
    ]
  }
}`;
      const file = parse(text);
      assert.deepEqual(file.syntaxErrors, []);
      assert.deepEqual(file.blocks.map((b) => [b.type, ...b.labels].join('.')), [
        'resource.aws_cloudtrail.a', 'resource.aws_cloudtrail.b', 'resource.aws_kms_key.k', 'provider.aws', 'provider.aws',
      ]);
      const b = block(file, 'resource', 'aws_cloudtrail', 'b');
      assert.deepEqual(b.headerRange, rangeOf(text, '"b"'));
      assert.deepEqual(b.range, rangeOf(text, '"b": {"name": "b"}'));
      assert.deepEqual(b.bodyRange, rangeOf(text, '"name": "b"'));

      const [east, west] = file.blocks.filter((x) => x.type === 'provider');
      assert.deepEqual(east.headerRange, rangeOf(text, '"aws"'));
      assert.deepEqual(west.headerRange, rangeOf(text, '"aws"'));
      assert.deepEqual(east.range, spanOf(text, '"aws"', '"us-east-1"}'));
      // The second block starts at its own brace, so the two ranges do not overlap.
      assert.deepEqual(west.range, rangeOf(text, '{"alias": "west", "region": "us-west-2"}'));
      assert.deepEqual(shape(attr(west, 'alias')), { kind: 'literal', value: 'west' });
    });
  });

  describe('variables, locals, modules, outputs, terraform', () => {
    const text = `{
  "variable": {
    "trail_key": {"type": "string", "default": "\${not_a_template}"},
    "keys": {"type": "list(string)", "default": ["a", "b"]},
    "settings": {"type": "object({ key = string })", "default": {"key": "k"}},
    "required": {"description": "no default"}
  },
  "locals": {"key": "\${var.trail_key}", "name": "trail", "escaped": "$\${x}"},
  "module": {"trail": {"source": "./modules/trail", "kms_key_id": "\${local.key}"}},
  "output": {"key": {"value": "\${module.trail.key_arn}", "depends_on": ["module.trail"]}},
  "terraform": {"required_version": ">= 1.5"}
}`;

    it('reads variables: default taken literally, type as a type expression', () => {
      const file = parse(text);
      assert.deepEqual(file.syntaxErrors, []);
      const key = block(file, 'variable', 'trail_key');
      assert.deepEqual(key.labelRanges, [rangeOf(text, '"trail_key"')]);
      assert.deepEqual(key.headerRange, rangeOf(text, '"trail_key"'));
      assert.deepEqual(shape(attr(key, 'default')), { kind: 'literal', value: '${not_a_template}' });
      assert.deepEqual(shape(attr(key, 'type')), shape(native.parseExpression('string')));
      assert.deepEqual(shape(attr(block(file, 'variable', 'keys'), 'type')), shape(native.parseExpression('list(string)')));
      assert.deepEqual(shape(attr(block(file, 'variable', 'keys'), 'default')), {
        kind: 'tuple', items: [{ kind: 'literal', value: 'a' }, { kind: 'literal', value: 'b' }],
      });
      assert.deepEqual(shape(attr(block(file, 'variable', 'settings'), 'default')), {
        kind: 'object', entries: [{ key: 'key', value: { kind: 'literal', value: 'k' } }],
      });
      assert.equal(findAttribute(block(file, 'variable', 'required'), 'default'), undefined);
    });

    it('reads references meant bare the same when a generator wrapped them in ${…}', () => {
      const wrapped = parse('{"variable": {"v": {"type": "${list(string)}"}}, "resource": {"aws_cloudtrail": {"t": {"provider": "${aws.west}", "depends_on": ["${aws_kms_key.k}"]}}}}');
      const bare = parse('{"variable": {"v": {"type": "list(string)"}}, "resource": {"aws_cloudtrail": {"t": {"provider": "aws.west", "depends_on": ["aws_kms_key.k"]}}}}');
      assert.deepEqual(shape(wrapped.blocks), shape(bare.blocks));
      assert.deepEqual(shape(attr(block(bare, 'resource', 'aws_cloudtrail', 't'), 'depends_on')), shape(native.parseExpression('[aws_kms_key.k]')));
    });

    it('reads locals as one block of attributes', () => {
      const file = parse(text);
      const locals = file.blocks.filter((b) => b.type === 'locals');
      assert.equal(locals.length, 1);
      assert.deepEqual(locals[0].labels, []);
      assert.deepEqual(locals[0].headerRange, rangeOf(text, '"locals"'));
      assert.deepEqual(locals[0].attributes.map((a) => a.name), ['key', 'name', 'escaped']);
      assert.deepEqual(shape(attr(locals[0], 'key')), shape(native.parseExpression('"${var.trail_key}"')));
      assert.deepEqual(shape(attr(locals[0], 'escaped')), { kind: 'literal', value: '${x}' });
    });

    it('reads a module call with its source, an output, the terraform block', () => {
      const file = parse(text);
      const trail = block(file, 'module', 'trail');
      assert.deepEqual(trail.labels, ['trail']);
      assert.deepEqual(shape(attr(trail, 'source')), { kind: 'literal', value: './modules/trail' });
      assert.deepEqual(shape(attr(trail, 'kms_key_id')), shape(native.parseExpression('"${local.key}"')));
      const output = block(file, 'output', 'key');
      assert.deepEqual(shape(attr(output, 'depends_on')), shape(native.parseExpression('[module.trail]')));
      const terraform = block(file, 'terraform');
      assert.deepEqual(terraform.labels, []);
      assert.deepEqual(shape(attr(terraform, 'required_version')), { kind: 'literal', value: '>= 1.5' });
    });
  });

  describe('string templates', () => {
    const value = (jsonString: string): Expr => attr(block(parse(`{"locals": {"v": ${jsonString}}}`), 'locals'), 'v');

    it('turns JSON escapes into the HCL string with the same meaning', () => {
      assert.equal(toQuotedHclTemplate('no interpolation'), undefined);
      assert.equal(toQuotedHclTemplate('$${escaped} and %%{escaped}'), undefined);
      assert.equal(toQuotedHclTemplate('a"b\\c\n${var.x}'), '"a\\"b\\\\c\\n${var.x}"');
      // Strings inside a sequence are already written the native way.
      assert.equal(toQuotedHclTemplate('${lookup(var.m, "k}")}!"'), '"${lookup(var.m, "k}")}!\\""');
      assert.equal(toQuotedHclTemplate('x\u0001%{ if var.a }y%{ endif }'), '"x\\u0001%{ if var.a }y%{ endif }"');
    });

    it('reads quotes, backslashes and line breaks around an interpolation', () => {
      const v = value('"say \\"hi\\"\\\\\\n${var.name}"');
      assert.deepEqual(shape(v), shape(native.parseExpression('"say \\"hi\\"\\\\\\n${var.name}"')));
      assert.equal(v.kind, 'template');
    });

    it('reads a function call with quoted arguments inside the interpolation', () => {
      const v = value('"${lookup(var.keys, \\"trail\\", \\"none\\")}"');
      assert.deepEqual(shape(v), shape(native.parseExpression('"${lookup(var.keys, "trail", "none")}"')));
      const [call] = (v as TemplateExpr).parts;
      assert.equal(call.kind, 'call');
    });

    it('reads directives and escapes', () => {
      assert.equal(value('"%{ if var.a }x%{ endif }"').kind, 'template');
      assert.deepEqual(shape(value('"$${not.a.reference}"')), { kind: 'literal', value: '${not.a.reference}' });
      assert.deepEqual(shape(value('"100%"')), { kind: 'literal', value: '100%' });
    });

    it('gives an unknown value, not an exception, when the expression parser fails', () => {
      const file = parseTerraformJson('file:///x.tf.json', '{"locals": {"v": "${var.x}"}}', () => {
        throw new Error('boom');
      });
      assert.deepEqual(shape(attr(block(file, 'locals'), 'v')), { kind: 'unknown', text: '${var.x}' });
    });
  });

  describe('"//" comments', () => {
    it('keeps them out of attributes and in comments, where suppressions find them', () => {
      const text = fixture('trail.tf.json');
      const file = parse(text);
      assert.deepEqual(file.syntaxErrors, []);
      const legacy = block(file, 'resource', 'aws_cloudtrail', 'unencrypted');
      assert.deepEqual(legacy.attributes.map((a) => a.name), ['name', 's3_bucket_name', 'kms_key_id']);
      assert.equal(file.comments.length, 2);
      const [header, ignore] = file.comments;
      assert.equal(header.text, '# The same configuration as trail.tf, in JSON syntax.');
      assert.deepEqual(header.range, rangeOf(text, '"//": "The same configuration as trail.tf, in JSON syntax."'));
      assert.equal(ignore.text, '# cloudtrail-kms-lint:ignore CTK001 legacy trail, replaced next quarter');
      assert.ok(ignore.range.start.line > legacy.range.start.line && ignore.range.end.line < legacy.range.end.line);
      const suppression = parseSuppression(ignore);
      assert.deepEqual(suppression?.rules, ['CTK001']);
    });

    it('skips them between labels too', () => {
      const text = '{"resource": {"//": "label level", "aws_cloudtrail": {"//": ["not", "a string"], "t": {"name": "t"}}}}';
      const file = parse(text);
      assert.deepEqual(file.blocks.map((b) => b.labels.join('.')), ['aws_cloudtrail.t']);
      assert.deepEqual(file.comments.map((c) => c.text), ['# label level', '# ["not", "a string"]']);
    });
  });

  describe('.tfvars.json', () => {
    const text = '{\n  "//": "values",\n  "trail_key": "${not.a.template}",\n  "regions": ["us-east-1"],\n  "retention": 365\n}\n';

    it('reads top-level properties as attributes of one tfvars block, literally', () => {
      const file = parse(text, 'file:///mem/terraform.tfvars.json');
      assert.equal(file.blocks.length, 1);
      const [tfvars] = file.blocks;
      assert.equal(tfvars.type, 'tfvars');
      assert.deepEqual(tfvars.labels, []);
      assert.deepEqual(tfvars.range, { start: { line: 0, character: 0 }, end: { line: 5, character: 1 } });
      assert.deepEqual(tfvars.attributes.map((a) => a.name), ['trail_key', 'regions', 'retention']);
      assert.deepEqual(shape(attr(tfvars, 'trail_key')), { kind: 'literal', value: '${not.a.template}' });
      assert.deepEqual(findAttribute(tfvars, 'trail_key')!.nameRange, rangeOf(text, '"trail_key"'));
      assert.deepEqual(file.comments.map((c) => c.text), ['# values']);
    });

    it('gives the same shape as a native .tfvars file', () => {
      const json = parse('{"trail_key": "arn:aws:kms:us-east-1:111122223333:key/k", "regions": ["a"]}', 'file:///mem/x.auto.tfvars.json');
      const hcl = native.parse('file:///mem/x.auto.tfvars', 'trail_key = "arn:aws:kms:us-east-1:111122223333:key/k"\nregions = ["a"]\n');
      assert.deepEqual(shape(json.blocks), shape(hcl.blocks));
    });

    it('has no blocks for an empty file', () => {
      assert.deepEqual(parse('{}', 'file:///mem/a.tfvars.json').blocks, []);
    });
  });

  describe('broken JSON', () => {
    it('reports a trailing comma and keeps every block', () => {
      const text = '{\n  "resource": {"aws_cloudtrail": {"t": {"name": "t", "kms_key_id": "k",}}},\n  "variable": {"v": {"default": 1}},\n}\n';
      const file = parse(text);
      assert.ok(file.syntaxErrors.length > 0);
      assert.deepEqual(file.syntaxErrors[0].start, rangeOf(text, '}}}').start);
      assert.deepEqual(file.blocks.map((b) => [b.type, ...b.labels].join('.')), ['resource.aws_cloudtrail.t', 'variable.v']);
      assert.deepEqual(shape(attr(block(file, 'resource', 'aws_cloudtrail', 't'), 'kms_key_id')), { kind: 'literal', value: 'k' });
    });

    it('keeps the blocks before an object left open at the end', () => {
      const text = '{\n  "variable": {"v": {"default": 1}},\n  "resource": {\n    "aws_cloudtrail": {\n      "t": {\n        "name": "t",\n        "kms_key_id": ';
      const file = parse(text);
      assert.ok(file.syntaxErrors.length > 0);
      assert.deepEqual(shape(attr(block(file, 'variable', 'v'), 'default')), { kind: 'literal', value: 1 });
      assert.notEqual(block(file, 'variable', 'v').bodyRange, undefined);
      const t = block(file, 'resource', 'aws_cloudtrail', 't');
      assert.equal(t.bodyRange, undefined);
      assert.deepEqual(shape(attr(t, 'name')), { kind: 'literal', value: 't' });
      // The value still being typed is unknown, not null (which would mean "no key").
      assert.equal(attr(t, 'kms_key_id').kind, 'unknown');
    });

    it('keeps a closed nested object inside one left open apart', () => {
      const text = '{"resource": {"aws_cloudtrail": {"t": {"name": "t"}';
      const t = block(parse(text), 'resource', 'aws_cloudtrail', 't');
      assert.notEqual(t.bodyRange, undefined);
    });

    it('lifts a top-level block that a missing brace nested in the block above', () => {
      const text = `{
  "resource": {
    "aws_cloudtrail": {
      "t": {
        "name": "t"
    }
  },
  "variable": {
    "v": {"default": "x"}
  },
  "output": {
    "o": {"value": "\${var.v}"}
  }
}
`;
      const file = parse(text);
      assert.ok(file.syntaxErrors.length > 0);
      assert.deepEqual(file.blocks.map((b) => [b.type, ...b.labels].join('.')), ['resource.aws_cloudtrail.t', 'variable.v', 'output.o']);
      const t = block(file, 'resource', 'aws_cloudtrail', 't');
      assert.deepEqual(t.attributes.map((a) => a.name), ['name']);
      assert.ok(t.range.end.line < block(file, 'variable', 'v').range.start.line + 1);
      assert.deepEqual(block(file, 'variable', 'v').headerRange, rangeOf(text, '"v"'));
    });

    it('does not lift anything from a valid file', () => {
      const text = `{
  "resource": {
    "aws_cloudtrail": {
      "t": {
  "provider": {"x": 1}
      }
    }
  }
}`;
      const t = block(parse(text), 'resource', 'aws_cloudtrail', 't');
      assert.deepEqual(t.attributes.map((a) => a.name), ['provider']);
    });

    it('never throws on garbage', () => {
      for (const text of ['', '   ', 'nope', '[', '{"resource": [1, "x", null]}', '{"resource": {"a": {"b": 3}}}', '{"locals": "x"}', '{"resource": {"aws_cloudtrail": {"t": ', '"${', '{"locals": {"v": "${var.x"}}']) {
        const file = parse(text);
        assert.equal(file.format, 'terraform-json');
      }
      assert.deepEqual(parse('').blocks, []);
      assert.deepEqual(parse('').syntaxErrors, []);
    });

    it('reports JavaScript comments, which Terraform rejects', () => {
      const file = parse('{\n  // not allowed\n  "locals": {"a": 1}\n}');
      assert.equal(file.syntaxErrors.length, 1);
      assert.deepEqual(block(file, 'locals').attributes.map((a) => a.name), ['a']);
    });
  });

  describe('equivalence with native syntax', () => {
    /** Block types, labels, attribute names and expressions, without ranges. */
    const structure = (file: SourceFile): unknown => shape(file.blocks.map((b) => ({ type: b.type, labels: b.labels, attributes: b.attributes, blocks: b.blocks })));

    for (const name of ['trail', 'inputs', 'providers']) {
      it(`reads ${name}.tf.json as ${name}.tf`, () => {
        const hcl = native.parse(`file:///mem/${name}.tf`, fixture(`${name}.tf`));
        const json = parse(fixture(`${name}.tf.json`), `file:///mem/${name}.tf.json`);
        assert.deepEqual(hcl.syntaxErrors, []);
        assert.deepEqual(json.syntaxErrors, []);
        assert.ok(json.blocks.length >= 3);
        assert.deepEqual(structure(json), structure(hcl));
      });
    }

    it('reads a nested block as an object attribute (JSON has no schema to tell them apart)', () => {
      const hcl = native.parse('file:///mem/a.tf', 'resource "aws_cloudtrail" "t" {\n  event_selector {\n    read_write_type = "All"\n  }\n}\n');
      const json = parse('{"resource": {"aws_cloudtrail": {"t": {"event_selector": {"read_write_type": "All"}}}}}');
      const [nativeTrail] = hcl.blocks;
      const [jsonTrail] = json.blocks;
      assert.equal(nativeTrail.blocks[0].type, 'event_selector');
      assert.deepEqual(jsonTrail.blocks, []);
      assert.deepEqual(shape(attr(jsonTrail, 'event_selector')), {
        kind: 'object', entries: [{ key: 'read_write_type', value: { kind: 'literal', value: 'All' } }],
      });
      assert.deepEqual(shape(nativeTrail.blocks[0].attributes), shape(jsonTrail.attributes[0].value.kind === 'object' ? jsonTrail.attributes[0].value.entries.map((e) => ({ name: e.key, value: e.value })) : []));
    });
  });
});
