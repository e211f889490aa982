/**
 * Loads a bundle with V8's code cache, so a language server that starts again does not compile
 * its 1.4 MB of JavaScript again (about a third of its start-up on Node 20).
 *
 * Node 22.1 and later have this built in (`module.enableCompileCache`). Older Node (the Electron
 * of VS Code 1.91–1.99 runs Node 20) gets the same from `vm.Script`'s `cachedData`: the cache is
 * written once the server has run a while, so it holds the functions the first analysis compiled
 * too, not only the bundle's top level. V8 rejects a cache made for other source, another V8 or
 * other flags (`cachedDataRejected`); the file name also carries the bundle's size and time, so a
 * rebuilt bundle starts a new cache.
 *
 * A code cache is code: the directory is used only when it is this user's own (created here with
 * mode 0700, not a symbolic link, owned by this user), never one another user could write to.
 * NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** How long after loading the cache is written: the first document's analysis is done by then. */
const WRITE_AFTER_MS = 5000;

/** The directory for the cache: `preferred` (the editor's storage for this extension) or a per-user one under the temporary directory. */
export function compileCacheDir(preferred: string | undefined): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = preferred || path.join(os.tmpdir(), `cloudtrail-kms-lint-${uid ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || stat.isSymbolicLink()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

type ModuleInternals = typeof Module & { wrap(source: string): string; enableCompileCache?: (dir: string) => unknown };

/**
 * How a bundle was loaded: with Node's own compile cache, from this cache, compiled (the cache
 * is written later), or plainly (no cache directory, or the bundle could not be read here).
 */
export type CacheUse = 'native' | 'used' | 'compiled' | 'off';

/** `require(file)`, with its compiled code cached in `cacheDir` (none: a plain `require`). */
export function requireCached(file: string, cacheDir: string | undefined): { exports: unknown; cache: CacheUse } {
  const internals = Module as ModuleInternals;
  if (cacheDir === undefined) return { exports: require(file), cache: 'off' };
  if (typeof internals.enableCompileCache === 'function') {
    internals.enableCompileCache(cacheDir);
    return { exports: require(file), cache: 'native' };
  }
  let source: string;
  let cacheFile: string;
  try {
    source = fs.readFileSync(file, 'utf8');
    const stat = fs.statSync(file);
    cacheFile = path.join(cacheDir, `${path.basename(file, '.js')}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.cache`);
  } catch {
    return { exports: require(file), cache: 'off' };
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(internals.wrap(source), { filename: file, cachedData });
  const used = cachedData !== undefined && script.cachedDataRejected !== true;
  if (!used) writeLater(script, cacheFile);
  // Run as the module system would: the bundle sees its own require, module, __filename, __dirname.
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  wrapper.call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
  bundle.loaded = true;
  return { exports: bundle.exports, cache: used ? 'used' : 'compiled' };
}

/** Writes the cache once, after the first analysis or at exit, whichever comes first; any failure only means no cache. */
function writeLater(script: vm.Script, cacheFile: string): void {
  let written = false;
  const write = (): void => {
    if (written) return;
    written = true;
    try {
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temporary, cacheFile);
      // Caches of earlier builds of the same bundle are of no use any more.
      const prefix = `${path.basename(cacheFile).split('-')[0]}-`;
      for (const name of fs.readdirSync(path.dirname(cacheFile))) {
        if (name.startsWith(prefix) && name !== path.basename(cacheFile)) fs.rmSync(path.join(path.dirname(cacheFile), name), { force: true });
      }
    } catch {
      // A read-only or full disk: the next start compiles again.
    }
  };
  setTimeout(write, WRITE_AFTER_MS).unref();
  process.once('exit', write);
}
