/**
 * Test helpers: an analyzer over in-memory files, and one over the shared corpus on disk.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { createAnalyzer, type Analyzer, type AnalyzerConfig, type AnalyzerHost } from '../../server/src/engine';
import { createDiskHost, pathToUri } from '../../server/src/diskHost';

export const MEM_ROOT = 'file:///mem';

/** Files given as `{ 'main.tf': '…', 'modules/trail/main.tf': '…' }` under file:///mem/. */
export function memoryHost(files: Record<string, string>): AnalyzerHost {
  const byUri = new Map(Object.entries(files).map(([p, text]) => [`${MEM_ROOT}/${p}`, text]));
  return {
    readFile: (uri) => byUri.get(uri),
    readDirectory: (dirUri) => {
      const names = [...byUri.keys()].filter((u) => u.slice(0, u.lastIndexOf('/')) === dirUri).map((u) => u.slice(u.lastIndexOf('/') + 1));
      return names.length > 0 ? names : undefined;
    },
  };
}

export async function memoryAnalyzer(files: Record<string, string>, config?: AnalyzerConfig): Promise<Analyzer> {
  return createAnalyzer(memoryHost(files), config);
}

export const memUri = (p: string): string => `${MEM_ROOT}/${p}`;

/** The repository root: the nearest folder above this file with a package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** The shared corpus, read in place (its attribution is in its MANIFEST.tsv). */
export function corpusDir(): string {
  return process.env.CORPUS_DIR ?? path.resolve(repoRoot(), '..', 'shared', 'corpus');
}

export async function corpusAnalyzer(config?: AnalyzerConfig): Promise<Analyzer> {
  return createAnalyzer(createDiskHost({ roots: [corpusDir()], maxFileSize: 5 * 1024 * 1024 }), config);
}

export const corpusUri = (relative: string): string => pathToUri(path.join(corpusDir(), relative));
