/** Path helpers shared by the disk host, the walker and the server. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether `filePath` is `root` or lies below it (both absolute, in the same form: real or not). */
export function isUnder(filePath: string, root: string): boolean {
  return filePath === root || filePath.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The real path, or undefined when it cannot be resolved (missing, a broken link, no permission). */
export function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}
