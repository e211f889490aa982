/**
 * The language server: LSP wiring only. Documents, settings and file events go into the
 * engine; findings come out as diagnostics, fixes as code actions. Any LSP client can use it
 * (`cloudtrail-kms-lint lsp --stdio`); VS Code starts it over IPC.
 */
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import {
  CodeActionKind, DidChangeConfigurationNotification, ExecuteCommandRequest, FileChangeType, ProposedFeatures, TextDocumentSyncKind, TextDocuments,
  MarkupKind, createConnection, type CodeAction, type Hover, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { compactParsers, createAnalyzer, preloadLanguages, type Analyzer, type Finding, type RuleId, type TextEdit } from './engine';
import { fixAll } from './engine/fixAll';
import { dirnameUri } from './engine/workspace/files';
import { createDiskHost, pathToUri, uriToPath } from './diskHost';
import { FolderSettings, analyzerConfig, normalizeSettings, workspaceProjectConfig, type Settings } from './lsp/settings';
import { PROJECT_CONFIG_FILE, type ProjectConfig } from './projectConfig';
import { ignoredDiagnostic, notCheckedDiagnostic, sameDiagnostic, toCodeAction, toDiagnostic, withoutRepeatedRelated } from './lsp/convert';
import { SCAN_COMMAND, SCAN_COMMANDS, WorkspaceScanner } from './lsp/scan';
import { TRAILS_REQUEST, TrailsIndex, type TrailsParams, type TrailsResult } from './lsp/trails';

// The parsers load (and warm up) while the editor and the server shake hands.
void preloadLanguages();

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/**
 * A document is re-checked at once after a keystroke while its analysis is quick (Terraform
 * re-parses incrementally, a YAML template re-parses the edited entry); one whose last analysis
 * was slow (a half-typed template parsed whole, a huge module) waits for a pause in typing, so
 * keystrokes never queue behind analyses. Open neighbours always wait for the pause.
 */
const DEBOUNCE_MS = { immediate: 0, slow: 150, siblings: 250 };
/** Fast typing is ~10 characters a second: an analysis under ~75 ms keeps up with it. */
const SLOW_ANALYSIS_MS = 75;

let analyzer: Analyzer | undefined;
const folderSettings = new FolderSettings();
/** The settings of the workspace folder a document is in. */
const settingsOf = (uri: string): Settings => folderSettings.forPath(uriToPath(uri));
/** The analyzer judges with the severities of the folder `uri` is in. */
function configureFor(uri: string): void {
  analyzer?.configure(analyzerConfig(settingsOf(uri)));
}
let roots: string[] = [];
let docsBaseUri = pathToUri(path.resolve(__dirname, '..', 'docs', 'rules'));
let supportsConfiguration = false;
let supportsProgress = false;
const lastFindings = new Map<string, { version: number; findings: Finding[] }>();
const timers = new Map<string, NodeJS.Timeout>();
/** How long each open document's last analysis took, in ms. */
const analysisCost = new Map<string, number>();
let scanner: WorkspaceScanner | undefined;
let trailsIndex: TrailsIndex | undefined;

connection.onInitialize(async (params): Promise<InitializeResult> => {
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  supportsProgress = params.capabilities.window?.workDoneProgress === true;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  roots = folders.map(uriToPath).filter((p): p is string => p !== undefined);
  const options = params.initializationOptions as { docsBaseUri?: string } | undefined;
  if (options?.docsBaseUri) docsBaseUri = options.docsBaseUri;
  analyzer = await createAnalyzer(makeHost());
  trailsIndex = newTrailsIndex();
  scanner = new WorkspaceScanner(connection, analyzer, (filePath) => folderSettings.forPath(filePath), () => roots, (uri) => documents.get(uri) !== undefined, docsBaseUri);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      executeCommandProvider: { commands: [...SCAN_COMMANDS] },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'cloudtrail-kms-lint' },
  };
});

connection.onInitialized(async () => {
  // A client that cannot register dynamically says so with an error: settings are then pushed, or stay as read.
  if (supportsConfiguration) connection.client.register(DidChangeConfigurationNotification.type, { section: 'cloudtrailKmsLint' }).catch(() => undefined);
  await refreshSettings();
});

/** The CloudTrail view's answers, kept per module and dropped when what they read changes. */
function newTrailsIndex(): TrailsIndex {
  return new TrailsIndex({
    disk: makeHost(),
    openText: (uri) => documents.get(uri)?.getText(),
    openUris: () => documents.keys(),
    onSkip: (filePath, reason) => connection.console.info(`Skipped ${filePath}: ${reason}`),
  });
}

function makeHost() {
  return createDiskHost({
    roots,
    maxFileSize: folderSettings.window.maxFileSize,
    onSkip: (filePath, reason) => connection.console.info(`Skipped ${filePath}: ${reason}`),
  });
}

/** What the client last sent for `cloudtrailKmsLint`: the window's, then each folder's (pulled, or pushed by clients that cannot be asked). */
let clientRaw: { window: unknown; perRoot: unknown[] } = { window: undefined, perRoot: [] };
/** The project file at the root of a workspace folder (the window's is the first folder's). */
const projectConfig = (root: string | undefined): ProjectConfig => (root === undefined ? {} : workspaceProjectConfig([root], (message) => connection.console.warn(message)));

async function refreshSettings(): Promise<void> {
  if (supportsConfiguration) {
    try {
      const section = 'cloudtrailKmsLint';
      const [window, ...perRoot] = await connection.workspace.getConfiguration([{ section }, ...roots.map((root) => ({ section, scopeUri: pathToUri(root) }))]) as unknown[];
      clientRaw = { window, perRoot };
    } catch (error) {
      connection.console.warn(`Could not read settings, using defaults: ${String(error)}`);
    }
  }
  // Each folder's settings sit over that folder's project file; a client that pushes settings sends the window's only.
  folderSettings.set(
    normalizeSettings(clientRaw.window, projectConfig(roots[0])),
    roots.map((root, i) => [root, normalizeSettings(clientRaw.perRoot[i] ?? clientRaw.window, projectConfig(root))]),
  );
  // Excludes or the rules' settings may have changed: the view's answers are read again.
  trailsIndex?.clear();
  for (const document of documents.all()) schedule(document.uri, DEBOUNCE_MS.immediate);
  scanner?.refreshScanned();
}

connection.onDidChangeConfiguration(async (change) => {
  if (!supportsConfiguration) clientRaw = { window: (change.settings as Record<string, unknown> | undefined)?.cloudtrailKmsLint, perRoot: [] };
  await refreshSettings();
});

documents.onDidChangeContent(({ document }) => {
  analyzer?.setDocument(document.uri, document.getText());
  trailsIndex?.changed(document.uri);
  schedule(document.uri, (analysisCost.get(document.uri) ?? 0) > SLOW_ANALYSIS_MS ? DEBOUNCE_MS.slow : DEBOUNCE_MS.immediate);
  // A variable's default in one file decides a trail in another: re-check the open neighbours.
  for (const other of documents.all()) {
    if (other.uri !== document.uri && dirnameUri(other.uri) === dirnameUri(document.uri)) schedule(other.uri, DEBOUNCE_MS.siblings);
  }
});

documents.onDidClose(({ document }) => {
  analyzer?.closeDocument(document.uri);
  // Its text is the disk's again (or, never saved, it is gone from its folder).
  trailsIndex?.changed(document.uri);
  lastFindings.delete(document.uri);
  analysisCost.delete(document.uri);
  clearTimeout(timers.get(document.uri));
  // A file the workspace scan reported on keeps its (now on-disk) findings; others are cleared.
  if (scanner?.wasScanned(document.uri)) scanner.republish(document.uri);
  else void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  if (documents.all().length === 0) scheduleCompaction();
});

/**
 * A full garbage collection, which also gives the heap's emptied pages back to the system. V8
 * collects when it allocates, not when the process is idle: after an editing session its heap
 * stays at its peak size (~140 MB of which ~40 MB is live) until the next keystroke.
 */
function collectGarbage(): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
  } catch {
    // Not in this runtime: V8 collects in its own time.
  }
}

/** WebAssembly memory the parsers may keep while no document is open; a large file grows it, and it never shrinks. */
const IDLE_PARSER_MEMORY_BYTES = 64 * 1024 * 1024;
const COMPACT_AFTER_MS = 2000;
let compaction: NodeJS.Timeout | undefined;

/**
 * Once every document has been closed for a moment, what only open documents needed is let go:
 * the files read from disk around them (read again when one is opened) and the parsers' grown
 * memory.
 */
function scheduleCompaction(): void {
  clearTimeout(compaction);
  compaction = setTimeout(() => {
    if (documents.all().length > 0) return;
    analyzer?.forgetDiskFiles();
    void compactParsers(IDLE_PARSER_MEMORY_BYTES).finally(collectGarbage);
  }, COMPACT_AFTER_MS);
  compaction.unref();
}

connection.onDidChangeWatchedFiles(({ changes }) => {
  const dirs = new Set<string>();
  for (const change of changes) {
    analyzer?.invalidate(change.uri);
    trailsIndex?.changed(change.uri, change.type !== FileChangeType.Changed);
    dirs.add(dirnameUri(change.uri));
  }
  for (const document of documents.all()) if (dirs.has(dirnameUri(document.uri))) schedule(document.uri, DEBOUNCE_MS.siblings);
  scanner?.filesChanged(changes.map((c) => c.uri));
  // The project configuration file sits under the settings: its change is a settings change.
  // Only the file at a workspace folder's root is read: a copy deeper in the tree changes nothing.
  const projectFiles = new Set(roots.map((root) => path.join(root, PROJECT_CONFIG_FILE)));
  if (changes.some((c) => projectFiles.has(uriToPath(c.uri) ?? ''))) void refreshSettings();
});

function schedule(uri: string, delay: number): void {
  clearTimeout(timers.get(uri));
  if (delay === 0) {
    timers.delete(uri);
    validate(uri);
    return;
  }
  timers.set(uri, setTimeout(() => {
    timers.delete(uri);
    validate(uri);
  }, delay));
}

function validate(uri: string): void {
  const document = documents.get(uri);
  if (!document || !analyzer) return;
  const version = document.version;
  if (!settingsOf(uri).enable) {
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  try {
    const started = performance.now();
    configureFor(uri);
    analyzer.setDocument(uri, document.getText());
    const findings = analyzer.analyze(uri);
    analysisCost.set(uri, performance.now() - started);
    if (documents.get(uri)?.version !== version) return; // superseded by a newer edit
    lastFindings.set(uri, { version, findings });
    const diagnostics = withoutRepeatedRelated(findings.filter((f) => !f.suppressedBy).map((f) => toDiagnostic(f, docsBaseUri)));
    const notChecked = analyzer.notChecked(uri);
    if (notChecked) diagnostics.push(notCheckedDiagnostic(notChecked));
    const ignored = analyzer.ignoredBecause(uri);
    if (ignored) diagnostics.push(ignoredDiagnostic(ignored));
    void connection.sendDiagnostics({ uri, version, diagnostics });
  } catch (error) {
    // Never leave stale squiggles behind an internal error: clear them and say why in the log.
    lastFindings.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    connection.console.error(`Analysis of ${uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}

/** `source.fixAll.cloudtrailKmsLint`: what "Fix All" and `editor.codeActionsOnSave` run. */
const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.cloudtrailKmsLint`;
const FIX_ALL_TITLE = 'Fix all CloudTrail key-policy problems in this file';
const FIX_ALL_RULES = new Set<RuleId>(['CTK101', 'CTK102', 'CTK103', 'CTK104', 'CTK105', 'CTK106', 'CTK107', 'CTK201', 'CTK202']);

const wants = (only: string[] | undefined, kind: string): boolean => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));

connection.onCodeAction((params): CodeAction[] => {
  const document = documents.get(params.textDocument.uri);
  const entry = lastFindings.get(params.textDocument.uri);
  if (!document || !entry || entry.version !== document.version || !analyzer) return [];
  const only = params.context.only;
  const versions = (uri: string): number | null => documents.get(uri)?.version ?? null;
  const actions: CodeAction[] = [];
  const fixable = entry.findings.filter((f) => FIX_ALL_RULES.has(f.ruleId) && !f.suppressedBy);
  const fixAllDiagnostics = params.context.diagnostics.filter((d) => FIX_ALL_RULES.has(d.code as RuleId));
  let fixAllEdit: TextEdit | undefined | null = null; // computed at most once per request
  const fixAllAction = (kind: string): CodeAction | undefined => {
    if (fixAllEdit === null) {
      configureFor(document.uri);
      fixAllEdit = fixAll(analyzer!, document.uri, document.getText(), FIX_ALL_RULES);
    }
    if (!fixAllEdit) return undefined;
    const action = toCodeAction({ title: FIX_ALL_TITLE, edits: [{ uri: document.uri, edits: [fixAllEdit] }] }, undefined, versions);
    action.kind = kind;
    action.diagnostics = fixAllDiagnostics;
    return action;
  };
  if (wants(only, FIX_ALL_KIND) && fixable.length > 0) {
    const action = fixAllAction(FIX_ALL_KIND);
    if (action) actions.push(action);
  }
  if (!wants(only, CodeActionKind.QuickFix)) return actions;
  for (const diagnostic of params.context.diagnostics) {
    const finding = entry.findings.find((f) => !f.suppressedBy && sameDiagnostic(diagnostic, f));
    if (!finding) continue;
    for (const fix of finding.fixes) actions.push(toCodeAction(fix, diagnostic, versions));
  }
  // The light-bulb menu shows quick fixes only: offer fix-all there too when it would fix more than the one at hand.
  const withFixes = fixable.filter((f) => f.fixes.some((x) => x.kind !== 'suppress'));
  if (fixAllDiagnostics.length > 0 && withFixes.length >= 2) {
    const action = fixAllAction(CodeActionKind.QuickFix);
    if (action) actions.push(action);
  }
  return actions;
});

connection.onHover((params): Hover | null => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !analyzer || !settingsOf(document.uri).enable) return null;
  try {
    analyzer.setDocument(document.uri, document.getText());
    const markdown = analyzer.hover(document.uri, params.position);
    return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown } } : null;
  } catch (error) {
    connection.console.error(`Hover in ${document.uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return null;
  }
});

// Registered as a plain request, not with onExecuteCommand, which drops the client's
// `workDoneToken` from the params before the handler can see whether one was sent.
connection.onRequest(ExecuteCommandRequest.type, async (params, token) => {
  // A client that sent no progress token still gets a cancellable progress notification: the
  // server starts one itself (`window/workDoneProgress/create`), when the client supports it.
  if (params.workDoneToken === undefined && params.command === SCAN_COMMAND && supportsProgress) {
    const reporter = await connection.window.createWorkDoneProgress();
    return scanner?.execute(params.command, params.arguments ?? [], reporter.token, reporter);
  }
  return scanner?.execute(params.command, params.arguments ?? [], token, connection.window.attachWorkDoneProgress(params.workDoneToken));
});

connection.onRequest(TRAILS_REQUEST, async (params: TrailsParams | undefined, token): Promise<TrailsResult> => {
  if (!trailsIndex || !folderSettings.anyEnabled()) return { trails: [], files: 0 };
  const extra = Array.isArray(params?.exclude) ? params.exclude.filter((e): e is string => typeof e === 'string') : [];
  if (params?.reload === true) trailsIndex.clear();
  return trailsIndex.list(roots, [...folderSettings.window.exclude, ...extra], () => token.isCancellationRequested);
});

documents.listen(connection);
connection.listen();
