/**
 * The engine's facade: one object the language server and the CLI both drive. It knows files
 * by URI, reads what is not open through the injected host, parses each file once per text,
 * and answers "what is wrong in this file" with findings and fixes as plain data. It names no
 * input format: the adapters of the registry turn files into facts, the rules judge the facts.
 */
import type { Finding, Fix, Position, Range, RuleId, Severity } from './types';
import type { SourceFile } from './model/syntax';
import { RULES } from './rules';
import { formatMessage, type Report, type Rule } from './rules/rule';
import { findSuppression, parseSuppression, type ResourceSuppressions, type Suppression } from './suppressions';
import { LineIndex, withLoneCrAsLf } from './model/text';
import { baseNameOfUri, dirnameUri } from './workspace/files';
import type { AdapterFiles, FileFacts, InputAdapter } from './adapter';
import { createAdapters, languagesFor, type RegisteredAdapter } from './adapters';
import { hoverAt } from './analysis/hover';
import { trailOverview, type TrailOverview } from './analysis/trailOverview';
import { AnalysisStopped, DEFAULT_TIME_LIMIT_MS, notCounting, withinBudget } from './analysisBudget';

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
  /** How long the analysis of one file may run, in ms (see `analysisBudget.ts`); 3,000 unless set. */
  timeLimitMs?: number;
}

interface CachedFile {
  text: string;
  /** Each adapter's parse of this text, made on first use (`null`: not a file that adapter reads). */
  parsed: Map<InputAdapter, SourceFile | null>;
  open: boolean;
}

export class Analyzer {
  private readonly files = new Map<string, CachedFile>();
  private readonly adapters = new Map<string, RegisteredAdapter>();
  /** Files whose last analysis ran over its budget, and why. */
  private readonly stopped = new Map<string, string>();
  private config: AnalyzerConfig = {};

  constructor(
    private readonly host: AnalyzerHost,
    registered: RegisteredAdapter[],
  ) {
    for (const entry of registered) this.adapters.set(entry.language.name, entry);
  }

  configure(config: AnalyzerConfig): void {
    this.config = config;
  }

  /** An editor's text for a document; it wins over the file on disk until closed. */
  setDocument(uri: string, text: string): void {
    const cached = this.files.get(uri);
    if (cached?.open && cached.text === text) return;
    // Parsed on first use: a burst of keystrokes costs one parse, when diagnostics are asked for.
    this.files.set(uri, { text, parsed: new Map(), open: true });
  }

  closeDocument(uri: string): void {
    this.files.delete(uri);
    this.stopped.delete(uri);
    for (const { adapter } of this.adapters.values()) adapter.forget?.(uri);
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
    const stopped = this.stopped.get(uri);
    if (stopped) return stopped;
    for (const file of this.files.get(uri)?.parsed.values() ?? []) if (file?.notChecked) return file.notChecked;
    return undefined;
  }

  /** Why `uri` is deliberately not judged (another file replaces it), for a note; undefined when it is. */
  ignoredBecause(uri: string): string | undefined {
    for (const adapter of this.adaptersFor(uri)) {
      const reason = adapter.ignoredBecause?.(uri, this.filesFor(adapter, new Map()));
      if (reason) return reason;
    }
    return undefined;
  }

  /**
   * Whether a file's text (the editor's if open, else the host's, within the workspace and the
   * size limit) can hold a trail: worth analysing for an overview of the workspace's trails.
   */
  mayHoldTrail(uri: string): boolean {
    const adapters = this.adaptersFor(uri).filter((a) => a.reads?.(uri, this.filesFor(a, new Map())) ?? true);
    const text = adapters.length > 0 ? this.readText(uri) : undefined;
    return text !== undefined && adapters.some((a) => a.mayHoldTrail(text));
  }

  /**
   * The files a finding of `uri` depends on: its Terraform module's folder, or the file itself.
   * An overview of a workspace visits each scope once.
   */
  scopeOf(uri: string): string {
    return this.adaptersFor(uri)[0]?.scopeOf(uri) ?? uri;
  }

  isOpen(uri: string): boolean {
    return this.files.get(uri)?.open === true;
  }

  /** Findings located in `uri`, suppressed ones included and marked. */
  analyze(uri: string): Finding[] {
    return this.budgeted(uri, [], () => {
      const facts = this.factsOf(uri, new Map());
      return facts ? this.runRules(facts) : [];
    });
  }

  /**
   * Findings of many files, each Terraform module analysed once for all its files (a scan
   * would otherwise rebuild a module's facts for every file in it).
   */
  analyzeMany(uris: string[]): Map<string, Finding[]> {
    const memo = new Map<string, unknown>();
    const results = new Map<string, Finding[]>();
    for (const uri of uris) {
      results.set(uri, this.budgeted(uri, [], () => {
        const facts = this.factsOf(uri, memo);
        return facts ? this.runRules(facts) : [];
      }));
    }
    return results;
  }

  /** Markdown for the trail or key under the cursor: its chain and what its policy gives CloudTrail. */
  hover(uri: string, position: Position): string | undefined {
    return this.budgeted(uri, undefined, () => {
      const facts = this.factsOf(uri, new Map());
      return facts && hoverAt(facts.trails, facts.keys, uri, position);
    });
  }

  /**
   * The trails of the module (Terraform: the whole folder), template or plan `uri` is part of,
   * each with its key chain and requirements, for an overview of a workspace's trails.
   */
  trailOverviews(uri: string): TrailOverview[] {
    return this.budgeted(uri, [], () => {
      const facts = this.factsOf(uri, new Map());
      return facts ? facts.trails.map((trail) => trailOverview(trail, facts.keys)) : [];
    });
  }

  /**
   * `work` for `uri` under the analysis budget: over it, the file gets `fallback` and a note
   * (`notChecked`) instead of holding the thread; the other files are not affected.
   */
  private budgeted<T>(uri: string, fallback: T, work: () => T): T {
    try {
      const result = withinBudget(this.config.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, work);
      this.stopped.delete(uri);
      return result;
    } catch (error) {
      if (!(error instanceof AnalysisStopped)) throw error;
      this.stopped.set(uri, error.reason);
      return fallback;
    }
  }

  /** The adapters that may read `uri`, by its name, in the registry's order. */
  private adaptersFor(uri: string): InputAdapter[] {
    return languagesFor(baseNameOfUri(uri)).map((language) => this.adapters.get(language.name)!.adapter);
  }

  /** The facts of the first adapter that recognises the file. */
  private factsOf(uri: string, memo: Map<string, unknown>): FileFacts | undefined {
    for (const adapter of this.adaptersFor(uri)) {
      const facts = adapter.facts(uri, this.filesFor(adapter, memo));
      if (facts) return facts;
    }
    return undefined;
  }

  /** The analyzer's files as `adapter` sees them, for one request. */
  private filesFor(adapter: InputAdapter, memo: Map<string, unknown>): AdapterFiles {
    return {
      text: (uri) => this.readText(uri),
      parsed: (uri) => this.sourceFile(uri, adapter),
      folder: (dirUri) => this.folderUris(dirUri),
      memo: <T>(key: string, compute: () => T): T => {
        if (!memo.has(key)) {
          try {
            memo.set(key, compute());
          } catch (error) {
            // A module over its budget stops each of its files at once, not after the limit again.
            if (error instanceof AnalysisStopped) memo.set(key, error);
            throw error;
          }
        }
        const value = memo.get(key);
        if (value instanceof AnalysisStopped) throw value;
        return value as T;
      },
    };
  }

  /** The text of a file: the editor's if open, else the host's (kept until invalidated). */
  private readText(uri: string): string | undefined {
    const cached = this.files.get(uri);
    if (cached) return cached.text;
    const text = this.host.readFile(uri);
    if (text !== undefined) this.files.set(uri, { text, parsed: new Map(), open: false });
    return text;
  }

  /** The files of a folder, open documents not yet saved included. */
  private folderUris(dirUri: string): string[] {
    const names = this.host.readDirectory(dirUri) ?? [];
    const uris = new Set(names.map((n) => `${dirUri}/${encodeURIComponent(n)}`));
    for (const [uri, cached] of this.files) if (cached.open && dirnameUri(uri) === dirUri) uris.add(uri);
    return [...uris].sort();
  }

  private sourceFile(uri: string, adapter: InputAdapter): SourceFile | undefined {
    if (this.readText(uri) === undefined || !adapter.parse) return undefined;
    const cached = this.files.get(uri)!;
    if (cached.parsed.has(adapter)) return cached.parsed.get(adapter) ?? undefined;
    const file = notCounting(() => adapter.parse!(uri, withLoneCrAsLf(cached.text), cached.open));
    if (!file?.notCheckedTransient) cached.parsed.set(adapter, file ?? null);
    return file;
  }

  private runRules({ trails, keys, eventDataStores = [], topics = [], topicKeys = [], file, resourceSuppressions = new Map() }: FileFacts): Finding[] {
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
        eventDataStores,
        topics,
        topicKeys,
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
  const analyzer = new Analyzer(host, await createAdapters());
  analyzer.configure(config);
  return analyzer;
}

export type { Range };

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];
const oneStepDown = (severity: Severity): Severity => SEVERITY_ORDER[Math.min(SEVERITY_ORDER.indexOf(severity) + 1, SEVERITY_ORDER.length - 1)];
