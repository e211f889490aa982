import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileCacheDir } from '../../../server/src/boot/compileCache';

const loader = path.join(__dirname, '..', '..', '..', 'server', 'src', 'boot', 'compileCache.js');
const native = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** Loads `bundle` through the cache in a fresh Node, as the server's entry point does; prints what it saw. */
function load(bundle: string, cacheDir: string | undefined): { cache: string; exports: { dirname: string; filename: string; answer: number; sep?: string } } {
  const script = `const { requireCached } = require(${JSON.stringify(loader)});
const loaded = requireCached(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)});
process.stdout.write(JSON.stringify(loaded));`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: '' } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe('the server bundle is loaded with a compile cache between starts', () => {
  let dir: string;
  let bundle: string;
  let cacheDir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctk-compile-cache-'));
    bundle = path.join(dir, 'bundle.js');
    fs.writeFileSync(bundle, 'module.exports = { dirname: __dirname, filename: __filename, answer: 42, sep: require("node:path").sep };\n');
    cacheDir = path.join(dir, 'cache');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle as a module (its exports, __dirname, __filename and require) and uses the cache on the next start', function () {
    const dirOk = compileCacheDir(cacheDir);
    assert.equal(dirOk, cacheDir);
    const first = load(bundle, dirOk);
    assert.deepEqual(first.exports, { dirname: dir, filename: bundle, answer: 42, sep: path.sep });
    if (native) {
      // Node's own compile cache does the work; ours stays out of it.
      assert.equal(first.cache, 'native');
      return;
    }
    assert.equal(first.cache, 'compiled');
    const written = fs.readdirSync(cacheDir);
    assert.equal(written.length, 1, 'one cache file, written when the process ended');
    assert.match(written[0], /^bundle-\d+-\d+-v[\d.]+-\w+\.cache$/);
    const second = load(bundle, dirOk);
    assert.equal(second.cache, 'used');
    assert.deepEqual(second.exports, first.exports);
  });

  it('starts a new cache when the bundle is rebuilt, and removes the old one', function () {
    if (native) this.skip();
    load(bundle, compileCacheDir(cacheDir));
    const before = fs.readdirSync(cacheDir);
    fs.writeFileSync(bundle, 'module.exports = { dirname: __dirname, filename: __filename, answer: 43 };\n');
    fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    const rebuilt = load(bundle, compileCacheDir(cacheDir));
    assert.equal(rebuilt.cache, 'compiled');
    assert.equal(rebuilt.exports.answer, 43);
    const after = fs.readdirSync(cacheDir);
    assert.equal(after.length, 1);
    assert.notEqual(after[0], before[0]);
    assert.equal(load(bundle, compileCacheDir(cacheDir)).cache, 'used');
  });

  it('a corrupt cache file is rejected by V8 and replaced; the bundle still runs', function () {
    if (native) this.skip();
    load(bundle, compileCacheDir(cacheDir));
    const [name] = fs.readdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, name), Buffer.alloc(4096, 7));
    const loaded = load(bundle, compileCacheDir(cacheDir));
    assert.equal(loaded.cache, 'compiled');
    assert.equal(loaded.exports.answer, 42);
    assert.equal(load(bundle, compileCacheDir(cacheDir)).cache, 'used');
  });

  it('never uses a directory other users can write to, or a symbolic link', function () {
    if (process.platform === 'win32') this.skip();
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    assert.equal(compileCacheDir(shared), undefined);
    const link = path.join(dir, 'link');
    fs.mkdirSync(path.join(dir, 'target'), { mode: 0o700 });
    fs.symlinkSync(path.join(dir, 'target'), link);
    assert.equal(compileCacheDir(link), undefined);
    // Without a directory the bundle is loaded plainly.
    assert.equal(load(bundle, undefined).cache, 'off');
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off', () => {
    const saved = process.env.NODE_DISABLE_COMPILE_CACHE;
    process.env.NODE_DISABLE_COMPILE_CACHE = '1';
    try {
      assert.equal(compileCacheDir(cacheDir), undefined);
    } finally {
      if (saved === undefined) delete process.env.NODE_DISABLE_COMPILE_CACHE;
      else process.env.NODE_DISABLE_COMPILE_CACHE = saved;
    }
  });
});
