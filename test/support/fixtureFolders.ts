/**
 * Some fixture files are stored as `<name>.yaml.txt` (or `.tf.txt`, `.tofu.txt`, `.json.txt`) so
 * that the fuzzers' seed pool and the workspace's own scans do not take them (see the fixture
 * folders' README). Their tests read them under their real name: a copy of the folder in a
 * temporary directory with `.txt` dropped from those names.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const STORED_SUFFIX = /\.(ya?ml|tf|tofu|json)\.txt$/;

/** The name the file is analyzed under: `stores.yaml.txt` → `stores.yaml`, `main.tf.txt` → `main.tf`. */
export const realName = (file: string): string => file.replace(STORED_SUFFIX, '.$1');

/** A fresh copy of `folder` with every stored template under its real name; returns its path. */
export function fixtureCopy(folder: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-fixtures-'));
  const walk = (from: string, to: string): void => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(from, entry.name), path.join(to, entry.name));
      else if (entry.isFile()) fs.copyFileSync(path.join(from, entry.name), path.join(to, realName(entry.name)));
    }
  };
  walk(folder, copy);
  return copy;
}
