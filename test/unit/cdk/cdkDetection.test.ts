/**
 * Which TypeScript files are read as a CDK app's, and what other TypeScript projects pay: no
 * read of the file, no parse, no grammar loaded (checked in a fresh process, since any CDK test
 * before it in this one loads the grammar).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { isCheckedFileName } from '../../../server/src/engine';
import { memoryAnalyzer, memoryHost, memUri, repoRoot } from '../../support/engine';
import { createAnalyzer } from '../../../server/src/engine';

const TRAIL_ONLY = `import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { Stack } from 'aws-cdk-lib';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new cloudtrail.Trail(this, 'Trail');
  }
}
`;
const CDK_PACKAGE = JSON.stringify({ devDependencies: { 'aws-cdk-lib': '^2.100.0' } });
const ruleIds = (findings: { ruleId: string }[]): string[] => findings.map((f) => f.ruleId);

describe('CDK app detection', () => {
  it('claims .ts files, not declaration files', () => {
    assert.equal(isCheckedFileName('trail-stack.ts'), true);
    assert.equal(isCheckedFileName('trail-stack.d.ts'), false);
    assert.equal(isCheckedFileName('trail-stack.tsx'), false);
  });

  it('reads a file under a package.json that depends on aws-cdk-lib, however deep', async () => {
    const analyzer = await memoryAnalyzer({ 'app/package.json': CDK_PACKAGE, 'app/src/stacks/audit/trail.ts': TRAIL_ONLY });
    assert.equal(analyzer.mayHoldTrail(memUri('app/src/stacks/audit/trail.ts')), true);
    assert.deepEqual(ruleIds(analyzer.analyze(memUri('app/src/stacks/audit/trail.ts'))), ['CTK001']);
  });

  it('reads a file of a folder with a cdk.json, even when its package.json does not list aws-cdk-lib', async () => {
    const analyzer = await memoryAnalyzer({ 'app/package.json': '{"name":"x"}', 'app/cdk.json': '{"app":"npx ts-node bin/app.ts"}', 'app/lib/trail.ts': TRAIL_ONLY });
    assert.deepEqual(ruleIds(analyzer.analyze(memUri('app/lib/trail.ts'))), ['CTK001']);
  });

  it('stops at the nearest package.json: a nested project without aws-cdk-lib is not a CDK app', async () => {
    const analyzer = await memoryAnalyzer({ 'package.json': CDK_PACKAGE, 'tools/package.json': '{"dependencies":{"zod":"3"}}', 'tools/trail.ts': TRAIL_ONLY });
    assert.deepEqual(analyzer.analyze(memUri('tools/trail.ts')), []);
  });

  it('skips node_modules and cdk.out', async () => {
    const analyzer = await memoryAnalyzer({ 'app/package.json': CDK_PACKAGE, 'app/node_modules/x/trail.ts': TRAIL_ONLY, 'app/cdk.out/asset.1/trail.ts': TRAIL_ONLY });
    assert.deepEqual(analyzer.analyze(memUri('app/node_modules/x/trail.ts')), []);
    assert.deepEqual(analyzer.analyze(memUri('app/cdk.out/asset.1/trail.ts')), []);
  });

  it('never reads a TypeScript file outside a CDK app', async () => {
    const files = { 'web/package.json': '{"dependencies":{"react":"18"}}', 'web/src/trail.ts': TRAIL_ONLY };
    const host = memoryHost(files);
    const read: string[] = [];
    const analyzer = await createAnalyzer({ readFile: (uri) => (read.push(uri), host.readFile(uri)), readDirectory: host.readDirectory });
    assert.deepEqual(analyzer.analyze(memUri('web/src/trail.ts')), []);
    // Nor when the CloudTrail view asks whether it may hold a trail.
    assert.equal(analyzer.mayHoldTrail(memUri('web/src/trail.ts')), false);
    assert.deepEqual(read, [memUri('web/package.json')]);
  });

  it('loads no TypeScript grammar for a workspace without a CDK app, and loads it for one', () => {
    const script = (cdk: boolean): string => `
      const { createAnalyzer } = require(${JSON.stringify(path.join(repoRoot(), 'out/server/src/engine'))});
      const { isTypeScriptGrammarLoaded } = require(${JSON.stringify(path.join(repoRoot(), 'out/server/src/engine/cdk/parse/typescriptGrammar'))});
      const files = { 'file:///w/package.json': ${JSON.stringify(cdk ? CDK_PACKAGE : '{"dependencies":{"react":"18"}}')}, 'file:///w/a.ts': ${JSON.stringify(TRAIL_ONLY)} };
      createAnalyzer({ readFile: (u) => files[u], readDirectory: (d) => d === 'file:///w' ? ['package.json', 'a.ts'] : undefined }).then((a) => {
        const findings = a.analyze('file:///w/a.ts');
        process.stdout.write(JSON.stringify({ loaded: isTypeScriptGrammarLoaded(), findings: findings.length }));
      });`;
    const run = (cdk: boolean) => JSON.parse(execFileSync(process.execPath, ['-e', script(cdk)], { encoding: 'utf8' }));
    assert.deepEqual(run(false), { loaded: false, findings: 0 });
    assert.deepEqual(run(true), { loaded: true, findings: 1 });
  });
});
