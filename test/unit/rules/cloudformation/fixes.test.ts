/**
 * The CloudFormation trail fixes no rule case reaches: log file validation (CTK202's fix),
 * `Encrypt with` an alias, when a fix must not be offered, and how the template's own style
 * (indentation, tags, layout) is read.
 */
import * as assert from 'node:assert/strict';
import type { TrailFacts } from '../../../../server/src/engine/analysis/facts';
import { cloudformationTrailFacts } from '../../../../server/src/engine/cloudformation/facts/cloudformationFacts';
import { indexTemplate } from '../../../../server/src/engine/cloudformation/facts/cloudformationEvaluator';
import { parseCloudFormation } from '../../../../server/src/engine/cloudformation/parse/cloudformation';
import type { ObjectExpr, TupleExpr } from '../../../../server/src/engine/model/syntax';
import type { Fix } from '../../../../server/src/engine/types';
import type { CfnTrailFixes } from '../../../../server/src/engine/cloudformation/fixes/cfnTrailFixes';
import { renderYamlEntry, yamlScalar, type CfnStyle } from '../../../../server/src/engine/cloudformation/fixes/cfnRender';
import { withSubstitutions } from '../../../../server/src/engine/edits/jsonRender';
import { JsonDocument } from '../../../../server/src/engine/edits/jsonEdits';
import { YamlDocument } from '../../../../server/src/engine/cloudformation/fixes/yamlEdits';
import { applyEdits } from '../../../support/applyEdits';

function trailsOf(text: string, name = 'template.yaml'): TrailFacts[] {
  const file = parseCloudFormation(`file:///mem/${name}`, text);
  assert.ok(file, 'not a template');
  return cloudformationTrailFacts(indexTemplate(file));
}

/** The text after `fix`, checked to parse again without errors. */
function apply(text: string, fix: Fix | undefined): string {
  assert.ok(fix, 'no fix offered');
  const result = applyEdits(text, fix.edits[0].edits);
  const reparsed = parseCloudFormation('file:///mem/after', result);
  assert.ok(reparsed, 'no longer a template');
  assert.deepEqual(reparsed.syntaxErrors, [], `does not parse cleanly:\n${result}`);
  return result;
}

describe('CloudFormation trail fixes', () => {
  describe('Turn on log file validation', () => {
    it('replaces `false` (YAML)', () => {
      const text = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      EnableLogFileValidation: false # for now\n      IsLogging: true\n';
      const fix = trailsOf(text)[0].fixes.enableLogFileValidation();
      assert.equal(fix?.title, 'Turn on log file validation');
      const after = apply(text, fix);
      assert.equal(after, 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      EnableLogFileValidation: true # for now\n      IsLogging: true\n');
      const [again] = trailsOf(after);
      assert.deepEqual(again.logFileValidation.value && { kind: again.logFileValidation.value.kind, value: (again.logFileValidation.value as { value?: unknown }).value }, { kind: 'bool', value: true });
      assert.equal(again.fixes.enableLogFileValidation(), undefined, 'offered again');
    });

    it('inserts the property (YAML, 4 spaces)', () => {
      const text = 'Resources:\n    Trail:\n        Type: AWS::CloudTrail::Trail\n        Properties:\n            IsLogging: true\n';
      assert.equal(apply(text, trailsOf(text)[0].fixes.enableLogFileValidation()),
        'Resources:\n    Trail:\n        Type: AWS::CloudTrail::Trail\n        Properties:\n            IsLogging: true\n            EnableLogFileValidation: true\n');
    });

    it('fills `Properties:` left empty (YAML)', () => {
      const text = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n  Other:\n    Type: AWS::SNS::Topic\n';
      assert.equal(apply(text, trailsOf(text)[0].fixes.enableLogFileValidation()),
        'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      EnableLogFileValidation: true\n  Other:\n    Type: AWS::SNS::Topic\n');
    });

    it('inserts the property after the last one, with a comma (JSON)', () => {
      const text = '{\n\t"Resources": {\n\t\t"Trail": {\n\t\t\t"Type": "AWS::CloudTrail::Trail",\n\t\t\t"Properties": {\n\t\t\t\t"IsLogging": true\n\t\t\t}\n\t\t}\n\t}\n}\n';
      assert.equal(apply(text, trailsOf(text, 'template.json')[0].fixes.enableLogFileValidation()),
        '{\n\t"Resources": {\n\t\t"Trail": {\n\t\t\t"Type": "AWS::CloudTrail::Trail",\n\t\t\t"Properties": {\n\t\t\t\t"IsLogging": true,\n\t\t\t\t"EnableLogFileValidation": true\n\t\t\t}\n\t\t}\n\t}\n}\n');
    });

    it('adds Properties to a resource without them (JSON)', () => {
      const text = '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail"\n    }\n  }\n}\n';
      assert.equal(apply(text, trailsOf(text, 'template.json')[0].fixes.enableLogFileValidation()),
        '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "EnableLogFileValidation": true\n      }\n    }\n  }\n}\n');
    });

    it('keeps a trailing comma JSON readers tolerate from doubling', () => {
      const text = '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "IsLogging": true,\n      }\n    }\n  }\n}\n';
      assert.equal(apply(text, trailsOf(text, 'template.json')[0].fixes.enableLogFileValidation()),
        '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Properties": {\n        "IsLogging": true,\n        "EnableLogFileValidation": true\n      }\n    }\n  }\n}\n');
    });
  });

  describe('Encrypt with', () => {
    it('an alias is referenced with Ref (short and long form)', () => {
      const short = 'Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      TargetKeyId: !Ref Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n';
      const fixes = trailsOf(short)[0].fixes as CfnTrailFixes;
      const fix = fixes.useKey(fixes.template.resources.get('Alias')!);
      assert.equal(fix?.title, 'Encrypt with Alias');
      assert.match(apply(short, fix), /\n {6}IsLogging: true\n {6}KMSKeyId: !Ref Alias\n$/);

      const long = short.replace('!Ref Key', '{Ref: Key}');
      const longFixes = trailsOf(long)[0].fixes as CfnTrailFixes;
      assert.match(apply(long, longFixes.useKey(longFixes.template.resources.get('Alias')!)), /\n {6}KMSKeyId:\n {8}Ref: Alias\n$/);
    });

    it('is not offered for a key that exists only under a condition the trail does not share', () => {
      const text = 'Conditions:\n  WithKey: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Condition: WithKey\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n';
      const [trail] = trailsOf(text);
      assert.equal(trail.fixes.useKey(trail.keyCandidates[0]), undefined);
      const shared = text.replace('  Trail:\n    Type: AWS::CloudTrail::Trail\n', '  Trail:\n    Type: AWS::CloudTrail::Trail\n    Condition: WithKey\n');
      const [sharing] = trailsOf(shared);
      assert.ok(sharing.fixes.useKey(sharing.keyCandidates[0]));
    });
  });

  describe('Create a KMS key for this trail', () => {
    it('is preferred only when the template has no key', () => {
      const without = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n';
      assert.equal(trailsOf(without)[0].fixes.createKey()?.isPreferred, true);
      const withKey = 'Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n';
      assert.equal(trailsOf(withKey)[0].fixes.createKey()?.isPreferred, false);
    });

    it('a trail in a flow-style Resources mapping gets no key (no block to insert) and no comment', () => {
      const text = 'Resources: {Trail: {Type: AWS::CloudTrail::Trail}}\n';
      const [trail] = trailsOf(text);
      assert.equal(trail.fixes.createKey(), undefined);
      assert.equal(trail.fixes.suppress('CTK001'), undefined);
    });

    it('the two trails of a template get keys of their own', () => {
      const text = 'Resources:\n  A:\n    Type: AWS::CloudTrail::Trail\n  B:\n    Type: AWS::CloudTrail::Trail\n';
      const [a, b] = trailsOf(text);
      const afterA = apply(text, a.fixes.createKey());
      assert.match(afterA, /\n {2}ALogsKey:\n {4}Type: AWS::KMS::Key\n[\s\S]*\n {2}ALogsKeyAlias:\n[\s\S]*\n {2}B:\n/);
      assert.match(apply(text, b.fixes.createKey()), /\n {2}BLogsKeyAlias:\n {4}Type: AWS::KMS::Alias\n {4}Properties:\n {6}AliasName: alias\/b-logs\n {6}TargetKeyId:\n {8}Ref: BLogsKey\n$/);
    });

    it('does not reuse an alias name the template already has', () => {
      const text = 'Resources:\n  Old:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/trail-logs\n      TargetKeyId: abc\n  Trail:\n    Type: AWS::CloudTrail::Trail\n';
      assert.match(apply(text, trailsOf(text)[0].fixes.createKey()), /\n {6}AliasName: alias\/trail-logs-2\n/);
    });

    it('puts the key after the comment lines indented under the trail', () => {
      const text = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      # KMSKeyId: alias/to-do\n  # The bucket\n  Bucket:\n    Type: AWS::S3::Bucket\n';
      const after = apply(text, trailsOf(text)[0].fixes.createKey());
      assert.match(after, /\n {6}IsLogging: true\n {6}KMSKeyId:\n {8}Fn::GetAtt: \[TrailLogsKey, Arn\]\n {6}# KMSKeyId: alias\/to-do\n {2}TrailLogsKey:\n/);
      assert.match(after, /\n {2}# The bucket\n {2}Bucket:\n/);
    });
  });

  it('a minified JSON template gets no fix at all rather than a rewrite', () => {
    const text = '{"Resources":{"Key":{"Type":"AWS::KMS::Key"},"Trail":{"Type":"AWS::CloudTrail::Trail","Properties":{"IsLogging":true}}}}';
    const [trail] = trailsOf(text, 'template.json');
    assert.deepEqual(
      [trail.fixes.useKey(trail.keyCandidates[0]), trail.fixes.createKey(), trail.fixes.suppress('CTK001'), trail.fixes.enableLogFileValidation(), trail.fixes.renameMisspelled?.()],
      [undefined, undefined, undefined, undefined, undefined],
    );
  });

  it('JSON suppression: no edit when our entry\'s ignore list is not a list', () => {
    const text = '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {"cloudtrail-kms-lint": {"ignore": "CTK202"}}\n    }\n  }\n}\n';
    assert.equal(trailsOf(text, 'template.json')[0].fixes.suppress('CTK001'), undefined);
  });

  it('JSON suppression: an entry without an ignore list gets one', () => {
    const text = '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {"cloudtrail-kms-lint": {}}\n    }\n  }\n}\n';
    assert.equal(apply(text, trailsOf(text, 'template.json')[0].fixes.suppress('CTK001')),
      '{\n  "Resources": {\n    "Trail": {\n      "Type": "AWS::CloudTrail::Trail",\n      "Metadata": {"cloudtrail-kms-lint": {"ignore": ["CTK001"]}}\n    }\n  }\n}\n');
  });
});

describe('CloudFormation layout and rendering', () => {
  it('reads the YAML indentation unit, not counting block scalars (inline Lambda code)', () => {
    const text = 'Resources:\n    Fn:\n        Type: AWS::Lambda::Function\n        Properties:\n            Code:\n                ZipFile: |\n                  def handler(event, context):\n                      return {\n                        "ok": True\n                      }\n            Handler: index.handler\n';
    assert.equal(new YamlDocument(text).indentUnit(), '    ');
    assert.equal(new YamlDocument('a:\n  b:\n    - c\n').sequencesIndented(), true);
    assert.equal(new YamlDocument('a:\n  b:\n  - c\n  d:\n  - e\n').sequencesIndented(), false);
  });

  it('reads the JSON indentation unit: spaces, one space (CDK), tabs', () => {
    assert.equal(new JsonDocument('{\n    "a": {\n        "b": 1\n    }\n}').indentUnit(), '    ');
    assert.equal(new JsonDocument('{\n "a": 1\n}').indentUnit(), ' ');
    assert.equal(new JsonDocument('{\n\t"a": 1\n}').indentUnit(), '\t');
    assert.equal(new JsonDocument('{"a": 1}').isMinified(), true);
  });

  it('tells short-form templates from long-form ones by their tags, not by tag-like text', () => {
    const short = parseCloudFormation('file:///t.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub "${AWS::StackName}-a"\n')!;
    const long = parseCloudFormation('file:///t.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      # not a tag: !Ref X\n      TopicName: "!Ref"\n')!;
    assert.equal(new YamlDocument(short.text).usesShortForm(short.blocks), true);
    assert.equal(new YamlDocument(long.text).usesShortForm(long.blocks), false);
  });

  it('turns ${…} strings into Fn::Sub, a lone ${Name} into Ref, and leaves intrinsics and escapes alone', () => {
    assert.deepEqual(withSubstitutions({ A: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root', B: '${AWS::AccountId}', C: '${!Literal}', D: { 'Fn::Sub': '${X}' } }), {
      A: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
      B: { Ref: 'AWS::AccountId' },
      C: '${!Literal}',
      D: { 'Fn::Sub': '${X}' },
    });
  });

  it('quotes YAML scalars that would read back as something else', () => {
    assert.deepEqual(['false', 'Null', 'yes', '2012-10-17', 'kms:*', '*', 'a: b', 'plain text', 'alias/trail-logs', 'kms:EncryptionContext:aws:cloudtrail:arn', 'ends:'].map((s) => yamlScalar(s, false)),
      ['"false"', '"Null"', '"yes"', '"2012-10-17"', '"kms:*"', '"*"', '"a: b"', 'plain text', 'alias/trail-logs', 'kms:EncryptionContext:aws:cloudtrail:arn', '"ends:"']);
    assert.equal(yamlScalar('a,b', true), '"a,b"');
  });

  it('appends sequence items in the sequence\'s own style (YAML block and flow, JSON)', () => {
    const yaml = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Block:\n        - a\n      Flow: [a, b]\n';
    const lists = (text: string): Map<string, TupleExpr> => {
      const properties = parseCloudFormation('file:///t', text)!.blocks.find((b) => b.labels[1] === 'Topic')!.attributes.find((a) => a.name === 'Properties')!.value as ObjectExpr;
      return new Map(properties.entries.map((e) => [e.key!, e.value as TupleExpr]));
    };
    const doc = new YamlDocument(yaml);
    const style = doc.style([]);
    const block = doc.appendItem(lists(yaml).get('Block')!, { Ref: 'X' }, style);
    const flow = doc.appendItem(lists(yaml).get('Flow')!, 'c', style);
    assert.equal(applyEdits(yaml, [block!, flow!]), 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Block:\n        - a\n        - Ref: X\n      Flow: [a, b, c]\n');

    const json = '{\n  "Resources": {\n    "Topic": {\n      "Type": "AWS::SNS::Topic",\n      "Properties": {\n        "Block": [\n          "a"\n        ],\n        "Empty": []\n      }\n    }\n  }\n}\n';
    const jsonDoc = new JsonDocument(json);
    const edits = [jsonDoc.appendItem(lists(json).get('Block')!, { Ref: 'X' }, jsonDoc.style())!, jsonDoc.appendItem(lists(json).get('Empty')!, 'b', jsonDoc.style())!];
    assert.equal(applyEdits(json, edits), '{\n  "Resources": {\n    "Topic": {\n      "Type": "AWS::SNS::Topic",\n      "Properties": {\n        "Block": [\n          "a",\n          {"Ref": "X"}\n        ],\n        "Empty": [\n          "b"\n        ]\n      }\n    }\n  }\n}\n');
  });

  it('renders YAML in short and long form, compact or indented sequences', () => {
    const style: CfnStyle = { format: 'yaml', shortForm: true, unit: '  ', eol: '\n', indentSequences: false };
    const value = { Action: ['kms:Decrypt'], Arn: { 'Fn::GetAtt': ['Key', 'Arn'] }, Join: { 'Fn::Join': ['', ['a', { Ref: 'B' }]] } };
    assert.equal(renderYamlEntry('X', value, '', style), 'X:\n  Action:\n  - kms:Decrypt\n  Arn: !GetAtt Key.Arn\n  Join: !Join\n  - ""\n  - [a, !Ref B]');
    assert.equal(renderYamlEntry('X', value, '', { ...style, shortForm: false, indentSequences: true }),
      'X:\n  Action:\n    - kms:Decrypt\n  Arn:\n    Fn::GetAtt: [Key, Arn]\n  Join:\n    Fn::Join:\n      - ""\n      - [a, {Ref: B}]');
  });
});
