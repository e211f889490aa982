/**
 * CDK apps in TypeScript: the `.ts` files of a project that depends on `aws-cdk-lib` (or has
 * a `cdk.json`), read with tree-sitter's TypeScript grammar, never compiled or run. The
 * constructs a trail and its key are written with (`Trail`, `CfnTrail`, `kms.Key`, `CfnKey`,
 * `kms.Alias`, the key's `addToResourcePolicy` and grants) become the same facts a synthesised
 * template gives, judged by the same rules, found on the TypeScript to fix (docs/inputs/cdk.md).
 *
 * A file is read with the files it imports from the app and the files of its folder that import
 * it, so a key declared in `keys.ts` is judged with the trail of `trail-stack.ts` that uses it.
 * Other TypeScript projects cost one walk up to their `package.json`: nothing is parsed.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../adapter';
import type { SourceFile } from '../model/syntax';
import type { ResourceRef } from '../model/values';
import { preferKeysThatGrantCloudTrail } from '../analysis/keyCandidates';
import { baseNameOfUri, dirnameUri } from '../workspace/files';
import { CdkAppFinder, isTypeScriptSourceName } from './cdkApps';
import { argumentsOf, field, memberValue, parseTypeScript, type TsNode, type TsSource } from './parse/tsTree';
import { TsDocuments } from './parse/tsIncremental';
import { startParserRuntime } from './parse/typescriptGrammar';
import { CdkProgram, type CdkModule } from './facts/cdkModules';
import { CdkEvaluator } from './facts/cdkEvaluator';
import { CdkConstructs, type CdkConstruct } from './facts/cdkConstructs';
import { CdkPolicies, policyCalls, type PolicyCalls } from './facts/cdkPolicies';
import { cdkTrailFacts } from './facts/cdkTrails';
import { cdkKeyFacts } from './facts/cdkKeys';
import { nagSuppressions } from './facts/cdkNag';
import { CdkTrailFixes } from './fixes/cdkTrailFixes';
import { CdkKeyFixes } from './fixes/cdkKeyFixes';

/** A parsed file keeps its TypeScript tree for the facts. */
interface CdkSourceFile extends SourceFile {
  typescript: TsSource;
}

/** Text worth parsing: it uses aws-cdk-lib or imports a sibling module that may. */
const MAY_MATTER = /aws-cdk-lib|from\s+['"]\.{1,2}\//;

class CdkAdapter implements InputAdapter {
  private readonly apps = new CdkAppFinder();
  /** Open documents' last trees, so a keystroke re-reads only what it changed. */
  private readonly documents = new TsDocuments();

  scopeOf(uri: string): string {
    return uri;
  }

  mayHoldTrail(text: string): boolean {
    return text.includes('aws-cdk-lib') && text.includes('Trail');
  }

  reads(uri: string, files: AdapterFiles): boolean {
    return isTypeScriptSourceName(baseNameOfUri(uri).toLowerCase()) && this.apps.appOf(uri, files) !== undefined;
  }

  parse(uri: string, text: string, open: boolean): SourceFile | undefined {
    if (!isTypeScriptSourceName(baseNameOfUri(uri).toLowerCase())) return undefined;
    const source = open ? this.documents.parse(uri, text) : parseTypeScript(uri, text);
    return Object.assign(source.file, { typescript: source }) satisfies CdkSourceFile;
  }

  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    if (!isTypeScriptSourceName(baseNameOfUri(uri).toLowerCase())) return undefined;
    const app = this.apps.appOf(uri, files);
    if (!app) return undefined;
    const text = files.text(uri);
    if (text === undefined) return undefined;
    if (!MAY_MATTER.test(text)) return { trails: [], keys: [], file: { uri, format: 'cdk', text, blocks: [], comments: [], syntaxErrors: [] } };
    const program = new CdkProgram(app.root, (u) => (MAY_MATTER.test(files.text(u) ?? '') ? (files.parsed(u) as CdkSourceFile | undefined)?.typescript : undefined), (u) => importers(u, files));
    const module = program.moduleAt(uri);
    if (!module) return undefined;
    if (module.source.file.notChecked) return { trails: [], keys: [], file: module.source.file };
    const constructs = new CdkConstructs();
    const evaluator = new CdkEvaluator(constructs);
    constructs.evaluator = evaluator;
    // The files of the folder that import this one: their trails may use its keys; so may those of the constructs it hands a key to.
    const roots = [module, ...program.importersOf(module)];
    for (const handed of keyTakers(module, evaluator)) if (!roots.includes(handed)) roots.push(handed);
    const byModule = new Map(roots.map((m) => [m, constructsIn(m, constructs)]));
    // The keys each file writes: the candidates for "Encrypt with …" of its trails.
    const keysOf = new Map([...byModule].map(([m, written]) => [m, written.filter((c) => isKeyKind(c.kind))]));
    const refsOf = new Map([...keysOf].map(([m, written]) => [m, written.map((k) => k.ref)]));
    const trails = [...byModule.values()].flat().filter((c) => c.kind === 'Trail' || c.kind === 'CfnTrail').map((trail) =>
      cdkTrailFacts(trail, constructs, refsOf.get(trail.module)!, new CdkTrailFixes(trail, keysOf.get(trail.module)!)));
    const calls = policyCalls(program, evaluator);
    const policies = new CdkPolicies(evaluator, calls);
    const keyConstructs = constructs.all().filter((c) => isKeyKind(c.kind));
    const keys = cdkKeyFacts(keyConstructs, trails, constructs, policies, (key) => new CdkKeyFixes(key, lastWriteOf(key, calls)));
    const policyOf = (ref: ResourceRef) => {
      const key = keyConstructs.find((k) => k.ref.address === ref.address);
      return key ? policies.keyPolicy(key) : undefined;
    };
    // The trails of the importing files were needed for their keys' users; the file's own are its facts (a workspace overview visits each file once).
    const own = preferKeysThatGrantCloudTrail(trails, keys, policyOf).filter((t) => t.uri === uri);
    return { trails: own, keys, file: module.source.file, resourceSuppressions: nagSuppressions(program.loaded(), evaluator) };
  }

  forget(uri: string): void {
    this.documents.forget(uri);
  }
}

/** The last statement of the key's file that adds to its policy: new statements go after it. */
function lastWriteOf(key: CdkConstruct, calls: PolicyCalls): TsNode | undefined {
  let last: TsNode | undefined;
  for (const call of calls.byKey.get(key.node) ?? []) {
    if (call.module !== key.module) continue;
    let statement: TsNode | undefined = call.call;
    while (statement && statement.type !== 'expression_statement') statement = statement.parent;
    if (statement && statement.parent === key.statement.parent && (!last || statement.start > last.start)) last = statement;
  }
  return last;
}

/**
 * The modules of the app's classes that `module` constructs with one of its keys, as an argument
 * or a member of one (`new DeaAuditTrail(this, 'Audit', { kmsKey })`): the construct's trails
 * use the key and its grants write the key's policy. Only those the file constructs itself.
 */
function keyTakers(module: CdkModule, evaluator: CdkEvaluator): CdkModule[] {
  const found = new Set<CdkModule>();
  const isKey = (node: TsNode | undefined, at: CdkModule): boolean => isKeyKind(evaluator.constructOf(node, at)?.kind);
  for (const node of module.news()) {
    const cls = evaluator.classOf(field(node, 'constructor'), module);
    if (!cls || cls.module === module || found.has(cls.module)) continue;
    const args = argumentsOf(node);
    if (args.some((arg) => {
      const value = evaluator.resolve(arg, module);
      return value?.node.type === 'object' ? value.node.children.some((member) => isKey(memberValue(member), value.module)) : isKey(arg, module);
    })) found.add(cls.module);
  }
  return [...found];
}

const isKeyKind = (kind: string | undefined): boolean => kind === 'Key' || kind === 'CfnKey';

/** Every construct of interest a module writes. */
const constructsIn = (module: CdkModule, constructs: CdkConstructs): CdkConstruct[] =>
  module.news().map((node) => constructs.at(node, module)).filter((c): c is CdkConstruct => c !== undefined);

/** The TypeScript files beside `uri` whose text imports it (`from './keys'`). */
function importers(uri: string, files: AdapterFiles): string[] {
  const base = baseNameOfUri(uri).replace(/\.ts$/, '');
  const pattern = new RegExp(`from\\s+['"]\\./${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.js)?['"]`);
  return files.folder(dirnameUri(uri)).filter((u) => u !== uri && isTypeScriptSourceName(baseNameOfUri(u).toLowerCase()) && pattern.test(files.text(u) ?? ''));
}

export const cdkApps: InputLanguage = {
  name: 'CDK (TypeScript)',
  claims: isTypeScriptSourceName,
  createAdapter: async () => {
    await startParserRuntime();
    return new CdkAdapter();
  },
};
