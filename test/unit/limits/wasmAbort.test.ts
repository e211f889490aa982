/**
 * Robustness case 12's second half: once tree-sitter's WASM heap is full, every call into that
 * instance aborts, and before the runtime could be replaced no Terraform file parsed again for
 * the life of the server. The heap is filled here the way a hostile file fills it, but directly
 * (the instance's own `malloc`, until it refuses), because the parse budget now stops such files
 * long before: the tests then prove that the file being parsed is reported as not checked, that
 * the runtime is replaced by a fresh instance, and that every later file is read as usual.
 *
 * These tests replace the process's Terraform runtime: every test after them runs on the
 * replacement, which is part of the proof.
 *
 * Also here, since it swaps the runtime the same way: WebAssembly memory only grows, so one large
 * file parsed in an editor session would leave tree-sitter's heap at its size for the life of
 * the server. Once no document is open, the server swaps the grown copy for the fresh spare
 * (`compactParsers`), and the old heap leaves the process.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { loadTerraformGrammar, type TreeSitterRuntime } from '../../../server/src/engine/terraform/parse/treeSitter';
import { TerraformParser } from '../../../server/src/engine/terraform/parse/terraform';
import { memoryAnalyzer, memUri } from '../../support/engine';
import { parseTypeScript } from '../../../server/src/engine/cdk/parse/tsTree';
import { startParserRuntime } from '../../../server/src/engine/cdk/parse/typescriptGrammar';
import { compactParsers } from '../../../server/src/engine/treeSitterRuntime';

const MB = 2 ** 20;

const TRAIL = (name: string): string => `resource "aws_cloudtrail" "${name}" {\n  name           = "${name}"\n  s3_bucket_name = "logs"\n\n  enable_log_file_validation = true\n}\n`;

/** Fills the current instance's heap (and touches `touchBytes` of it, so that RSS shows whether it is given back). */
function fillHeap(runtime: TreeSitterRuntime, touchBytes = 0): void {
  const module = runtime.current.module as { _malloc(size: number): number; HEAPU8: Uint8Array };
  let touched = 0;
  for (let size = 2 ** 30; size >= 1; ) {
    const address = module._malloc(size);
    if (address === 0) {
      size = Math.floor(size / 2);
      continue;
    }
    if (touched < touchBytes) {
      const length = Math.min(size, touchBytes - touched);
      module.HEAPU8.fill(1, address, address + length);
      touched += length;
    }
  }
}

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

const findings = (list: { ruleId: string }[]): string[] => list.map((f) => f.ruleId);

describe('the tree-sitter runtime, replaced', () => {
  let runtime: TreeSitterRuntime;

  beforeEach(async () => {
    runtime = await loadTerraformGrammar();
    await runtime.spareLoaded();
  });

  describe('robustness 12-wasm-memory-exhaustion: a WASM abort replaces the runtime instead of poisoning it', () => {
    it('the file being parsed is not checked, with a note; the next file of another folder gets its finding', async () => {
      const analyzer = await memoryAnalyzer({ 'a/main.tf': TRAIL('a'), 'b/main.tf': TRAIL('b'), 'c/main.tf': TRAIL('c') });
      assert.deepEqual(findings(analyzer.analyze(memUri('a/main.tf'))), ['CTK001'], 'before');
      const restarts = runtime.restarts;
      fillHeap(runtime);
      assert.deepEqual(analyzer.analyze(memUri('b/main.tf')), []);
      assert.match(analyzer.notChecked(memUri('b/main.tf')) ?? '', /^the Terraform parser failed on this file \(.+\) and was restarted, so other files are read as usual$/);
      assert.equal(runtime.restarts, restarts + 1);
      assert.deepEqual(findings(analyzer.analyze(memUri('c/main.tf'))), ['CTK001'], 'after: parsed by the fresh instance');
      assert.equal(analyzer.notChecked(memUri('c/main.tf')), undefined);
    });

    it('an open document whose tree lived in the failed instance is parsed whole again, with the same findings', async () => {
      const analyzer = await memoryAnalyzer({});
      const uri = memUri('open/main.tf');
      analyzer.setDocument(uri, TRAIL('open'));
      assert.deepEqual(findings(analyzer.analyze(uri)), ['CTK001']);
      fillHeap(runtime);
      analyzer.setDocument(memUri('other/main.tf'), TRAIL('other'));
      analyzer.analyze(memUri('other/main.tf'));
      analyzer.setDocument(uri, `${TRAIL('open')}\n# typed after the failure\n`);
      assert.deepEqual(findings(analyzer.analyze(uri)), ['CTK001']);
      analyzer.closeDocument(uri);
    });

    it('two failures in a row: the second file is noted while the next instance loads, and read once it has', async () => {
      const parser = new TerraformParser(runtime);
      fillHeap(runtime);
      assert.match(parser.parse('file:///first.tf', TRAIL('first')).notChecked ?? '', /failed on this file/);
      fillHeap(runtime);
      assert.match(parser.parse('file:///second.tf', TRAIL('second')).notChecked ?? '', /failed on this file/);
      const waiting = parser.parse('file:///third.tf', TRAIL('third'));
      assert.equal(waiting.notChecked, 'the Terraform parser was being restarted after it failed on another file');
      assert.equal(waiting.notCheckedTransient, true, 'so the analyzer parses it again next time');
      await runtime.spareLoaded();
      const third = parser.parse('file:///third.tf', TRAIL('third'));
      assert.equal(third.notChecked, undefined);
      assert.deepEqual(third.blocks.map((b) => b.labels.join('.')), ['aws_cloudtrail.third']);
    });

    it('the TypeScript grammar (CDK apps) shares the runtime: its file is noted, and it parses again on the fresh instance', async () => {
      await startParserRuntime();
      const stack = "import { Trail } from 'aws-cdk-lib/aws-cloudtrail';\nnew Trail(this, 'Trail');\n";
      assert.equal(parseTypeScript('file:///a/stack.ts', stack).file.notChecked, undefined, 'before');
      fillHeap(runtime);
      assert.match(parseTypeScript('file:///a/stack.ts', stack).file.notChecked ?? '', /^the TypeScript parser failed on this file \(.+\) and was restarted/);
      const again = parseTypeScript('file:///b/stack.ts', stack);
      assert.equal(again.file.notChecked, undefined);
      assert.ok(again.root.children.length > 0);
    });

    it('the failed instance is given back: its memory leaves the process, and its trees\' finalizers do not fail', async function () {
      this.timeout(60000);
      const analyzer = await memoryAnalyzer({ 'x/main.tf': TRAIL('x'), 'y/main.tf': TRAIL('y') });
      // Trees and a parser of the instance that will fail, left to the garbage collector.
      let doomed: TerraformParser | undefined = new TerraformParser(runtime);
      for (let i = 0; i < 20; i++) doomed.parse(`file:///kept${i}.tf`, TRAIL(`kept${i}`), true);
      collectGarbage();
      const before = process.memoryUsage.rss();
      fillHeap(runtime, 256 * 2 ** 20);
      assert.ok(process.memoryUsage.rss() - before > 200 * 2 ** 20, 'the filled heap shows in RSS');
      analyzer.analyze(memUri('x/main.tf'));
      assert.match(analyzer.notChecked(memUri('x/main.tf')) ?? '', /failed on this file/);
      doomed = undefined;
      for (let i = 0; i < 3; i++) {
        collectGarbage();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const grown = process.memoryUsage.rss() - before;
      assert.ok(grown < 100 * 2 ** 20, `RSS still ${(grown / 2 ** 20).toFixed(0)} MB above where it was`);
      assert.deepEqual(findings(analyzer.analyze(memUri('y/main.tf'))), ['CTK001']);
    });
  });

  describe('tree-sitter memory grown by a large file is given back once no document is open', () => {
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
});
