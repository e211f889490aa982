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

export interface DiskHostOptions {
  /** Absolute folder paths the host may read below. Empty = nothing is readable. */
  roots: string[];
  /** Files larger than this many bytes are skipped. */
  maxFileSize: number;
  /** Told once per file that is skipped or cannot be read, with the reason. */
  onSkip?: (filePath: string, reason: string) => void;
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

export function createDiskHost(options: DiskHostOptions): AnalyzerHost & { isInside(filePath: string): boolean } {
  const realRoots = options.roots.map((r) => safeRealpath(r) ?? path.resolve(r));
  const skipped = new Set<string>();
  const skip = (p: string, reason: string): undefined => {
    if (!skipped.has(p)) {
      skipped.add(p);
      options.onSkip?.(p, reason);
    }
    return undefined;
  };

  const isInside = (filePath: string): boolean => {
    const real = safeRealpath(filePath);
    if (!real) return false;
    return realRoots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  };

  return {
    isInside,
    readFile(uri) {
      const filePath = uriToPath(uri);
      if (!filePath) return undefined;
      // A file that is not there (an optional .terraform/modules/modules.json) is no news.
      if (!fs.existsSync(filePath)) return undefined;
      if (!isInside(filePath)) return skip(filePath, 'outside the workspace');
      try {
        const stat = fs.statSync(filePath);
        if (!stat.isFile()) return undefined;
        if (stat.size > options.maxFileSize) return skip(filePath, `larger than ${options.maxFileSize} bytes`);
        const bytes = fs.readFileSync(filePath);
        if (looksBinary(bytes)) return skip(filePath, 'binary');
        return bytes.toString('utf8').replace(/^\uFEFF/, '');
      } catch (error) {
        return skip(filePath, (error as NodeJS.ErrnoException).code ?? String(error));
      }
    },
    readDirectory(dirUri) {
      const dirPath = uriToPath(dirUri);
      if (!dirPath || !isInside(dirPath)) return undefined;
      try {
        return fs.readdirSync(dirPath, { withFileTypes: true })
          .filter((e) => e.isFile() || e.isSymbolicLink())
          .map((e) => e.name);
      } catch (error) {
        skip(dirPath, (error as NodeJS.ErrnoException).code ?? String(error));
        return undefined;
      }
    },
  };
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** A NUL byte in the first 8 KiB: what git and grep call binary. */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}
