/**
 * The CloudFormation adapter on text that is being typed or is broken: it never throws, it
 * reports syntax errors by range, and every intact resource keeps its exact ranges. Also:
 * how long a large template takes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Block, Expr, ObjectExpr, SourceFile } from '../../../server/src/engine/model/syntax';
import type { Range } from '../../../server/src/engine/types';
import { parseCloudFormation } from '../../../server/src/engine/cloudformation/parse/cloudformation';

function parse(text: string): SourceFile {
  const file = parseCloudFormation('file:///template', text);
  assert.ok(file, 'expected a CloudFormation template');
  return file;
}

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

const resources = (file: SourceFile): Block[] => file.blocks.filter((b) => b.type === 'resource');
const headers = (file: SourceFile): string[] => resources(file).map((b) => `${b.labels[1]}@${b.headerRange.start.line}:${b.headerRange.start.character}`);

function resource(file: SourceFile, logicalId: string): Block {
  const block = resources(file).find((b) => b.labels[1] === logicalId);
  assert.ok(block, `resource ${logicalId} not found`);
  return block;
}

function propertyKeys(block: Block): (string | undefined)[] {
  const properties = block.attributes.find((a) => a.name === 'Properties')?.value;
  return properties?.kind === 'object' ? (properties as ObjectExpr).entries.map((e) => e.key) : [];
}

function property(block: Block, name: string): Expr | undefined {
  const properties = block.attributes.find((a) => a.name === 'Properties')?.value;
  return properties?.kind === 'object' ? properties.entries.find((e) => e.key === name)?.value : undefined;
}

function parseWithoutThrowing(text: string, message: string): SourceFile | undefined {
  try {
    return parseCloudFormation('file:///t', text);
  } catch (error) {
    assert.fail(`${message}: threw ${String(error)}`);
  }
}

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const fixture = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'cloudformation', name), 'utf8');

/** A template whose trail's properties end with `typing`, followed by intact resources. */
const yamlWith = (typing: string): string => [
  'AWSTemplateFormatVersion: "2010-09-09"', // 0
  'Resources:', // 1
  '  Bucket:', // 2
  '    Type: AWS::S3::Bucket', // 3
  '  Trail:', // 4
  '    Type: AWS::CloudTrail::Trail', // 5
  '    Properties:', // 6
  '      S3BucketName: !Ref Bucket', // 7
  typing, // 8
  '  Key:', // 9
  '    Type: AWS::KMS::Key', // 10
  '    Properties:', // 11
  '      Description: trail key', // 12
  '  Topic:', // 13
  '    Type: AWS::SNS::Topic', // 14
  'Outputs:', // 15
  '  KeyArn:', // 16
  '    Value: !GetAtt Key.Arn', // 17
  '',
].join('\n');

const INTACT_YAML = ['Bucket@2:2', 'Trail@4:2', 'Key@9:2', 'Topic@13:2'];

const jsonWith = (typing: string): string => [
  '{', // 0
  '  "AWSTemplateFormatVersion": "2010-09-09",', // 1
  '  "Resources": {', // 2
  '    "Bucket": { "Type": "AWS::S3::Bucket" },', // 3
  '    "Trail": {', // 4
  '      "Type": "AWS::CloudTrail::Trail",', // 5
  '      "Properties": {', // 6
  '        "S3BucketName": { "Ref": "Bucket" },', // 7
  typing, // 8
  '      }', // 9
  '    },', // 10
  '    "Key": {', // 11
  '      "Type": "AWS::KMS::Key",', // 12
  '      "Properties": { "Description": "trail key" }', // 13
  '    },', // 14
  '    "Topic": { "Type": "AWS::SNS::Topic" }', // 15
  '  },', // 16
  '  "Outputs": { "KeyArn": { "Value": { "Fn::GetAtt": ["Key", "Arn"] } } }', // 17
  '}', // 18
].join('\n');

const INTACT_JSON = ['Bucket@3:4', 'Trail@4:4', 'Key@11:4', 'Topic@15:4'];

describe('CloudFormation adapter: half-typed and broken templates', () => {
  describe('YAML', () => {
    it('keeps every resource while a property name is being typed', () => {
      const file = parse(yamlWith('      KMSKe'));
      assert.deepEqual(headers(file), INTACT_YAML);
      assert.ok(file.syntaxErrors.length > 0);
      assert.equal(file.syntaxErrors[0].start.line, 8);
      assert.deepEqual(propertyKeys(resource(file, 'Key')), ['Description']);
    });

    it('reads a property with its value still missing as null at the end of the key', () => {
      const file = parse(yamlWith('      KMSKeyId:'));
      assert.deepEqual(headers(file), INTACT_YAML);
      const kms = property(resource(file, 'Trail'), 'KMSKeyId');
      assert.deepEqual(kms && { kind: kms.kind, range: kms.range }, { kind: 'literal', range: r(8, 15, 8, 15) });
    });

    it('keeps every resource after an unclosed flow mapping', () => {
      const file = parse(yamlWith('      KMSKeyId: {"Fn::GetAtt": [Key, Arn]'));
      assert.deepEqual(headers(file), INTACT_YAML);
      assert.ok(file.syntaxErrors.length > 0);
      assert.deepEqual(propertyKeys(resource(file, 'Key')), ['Description']);
    });

    it('keeps every resource after an unclosed quote', () => {
      const file = parse(yamlWith('      KMSKeyId: "arn:aws:kms:'));
      assert.deepEqual(headers(file), INTACT_YAML);
      assert.deepEqual(propertyKeys(resource(file, 'Key')), ['Description']);
      assert.deepEqual(file.blocks.filter((b) => b.type === 'output').map((b) => b.labels[0]), ['KeyArn']);
      // The broken resource keeps what was written before the mistake, cut at its own end;
      // the value being typed is unknown, not a string that runs on into the next resource.
      const trail = resource(file, 'Trail');
      assert.deepEqual(propertyKeys(trail), ['S3BucketName', 'KMSKeyId']);
      assert.ok(trail.range.end.line <= 8);
      assert.equal(property(trail, 'KMSKeyId')?.kind, 'unknown');
    });

    it('salvages the rest of the document after tab indentation', () => {
      const file = parse(yamlWith('\tKMSKeyId: !Ref Key'));
      assert.deepEqual(headers(file), INTACT_YAML);
      assert.deepEqual(propertyKeys(resource(file, 'Key')), ['Description']);
      assert.deepEqual(resource(file, 'Topic').range, r(13, 2, 14, 25));
      assert.ok(file.syntaxErrors.some((e) => e.start.line === 8));
    });

    it('salvages around two broken resources', () => {
      const text = yamlWith('\tKMSKeyId: !Ref Key').replace('      Description: trail key', '      Description: "unclosed');
      const file = parse(text);
      assert.deepEqual(headers(file), INTACT_YAML);
      assert.deepEqual(file.blocks.filter((b) => b.type === 'output').map((b) => b.labels[0]), ['KeyArn']);
    });

    it('keeps comments of a salvaged resource', () => {
      const file = parse(yamlWith('\tKMSKeyId: !Ref Key').replace('  Key:', '  # checkov:skip=CKV_AWS_7\n  Key:'));
      assert.deepEqual(file.comments.map((c) => c.text), ['# checkov:skip=CKV_AWS_7']);
      assert.deepEqual(file.comments[0].range, r(9, 2, 9, 26));
    });
  });

  describe('JSON', () => {
    it('keeps every resource while a property name is being typed', () => {
      const file = parse(jsonWith('        "KMSKe'));
      assert.deepEqual(headers(file), INTACT_JSON);
      assert.ok(file.syntaxErrors.length > 0);
    });

    it('reads a property with its value still missing as unknown', () => {
      const file = parse(jsonWith('        "KMSKeyId":'));
      assert.deepEqual(headers(file), INTACT_JSON);
      const kms = property(resource(file, 'Trail'), 'KMSKeyId');
      assert.deepEqual(kms && { kind: kms.kind, range: kms.range }, { kind: 'unknown', range: r(8, 19, 8, 19) });
    });

    it('keeps every resource after an unclosed object', () => {
      const file = parse(jsonWith('        "KMSKeyId": { "Fn::GetAtt": ["Key", "Arn"]'));
      assert.deepEqual(headers(file), INTACT_JSON);
      assert.deepEqual(propertyKeys(resource(file, 'Key')), ['Description']);
      assert.deepEqual(propertyKeys(resource(file, 'Trail')), ['S3BucketName', 'KMSKeyId']);
      assert.deepEqual(file.blocks.filter((b) => b.type === 'output').map((b) => b.labels[0]), ['KeyArn']);
    });

    it('keeps every resource after an unclosed array', () => {
      const file = parse(jsonWith('        "KMSKeyId": { "Fn::GetAtt": ["Key", '));
      assert.deepEqual(headers(file), INTACT_JSON);
      assert.deepEqual(propertyKeys(resource(file, 'Key')), ['Description']);
    });

    it('keeps every resource after an unclosed string and a missing comma', () => {
      const unclosed = parse(jsonWith('        "KMSKeyId": "arn:aws:kms:'));
      assert.deepEqual(headers(unclosed), INTACT_JSON);
      assert.notEqual(property(resource(unclosed, 'Trail'), 'KMSKeyId')?.kind, 'object');
      assert.deepEqual(headers(parse(jsonWith('        "IsLogging": true "KMSKeyId": "k"'))), INTACT_JSON);
    });
  });

  for (const name of ['trail-kms.yaml', 'trail-kms.json']) {
    describe(`every prefix of ${name}`, () => {
      const text = fixture(name);
      const complete = parse(text);
      const all = resources(complete);

      it('never throws, and keeps every resource written before the cut with its exact header', () => {
        for (let cut = 0; cut <= text.length; cut += cut < 200 ? 1 : 3) {
          const prefix = text.slice(0, cut);
          const file = parseWithoutThrowing(prefix, `cut at ${cut}`);
          if (!file) continue;
          const cutLine = prefix.split('\n').length - 1;
          for (const block of all) {
            // A resource is intact when the next line after its whole text is before the cut.
            if (block.range.end.line + 1 >= cutLine) continue;
            const found: Block | undefined = resources(file).find((b) => b.labels[1] === block.labels[1]);
            assert.ok(found, `${block.labels[1]} missing when cut at ${cut}`);
            assert.deepEqual(found.headerRange, block.headerRange, `cut at ${cut}`);
            assert.deepEqual(found.labels, block.labels, `cut at ${cut}`);
          }
        }
      });

      it('never throws when a character is deleted', () => {
        for (let at = 0; at < text.length; at += at < 200 ? 1 : 2) {
          assert.doesNotThrow(() => parseCloudFormation('file:///t', text.slice(0, at) + text.slice(at + 1)), `deleted ${at}`);
        }
      });
    });
  }

  /**
   * One line broken at a time, in the ways people break them: a tab, an unclosed quote or
   * bracket, a key indented one space too far, a comma dropped. Every block the broken line is
   * not part of (its resource, or its section for a section header) keeps type, labels and
   * header line.
   */
  const corruptions: Record<string, ((line: string) => string)[]> = {
    'trail-kms.yaml': [(l) => `\t${l}`, (l) => `${l} "`, (l) => `${l} '`, (l) => `${l} {`, (l) => `${l} [`, (l) => l.replace(/^(\s*)/, '$1 ')],
    'trail-kms.json': [(l) => `${l} "`, (l) => `${l} {`, (l) => `${l} [`, (l) => l.replace(/,\s*$/, '')],
  };
  for (const [name, breakers] of Object.entries(corruptions)) {
    it(`keeps every block a broken line of ${name} is not part of`, () => {
      const text = fixture(name);
      const lines = text.split('\n');
      const blocks = parse(text).blocks.filter((b) => b.type !== 'template');
      const topLevel = (line: number): boolean => /^(\s*)"?[A-Za-z]+"?:/.exec(lines[line])?.[1].length === (name.endsWith('.json') ? 2 : 0);
      const sectionOf = (line: number): number => {
        for (let at = line; at >= 0; at--) if (topLevel(at)) return at;
        return -1;
      };
      const problems: string[] = [];
      for (let line = 0; line < lines.length; line++) {
        const owner = blocks.find((b) => b.range.start.line <= line && line <= b.range.end.line);
        for (const [index, breakLine] of breakers.entries()) {
          const broken = [...lines];
          broken[line] = breakLine(lines[line]);
          if (broken[line] === lines[line]) continue;
          const file = parseWithoutThrowing(broken.join('\n'), `line ${line} broken by #${index}`);
          for (const block of blocks) {
            if (block === owner || (!owner && topLevel(line) && sectionOf(block.headerRange.start.line) === line)) continue;
            const kept = file?.blocks.some((b) => b.type === block.type && b.labels.join() === block.labels.join()
              && b.headerRange.start.line === block.headerRange.start.line);
            if (!kept) problems.push(`line ${line} broken by #${index}: lost ${block.type} ${block.labels.join(' ')}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('reports syntax errors by range and never throws on garbage', () => {
    const inputs = [
      'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n',
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: !Ref\n  B: {{{{\n',
      'AWSTemplateFormatVersion: "2010-09-09"\n\u0000\u0001\ufffd: "\\u12"\n',
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": {"Type": "AWS::S3::Bucket", "Properties": {,,,}}}',
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": [}',
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: !Base64 !Sub x\n',
    ];
    for (const input of inputs) {
      const file = parseWithoutThrowing(input, input);
      assert.ok(file, input);
      assert.ok(file.syntaxErrors.length > 0, input);
      for (const error of file.syntaxErrors) assert.ok(error.start.line <= error.end.line, input);
    }
  });

  it('reads an alias to a missing anchor as unknown, and expands a self-referencing one once', () => {
    const missing = parseWithoutThrowing('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {B: *nope}\n', 'missing');
    assert.ok(missing);
    assert.equal(property(resource(missing, 'A'), 'B')?.kind, 'unknown');
    const self = parseWithoutThrowing('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: &x\n    Type: AWS::S3::Bucket\n    Properties: {B: *x}\n', 'self');
    assert.ok(self);
    const copy = property(resource(self, 'A'), 'B');
    assert.equal(copy?.kind, 'object');
    assert.equal(property({ ...resource(self, 'A'), attributes: copy.kind === 'object' ? copy.entries.map((e) => ({ name: e.key ?? '', nameRange: e.keyRange, value: e.value, range: e.range })) : [] }, 'B')?.kind, 'unknown');
  });

  it('parses a ~5,000-line template whole, every resource and no error', function () {
    // Its speed is measured by `npm run bench`, not here: a wall-clock limit fails on a busy machine.
    this.timeout(60_000);
    const text = largeTemplate(5_000);
    assert.ok(text.split('\n').length >= 5_000);
    const file = parseCloudFormation('file:///big', text);
    assert.ok(file);
    assert.equal(resources(file).length, text.split('\n').filter((line) => /^  [A-Za-z0-9]+:$/.test(line)).length);
    assert.deepEqual(file.syntaxErrors, []);
  });
});

/** A template of trails and keys in all the styles the adapter reads, `lines` long or a little more. */
function largeTemplate(lines: number): string {
  const out = ['AWSTemplateFormatVersion: "2010-09-09"', 'Description: generated', 'Parameters:', '  Env: {Type: String, Default: prod}', 'Resources:'];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `  # trail ${i}`,
      `  Key${i}:`,
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      EnableKeyRotation: true',
      '      KeyPolicy:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Sid: CloudTrail',
      '            Effect: Allow',
      '            Principal: {Service: cloudtrail.amazonaws.com}',
      '            Action: ["kms:GenerateDataKey*", "kms:DescribeKey"]',
      '            Resource: "*"',
      '            Condition:',
      '              StringLike:',
      `                kms:EncryptionContext:aws:cloudtrail:arn: !Sub "arn:\${AWS::Partition}:cloudtrail:*:\${AWS::AccountId}:trail/t${i}"`,
      `  Trail${i}:`,
      '    Type: AWS::CloudTrail::Trail',
      '    Properties:',
      `      TrailName: !Join ["-", [trail, !Ref Env, "${i}"]]`,
      `      KMSKeyId: !GetAtt Key${i}.Arn`,
      '      IsLogging: true',
    );
  }
  out.push('  Last:', '    Type: AWS::SNS::Topic', '');
  return out.join('\n');
}
