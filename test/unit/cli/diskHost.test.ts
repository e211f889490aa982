/**
 * The disk host reads inside its roots only, whatever symlinks say, and skips what it should
 * not parse; a scan's host (a snapshot) answers the same as an editor's.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDiskHost, pathToUri } from '../../../server/src/diskHost';

describe('disk host', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-host-'));
    root = path.join(base, 'workspace');
    outside = path.join(base, 'elsewhere');
    fs.mkdirSync(path.join(root, 'infra'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'infra', 'main.tf'), '\uFEFFresource "aws_cloudtrail" "t" {}\n');
    fs.writeFileSync(path.join(outside, 'secret.json'), '{"Statement": []}');
    fs.writeFileSync(path.join(root, 'infra', 'blob.json'), Buffer.from([0x7b, 0x00, 0x7d]));
    fs.writeFileSync(path.join(root, 'infra', 'big.tf'), 'x'.repeat(2048));
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'infra', 'linked.json'));
    fs.symlinkSync(path.join(root, 'infra', 'main.tf'), path.join(root, 'infra', 'alias.tf'));
    fs.symlinkSync(outside, path.join(root, 'outside-dir'));
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  for (const snapshot of [false, true]) {
    describe(snapshot ? 'for a scan (snapshot)' : 'for an editor', () => {
      const host = (skips: string[] = []) => createDiskHost({ roots: [root], maxFileSize: 1024, snapshot, onSkip: (file, reason) => skips.push(`${path.relative(base, file)}: ${reason}`) });

      it('reads a file inside the roots, without its byte order mark, also through a symlink that stays inside', () => {
        const h = host();
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'main.tf'))), 'resource "aws_cloudtrail" "t" {}\n');
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'alias.tf'))), 'resource "aws_cloudtrail" "t" {}\n');
      });

      it('refuses files and folders that symlinks lead outside the roots, and says so once', () => {
        const skips: string[] = [];
        const h = host(skips);
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'linked.json'))), undefined);
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'linked.json'))), undefined);
        assert.equal(h.readFile(pathToUri(path.join(root, 'outside-dir', 'secret.json'))), undefined);
        assert.equal(h.readDirectory(pathToUri(path.join(root, 'outside-dir'))), undefined);
        assert.equal(h.readFile(pathToUri(path.join(outside, 'secret.json'))), undefined);
        assert.deepEqual(skips, ['workspace/infra/linked.json', 'workspace/outside-dir/secret.json', 'elsewhere/secret.json'].map((f) => `${f}: outside the workspace`));
      });

      it('skips binary and too large files with the reason, and is silent on missing ones', () => {
        const skips: string[] = [];
        const h = host(skips);
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'blob.json'))), undefined);
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'big.tf'))), undefined);
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'missing.tf'))), undefined);
        assert.equal(h.readFile(pathToUri(path.join(root, 'infra', 'main.tf', 'x.tf'))), undefined);
        assert.deepEqual(skips, ['workspace/infra/blob.json: binary', 'workspace/infra/big.tf: larger than 1024 bytes']);
      });

      it('lists a folder inside the roots', () => {
        assert.deepEqual(host().readDirectory(pathToUri(path.join(root, 'infra')))?.sort(), ['alias.tf', 'big.tf', 'blob.json', 'linked.json', 'main.tf']);
      });

      it(snapshot ? 'keeps a listing until the snapshot is forgotten (a scan forgets it after each batch)' : 'lists a folder afresh each time', () => {
        const h = host();
        const infra = pathToUri(path.join(root, 'infra'));
        h.readDirectory(infra);
        fs.writeFileSync(path.join(root, 'infra', 'added.tf'), '');
        assert.equal(h.readDirectory(infra)?.includes('added.tf'), !snapshot);
        h.forgetSnapshot();
        assert.equal(h.readDirectory(infra)?.includes('added.tf'), true);
      });
    });
  }
});
