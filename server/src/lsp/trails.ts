/**
 * `cloudtrailKmsLint/trails`: every trail of the workspace with its key chain and one line per
 * requirement, for an overview (VS Code's "CloudTrail" view; any LSP client may ask). Open
 * documents count with their unsaved text. Only files whose text names a trail or a module
 * call are analysed, and the work yields to the event loop now and then, so a large workspace
 * does not stall keystrokes.
 *
 * Answers are kept per module (a Terraform folder) or file (a template, a plan), with every file
 * and folder listing its analysis read; a change to one of those (a watcher event, an edit, an
 * open or a close) drops just the answers that read it, so a refresh after an edit analyses
 * what the edit can change and no more. The overview has an analyzer of its own, which reads
 * each answer's files afresh and keeps none: the diagnostics' analyzer and its files are not
 * touched.
 */
import { createAnalyzer, type Analyzer, type AnalyzerHost, type TrailOverview } from '../engine';
import { baseNameOfUri, dirnameUri } from '../engine/workspace/files';
import { pathToUri, uriToPath } from '../diskHost';
import { walkFiles } from '../walk';
import { isUnder } from '../paths';

export const TRAILS_REQUEST = 'cloudtrailKmsLint/trails';

export interface TrailsParams {
  /** Extra globs to skip, relative to a workspace folder (VS Code sends its `files.exclude`). */
  exclude?: string[];
  /** Forget every kept answer and read the workspace again (a person's "Refresh"). */
  reload?: boolean;
}

export interface TrailsResult {
  trails: TrailOverview[];
  /** How many files were looked at. */
  files: number;
}

const YIELD_EVERY = 200;

export interface TrailsSource {
  /** The disk's files, inside the workspace folders and under the size limit. */
  disk: AnalyzerHost;
  /** An open document's text, which wins over the disk's. */
  openText(uri: string): string | undefined;
  /** The open documents: a new file not yet saved is listed too. */
  openUris(): string[];
  onSkip(filePath: string, reason: string): void;
}

interface Answer {
  trails: TrailOverview[];
  /** The files and folder listings its analysis read. */
  reads: Set<string>;
}

export class TrailsIndex {
  private analyzer: Promise<Analyzer> | undefined;
  private walked: { key: string; files: string[] } | undefined;
  /** Per file: whether its text can hold a trail (undefined: not read since it last changed). */
  private readonly mayHold = new Map<string, boolean>();
  /** Per module folder (Terraform) or file (others). */
  private readonly answers = new Map<string, Answer>();
  /** File or folder → the answers that read it. */
  private readonly readers = new Map<string, Set<string>>();
  private reads: Set<string> | undefined;
  /** How many modules or files were analysed since the index was made (tests read it). */
  analysed = 0;

  constructor(private readonly source: TrailsSource) {}

  /** A file changed, was opened, closed, created or deleted: drop what read it or its folder. */
  changed(uri: string, listingChanged = false): void {
    this.mayHold.delete(uri);
    if (listingChanged) this.walked = undefined;
    for (const read of [uri, dirnameUri(uri)]) {
      for (const unit of this.readers.get(read) ?? []) this.drop(unit);
    }
    this.drop(uri);
    this.drop(dirnameUri(uri));
  }

  /** Settings changed (excludes, size limit, severities): everything is read again. */
  clear(): void {
    this.walked = undefined;
    this.mayHold.clear();
    this.answers.clear();
    this.readers.clear();
  }

  async list(roots: string[], exclude: string[], isCancelled: () => boolean = () => false): Promise<TrailsResult> {
    const analyzer = await (this.analyzer ??= createAnalyzer(this.recordingHost()));
    const trails: TrailOverview[] = [];
    const seen = new Set<string>();
    const unitsDone = new Set<string>();
    let files = 0;
    const visit = (uri: string): void => {
      const unit = analyzer.scopeOf(uri);
      if (unitsDone.has(unit)) return;
      let answer = this.answers.get(unit);
      if (!answer) {
        if (!this.mayHoldTrail(analyzer, uri)) return;
        answer = this.analyse(analyzer, unit, uri);
      }
      unitsDone.add(unit);
      for (const trail of answer.trails) {
        const id = `${trail.location.uri}#${trail.address}`;
        if (seen.has(id)) continue;
        seen.add(id);
        trails.push(trail);
      }
    };
    const walked = new Set<string>();
    for (const file of this.walk(roots, exclude)) {
      if (++files % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (isCancelled()) break;
      }
      const uri = pathToUri(file);
      walked.add(uri);
      visit(uri);
    }
    for (const uri of this.source.openUris()) {
      if (walked.has(uri) || !inRoots(uri, roots)) continue;
      files++;
      visit(uri);
    }
    trails.sort((a, b) => a.location.uri.localeCompare(b.location.uri) || a.location.range.start.line - b.location.range.start.line);
    return { trails, files };
  }

  private walk(roots: string[], exclude: string[]): string[] {
    const key = JSON.stringify([roots, exclude]);
    if (this.walked?.key !== key) this.walked = { key, files: [...walkFiles(roots, { exclude, onSkip: this.source.onSkip })] };
    return this.walked.files;
  }

  private mayHoldTrail(analyzer: Analyzer, uri: string): boolean {
    let known = this.mayHold.get(uri);
    if (known === undefined) {
      known = analyzer.mayHoldTrail(uri);
      analyzer.forgetDiskFiles();
      this.mayHold.set(uri, known);
    }
    return known;
  }

  /** The trails of one module or file, with what their analysis read; nothing read is kept. */
  private analyse(analyzer: Analyzer, unit: string, uri: string): Answer {
    this.reads = new Set();
    let trails: TrailOverview[];
    try {
      trails = analyzer.trailOverviews(uri);
    } finally {
      analyzer.forgetDiskFiles();
    }
    const answer = { trails, reads: this.reads };
    this.reads = undefined;
    this.analysed++;
    this.answers.set(unit, answer);
    for (const read of answer.reads) {
      let units = this.readers.get(read);
      if (!units) this.readers.set(read, (units = new Set()));
      units.add(unit);
    }
    return answer;
  }

  private drop(unit: string): void {
    const answer = this.answers.get(unit);
    if (!answer) return;
    this.answers.delete(unit);
    for (const read of answer.reads) this.readers.get(read)?.delete(unit);
  }

  /** The disk with the open documents over it, telling the analysis in progress what it read. */
  private recordingHost(): AnalyzerHost {
    const { disk, openText, openUris } = this.source;
    return {
      readFile: (uri) => {
        this.reads?.add(uri);
        return openText(uri) ?? disk.readFile(uri);
      },
      readDirectory: (dirUri) => {
        this.reads?.add(dirUri);
        const names = disk.readDirectory(dirUri);
        // An open document not yet saved belongs to its folder's module too.
        const unsaved = openUris().filter((u) => dirnameUri(u) === dirUri).map(baseNameOfUri);
        if (unsaved.length === 0) return names;
        return [...new Set([...(names ?? []), ...unsaved])];
      },
    };
  }
}

function inRoots(uri: string, roots: string[]): boolean {
  const file = uriToPath(uri);
  return file !== undefined && roots.some((root) => isUnder(file, root));
}
