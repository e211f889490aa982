/**
 * The CloudFormation adapter's mapping onto the common model: blocks, attributes,
 * expressions, intrinsics in every spelling, comments, and exact LSP ranges.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Block, CallExpr, Expr, LiteralExpr, ObjectExpr, SourceFile } from '../../../server/src/engine/model/syntax';
import type { Position, Range } from '../../../server/src/engine/types';
import { isCloudFormationTemplate, parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';

// ---- helpers ---------------------------------------------------------------------------

function parse(text: string): SourceFile {
  const file = parseCloudFormation('file:///template', text);
  assert.ok(file, 'expected a CloudFormation template');
  return file;
}

/** Position of `offset` counted the LSP way (UTF-16 units, `\r\n`, `\n`, `\r` breaks). */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
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

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

function resource(file: SourceFile, logicalId: string): Block {
  const block = file.blocks.find((b) => b.type === 'resource' && b.labels[1] === logicalId);
  assert.ok(block, `resource ${logicalId} not found`);
  return block;
}

function attr(block: { attributes: { name: string; value: Expr }[] }, name: string): Expr {
  const found = block.attributes.find((a) => a.name === name);
  assert.ok(found, `attribute ${name} not found`);
  return found.value;
}

function entry(expr: Expr, key: string): Expr {
  assert.equal(expr.kind, 'object');
  const found = (expr as ObjectExpr).entries.find((e) => e.key === key);
  assert.ok(found, `key ${key} not found`);
  return found.value;
}

const property = (file: SourceFile, logicalId: string, name: string): Expr => entry(attr(resource(file, logicalId), 'Properties'), name);

/** The expression without ranges, for comparing structure. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'range' || k === 'keyRange' || k === 'nameRange' || k === 'labelRanges' || k === 'headerRange' || k === 'bodyRange') continue;
      out[k] = shape(v);
    }
    return out;
  }
  return value;
}

const lit = (value: LiteralExpr['value']) => ({ kind: 'literal', value });
const call = (name: string, ...args: unknown[]) => ({ kind: 'call', name, args });

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    assert.notEqual(parent, dir, 'package.json not found above the test');
    dir = parent;
  }
  return dir;
}
const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'cloudformation', name), 'utf8');

// ---- YAML ------------------------------------------------------------------------------

describe('CloudFormation adapter: YAML', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"', // 0
    'Description: trails', // 1
    'Resources:', // 2
    '  # cloudtrail-kms-lint:ignore CTK001 reason', // 3
    '  Trail:', // 4
    '    Type: AWS::CloudTrail::Trail', // 5
    '    Condition: IsProd', // 6
    '    DependsOn: [Key]', // 7
    '    DeletionPolicy: Retain', // 8
    '    Metadata:', // 9
    '      checkov:', // 10
    '        skip:', // 11
    '          - id: CKV_AWS_35 # checkov:skip=CKV_AWS_35', // 12
    '    Properties:', // 13
    '      S3BucketName: logs', // 14
    '      KMSKeyId: !Ref Key', // 15
    '', // 16
    '  Key:', // 17
    '    Type: AWS::KMS::Key', // 18
    '',
  ].join('\n');

  it('makes each Resources entry a resource block labelled [Type, LogicalId]', () => {
    const file = parse(text);
    assert.equal(file.format, 'cloudformation');
    assert.equal(file.uri, 'file:///template');
    assert.equal(file.text, text);
    const trail = resource(file, 'Trail');
    assert.deepEqual(trail.labels, ['AWS::CloudTrail::Trail', 'Trail']);
    assert.deepEqual(trail.labelRanges, [r(5, 10, 5, 32), r(4, 2, 4, 7)]);
    assert.deepEqual(trail.headerRange, r(4, 2, 4, 7));
    // From the logical id to the end of its value (not over the blank line after it).
    assert.deepEqual(trail.range, r(4, 2, 15, 24));
    assert.deepEqual(trail.bodyRange, r(5, 4, 15, 24));
    assert.deepEqual(trail.blocks, []);
    assert.deepEqual(trail.attributes.map((a) => a.name), ['Type', 'Condition', 'DependsOn', 'DeletionPolicy', 'Metadata', 'Properties']);
    assert.deepEqual(resource(file, 'Key').range, r(17, 2, 18, 23));
  });

  it('gives attributes their name range, whole range and value', () => {
    const trail = resource(parse(text), 'Trail');
    const properties = trail.attributes.find((a) => a.name === 'Properties')!;
    assert.deepEqual(properties.nameRange, r(13, 4, 13, 14));
    assert.deepEqual(properties.range, r(13, 4, 15, 24));
    assert.equal(properties.value.kind, 'object');
    const entries = (properties.value as ObjectExpr).entries;
    assert.deepEqual(entries.map((e) => e.key), ['S3BucketName', 'KMSKeyId']);
    assert.deepEqual(entries[1].keyRange, r(15, 6, 15, 14));
    assert.deepEqual(entries[1].range, r(15, 6, 15, 24));
    assert.deepEqual(shape(attr(trail, 'DependsOn')), { kind: 'tuple', items: [lit('Key')] });
    assert.deepEqual(shape(attr(trail, 'Condition')), lit('IsProd'));
  });

  it('puts the KMSKeyId value at its exact line and character', () => {
    const kms = property(parse(text), 'Trail', 'KMSKeyId') as CallExpr;
    assert.equal(kms.kind, 'call');
    assert.equal(kms.name, 'Ref');
    assert.deepEqual(kms.range, r(15, 16, 15, 24)); // `!Ref Key`, tag included
    assert.deepEqual(kms.args[0].range, r(15, 21, 15, 24));
    assert.deepEqual(shape(kms), call('Ref', lit('Key')));
  });

  it('uses the logical id range as the type label range when Type is missing, and "" as the label', () => {
    const file = parse('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Pending:\n    Properties: {}\n');
    const pending = resource(file, 'Pending');
    assert.deepEqual(pending.labels, ['', 'Pending']);
    assert.deepEqual(pending.labelRanges, [r(2, 2, 2, 9), r(2, 2, 2, 9)]);
  });

  it('keeps an entry with no value yet as a resource without attributes or body', () => {
    const file = parse('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Pending:\n  Key:\n    Type: AWS::KMS::Key\n');
    const pending = resource(file, 'Pending');
    assert.deepEqual(pending.attributes, []);
    assert.equal(pending.bodyRange, undefined);
    assert.deepEqual(pending.headerRange, r(2, 2, 2, 9));
    assert.deepEqual(resource(file, 'Key').headerRange, r(3, 2, 3, 5));
  });

  it('collects # comments with exact ranges, and only real comments', () => {
    const file = parse(text + 'Outputs:\n  O:\n    Value: "a # not a comment"\n    Description: |\n      # not one either\n');
    assert.deepEqual(file.comments.map((c) => c.text), [
      '# cloudtrail-kms-lint:ignore CTK001 reason',
      '# checkov:skip=CKV_AWS_35',
    ]);
    assert.deepEqual(file.comments[0].range, r(3, 2, 3, 44));
    assert.deepEqual(file.comments[1].range, rangeOf(text, '# checkov:skip=CKV_AWS_35'));
  });

  it('makes the top-level scalars attributes of one template block, listed first', () => {
    const file = parse(text);
    const template = file.blocks[0];
    assert.equal(template.type, 'template');
    assert.deepEqual(template.labels, []);
    assert.deepEqual(template.attributes.map((a) => a.name), ['AWSTemplateFormatVersion', 'Description']);
    assert.deepEqual(shape(attr(template, 'AWSTemplateFormatVersion')), lit('2010-09-09'));
    assert.deepEqual(template.headerRange, r(0, 0, 0, 24));
    assert.equal(file.blocks.filter((b) => b.type === 'template').length, 1);
  });

  it('maps Parameters, Conditions, Outputs and Mappings entries to blocks', () => {
    const source = fixture('trail-kms.yaml');
    const file = parse(source);
    assert.deepEqual(file.blocks.map((b) => `${b.type} ${b.labels.join(' ')}`), [
      'template ',
      'parameter Environment',
      'parameter ExistingKeyArn',
      'mapping RegionMap',
      'condition IsProd',
      'condition UseExistingKey',
      'condition CreateKey',
      'resource AWS::KMS::Key TrailKey',
      'resource AWS::KMS::Alias TrailKeyAlias',
      'resource AWS::CloudTrail::Trail Trail',
      'output TrailArn',
    ]);
    const environment = file.blocks.find((b) => b.type === 'parameter' && b.labels[0] === 'Environment')!;
    assert.deepEqual(environment.attributes.map((a) => a.name), ['Type', 'Default', 'AllowedValues']);
    assert.deepEqual(environment.headerRange, rangeOf(source, 'Environment'));
    assert.deepEqual(shape(attr(environment, 'AllowedValues')), { kind: 'tuple', items: [lit('prod'), lit('dev')] });

    const isProd = file.blocks.find((b) => b.type === 'condition' && b.labels[0] === 'IsProd')!;
    assert.deepEqual(isProd.attributes.map((a) => a.name), ['Value']);
    assert.deepEqual(shape(attr(isProd, 'Value')), call('Fn::Equals', call('Ref', lit('Environment')), lit('prod')));
    assert.deepEqual(attr(isProd, 'Value').range, rangeOf(source, '!Equals [!Ref Environment, prod]'));

    const createKey = file.blocks.find((b) => b.type === 'condition' && b.labels[0] === 'CreateKey')!;
    assert.deepEqual(shape(attr(createKey, 'Value')), call('Fn::And',
      call('Condition', lit('IsProd')),
      call('Fn::Not', call('Condition', lit('UseExistingKey')))));

    const regionMap = file.blocks.find((b) => b.type === 'mapping')!;
    assert.deepEqual(regionMap.attributes.map((a) => a.name), ['us-east-1']);
    assert.deepEqual(shape(attr(regionMap, 'us-east-1')), { kind: 'object', entries: [{ key: 'Suffix', value: lit('use1') }] });

    const output = file.blocks.find((b) => b.type === 'output')!;
    assert.deepEqual(output.attributes.map((a) => a.name), ['Value', 'Export']);
    assert.deepEqual(shape(attr(output, 'Value')), call('Fn::GetAtt', lit('Trail'), lit('Arn')));
  });

  it('keeps other top-level keys (Transform, Metadata, Globals) on the template block and skips Fn::ForEach', () => {
    const file = parse([
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]',
      'Metadata:',
      '  cloudtrail-kms-lint: {ignore: [CTK201]}',
      'Globals:',
      '  Function: {Runtime: python3.12}',
      'Resources:',
      '  Fn::ForEach::Topics:',
      '    - Name',
      '    - [A, B]',
      '    - Topic${Name}: {Type: AWS::SNS::Topic}',
      '  Key:',
      '    Type: AWS::KMS::Key',
      '',
    ].join('\n'));
    assert.deepEqual(file.blocks[0].attributes.map((a) => a.name), ['AWSTemplateFormatVersion', 'Transform', 'Metadata', 'Globals']);
    assert.deepEqual(shape(attr(file.blocks[0], 'Transform')), { kind: 'tuple', items: [lit('AWS::LanguageExtensions'), lit('AWS::Serverless-2016-10-31')] });
    assert.deepEqual(file.blocks.filter((b) => b.type === 'resource').map((b) => b.labels[1]), ['Key']);
  });

  it('reads scalars with YAML core schema semantics, quoted strings staying strings', () => {
    const file = parse([
      'AWSTemplateFormatVersion: 2010-09-09',
      'Resources:',
      '  R:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      A: true',
      '      B: "true"',
      '      C: 42',
      "      D: '42'",
      '      E: 1.5',
      '      F: null',
      '      G: ~',
      '      H:',
      '      I: False',
      '      J: 0x1F',
      '      K: |',
      '        line one',
      '        line two',
      '      L: >-',
      '        folded',
      '        text',
      '      M: [1, two, "3"]',
      '      N: {x: 1}',
      '',
    ].join('\n'));
    const value = (key: string) => shape(property(file, 'R', key));
    assert.deepEqual(shape(attr(file.blocks[0], 'AWSTemplateFormatVersion')), lit('2010-09-09'));
    assert.deepEqual(value('A'), lit(true));
    assert.deepEqual(value('B'), lit('true'));
    assert.deepEqual(value('C'), lit(42));
    assert.deepEqual(value('D'), lit('42'));
    assert.deepEqual(value('E'), lit(1.5));
    assert.deepEqual(value('F'), lit(null));
    assert.deepEqual(value('G'), lit(null));
    assert.deepEqual(value('H'), lit(null));
    assert.deepEqual(value('I'), lit(false));
    assert.deepEqual(value('J'), lit(31));
    assert.deepEqual(value('K'), lit('line one\nline two\n'));
    assert.deepEqual(value('L'), lit('folded text'));
    assert.deepEqual(value('M'), { kind: 'tuple', items: [lit(1), lit('two'), lit('3')] });
    assert.deepEqual(value('N'), { kind: 'object', entries: [{ key: 'x', value: lit(1) }] });
    // A block scalar ends with its last line of text, not with the line break after it.
    assert.deepEqual(property(file, 'R', 'K').range, r(15, 9, 17, 16));
    // A missing value is a null at the end of the key line.
    assert.deepEqual(property(file, 'R', 'H').range, r(12, 8, 12, 8));
  });

  describe('intrinsic functions, named in long form', () => {
    const template = (value: string) => parse(`AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: ${value}\n`);
    const value = (written: string): Expr => property(template(written), 'R', 'P');

    const cases: [string, unknown][] = [
      ['!Ref Key', call('Ref', lit('Key'))],
      ['!GetAtt Key.Arn', call('Fn::GetAtt', lit('Key'), lit('Arn'))],
      ['!GetAtt Stack.Outputs.KeyArn', call('Fn::GetAtt', lit('Stack'), lit('Outputs.KeyArn'))],
      ['!GetAtt [Key, Arn]', call('Fn::GetAtt', lit('Key'), lit('Arn'))],
      ['!Sub "arn:${AWS::Partition}:kms"', call('Fn::Sub', lit('arn:${AWS::Partition}:kms'))],
      ['!Sub ["${A}-x", {A: !Ref K}]', call('Fn::Sub', lit('${A}-x'), { kind: 'object', entries: [{ key: 'A', value: call('Ref', lit('K')) }] })],
      ['!If [IsProd, !Ref K, !Ref "AWS::NoValue"]', call('Fn::If', lit('IsProd'), call('Ref', lit('K')), call('Ref', lit('AWS::NoValue')))],
      ['!Join [":", [a, b]]', call('Fn::Join', lit(':'), { kind: 'tuple', items: [lit('a'), lit('b')] })],
      ['!Select [0, !GetAZs ""]', call('Fn::Select', lit(0), call('Fn::GetAZs', lit('')))],
      ['!Split [",", !ImportValue Shared]', call('Fn::Split', lit(','), call('Fn::ImportValue', lit('Shared')))],
      ['!FindInMap [M, !Ref "AWS::Region", Key]', call('Fn::FindInMap', lit('M'), call('Ref', lit('AWS::Region')), lit('Key'))],
      ['!Equals [a, b]', call('Fn::Equals', lit('a'), lit('b'))],
      ['!Not [!Condition C]', call('Fn::Not', call('Condition', lit('C')))],
      ['!And [!Condition A, !Condition B]', call('Fn::And', call('Condition', lit('A')), call('Condition', lit('B')))],
      ['!Or [!Condition A, !Equals [x, y]]', call('Fn::Or', call('Condition', lit('A')), call('Fn::Equals', lit('x'), lit('y')))],
      ['!Base64 {"Fn::Sub": "x${A}"}', call('Fn::Base64', call('Fn::Sub', lit('x${A}')))],
      ['!Cidr [10.0.0.0/16, 4, 8]', call('Fn::Cidr', lit('10.0.0.0/16'), lit(4), lit(8))],
      ['!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}', call('Fn::Transform', {
        kind: 'object',
        entries: [
          { key: 'Name', value: lit('AWS::Include') },
          { key: 'Parameters', value: { kind: 'object', entries: [{ key: 'Location', value: lit('s3://b/k') }] } },
        ],
      })],
      ['!ToJsonString {a: !Ref B}', call('Fn::ToJsonString', { kind: 'object', entries: [{ key: 'a', value: call('Ref', lit('B')) }] })],
      ['!Length [a, b]', call('Fn::Length', { kind: 'tuple', items: [lit('a'), lit('b')] })],
      ['{Ref: Key}', call('Ref', lit('Key'))],
      ['{"Fn::GetAtt": [Key, Arn]}', call('Fn::GetAtt', lit('Key'), lit('Arn'))],
      ['{"Fn::GetAtt": Key.Arn}', call('Fn::GetAtt', lit('Key'), lit('Arn'))],
      ['{"Fn::Sub": "x"}', call('Fn::Sub', lit('x'))],
      ['{"Fn::Base64": {"Fn::Sub": "x"}}', call('Fn::Base64', call('Fn::Sub', lit('x')))],
      ['{"Fn::If": [C, {Ref: A}, {Ref: "AWS::NoValue"}]}', call('Fn::If', lit('C'), call('Ref', lit('A')), call('Ref', lit('AWS::NoValue')))],
      ['{"Fn::Not": [{Condition: C}]}', call('Fn::Not', call('Condition', lit('C')))],
    ];
    for (const [written, expected] of cases) {
      it(`${written}`, () => assert.deepEqual(shape(value(written)), expected));
    }

    it('reads the block-style long form', () => {
      const file = parse([
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Resources:',
        '  R:',
        '    Type: AWS::CloudTrail::Trail',
        '    Properties:',
        '      KMSKeyId:',
        '        Fn::GetAtt:',
        '          - Key',
        '          - Arn',
        '      Other:',
        '        Ref: Key',
        '',
      ].join('\n'));
      const kms = property(file, 'R', 'KMSKeyId');
      assert.deepEqual(shape(kms), call('Fn::GetAtt', lit('Key'), lit('Arn')));
      assert.deepEqual(kms.range, r(6, 8, 8, 15));
      assert.deepEqual((kms as CallExpr).args[1].range, r(8, 12, 8, 15));
      assert.deepEqual(shape(property(file, 'R', 'Other')), call('Ref', lit('Key')));
    });

    it('reads a tag on the line before its block sequence, the call starting at the tag', () => {
      const file = parse('AWSTemplateFormatVersion: "2010-09-09"\nConditions:\n  C:\n    !Equals\n    - !Ref Env\n    - prod\n');
      const condition = file.blocks.find((b) => b.type === 'condition')!;
      const value = attr(condition, 'Value');
      assert.deepEqual(shape(value), call('Fn::Equals', call('Ref', lit('Env')), lit('prod')));
      assert.deepEqual(value.range, r(3, 4, 5, 10));
    });

    it('gives each half of a dotted !GetAtt its own range, in quotes too', () => {
      const plain = value('!GetAtt Key.Arn') as CallExpr;
      assert.deepEqual(plain.range, r(5, 9, 5, 24));
      assert.deepEqual(plain.args.map((a) => a.range), [r(5, 17, 5, 20), r(5, 21, 5, 24)]);
      const quoted = value('!GetAtt "Key.Arn"') as CallExpr;
      assert.deepEqual(quoted.args.map((a) => a.range), [r(5, 18, 5, 21), r(5, 22, 5, 25)]);
    });

    it('reads {Condition: X} as a call only where a condition is expected', () => {
      const file = parse([
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Conditions:',
        '  A: {Condition: B}',
        '  B: !Equals [x, x]',
        'Rules:',
        '  R:',
        '    RuleCondition: !And [{Condition: A}, !Equals [x, x]]',
        '    Assertions: []',
        'Resources:',
        '  Bucket:',
        '    Type: AWS::S3::Bucket',
        '    Condition: A',
        '    Metadata:',
        '      Condition: A',
        '',
      ].join('\n'));
      const a = file.blocks.find((b) => b.type === 'condition' && b.labels[0] === 'A')!;
      assert.deepEqual(shape(attr(a, 'Value')), call('Condition', lit('B')));
      const rule = file.blocks.find((b) => b.type === 'rule')!;
      assert.deepEqual(shape(attr(rule, 'RuleCondition')), call('Fn::And', call('Condition', lit('A')), call('Fn::Equals', lit('x'), lit('x'))));
      const bucket = resource(file, 'Bucket');
      assert.deepEqual(shape(attr(bucket, 'Condition')), lit('A'));
      assert.deepEqual(shape(attr(bucket, 'Metadata')), { kind: 'object', entries: [{ key: 'Condition', value: lit('A') }] });
    });

    it('keeps a one-key mapping that is not an intrinsic, and leaves Mappings data alone', () => {
      const file = parse('AWSTemplateFormatVersion: "2010-09-09"\nMappings:\n  M:\n    k: {Ref: literal}\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: {Key: v}\n');
      assert.deepEqual(shape(property(file, 'R', 'Tags')), { kind: 'object', entries: [{ key: 'Key', value: lit('v') }] });
      const mapping = file.blocks.find((b) => b.type === 'mapping')!;
      assert.deepEqual(shape(attr(mapping, 'k')), { kind: 'object', entries: [{ key: 'Ref', value: lit('literal') }] });
    });

    it('makes an unknown tag an unknown expression', () => {
      assert.deepEqual(shape(value('!NotAFunction x')), { kind: 'unknown', text: '!NotAFunction x' });
    });
  });

  it('counts characters in UTF-16 code units on lines with non-ASCII text', () => {
    const source = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Trail:',
      '    Type: AWS::CloudTrail::Trail',
      '    Properties: {Description: "日志 😀 é", KMSKeyId: !Ref Kéy}',
      '',
    ].join('\n');
    const kms = property(parse(source), 'Trail', 'KMSKeyId');
    // `    Properties: {Description: "` is 31 units, `日志 😀 é"` 8 (the emoji is 2), `, KMSKeyId: ` 12.
    assert.deepEqual(kms.range, r(4, 51, 4, 59));
    assert.deepEqual(kms.range, rangeOf(source, '!Ref Kéy'));
  });

  it('gives the same positions with CRLF line breaks', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    const file = parse(crlf);
    assert.deepEqual(property(file, 'Trail', 'KMSKeyId').range, r(15, 16, 15, 24));
    assert.deepEqual(resource(file, 'Trail').range, r(4, 2, 15, 24));
    assert.deepEqual(file.comments[0].range, r(3, 2, 3, 44));
  });

  it('reads the first document that is a template in a multi-document stream', () => {
    const stream = [
      'apiVersion: v1', // 0
      'kind: ConfigMap',
      'metadata: {name: x}',
      '---', // 3
      '# header',
      'AWSTemplateFormatVersion: 2010-09-09',
      'Resources:',
      '  Trail:', // 7
      '    Type: AWS::CloudTrail::Trail',
      '...',
      '---',
      'Resources:',
      '  Other:',
      '    Type: AWS::S3::Bucket',
      '',
    ].join('\n');
    const file = parse(stream);
    assert.deepEqual(file.blocks.filter((b) => b.type === 'resource').map((b) => b.labels[1]), ['Trail']);
    assert.deepEqual(resource(file, 'Trail').headerRange, r(7, 2, 7, 7));
    assert.deepEqual(file.comments.map((c) => c.text), ['# header']);
  });

  it('reads a template written between --- and ...', () => {
    const file = parse('---\nAWSTemplateFormatVersion: 2010-09-09\nResources:\n  Key:\n    Type: AWS::KMS::Key\n...\n');
    assert.deepEqual(resource(file, 'Key').headerRange, r(3, 2, 3, 5));
    assert.deepEqual(file.syntaxErrors, []);
  });

  it('reads an alias as the anchored value', () => {
    const file = parse('AWSTemplateFormatVersion: 2010-09-09\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: &p {BucketName: x}\n  B:\n    Type: AWS::S3::Bucket\n    Properties: *p\n');
    const properties = attr(resource(file, 'B'), 'Properties');
    assert.deepEqual(shape(properties), { kind: 'object', entries: [{ key: 'BucketName', value: lit('x') }] });
    assert.deepEqual(properties.range, r(7, 16, 7, 18));
  });
});

// ---- JSON ------------------------------------------------------------------------------

describe('CloudFormation adapter: JSON', () => {
  const text = [
    '{', // 0
    '  "AWSTemplateFormatVersion": "2010-09-09",', // 1
    '  // cloudtrail-kms-lint:ignore CTK001 reason', // 2
    '  "Resources": {', // 3
    '    "Trail": {', // 4
    '      "Type": "AWS::CloudTrail::Trail",', // 5
    '      /* checkov:skip=CKV_AWS_35 */', // 6
    '      "Properties": {', // 7
    '        "KMSKeyId": { "Fn::GetAtt": ["Key", "Arn"] },', // 8
    '        "S3BucketName": { "Ref": "Bucket" },', // 9
    '      },', // 10 (trailing comma above is tolerated)
    '    },', // 11
    '  },', // 12
    '}', // 13
  ].join('\n');

  it('maps resources with exact ranges, quotes included', () => {
    const file = parse(text);
    const trail = resource(file, 'Trail');
    assert.deepEqual(trail.labels, ['AWS::CloudTrail::Trail', 'Trail']);
    assert.deepEqual(trail.headerRange, r(4, 4, 4, 11));
    assert.deepEqual(trail.labelRanges, [r(5, 14, 5, 38), r(4, 4, 4, 11)]);
    assert.deepEqual(trail.range, r(4, 4, 11, 5));
    assert.deepEqual(trail.bodyRange, r(4, 13, 11, 5));
    assert.deepEqual(trail.attributes.map((a) => a.name), ['Type', 'Properties']);
  });

  it('reads long-form intrinsics as calls', () => {
    const file = parse(text);
    const kms = property(file, 'Trail', 'KMSKeyId');
    assert.deepEqual(shape(kms), call('Fn::GetAtt', lit('Key'), lit('Arn')));
    assert.deepEqual(kms.range, r(8, 20, 8, 52));
    assert.deepEqual((kms as CallExpr).args[0].range, r(8, 37, 8, 42));
    assert.deepEqual(shape(property(file, 'Trail', 'S3BucketName')), call('Ref', lit('Bucket')));
  });

  it('collects // and /* */ comments with exact ranges', () => {
    const file = parse(text);
    assert.deepEqual(file.comments.map((c) => c.text), ['// cloudtrail-kms-lint:ignore CTK001 reason', '/* checkov:skip=CKV_AWS_35 */']);
    assert.deepEqual(file.comments.map((c) => c.range), [r(2, 2, 2, 45), r(6, 6, 6, 35)]);
  });

  it('tolerates trailing commas and comments without syntax errors, and a byte-order mark', () => {
    assert.deepEqual(parse(text).syntaxErrors, []);
    const withBom = parse(`\uFEFF${text}`);
    assert.deepEqual(withBom.syntaxErrors, []);
    assert.deepEqual(resource(withBom, 'Trail').headerRange, r(4, 4, 4, 11));
  });

  it('does not take // inside strings for comments', () => {
    const file = parse('{"Resources": {"R": {"Type": "AWS::S3::Bucket", "Properties": {"Url": "https://example.com/*x*/"}}}} // end');
    assert.deepEqual(file.comments.map((c) => c.text), ['// end']);
  });

  it('reads JSON literals', () => {
    const file = parse('{"Resources": {"R": {"Type": "AWS::S3::Bucket", "Properties": {"A": true, "B": "true", "C": 1.5, "D": null, "E": [1, "x"]}}}}');
    assert.deepEqual(shape(property(file, 'R', 'A')), lit(true));
    assert.deepEqual(shape(property(file, 'R', 'B')), lit('true'));
    assert.deepEqual(shape(property(file, 'R', 'C')), lit(1.5));
    assert.deepEqual(shape(property(file, 'R', 'D')), lit(null));
    assert.deepEqual(shape(property(file, 'R', 'E')), { kind: 'tuple', items: [lit(1), lit('x')] });
  });

  it('reads {"Condition": X} as a call only in the Conditions section and condition arguments', () => {
    const file = parse('{"Conditions": {"A": {"Condition": "B"}, "B": {"Fn::Or": [{"Condition": "A"}, {"Fn::Equals": ["x", "y"]}]}},'
      + ' "Resources": {"R": {"Type": "AWS::S3::Bucket", "Metadata": {"Condition": "A"}}}}');
    const conditions = file.blocks.filter((b) => b.type === 'condition');
    assert.deepEqual(shape(attr(conditions[0], 'Value')), call('Condition', lit('B')));
    assert.deepEqual(shape(attr(conditions[1], 'Value')), call('Fn::Or', call('Condition', lit('A')), call('Fn::Equals', lit('x'), lit('y'))));
    assert.deepEqual(shape(attr(resource(file, 'R'), 'Metadata')), { kind: 'object', entries: [{ key: 'Condition', value: lit('A') }] });
  });

  it('produces the same model from the same template in YAML and JSON', () => {
    const yaml = parse(fixture('trail-kms.yaml'));
    const json = parse(fixture('trail-kms.json'));
    assert.deepEqual(shape(json.blocks), shape(yaml.blocks));
    assert.deepEqual(json.comments.map((c) => c.text.replace(/^\/\/ ?/, '')), yaml.comments.map((c) => c.text.replace(/^# ?/, '')));
    // Both files put the trail's header and the comment above it on matching lines.
    for (const file of [yaml, json]) {
      const trail = resource(file, 'Trail');
      assert.equal(file.comments[0].range.start.line, trail.headerRange.start.line - 1);
    }
  });
});

// ---- detection -------------------------------------------------------------------------

describe('CloudFormation adapter: what is a template', () => {
  const templates: [string, string][] = [
    ['YAML with AWSTemplateFormatVersion only', 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: empty\n'],
    ['YAML Resources only', 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n'],
    ['SAM', 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler}\n'],
    ['custom resource only', 'Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties: {ServiceToken: !GetAtt Fn.Arn}\n'],
    ['CDK-synthesized JSON', '{\n "Resources": {\n  "TrailKey1234ABCD": {\n   "Type": "AWS::KMS::Key",\n   "Properties": {}\n  }\n },\n "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>"}}\n}'],
    ['JSON with the version only', '{"AWSTemplateFormatVersion": "2010-09-09"}'],
  ];
  for (const [name, text] of templates) {
    it(`accepts ${name}`, () => {
      assert.equal(isCloudFormationTemplate(text), true);
      assert.ok(parseCloudFormation('file:///t', text));
    });
  }

  const others: [string, string][] = [
    ['a Kubernetes manifest', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          resources:\n            limits: {cpu: "1"}\n'],
    ['a Kubernetes list mentioning Resources and ::', 'kind: List\nitems:\n  - kind: ConfigMap\n    data:\n      Resources: "a::b"\n'],
    ['package.json', '{\n  "name": "x",\n  "version": "1.0.0",\n  "scripts": {"build": "tsc"},\n  "dependencies": {"yaml": "2.9.1"}\n}\n'],
    ['tsconfig.json', '{\n  // comment\n  "compilerOptions": {"strict": true, "outDir": "out"},\n  "include": ["src"]\n}\n'],
    ['an IAM policy', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'],
    ['a KMS key policy for CloudTrail', '{"Version": "2012-10-17", "Statement": [{"Sid": "Resources", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*", "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:1:trail/*"}}}]}'],
    ['a docker-compose file', 'services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n        limits: {cpus: "0.5"}\n'],
    ['a Resources section whose entries are not resources', 'Resources:\n  cpu: 2\n  memory: {Type: String}\nNote: "a::b"\n'],
    ['an empty file', ''],
    ['a YAML list', '- Resources\n- AWS::S3::Bucket\n'],
    ['broken text', '{{{ Resources ::: [[[ \u0000 "'],
  ];
  for (const [name, text] of others) {
    it(`rejects ${name}`, () => {
      assert.equal(isCloudFormationTemplate(text), false);
      assert.equal(parseCloudFormation('file:///t', text), undefined);
    });
  }

  it('rejects most files without parsing them (a text check first)', () => {
    const big = `{"name": "x", "data": [${Array.from({ length: 50_000 }, (_, i) => `"item${i}"`).join(',')}]}`;
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) assert.equal(isCloudFormationTemplate(`${big} `.repeat(1)), false);
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / 20;
    assert.ok(ms < 5, `rejecting a 600 kB non-template took ${ms.toFixed(2)} ms`);
  });
});
