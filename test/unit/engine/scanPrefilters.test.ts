/**
 * A scan reads a closed CloudFormation template, Terraform plan or key-policy file and drops it
 * unparsed when its text never names CloudTrail. These tests prove the check never drops a file
 * that has findings: on every such file of the corpus, and on files that spell CloudTrail only
 * through escapes. An open document is always parsed, so it is the reference.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analyzer, Finding } from '../../../server/src/engine';
import { mayNameCloudTrail } from '../../../server/src/engine/analysis/namesCloudTrail';
import { cloudformationTemplates } from '../../../server/src/engine/cloudformation/adapter';
import { corpusAnalyzer, corpusDir, corpusUri, memoryAnalyzer, memUri } from '../../support/engine';

const summary = (findings: Finding[]): string[] =>
  findings.map((f) => `${f.ruleId} ${f.messageId} ${f.range.start.line}:${f.range.start.character} ${f.resource}`).sort();

/** The corpus's files a non-Terraform adapter reads (Terraform JSON is the Terraform adapter's). */
function corpusDocuments(): string[] {
  return (fs.readdirSync(corpusDir(), { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => /\.(ya?ml|json|template)$/i.test(f) && !/\.tf\.json$/i.test(f))
    .filter((f) => fs.statSync(path.join(corpusDir(), f)).isFile())
    .sort();
}

/** Findings of `uri` read from its host (closed, as a scan reads it) and as an open document. */
async function closedAndOpen(analyzerOf: () => Promise<Analyzer>, uri: string, text: string): Promise<{ closed: string[]; open: string[] }> {
  const closed = summary((await analyzerOf()).analyze(uri));
  const editor = await analyzerOf();
  editor.setDocument(uri, text);
  return { closed, open: summary(editor.analyze(uri)) };
}

describe('scan pre-filters: a closed file that never names CloudTrail is dropped unparsed', () => {
  it('every corpus template, plan and policy file gets the same findings closed as open, and each with findings passes the check', async function () {
    this.timeout(120000);
    const closed = await corpusAnalyzer();
    const open = await corpusAnalyzer();
    let withFindings = 0;
    let checked = 0;
    for (const file of corpusDocuments()) {
      const uri = corpusUri(file);
      const text = fs.readFileSync(path.join(corpusDir(), file), 'utf8');
      const fromDisk = summary(closed.analyze(uri));
      closed.forgetDiskFiles();
      open.setDocument(uri, text);
      const fromEditor = summary(open.analyze(uri));
      open.closeDocument(uri);
      assert.deepEqual(fromDisk, fromEditor, file);
      checked++;
      if (fromEditor.length > 0) {
        withFindings++;
        assert.ok(mayNameCloudTrail(text), `${file} has findings but fails the check`);
      }
    }
    // The corpus is CloudTrail's: most of its 31 documents have findings.
    assert.ok(checked >= 25 && withFindings >= 15, `${withFindings} of ${checked} files with findings`);
  });

  const escapedTemplates: Record<string, string> = {
    'json-escape.json': '{"Resources": {"Trail": {"Type": "AWS::Cloud\\u0054rail::Trail", "Properties": {"IsLogging": true, "S3BucketName": "logs"}}}}\n',
    'yaml-escape.yaml': 'Resources:\n  Trail:\n    Type: "AWS::Cloud\\x54rail::Trail"\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n',
    'yaml-continued.yaml': 'Resources:\n  Trail:\n    Type: "AWS::Cloud\\\n      Trail::Trail"\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n',
  };
  for (const [name, text] of Object.entries(escapedTemplates)) {
    it(`a template naming its trail only through an escape keeps its findings closed (${name})`, async () => {
      assert.ok(!/cloudtrail/i.test(text));
      const { closed, open } = await closedAndOpen(() => memoryAnalyzer({ [name]: text }), memUri(name), text);
      assert.ok(open.some((f) => f.startsWith('CTK001')), `open: ${open.join(', ')}`);
      assert.deepEqual(closed, open);
    });
  }

  it('a key-policy file naming CloudTrail only through an escape keeps its findings closed', async () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'CLOUDTRAIL.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' }],
    }, null, 2).replace('CLOUDTRAIL', 'cloud\\u0074rail');
    const { closed, open } = await closedAndOpen(() => memoryAnalyzer({ 'key-policy.json': text }), memUri('key-policy.json'), text);
    assert.ok(open.some((f) => f.startsWith('CTK101')), `open: ${open.join(', ')}`);
    assert.deepEqual(closed, open);
  });

  it('a key whose policy names CloudTrail through !Sub keeps its findings closed', async () => {
    const text = [
      'Resources:',
      '  Key:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      EnableKeyRotation: false',
      '      KeyPolicy:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal:',
      '              Service: !Sub "cloudtrail.${AWS::URLSuffix}"',
      '            Action: kms:DescribeKey',
      '            Resource: "*"',
      '',
    ].join('\n');
    const { closed, open } = await closedAndOpen(() => memoryAnalyzer({ 'key.yaml': text }), memUri('key.yaml'), text);
    assert.ok(open.length > 0, 'the open template has findings');
    assert.deepEqual(closed, open);
  });

  it('a closed template that never names CloudTrail is not parsed; the same text open is', async () => {
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n';
    const adapter = await cloudformationTemplates.createAdapter();
    assert.equal(adapter.parse!(memUri('app.yaml'), text, false), undefined);
    assert.equal(adapter.parse!(memUri('app.yaml'), text, true)?.format, 'cloudformation');
    const { closed, open } = await closedAndOpen(() => memoryAnalyzer({ 'app.yaml': text }), memUri('app.yaml'), text);
    assert.deepEqual(closed, []);
    assert.deepEqual(open, []);
  });

  it('the check: the word in any case, or an escape that could spell it', () => {
    for (const yes of ['AWS::CloudTrail::Trail', 'aws_cloudtrail', 'CLOUDTRAIL.amazonaws.com', '"\\u0063loud"', '"\\x63"', '"a\\\nb"', '"a\\\r\nb"']) assert.ok(mayNameCloudTrail(yes), yes);
    for (const no of ['AWS::S3::Bucket', 'aws_s3_bucket', 'cloud trail', 'C:\\\\temp', '"\\n"']) assert.ok(!mayNameCloudTrail(no), no);
  });
});
