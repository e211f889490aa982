/**
 * `cloudtrailKmsLint/trails`: every trail of the workspace with its key chain and one line per
 * requirement, for an overview (VS Code's "CloudTrail" view; any LSP client may ask). Open
 * documents count with their unsaved text. Only files whose text names a trail or a module
 * call are analysed, and the work yields to the event loop now and then, so a large workspace
 * does not stall keystrokes.
 */
import type { Analyzer, TrailOverview } from '../engine';
import { pathToUri, uriToPath } from '../diskHost';
import { walkFiles } from '../walk';
import { isUnder } from '../paths';

export const TRAILS_REQUEST = 'cloudtrailKmsLint/trails';

export interface TrailsParams {
  /** Extra globs to skip, relative to a workspace folder (VS Code sends its `files.exclude`). */
  exclude?: string[];
}

export interface TrailsResult {
  trails: TrailOverview[];
  /** How many files were looked at. */
  files: number;
}

const YIELD_EVERY = 200;

export interface TrailsContext {
  analyzer: Analyzer;
  roots: string[];
  exclude: string[];
  /** The open documents: a new file not yet saved is listed too. */
  openUris(): string[];
  onSkip(filePath: string, reason: string): void;
}

export async function listTrails(context: TrailsContext, isCancelled: () => boolean = () => false): Promise<TrailsResult> {
  const trails: TrailOverview[] = [];
  const seen = new Set<string>();
  const scopesDone = new Set<string>();
  let files = 0;
  try {
    // Files are read through the analyzer, as for diagnostics: the editor's text if open, else
    // the disk host's (inside the workspace folders, under the size limit).
    const visit = (uri: string): void => {
      const scope = context.analyzer.scopeOf(uri);
      if (scopesDone.has(scope)) return;
      if (!context.analyzer.mayHoldTrail(uri)) return;
      scopesDone.add(scope);
      for (const trail of context.analyzer.trailOverviews(uri)) {
        const id = `${trail.location.uri}#${trail.address}`;
        if (seen.has(id)) continue;
        seen.add(id);
        trails.push(trail);
      }
    };
    const walked = new Set<string>();
    for (const file of walkFiles(context.roots, { exclude: context.exclude, onSkip: context.onSkip })) {
      if (++files % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (isCancelled()) break;
      }
      const uri = pathToUri(file);
      walked.add(uri);
      visit(uri);
    }
    for (const uri of context.openUris()) {
      if (walked.has(uri) || !inRoots(uri, context.roots)) continue;
      files++;
      visit(uri);
    }
  } finally {
    // Files read for the overview are not kept: the next request reads them again, fresh.
    context.analyzer.forgetDiskFiles();
  }
  trails.sort((a, b) => a.location.uri.localeCompare(b.location.uri) || a.location.range.start.line - b.location.range.start.line);
  return { trails, files };
}

function inRoots(uri: string, roots: string[]): boolean {
  const file = uriToPath(uri);
  return file !== undefined && roots.some((root) => isUnder(file, root));
}
