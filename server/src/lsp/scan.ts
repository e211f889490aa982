/**
 * "Scan Workspace": analyses every candidate file of the workspace folders and publishes its
 * findings, so the Problems panel shows files nobody has opened. Runs in slices that yield to
 * the event loop, so typing in an open file is answered while a scan runs.
 */
import * as path from 'node:path';
import type { CancellationToken, Connection, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { Analyzer } from '../engine';
import { pathToUri, uriToPath } from '../diskHost';
import { dirnameUri } from '../engine/workspace/files';
import { walkFiles } from '../walk';
import { isUnder } from '../paths';
import type { Settings } from './settings';
import { toDiagnostic, withoutRepeatedRelated } from './convert';
import { analyzerConfig } from './settings';
import { scanGroups } from '../scan/parallelScan';
import type { FindingData } from '../scan/protocol';

/**
 * The server's own command ids. They differ from the VS Code commands of the same purpose
 * (`cloudtrailKmsLint.scanWorkspace`): vscode-languageclient registers every server command
 * as a VS Code command, and two registrations of one id stop the client from starting.
 */
export const SCAN_COMMAND = 'cloudtrailKmsLint.server.scanWorkspace';
export const CLEAR_SCAN_COMMAND = 'cloudtrailKmsLint.server.clearScanResults';
export const SCAN_COMMANDS = [SCAN_COMMAND, CLEAR_SCAN_COMMAND] as const;

export interface ScanSummary {
  /** Files looked at: those read from disk and the open documents (analysed live). */
  files: number;
  /** Problems in the files read from disk. */
  findings: number;
  /** Files read from disk with at least one problem. */
  filesWithFindings: number;
  ms: number;
  cancelled: boolean;
}


/**
 * "120 of 1,240 files · modules/trail": the count first and the folder relative to its
 * workspace folder, so a notification's short line is not eaten by a long absolute path.
 */
export function progressMessage(done: number, total: number, folder: string | undefined, roots: string[]): string {
  const count = `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} files`;
  if (folder === undefined) return count;
  const root = roots.find((r) => isUnder(folder, r));
  const relative = root === undefined ? folder : path.relative(root, folder).split(path.sep).join('/');
  const shown = relative === '' ? (root !== undefined && roots.length > 1 ? path.basename(root) : '.') : roots.length > 1 && root ? `${path.basename(root)}/${relative}` : relative;
  return `${count} · ${shown}`;
}

export class WorkspaceScanner {
  private readonly scanned = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly analyzer: Analyzer,
    /** The settings of the workspace folder holding a path (the window's for undefined). */
    private readonly settings: (filePath?: string) => Settings,
    private readonly roots: () => string[],
    private readonly isOpen: (uri: string) => boolean,
    private readonly docsBaseUri: string,
  ) {}

  /** `args[0]` may carry `{ exclude: string[] }`: the editor's own excludes (VS Code's `files.exclude`). */
  async execute(command: string, args: unknown[], token: CancellationToken, workDone: WorkDoneProgressReporter): Promise<ScanSummary | undefined> {
    if (command === CLEAR_SCAN_COMMAND) {
      this.clear();
      return undefined;
    }
    if (command === SCAN_COMMAND) {
      const extra = (args[0] as { exclude?: unknown } | undefined)?.exclude;
      const exclude = Array.isArray(extra) ? extra.filter((e): e is string => typeof e === 'string') : [];
      return this.scan(exclude, token, workDone);
    }
    return undefined;
  }

  private async scan(extraExclude: string[], token: CancellationToken, workDone: WorkDoneProgressReporter): Promise<ScanSummary> {
    const started = Date.now();
    workDone.begin('Scanning workspace', 0, 'Finding files…', true);
    const log = (filePath: string, reason: string): void => this.connection.console.info(`Skipped ${filePath}: ${reason}`);
    // Each workspace folder is walked and judged with its own settings (multi-root workspaces).
    const perRoot = this.roots().map((root) => {
      const settings = this.settings(root);
      const all = settings.enable ? [...walkFiles([root], { exclude: [...settings.exclude, ...extraExclude], onSkip: log })] : [];
      return { root, settings, all, files: all.filter((f) => !this.isOpen(pathToUri(f))) };
    });
    const total = perRoot.reduce((n, r) => n + r.files.length, 0);
    const opened = perRoot.reduce((n, r) => n + r.all.length - r.files.length, 0);
    let findings = 0;
    let filesWithFindings = 0;
    let done = 0;
    workDone.report(0, progressMessage(0, total, undefined, this.roots()));
    // When the cancel arrived, to say in the log how soon after it the workers had stopped.
    let cancelledAt: number | undefined;
    const onCancel = token.onCancellationRequested(() => { cancelledAt ??= Date.now(); });
    // All folders through one worker pool at once, each folder's files with its own settings.
    const groups = perRoot.map(({ settings, files }) => ({ files, setup: { roots: this.roots(), maxFileSize: settings.maxFileSize, config: analyzerConfig(settings) } }));
    await scanGroups(groups, {
      onResult: (filePath, found) => {
        done++;
        const published = this.publishFindings(pathToUri(filePath), found);
        findings += published;
        if (published > 0) filesWithFindings++;
      },
      onSkip: log,
      onError: (filePath, error) => this.connection.console.error(`Analysis of ${filePath} failed: ${error}`),
      onProgress: (filesDone, _total, folder) => {
        workDone.report(Math.floor((filesDone / Math.max(total, 1)) * 100), progressMessage(filesDone, total, folder, this.roots()));
      },
      isCancelled: () => token.isCancellationRequested,
    });
    onCancel.dispose();
    const stopped = cancelledAt === undefined ? '' : `; the workers stopped ${Date.now() - cancelledAt} ms after the cancel`;
    workDone.done();
    const summary = { files: done + opened, findings, filesWithFindings, ms: Date.now() - started, cancelled: token.isCancellationRequested };
    this.connection.console.info(`Scanned ${summary.files} files in ${summary.ms} ms: ${summary.findings} findings${summary.cancelled ? ` (cancelled${stopped})` : ''}.`);
    return summary;
  }

  /** Publishes findings for a file that is not open; returns how many were published. */
  private publishFindings(uri: string, found: FindingData[]): number {
    if (this.isOpen(uri)) return 0;
    const diagnostics = withoutRepeatedRelated(found.filter((f) => !f.suppressedBy).map((f) => toDiagnostic(f, this.docsBaseUri)));
    if (diagnostics.length > 0 || this.scanned.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics });
    if (diagnostics.length > 0) this.scanned.add(uri);
    else this.scanned.delete(uri);
    return diagnostics.length;
  }

  /** Re-analyses one file from disk, on this thread (a handful of files after an edit or a setting change). */
  private publish(uri: string): number {
    try {
      this.analyzer.configure(analyzerConfig(this.settings(uriToPath(uri))));
      this.analyzer.invalidate(uri);
      return this.publishFindings(uri, this.analyzer.analyze(uri));
    } catch (error) {
      this.connection.console.error(`Analysis of ${uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return 0;
    }
  }

  wasScanned(uri: string): boolean {
    return this.scanned.has(uri);
  }

  republish(uri: string): void {
    this.publish(uri);
  }

  /** Settings changed: scanned files are judged again. */
  refreshScanned(): void {
    for (const uri of [...this.scanned]) if (!this.isOpen(uri)) this.publish(uri);
  }

  /** Files changed on disk: re-judge the scanned files of the folders they are in. */
  filesChanged(uris: string[]): void {
    const dirs = new Set(uris.map(dirnameUri));
    for (const uri of [...this.scanned]) if (dirs.has(dirnameUri(uri)) && !this.isOpen(uri)) this.publish(uri);
  }

  private clear(): void {
    for (const uri of this.scanned) if (!this.isOpen(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.scanned.clear();
  }
}
