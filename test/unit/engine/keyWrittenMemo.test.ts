/**
 * Whether a CloudFormation key nothing uses is "written for CloudTrail" (and so judged) is
 * remembered between keystrokes by the policy's text and what its evaluation reads elsewhere.
 * Changing only what it reads elsewhere (a parameter's default, an anchored node an alias
 * brings in) must change the answer, as a fresh analysis gives it.
 */
import * as assert from 'node:assert/strict';
import { memoryAnalyzer, memUri } from '../../support/engine';

/** A key whose one statement lets `principal` (YAML, at the statement's indentation) generate data keys. */
const key = (name: string, principal: string): string => `  ${name}:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Encrypt
            Effect: Allow
            Principal:${principal}
            Action: kms:GenerateDataKey*
            Resource: "*"
`;

const template = (parameterService: string, anchoredService?: string): string => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Svc:
    Type: String
    Default: ${parameterService}
${anchoredService === undefined ? '' : `Metadata:
  Shared: &principal
    Service: ${anchoredService}.amazonaws.com
`}Resources:
${key('Key', '\n              Service: !Sub "${Svc}.amazonaws.com"')}${anchoredService === undefined ? '' : key('Aliased', ' *principal')}`;

async function checkCases(cases: [string, string | undefined, string[]][]): Promise<void> {
  const analyzer = await memoryAnalyzer({});
  const uri = memUri('t/template.yaml');
  const judged = (findings: { resource?: string }[]): string[] => [...new Set(findings.map((f) => f.resource ?? ''))].sort();
  for (const [parameterService, anchoredService, expected] of cases) {
    const text = template(parameterService, anchoredService);
    analyzer.setDocument(uri, text);
    const shown = analyzer.analyze(uri);
    assert.deepEqual(judged(shown), expected, `${parameterService} / ${anchoredService}`);
    const fresh = await memoryAnalyzer({ 't/template.yaml': text });
    assert.deepEqual(shown.map((f) => `${f.ruleId} ${f.message}`), fresh.analyze(uri).map((f) => `${f.ruleId} ${f.message}`));
  }
}

describe('a CloudFormation key nothing uses is judged when its policy is written for CloudTrail, remembered between keystrokes', () => {
  it('follows a parameter default the policy reads, with the policy text unchanged', async () => {
    await checkCases([['cloudtrail', undefined, ['Key']], ['s3', undefined, []], ['cloudtrail', undefined, ['Key']], ['s3', undefined, []]]);
  });

  it('follows an anchored principal an alias brings into the policy (nothing is remembered in a template with anchors)', async () => {
    await checkCases([
      ['cloudtrail', 's3', ['Key']],
      ['s3', 's3', []],
      ['cloudtrail', 'cloudtrail', ['Aliased', 'Key']],
      ['s3', 'cloudtrail', ['Aliased']],
      ['cloudtrail', 's3', ['Key']],
    ]);
  });
});
