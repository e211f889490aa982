/**
 * Synthesises a fixture CDK app with the real aws-cdk-lib, in a child process, with no AWS
 * access: its TypeScript is transpiled with the TypeScript compiler (test-only dependency) into
 * `out/cdk-synth/<app>/`, where `aws-cdk-lib` resolves to the repository's, and `bin/app.ts`
 * runs with `CDK_OUTDIR` and the `cdk.json` context the CDK CLI would pass. cdk-nag's NIST
 * 800-53 rev 5 pack runs on the same app (its rules are Aspects, applied during `app.synth()`),
 * and what it says of `CloudTrailEncryptionEnabled` is recorded per resource.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as ts from 'typescript';
import { repoRoot } from './engine';

export interface NagVerdict {
  /** The construct path of the resource (`AuditStack/PlainTrail/Resource`). */
  path: string;
  compliance: 'compliant' | 'non-compliant' | 'suppressed';
}

export interface Synthesis {
  /** The synthesised templates' paths. */
  templates: string[];
  /** cdk-nag's CloudTrailEncryptionEnabled verdicts. */
  nag: NagVerdict[];
}

const NAG_RULE = 'NIST.800.53.R5-CloudTrailEncryptionEnabled';

export function fixtureAppDir(name: string): string {
  return path.join(repoRoot(), 'test', 'fixtures', 'cdk', name);
}

/** Transpiles every `.ts` file of the app (not `cdk.out`, not `node_modules`) to CommonJS under `outDir`. */
export function transpileApp(appDir: string, outDir: string, files: Map<string, string> = new Map()): void {
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'cdk.out') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const relative = path.relative(appDir, full);
        const text = files.get(relative) ?? fs.readFileSync(full, 'utf8');
        const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
        const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, js);
      }
    }
  };
  visit(appDir);
}

/** `files` replaces the text of some of the app's files (relative paths), to synthesise a fixed app. */
export function synthesize(appDir: string, label: string, files: Map<string, string> = new Map()): Synthesis {
  const work = path.join(repoRoot(), 'out', 'cdk-synth', label);
  fs.rmSync(work, { recursive: true, force: true });
  const src = path.join(work, 'src');
  const outdir = path.join(work, 'cdk.out');
  fs.mkdirSync(outdir, { recursive: true });
  transpileApp(appDir, src, files);
  const cdkJson = path.join(appDir, 'cdk.json');
  // The CDK CLI turns construct-path metadata on; it names each logical id's construct.
  const context = { 'aws:cdk:enable-path-metadata': true, ...(fs.existsSync(cdkJson) ? (JSON.parse(fs.readFileSync(cdkJson, 'utf8')).context ?? {}) : {}) };
  const verdicts = path.join(work, 'nag.json');
  const script = `
    const cdk = require('aws-cdk-lib');
    const nag = require('cdk-nag');
    const verdicts = [];
    const record = (compliance) => (data) => { if (data.ruleId === ${JSON.stringify(NAG_RULE)}) verdicts.push({ path: data.resource.node.path, compliance }); };
    const logger = { onCompliance: record('compliant'), onNonCompliance: record('non-compliant'), onSuppressed: record('suppressed'),
      onError() {}, onSuppressedError() {}, onNotApplicable() {} };
    const synth = cdk.App.prototype.synth;
    cdk.App.prototype.synth = function (...args) {
      cdk.Aspects.of(this).add(new nag.NIST80053R5Checks({ additionalLoggers: [logger] }));
      const assembly = synth.apply(this, args);
      require('fs').writeFileSync(${JSON.stringify(verdicts)}, JSON.stringify(verdicts));
      return assembly;
    };
    require(${JSON.stringify(path.join(src, 'bin', 'app.js'))});`;
  execFileSync(process.execPath, ['-e', script], {
    cwd: work,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_DISABLE_VERSION_CHECK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(outdir, f));
  return { templates, nag: JSON.parse(fs.readFileSync(verdicts, 'utf8')) };
}
