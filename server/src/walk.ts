/**
 * Finds the files a scan looks at, below some roots: depth-first, symlinked folders followed
 * once (their real path is remembered, so a link loop ends) and only while they stay inside the
 * roots (a link to `/` would otherwise list the whole machine), excluded globs pruned before
 * descending, unreadable folders reported and skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCheckedFileName } from './engine';
import { isUnder, safeRealpath } from './paths';

export interface WalkOptions {
  /** Globs relative to a root (`**` any folders, `*` any name part), `/`-separated. */
  exclude: string[];
  onSkip?: (filePath: string, reason: string) => void;
}


export function* walkFiles(roots: string[], options: WalkOptions): Generator<string> {
  const excluded = options.exclude.map(globToRegExp);
  const visited = new Set<string>();
  const inside = insideRoots(roots);
  for (const root of roots) {
    const stat = statOrUndefined(root);
    if (stat?.isFile()) {
      if (isCheckedFileName(path.basename(root))) yield path.resolve(root);
      continue;
    }
    yield* walkDir(path.resolve(root), path.resolve(root), excluded, visited, inside, options);
  }
}

function* walkDir(root: string, dir: string, excluded: RegExp[], visited: Set<string>, inside: (real: string) => boolean, options: WalkOptions): Generator<string> {
  let real: string;
  try {
    real = fs.realpathSync.native(dir);
  } catch (error) {
    options.onSkip?.(dir, (error as NodeJS.ErrnoException).code ?? String(error));
    return;
  }
  if (visited.has(real)) return;
  visited.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    options.onSkip?.(dir, (error as NodeJS.ErrnoException).code ?? String(error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (excluded.some((re) => re.test(relative) || re.test(`${relative}/`))) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = statOrUndefined(full);
      if (!target) {
        options.onSkip?.(full, 'broken symbolic link');
        continue;
      }
      isDir = target.isDirectory();
      isFile = target.isFile();
      if (isDir && !inside(safeRealpath(full) ?? full)) {
        options.onSkip?.(full, 'symbolic link to a folder outside the scanned paths');
        continue;
      }
    }
    if (isDir) yield* walkDir(root, full, excluded, visited, inside, options);
    else if (isFile && isCheckedFileName(path.basename(full))) yield full;
  }
}

/** Whether a real path lies in one of the roots (a file root stands for its folder). */
function insideRoots(roots: string[]): (real: string) => boolean {
  const folders = roots.map((root) => {
    const resolved = path.resolve(root);
    const folder = statOrUndefined(resolved)?.isFile() ? path.dirname(resolved) : resolved;
    return safeRealpath(folder) ?? folder;
  });
  return (real) => folders.some((folder) => isUnder(real, folder));
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** `**\/node_modules/**` → a RegExp over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      const slash = g[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
