/**
 * CloudFormation fixes in the template's own style, through the analyzer as an editor sees
 * them: a created key's logical id never collides with one in the template (and ignores other
 * templates of the folder, which are other stacks), `Fn::Sub` / `!Sub` only where a string
 * substitutes, YAML that reads back with no new warning or error, and the resource key order
 * templates keep (Type, Condition, DependsOn, Metadata, Properties, then the policies).
 */
import * as assert from 'node:assert/strict';
import * as YAML from 'yaml';
import type { Fix } from '../../../../server/src/engine';
import { applyEdits } from '../../../support/applyEdits';
import { memoryAnalyzer, memUri } from '../../../support/engine';

type Files = Record<string, string>;

async function fixOf(files: Files, file: string, ruleId: string, title: string): Promise<Fix> {
  const analyzer = await memoryAnalyzer(files);
  const finding = analyzer.analyze(memUri(file)).find((f) => f.ruleId === ruleId);
  assert.ok(finding, `no ${ruleId} in ${file}`);
  const fix = finding.fixes.find((f) => f.title.startsWith(title));
  assert.ok(fix, `no "${title}"; offered: ${finding.fixes.map((f) => f.title).join(' | ')}`);
  return fix;
}

async function applied(files: Files, file: string, ruleId: string, title: string): Promise<string> {
  const fix = await fixOf(files, file, ruleId, title);
  assert.deepEqual(fix.edits.map((e) => e.uri), [memUri(file)], 'edits the template only');
  return applyEdits(files[file], fix.edits[0].edits);
}

/** CloudFormation's short-form tags, read back as their long forms so the result can be compared. */
const TAGS: YAML.Tags = ['Ref', 'Sub', 'GetAtt', 'Equals', 'If', 'Join'].flatMap((name) => {
  const long = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [long]: name === 'GetAtt' ? value.split('.') : value }) } as YAML.ScalarTag,
    { tag: `!${name}`, collection: 'seq', resolve: (seq: YAML.YAMLSeq) => ({ [long]: seq.toJSON() }) } as unknown as YAML.CollectionTag,
  ];
});

function readYaml(text: string): { value: Record<string, any>; problems: string[] } {
  const doc = YAML.parseDocument(text, { customTags: TAGS });
  return { value: doc.toJS() as Record<string, any>, problems: [...doc.errors, ...doc.warnings].map((p) => p.message) };
}

/** Every `Fn::Sub` argument in a template, as read back. */
function subs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => subs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Fn::Sub') out.push(String(v));
      else subs(v, out);
    }
  }
  return out;
}

/** Strings that hold `${…}` outside any `Fn::Sub`: they would reach AWS unsubstituted. */
function unsubstituted(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && /\$\{(?!!)/.test(value)) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => unsubstituted(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'Fn::Sub') unsubstituted(v, out);
  return out;
}

const YAML_TRAIL = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: trail-logs\n';
const JSON_TRAIL = (more: object = {}): string => `${JSON.stringify({ Resources: { ...more, Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: 'trail-logs' } } } }, null, 2)}\n`;

describe('CloudFormation fixes in the template\'s style', () => {
  describe('a created key\'s logical id', () => {
    it('does not collide with a resource, parameter or condition of the template (YAML)', async () => {
      const text = `Parameters:\n  TrailLogsKeyAlias:\n    Type: String\nConditions:\n  TrailLogsKey2:\n    !Equals [a, a]\n${YAML_TRAIL}  TrailLogsKey:\n    Type: AWS::S3::Bucket\n`;
      const after = readYaml(await applied({ 'template.yaml': text }, 'template.yaml', 'CTK001', 'Create a KMS key'));
      assert.deepEqual(after.problems, []);
      assert.equal(after.value.Resources.TrailLogsKey.Type, 'AWS::S3::Bucket', 'the existing resource is kept');
      assert.equal(after.value.Resources.TrailLogsKey3.Type, 'AWS::KMS::Key');
      assert.equal(after.value.Resources.TrailLogsKey3Alias.Type, 'AWS::KMS::Alias');
      assert.deepEqual(after.value.Resources.Trail.Properties.KMSKeyId, { 'Fn::GetAtt': ['TrailLogsKey3', 'Arn'] });
    });

    it('does not collide with a resource of the template (JSON)', async () => {
      const text = JSON_TRAIL({ TrailLogsKey: { Type: 'AWS::SNS::Topic' } });
      const after = JSON.parse(await applied({ 'template.json': text }, 'template.json', 'CTK001', 'Create a KMS key'));
      assert.equal(after.Resources.TrailLogsKey.Type, 'AWS::SNS::Topic');
      assert.equal(after.Resources.TrailLogsKey2.Type, 'AWS::KMS::Key');
      assert.deepEqual(after.Resources.Trail.Properties.KMSKeyId, { 'Fn::GetAtt': ['TrailLogsKey2', 'Arn'] });
    });

    it('ignores another template of the same folder: a stack of its own (YAML and JSON)', async () => {
      const other = 'Resources:\n  TrailLogsKey:\n    Type: AWS::KMS::Key\n';
      const yaml = readYaml(await applied({ 'template.yaml': YAML_TRAIL, 'other.yaml': other }, 'template.yaml', 'CTK001', 'Create a KMS key'));
      assert.equal(yaml.value.Resources.TrailLogsKey.Type, 'AWS::KMS::Key');
      const json = JSON.parse(await applied({ 'template.json': JSON_TRAIL(), 'other.yaml': other }, 'template.json', 'CTK001', 'Create a KMS key'));
      assert.equal(json.Resources.TrailLogsKey.Type, 'AWS::KMS::Key');
    });
  });

  describe('Fn::Sub only where a string substitutes', () => {
    it('the created key: Sub around the ARNs that name the account, plain strings and Ref otherwise (YAML short and long form, JSON)', async () => {
      const longForm = YAML_TRAIL.replace('IsLogging: true', 'IsLogging: true\n      Tags:\n        - Key: stack\n          Value:\n            Ref: AWS::StackName');
      const results = [
        readYaml(await applied({ 'template.yaml': `${YAML_TRAIL}  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "\${AWS::StackName}-logs"\n` }, 'template.yaml', 'CTK001', 'Create a KMS key')),
        readYaml(await applied({ 'template.yaml': longForm }, 'template.yaml', 'CTK001', 'Create a KMS key')),
        { value: JSON.parse(await applied({ 'template.json': JSON_TRAIL() }, 'template.json', 'CTK001', 'Create a KMS key')), problems: [] },
      ];
      for (const { value, problems } of results) {
        assert.deepEqual(problems, []);
        const key = value.Resources.TrailLogsKey;
        assert.ok(subs(key).length > 0, 'the policy names the account through Fn::Sub');
        for (const sub of subs(value)) assert.match(sub, /\$\{(?!!)/, `Fn::Sub of a literal: ${sub}`);
        assert.deepEqual(unsubstituted(value), []);
        assert.equal(key.Properties.KeyPolicy.Statement[3].Condition.StringEquals['kms:CallerAccount'].Ref, 'AWS::AccountId', 'a lone ${AWS::AccountId} is a Ref');
        assert.equal(key.Properties.Description, 'Encrypts the log files of Trail', 'a literal stays a literal');
      }
    });

    it('statements added to an existing policy: the same (YAML)', async () => {
      const text = 'Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: kms:DescribeKey\n            Resource: "*"\n' +
        '  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: !GetAtt Key.Arn\n      IsLogging: true\n      S3BucketName: trail-logs\n      EnableLogFileValidation: true\n';
      const after = readYaml(await applied({ 'template.yaml': text }, 'template.yaml', 'CTK101', "Add CloudTrail's encrypt statement"));
      assert.deepEqual(after.problems, []);
      const added = after.value.Resources.Key.Properties.KeyPolicy.Statement[1];
      assert.deepEqual(added.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn'], { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*' });
      assert.equal(added.Principal.Service, 'cloudtrail.amazonaws.com');
      for (const sub of subs(after.value)) assert.match(sub, /\$\{(?!!)/);
    });
  });

  describe('resource key order', () => {
    const attributes = 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Condition: IsProd\n    DependsOn: Bucket\n    Metadata:\n      Owner: security\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n  Bucket:\n    Type: AWS::S3::Bucket\n';
    const template = `Conditions:\n  IsProd: !Equals [!Ref AWS::AccountId, "111122223333"]\n${attributes}`;

    it('Properties added to a trail without them goes after Type, Condition, DependsOn and Metadata, before the policies (YAML)', async () => {
      const after = readYaml(await applied({ 'template.yaml': template }, 'template.yaml', 'CTK001', 'Create a KMS key'));
      assert.deepEqual(after.problems, []);
      assert.deepEqual(Object.keys(after.value.Resources.Trail), ['Type', 'Condition', 'DependsOn', 'Metadata', 'Properties', 'DeletionPolicy', 'UpdateReplacePolicy']);
      assert.deepEqual(Object.keys(after.value.Resources.TrailLogsKey), ['Type', 'Condition', 'Properties'], 'the key shares the trail\'s condition, written where a Condition goes');
      assert.deepEqual(Object.keys(after.value.Resources.TrailLogsKeyAlias), ['Type', 'Condition', 'Properties']);
      assert.deepEqual(Object.keys(after.value.Resources.TrailLogsKey.Properties), ['Description', 'EnableKeyRotation', 'PendingWindowInDays', 'KeyPolicy']);
      assert.deepEqual(Object.keys(after.value.Resources.TrailLogsKey.Properties.KeyPolicy.Statement[1]), ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
    });

    it('the same in JSON', async () => {
      const text = `${JSON.stringify({ Conditions: { IsProd: { 'Fn::Equals': ['a', 'a'] } }, Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Condition: 'IsProd', DependsOn: 'Bucket', DeletionPolicy: 'Retain' }, Bucket: { Type: 'AWS::S3::Bucket' } } }, null, 2)}\n`;
      const after = JSON.parse(await applied({ 'template.json': text }, 'template.json', 'CTK001', 'Create a KMS key'));
      assert.deepEqual(Object.keys(after.Resources.Trail), ['Type', 'Condition', 'DependsOn', 'Properties', 'DeletionPolicy']);
      assert.deepEqual(Object.keys(after.Resources.TrailLogsKey), ['Type', 'Condition', 'Properties']);
      assert.deepEqual(Object.keys(after.Resources), ['Trail', 'TrailLogsKey', 'TrailLogsKeyAlias', 'Bucket'], 'the new resources follow the trail they serve');
    });

    it('a property added to existing Properties keeps the resource\'s and the properties\' order (YAML and JSON)', async () => {
      const yaml = 'Resources:\n  Trail:\n    Properties:\n      S3BucketName: trail-logs\n      IsLogging: true\n    Type: AWS::CloudTrail::Trail\n    DeletionPolicy: Retain\n';
      const after = readYaml(await applied({ 'template.yaml': yaml }, 'template.yaml', 'CTK202', 'Turn on log file validation'));
      assert.deepEqual(after.problems, []);
      assert.deepEqual(Object.keys(after.value.Resources.Trail), ['Properties', 'Type', 'DeletionPolicy']);
      assert.deepEqual(Object.keys(after.value.Resources.Trail.Properties), ['S3BucketName', 'IsLogging', 'EnableLogFileValidation']);
      const json = JSON.parse(await applied({ 'template.json': JSON_TRAIL() }, 'template.json', 'CTK001', 'Create a KMS key'));
      assert.deepEqual(Object.keys(json.Resources.Trail), ['Type', 'Properties']);
      assert.deepEqual(Object.keys(json.Resources.Trail.Properties), ['IsLogging', 'S3BucketName', 'KMSKeyId']);
    });
  });
});
