/**
 * WebAssembly memory only grows: one large file parsed in an editor session leaves tree-sitter's
 * heap at its size for the life of the server. Once no document is open, the server swaps the
 * grown copy for the fresh spare (`compactParsers`), and the old heap leaves the process.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { loadTerraformGrammar, type TreeSitterRuntime } from '../../../server/src/engine/terraform/parse/treeSitter';
import { TerraformParser } from '../../../server/src/engine/terraform/parse/terraform';
import { compactParsers } from '../../../server/src/engine/treeSitterRuntime';

const MB = 2 ** 20;
const TRAIL = (name: string): string => `resource "aws_cloudtrail" "${name}" {\n  name           = "${name}"\n  s3_bucket_name = "logs"\n}\n`;

/** Grows the current copy's heap by `bytes` (written to, so that RSS shows it) and frees it again: the heap keeps its size. */
function growHeap(runtime: TreeSitterRuntime, bytes: number): void {
  const module = runtime.current.module as { _malloc(size: number): number; _free(address: number): void; HEAPU8: Uint8Array };
  const address = module._malloc(bytes);
  assert.notEqual(address, 0);
  module.HEAPU8.fill(1, address, address + bytes);
  module._free(address);
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

describe('tree-sitter memory grown by a large file is given back once no document is open', () => {
  let runtime: TreeSitterRuntime;

  beforeEach(async () => {
    runtime = await loadTerraformGrammar();
    await runtime.spareLoaded();
  });

  it('a heap under the threshold is kept as it is', async () => {
    const generation = runtime.generation;
    assert.equal(await compactParsers(runtime.memoryBytes + MB), false);
    assert.equal(runtime.generation, generation);
  });

  it('a grown heap is swapped for a fresh one, its memory leaves the process, and parsing goes on', async function () {
    this.timeout(60000);
    const parser = new TerraformParser(runtime);
    // A document's tree kept in the copy that will be swapped out.
    parser.parse('file:///open.tf', TRAIL('open'), true);
    growHeap(runtime, 160 * MB);
    const grown = runtime.memoryBytes;
    assert.ok(grown > 160 * MB, `${grown} bytes`);
    collectGarbage();
    const before = process.memoryUsage.rss();
    const generation = runtime.generation;
    assert.equal(await compactParsers(64 * MB), true);
    assert.equal(runtime.generation, generation + 1, 'parsers drop the trees of the old copy');
    assert.ok(runtime.memoryBytes <= 64 * MB, `${runtime.memoryBytes} bytes after`);
    // The kept tree belonged to the old copy: the next keystroke parses whole, with the same reading (and lets go of that copy).
    const edited = parser.parse('file:///open.tf', `${TRAIL('open')}# typed\n`, true);
    assert.deepEqual(edited.blocks.map((b) => b.labels.join('.')), ['aws_cloudtrail.open']);
    assert.equal(edited.notChecked, undefined);
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const freed = before - process.memoryUsage.rss();
    assert.ok(freed > 100 * MB, `only ${(freed / MB).toFixed(0)} MB given back`);
    // No spare until the next one has loaded: another compaction waits for it.
    assert.equal(runtime.compact(0), false);
    await runtime.spareLoaded();
    assert.equal(runtime.compact(0), true);
  });
});
