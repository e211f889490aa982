/**
 * Terraform modules: the `.tf`, `.tf.json` and `.tfvars` files of a folder (and OpenTofu's
 * `.tofu`, `.tofu.json`) are one module, analysed together (a trail in `main.tf` may take its
 * key from `kms.tf` and its variables' values from `terraform.tfvars`), through the modules it calls.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../adapter';
import type { SourceFile } from '../model/syntax';
import { findAttribute } from '../model/syntax';
import type { ResourceRef } from '../model/values';
import { baseNameOfUri, dirnameUri } from '../workspace/files';
import { preferKeysThatGrantCloudTrail } from '../analysis/keyCandidates';
import { TerraformParser } from './parse/terraform';
import { loadTerraformGrammar } from './parse/treeSitter';
import { parseTerraformJson } from './parse/terraformJson';
import { buildTerraformModule, type TerraformModule } from './evaluate/terraformModule';
import { TerraformEvaluator, type ModuleLoader } from './evaluate/terraformEvaluator';
import { installedModuleDir } from './evaluate/installedModules';
import { terraformTrailFacts } from './facts/terraformFacts';
import { terraformKeyFacts } from './facts/terraformKeys';
import { terraformEventDataStoreFacts } from './facts/terraformEventDataStores';
import { terraformNotificationTopics, terraformTopicKeyUsage } from './facts/terraformTopics';
import { grantsEventDataStore } from '../policy';
import { isTerraformConfiguration, isTerraformFileName, isTerraformJson, tofuAlternativeOf } from './moduleFiles';

/** Text that can hold a trail: a trail resource or a module call (its module may hold one). */
const MAY_HOLD_TRAIL = /aws_cloudtrail"|"aws_cloudtrail|\bmodule\s*"|"module"\s*:/;

/** Text that makes a folder worth parsing: a trail, a KMS resource, a policy naming CloudTrail, or a module call. */
const MAY_MATTER = /aws_cloudtrail|aws_kms_|cloudtrail\.amazonaws\.com|\bmodule\s*"|"module"\s*:/;

type ModuleFacts = Pick<FileFacts, 'trails' | 'keys' | 'eventDataStores' | 'topics' | 'topicKeys'>;

class TerraformAdapter implements InputAdapter {
  constructor(private readonly parser: TerraformParser) {}

  scopeOf(uri: string): string {
    return dirnameUri(uri);
  }

  mayHoldTrail(text: string): boolean {
    return MAY_HOLD_TRAIL.test(text);
  }

  parse(uri: string, text: string, open: boolean): SourceFile | undefined {
    const name = baseNameOfUri(uri).toLowerCase();
    if (!isTerraformFileName(name)) return undefined;
    if (isTerraformJson(name)) return parseTerraformJson(uri, text, (expression) => this.parser.parseExpression(expression));
    return this.parser.parse(uri, text, open);
  }

  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    if (!isTerraformConfiguration(baseNameOfUri(uri).toLowerCase())) return undefined;
    if (hiddenBy(uri, files)) return undefined;
    const dir = dirnameUri(uri);
    // The module's facts do not depend on which of its files is asked first: a file that
    // cannot be read (binary, too large, outside the workspace) must not hide the others'.
    const module = files.memo(`terraform:${dir}`, () => this.moduleFacts(dir, files));
    const file = module && files.parsed(uri);
    return module && file ? { ...module, file } : undefined;
  }

  ignoredBecause(uri: string, files: AdapterFiles): string | undefined {
    const alternative = hiddenBy(uri, files);
    return alternative && `OpenTofu loads ${alternative} instead of ${baseNameOfUri(uri)} (it ignores a .tf or .tf.json file when a .tofu or .tofu.json file of the same name is beside it): nothing in this file is part of the module, so nothing in it is checked`;
  }

  forget(uri: string): void {
    this.parser.forget(uri);
  }

  /** The trails and keys of the module in a folder, whichever of its files asks. */
  private moduleFacts(dirUri: string, files: AdapterFiles): ModuleFacts | undefined {
    if (!moduleMayMatter(dirUri, files)) return undefined;
    const modules = new Map<string, TerraformModule | undefined>();
    const load: ModuleLoader = (dir: string): TerraformModule | undefined => {
      if (!modules.has(dir)) modules.set(dir, loadModule(dir, files, (text) => this.parser.parseExpression(text)));
      return modules.get(dir);
    };
    load.installedModule = (rootDirUri, key) => installedModuleDir(rootDirUri, key, (u) => files.text(u));
    const module = load(dirUri);
    if (!module) return undefined;
    const evaluator = new TerraformEvaluator(module, load);
    const trails = terraformTrailFacts(evaluator);
    const stores = terraformEventDataStoreFacts(evaluator);
    const readText = (u: string): string | undefined => files.text(u);
    const topics = terraformNotificationTopics(evaluator, trails);
    const topicKeyUsage = terraformTopicKeyUsage(evaluator, topics);
    const keys = terraformKeyFacts(evaluator, trails, readText, { otherwiseUsed: new Set(topicKeyUsage.keys()), stores });
    const topicKeys = topicKeyUsage.size > 0 ? terraformKeyFacts(evaluator, trails, readText, { usage: topicKeyUsage }) : [];
    // A key with no `policy` gets KMS's default policy, unless an `aws_kms_key_policy` may give it one.
    let separatePolicies: boolean | undefined; // looked for only when a fix list asks
    const policyOf = (key: ResourceRef): null | undefined => {
      separatePolicies ??= [...module.resources.values()].some((r) => r.type === 'aws_kms_key_policy');
      return separatePolicies || findAttribute(key.block, 'policy') ? undefined : null;
    };
    return {
      trails: preferKeysThatGrantCloudTrail(trails, keys, policyOf),
      keys,
      eventDataStores: preferKeysThatGrantCloudTrail(stores, keys, policyOf, grantsEventDataStore),
      topics: topics.topics,
      topicKeys,
    };
  }
}

/**
 * The Terraform files of a folder that are part of its module, open documents not yet saved
 * included: not a `.tf` (`.tf.json`) file beside a `.tofu` (`.tofu.json`) one of the same base
 * name, which OpenTofu loads instead (moduleFiles.ts).
 */
const moduleFileUris = (dirUri: string, files: AdapterFiles): string[] =>
  files.folder(dirUri).filter((uri) => isTerraformFileName(baseNameOfUri(uri).toLowerCase()) && !hiddenBy(uri, files));

/** The name of the OpenTofu file beside `uri` that OpenTofu loads instead of it, if there is one. */
function hiddenBy(uri: string, files: AdapterFiles): string | undefined {
  const alternative = tofuAlternativeOf(baseNameOfUri(uri).toLowerCase());
  if (!alternative) return undefined;
  const dirUri = dirnameUri(uri);
  const names = files.memo(`terraform-names:${dirUri}`, () => new Map(files.folder(dirUri).map((u) => [baseNameOfUri(u).toLowerCase(), baseNameOfUri(u)])));
  return names.get(alternative);
}

function loadModule(dirUri: string, files: AdapterFiles, parseExpression: TerraformModule['parseExpression']): TerraformModule | undefined {
  const parsed = moduleFileUris(dirUri, files).map((uri) => files.parsed(uri)).filter((f): f is SourceFile => f !== undefined);
  if (parsed.length === 0) return undefined;
  const module = buildTerraformModule(dirUri, parsed);
  module.parseExpression = parseExpression;
  return module;
}

/**
 * Whether any file of a folder could matter. Checked on the text before anything is parsed,
 * so the folders of a large workspace that cannot produce a finding cost a read, not a parse.
 */
function moduleMayMatter(dirUri: string, files: AdapterFiles): boolean {
  return moduleFileUris(dirUri, files).some((uri) => {
    const text = files.text(uri);
    return text !== undefined && MAY_MATTER.test(text);
  });
}

export const terraformModules: InputLanguage = {
  name: 'Terraform',
  claims: isTerraformConfiguration,
  owns: isTerraformFileName,
  createAdapter: async () => new TerraformAdapter(new TerraformParser(await loadTerraformGrammar())),
  preload: loadTerraformGrammar,
};
