/**
 * The engine's file access on a real disk, for the language server and the CLI.
 *
 * It reads only inside the given roots (the workspace folders or the scanned paths), after
 * resolving symlinks, so a link or a `../` module source cannot make the extension read
 * elsewhere; it skips files over the size limit and files that look binary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnalyzerHost } from './engine';
import { isUnder, safeRealpath } from './paths';

export interface DiskHostOptions {
  /** Absolute folder paths the host may read below. Empty = nothing is readable. */
  roots: string[];
  /** Files larger than this many bytes are skipped. */
  maxFileSize: number;
  /** Told once per file that is skipped or cannot be read, with the reason. */
  onSkip?: (filePath: string, reason: string) => void;
  /**
   * Remember folders' real paths and listings: for a scan, which reads a snapshot of the
   * workspace and lists each folder several times (its module, the modules it calls). An
   * editor's host reads afresh, as folders change under it while it runs.
   */
  snapshot?: boolean;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export const pathToUri = (p: string): string => pathToFileURL(p).href;

export interface DiskHost extends AnalyzerHost {
  isInside(filePath: string): boolean;
  /**
   * Drops the snapshot's remembered real paths and listings. A scan calls it after each batch:
   * a batch's folders are whole, so what it listed is seldom asked again, and a snapshot kept
   * for the whole scan would grow with every folder of the workspace.
   */
  forgetSnapshot(): void;
}

export function createDiskHost(options: DiskHostOptions): DiskHost {
  const realRoots = options.roots.map((r) => safeRealpath(r) ?? path.resolve(r));
  const skipped = new Set<string>();
  const skip = (p: string, reason: string): undefined => {
    if (!skipped.has(p)) {
      skipped.add(p);
      options.onSkip?.(p, reason);
    }
    return undefined;
  };

  const insideRoots = (real: string): boolean => realRoots.some((root) => isUnder(real, root));
  const realDirs = new Map<string, string | undefined>();
  const listings = new Map<string, string[] | undefined>();
  const realDir = (dirPath: string): string | undefined => {
    if (!options.snapshot) return safeRealpath(dirPath);
    if (!realDirs.has(dirPath)) realDirs.set(dirPath, safeRealpath(dirPath));
    return realDirs.get(dirPath);
  };
  const isInside = (filePath: string): boolean => {
    const real = safeRealpath(filePath);
    return real !== undefined && insideRoots(real);
  };

  return {
    isInside,
    forgetSnapshot() {
      realDirs.clear();
      listings.clear();
    },
    readFile(uri) {
      const filePath = uriToPath(uri);
      if (!filePath) return undefined;
      try {
        // A file that is not there (an optional .terraform/modules/modules.json) is no news.
        let stat = fs.lstatSync(filePath, { throwIfNoEntry: false });
        if (!stat) return undefined;
        // The real path of a plain file is its folder's real path and its name: one lstat
        // instead of resolving every component of the path again for each file.
        let real: string | undefined;
        if (stat.isSymbolicLink()) {
          real = safeRealpath(filePath);
          stat = real === undefined ? undefined : fs.statSync(real, { throwIfNoEntry: false });
        } else {
          const dir = realDir(path.dirname(filePath));
          real = dir === undefined ? undefined : path.join(dir, path.basename(filePath));
        }
        if (!stat || real === undefined) return undefined;
        if (!insideRoots(real)) return skip(filePath, 'outside the workspace');
        if (!stat.isFile()) return undefined;
        if (stat.size > options.maxFileSize) return skip(filePath, `larger than ${options.maxFileSize} bytes`);
        const bytes = fs.readFileSync(real);
        if (looksBinary(bytes)) return skip(filePath, 'binary');
        return bytes.toString('utf8').replace(/^\uFEFF/, '');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A path through a file (`main.tf/x`) or one removed meanwhile is simply not there.
        if (code === 'ENOTDIR' || code === 'ENOENT') return undefined;
        return skip(filePath, code ?? String(error));
      }
    },
    readDirectory(dirUri) {
      const dirPath = uriToPath(dirUri);
      if (!dirPath) return undefined;
      if (options.snapshot && listings.has(dirPath)) return listings.get(dirPath);
      const real = realDir(dirPath);
      let names: string[] | undefined;
      if (real !== undefined && insideRoots(real)) {
        try {
          names = fs.readdirSync(real, { withFileTypes: true })
            .filter((e) => e.isFile() || e.isSymbolicLink())
            .map((e) => e.name);
        } catch (error) {
          skip(dirPath, (error as NodeJS.ErrnoException).code ?? String(error));
        }
      }
      if (options.snapshot) listings.set(dirPath, names);
      return names;
    },
  };
}

/** A NUL byte in the first 8 KiB: what git and grep call binary. */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}
