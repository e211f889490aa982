/**
 * The engine's facade: one object the language server and the CLI both drive. It knows files
 * by URI, reads what is not open through the injected host, parses each file once per text,
 * and answers "what is wrong in this file" with findings and fixes as plain data.
 */
import type { Finding, Fix, Position, Range, RuleId, Severity } from './types';
import type { SourceFile } from './model/syntax';
import { findAttribute } from './model/syntax';
import { buildTerraformModule, type TerraformModule } from './model/terraformModule';
import { TerraformParser } from './parse/terraform';
import { loadTerraformLanguage } from './parse/treeSitter';
import { terraformTrailFacts } from './analysis/terraformFacts';
import type { TrailFacts } from './analysis/facts';
import { RULES } from './rules';
import { formatMessage, type Report, type Rule } from './rules/rule';
import { findSuppression, parseSuppression, type Suppression } from './suppressions';
import { LineIndex } from './model/text';
import { dirnameUri, fileKind, type FileKind } from './workspace/files';
import { parseTerraformJson } from './parse/terraformJson';
import { CloudFormationParser, parseCloudFormation } from './parse/cloudformation';
import { CloudFormationEvaluator, indexTemplate } from './model/cloudformationEvaluator';
import { TerraformEvaluator, type ModuleLoader } from './model/terraformEvaluator';
import { installedModuleDir } from './workspace/installedModules';
import type { KeyFacts } from './analysis/keyFacts';
import { cloudformationTrailFacts } from './analysis/cloudformationFacts';
import { metadataSuppressions, type ResourceSuppressions } from './cloudformationSuppressions';
import { terraformKeyFacts } from './analysis/terraformKeys';
import { preferKeysThatGrantCloudTrail } from './analysis/keyCandidates';
import { cloudformationKeyFacts, keyPolicyOf } from './analysis/cloudformationKeys';
import type { ResourceRef, Value } from './model/values';
import { readPolicyFile } from './analysis/policyFileFacts';
import { readTerraformPlan } from './analysis/terraformPlanFacts';
import { hoverAt } from './analysis/hover';
import { trailOverview, type TrailOverview } from './analysis/trailOverview';

/** File access, injected so the engine stays pure (tests use memory, the server uses disk). */
export interface AnalyzerHost {
  /** The text of a file, or undefined when it cannot be read (missing, too large, binary). */
  readFile(uri: string): string | undefined;
  /** The names of the files in a folder, or undefined when it cannot be listed. */
  readDirectory(dirUri: string): string[] | undefined;
}

export type RuleSetting = Severity | 'off';

export interface AnalyzerConfig {
  /** Per-rule severity or `off`; rules not named keep their default. */
  rules?: Partial<Record<RuleId, RuleSetting>>;
}

interface AnalysisFacts {
  trails: TrailFacts[];
  keys: KeyFacts[];
  file: SourceFile;
  resourceSuppressions?: ResourceSuppressions;
}

type ModuleFacts = Pick<AnalysisFacts, 'trails' | 'keys'>;

interface CachedFile {
  text: string;
  /** Parsed lazily: `undefined` = not parsed yet, `null` = not a file the engine reads. */
  file: SourceFile | null | undefined;
  open: boolean;
}

/** Text that can hold a trail: a Terraform resource or plan, a CloudFormation type, a module call (its module may hold one). */
const MAY_HOLD_TRAIL = /aws_cloudtrail"|"aws_cloudtrail|AWS::CloudTrail::Trail|\bmodule\s*"|"module"\s*:/;

/** Text that makes a Terraform folder worth parsing (see `moduleMayMatter`). */
const MAY_MATTER = /aws_cloudtrail|aws_kms_|cloudtrail\.amazonaws\.com|\bmodule\s*"|"module"\s*:/;

/**
 * A lone CR (classic Mac line end) ends a line for LSP, but not for tree-sitter, YAML or our
 * line index: read as LF (same length, so every line and column stays where an editor shows it).
 */
const withLoneCrAsLf = (text: string): string => (text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text);

export class Analyzer {
  private readonly files = new Map<string, CachedFile>();
  private readonly cloudformation = new CloudFormationParser();
  private config: AnalyzerConfig = {};

  constructor(
    private readonly host: AnalyzerHost,
    private readonly terraform: TerraformParser,
  ) {}

  configure(config: AnalyzerConfig): void {
    this.config = config;
  }

  /** An editor's text for a document; it wins over the file on disk until closed. */
  setDocument(uri: string, text: string): void {
    const cached = this.files.get(uri);
    if (cached?.open && cached.text === text) return;
    // Parsed on first use: a burst of keystrokes costs one parse, when diagnostics are asked for.
    this.files.set(uri, { text, file: undefined, open: true });
  }

  closeDocument(uri: string): void {
    this.files.delete(uri);
    this.terraform.forget(uri);
    this.cloudformation.forget(uri);
  }

  /** The file changed on disk (a watcher said so): read it again next time. */
  invalidate(uri: string): void {
    if (!this.files.get(uri)?.open) this.files.delete(uri);
  }

  /** Drops every file read from disk (open documents stay): bounds memory during a long scan. */
  forgetDiskFiles(): void {
    for (const [uri, cached] of this.files) if (!cached.open) this.files.delete(uri);
  }

  /**
   * Why `uri` was not checked (its parse ran over the parser's budget), once it has been
   * analysed; undefined for a file that was read.
   */
  notChecked(uri: string): string | undefined {
    return this.files.get(uri)?.file?.notChecked;
  }

  /**
   * Whether a file's text (the editor's if open, else the host's, within the workspace and the
   * size limit) can hold a trail: worth analysing for an overview of the workspace's trails.
   */
  mayHoldTrail(uri: string): boolean {
    const text = this.readText(uri);
    return text !== undefined && MAY_HOLD_TRAIL.test(text);
  }

  isOpen(uri: string): boolean {
    return this.files.get(uri)?.open === true;
  }

  /** Findings located in `uri`, suppressed ones included and marked. */
  analyze(uri: string): Finding[] {
    const facts = this.factsOf(uri);
    return facts ? this.runRules(facts.trails, facts.keys, facts.file, facts.resourceSuppressions) : [];
  }

  /**
   * Findings of many files, each Terraform module analysed once for all its files (a scan
   * would otherwise rebuild a module's facts for every file in it).
   */
  analyzeMany(uris: string[]): Map<string, Finding[]> {
    const results = new Map<string, Finding[]>();
    const moduleFacts = new Map<string, ModuleFacts | undefined>();
    for (const uri of uris) {
      const kind = fileKind(uri);
      if (kind !== 'terraform' && kind !== 'terraform-json') {
        results.set(uri, this.analyze(uri));
        continue;
      }
      // The module's facts do not depend on which of its files is asked first: a file that
      // cannot be read (binary, too large, outside the workspace) must not hide the others'.
      const dir = dirnameUri(uri);
      if (!moduleFacts.has(dir)) moduleFacts.set(dir, this.terraformModuleFacts(dir));
      const facts = moduleFacts.get(dir);
      const file = this.sourceFile(uri);
      results.set(uri, facts && file ? this.runRules(facts.trails, facts.keys, file, undefined) : []);
    }
    return results;
  }

  /** Markdown for the trail or key under the cursor: its chain and what its policy gives CloudTrail. */
  hover(uri: string, position: Position): string | undefined {
    const facts = this.factsOf(uri);
    return facts && hoverAt(facts.trails, facts.keys, uri, position);
  }

  /**
   * The trails of the module (Terraform: the whole folder), template or plan `uri` is part of,
   * each with its key chain and requirements, for an overview of a workspace's trails.
   */
  trailOverviews(uri: string): TrailOverview[] {
    const facts = this.factsOf(uri);
    return facts ? facts.trails.map((trail) => trailOverview(trail, facts.keys)) : [];
  }

  private factsOf(uri: string): AnalysisFacts | undefined {
    const kind = fileKind(uri);
    if (kind === 'terraform' || kind === 'terraform-json') return this.terraformFacts(uri);
    if (kind === 'yaml' || kind === 'json') return this.structuredFacts(uri);
    return undefined;
  }

  private terraformFacts(uri: string): AnalysisFacts | undefined {
    const facts = this.terraformModuleFacts(dirnameUri(uri));
    const file = facts && this.sourceFile(uri);
    return facts && file ? { ...facts, file } : undefined;
  }

  /** The trails and keys of the Terraform module in a folder, whichever of its files asks. */
  private terraformModuleFacts(dirUri: string): ModuleFacts | undefined {
    const modules = new Map<string, TerraformModule | undefined>();
    const load: ModuleLoader = (dirUri: string): TerraformModule | undefined => {
      if (!modules.has(dirUri)) modules.set(dirUri, this.loadModule(dirUri));
      return modules.get(dirUri);
    };
    load.installedModule = (rootDirUri, key) => installedModuleDir(rootDirUri, key, (u) => this.host.readFile(u));
    if (!this.moduleMayMatter(dirUri)) return undefined;
    const module = load(dirUri);
    if (!module) return undefined;
    const evaluator = new TerraformEvaluator(module, load);
    const trails = terraformTrailFacts(evaluator);
    const keys = terraformKeyFacts(evaluator, trails, (u) => this.readText(u));
    // A key with no `policy` gets KMS's default policy, unless an `aws_kms_key_policy` may give it one.
    let separatePolicies: boolean | undefined; // looked for only when a fix list asks
    const policyOf = (key: ResourceRef): null | undefined => {
      separatePolicies ??= [...module.resources.values()].some((r) => r.type === 'aws_kms_key_policy');
      return separatePolicies || findAttribute(key.block, 'policy') ? undefined : null;
    };
    return { trails: preferKeysThatGrantCloudTrail(trails, keys, policyOf), keys };
  }

  /** A CloudFormation template, a Terraform plan or a key-policy JSON file (decided by content); other YAML/JSON files yield nothing. */
  private structuredFacts(uri: string): AnalysisFacts | undefined {
    const file = this.sourceFile(uri);
    if (file?.format === 'cloudformation') {
      const template = indexTemplate(file);
      const evaluator = new CloudFormationEvaluator(template);
      const trails = cloudformationTrailFacts(template, evaluator);
      const keys = cloudformationKeyFacts(template, evaluator, trails);
      let lines: LineIndex | undefined; // only when a fix list asks
      const policyOf = (key: ResourceRef): Value | null => keyPolicyOf(evaluator, key, lines ??= new LineIndex(file.text));
      return { trails: preferKeysThatGrantCloudTrail(trails, keys, policyOf), keys, file, resourceSuppressions: metadataSuppressions(template) };
    }
    const raw = fileKind(uri) === 'json' ? this.readText(uri) : undefined;
    const text = raw === undefined ? undefined : withLoneCrAsLf(raw);
    const plan = text === undefined ? undefined : readTerraformPlan(uri, text);
    if (plan) return { trails: plan.trails, keys: plan.keys, file: plan.file };
    const policyFile = text === undefined ? undefined : readPolicyFile(uri, text);
    return policyFile && { trails: [], keys: policyFile.facts, file: policyFile.file };
  }

  /** The text of a file a module refers to (`file()`, `templatefile()`): the editor's if open, else the host's. */
  private readText(uri: string): string | undefined {
    const cached = this.files.get(uri);
    if (cached) return cached.text;
    const text = this.host.readFile(uri);
    if (text !== undefined) this.files.set(uri, { text, file: undefined, open: false });
    return text;
  }

  private loadModule(dirUri: string): TerraformModule | undefined {
    const uris = this.moduleFileUris(dirUri);
    const files: SourceFile[] = [];
    for (const uri of uris) {
      const file = this.sourceFile(uri);
      if (file) files.push(file);
    }
    return files.length > 0 ? buildTerraformModule(dirUri, files) : undefined;
  }

  /** The Terraform files of a folder, open documents not yet saved included. */
  private moduleFileUris(dirUri: string): string[] {
    const names = this.host.readDirectory(dirUri) ?? [];
    const uris = new Set(names.map((n) => `${dirUri}/${encodeURIComponent(n)}`));
    for (const [uri, cached] of this.files) if (cached.open && dirnameUri(uri) === dirUri) uris.add(uri);
    return [...uris].sort().filter((uri) => {
      const kind = fileKind(uri);
      return kind === 'terraform' || kind === 'terraform-json' || kind === 'tfvars';
    });
  }

  /**
   * Whether any file of a folder could matter: a trail, a KMS resource, a policy naming
   * CloudTrail, or a module call (whose module may hold a trail). Checked on the text before
   * anything is parsed, so the folders of a large workspace that cannot produce a finding
   * cost a read, not a parse.
   */
  private moduleMayMatter(dirUri: string): boolean {
    return this.moduleFileUris(dirUri).some((uri) => {
      let cached = this.files.get(uri);
      if (!cached) {
        const text = this.host.readFile(uri);
        if (text === undefined) return false;
        cached = { text, file: undefined, open: false };
        this.files.set(uri, cached);
      }
      return MAY_MATTER.test(cached.text);
    });
  }

  private sourceFile(uri: string): SourceFile | undefined {
    let cached = this.files.get(uri);
    if (!cached) {
      const text = this.host.readFile(uri);
      if (text === undefined) return undefined;
      cached = { text, file: undefined, open: false };
      this.files.set(uri, cached);
    }
    if (cached.file === undefined) cached.file = this.parse(uri, cached.text, cached.open) ?? null;
    return cached.file ?? undefined;
  }

  private parse(uri: string, original: string, open: boolean): SourceFile | undefined {
    const kind: FileKind = fileKind(uri);
    const text = withLoneCrAsLf(original);
    if (kind === 'terraform' || kind === 'tfvars') return this.terraform.parse(uri, text, open);
    if (kind === 'terraform-json') return parseTerraformJson(uri, text, (expression) => this.terraform.parseExpression(expression));
    if (kind === 'yaml' || kind === 'json') return open ? this.cloudformation.parse(uri, text) : parseCloudFormation(uri, text);
    return undefined;
  }

  private runRules(trails: TrailFacts[], keys: KeyFacts[], file: SourceFile, resourceSuppressions: ResourceSuppressions = new Map()): Finding[] {
    const uri = file.uri;
    const findings: Finding[] = [];
    const suppressions = (file?.comments ?? []).map((c) => parseSuppression(c)).filter((s): s is Suppression => s !== undefined);
    const commentLines = commentOnlyLines(file);
    for (const rule of RULES) {
      const severity = this.severityOf(rule);
      if (severity === 'off') continue;
      rule.check({
        trails,
        keys,
        report: (report) => {
          if (report.uri !== uri) return;
          findings.push(this.toFinding(rule, severity, report, suppressions, commentLines, resourceSuppressions));
        },
      });
    }
    return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  private severityOf(rule: Rule): RuleSetting {
    return this.config.rules?.[rule.meta.id] ?? rule.meta.defaultSeverity;
  }

  private toFinding(rule: Rule, severity: Severity, report: Report, suppressions: Suppression[], commentLines: Set<number>, resourceSuppressions: ResourceSuppressions): Finding {
    const data = report.data ?? {};
    const isCommentLine = (l: number): boolean => commentLines.has(l);
    const suppression = findSuppression(suppressions, rule.meta.id, report.range, report.subject, isCommentLine) ??
      (report.alsoSubject && findSuppression(suppressions, rule.meta.id, report.range, report.alsoSubject, isCommentLine)) ??
      resourceSuppressions.get(report.resource)?.find((s) => !s.rules || s.rules.includes(rule.meta.id));
    let fixes: Fix[] | undefined;
    return {
      ruleId: rule.meta.id,
      messageId: report.messageId,
      data,
      message: formatMessage(rule.meta.messages[report.messageId] ?? report.messageId, data),
      severity: report.weaker ? oneStepDown(severity) : severity,
      uri: report.uri,
      range: report.range,
      resource: report.resource,
      relatedInformation: report.related ?? [],
      // Built on first use: most findings are shown, few are fixed.
      get fixes(): Fix[] {
        // A suppressed finding is not shown, so it offers nothing (not even its suppression again).
        const listed = suppression ? [] : typeof report.fixes === 'function' ? report.fixes() : report.fixes ?? [];
        fixes ??= listed.filter((f): f is Fix => f !== undefined);
        return fixes;
      },
      suppressedBy: suppression?.source,
    };
  }
}

/** Lines that hold nothing but a comment, so a suppression may sit above a run of them. */
function commentOnlyLines(file: SourceFile): Set<number> {
  const lines = new LineIndex(file.text);
  const result = new Set<number>();
  for (const c of file.comments) {
    if (lines.line(c.range.start.line).slice(0, c.range.start.character).trim() !== '') continue;
    for (let l = c.range.start.line; l <= c.range.end.line; l++) result.add(l);
  }
  return result;
}

export async function createAnalyzer(host: AnalyzerHost, config: AnalyzerConfig = {}): Promise<Analyzer> {
  const analyzer = new Analyzer(host, new TerraformParser(await loadTerraformLanguage()));
  analyzer.configure(config);
  return analyzer;
}

export type { Range };

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];
const oneStepDown = (severity: Severity): Severity => SEVERITY_ORDER[Math.min(SEVERITY_ORDER.indexOf(severity) + 1, SEVERITY_ORDER.length - 1)];
