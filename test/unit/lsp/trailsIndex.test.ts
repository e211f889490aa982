/**
 * The CloudTrail view's data on a real folder: kept per module between requests, and analysed
 * again only where a change (a watcher event, an edit, a close) can have changed it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDiskHost, pathToUri } from '../../../server/src/diskHost';
import { TrailsIndex } from '../../../server/src/lsp/trails';

const trail = (name: string, key = ''): string => `resource "aws_cloudtrail" "${name}" {\n  name = "${name}"\n${key}  enable_log_file_validation = true\n}\n`;
const KEY = 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n';

describe('CloudTrail view data (TrailsIndex)', function () {
  this.timeout(60000);
  let root: string;
  let open: Map<string, string>;
  let index: TrailsIndex;
  const write = (relative: string, text: string): string => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return pathToUri(file);
  };
  const list = async () => (await index.list([root], [])).trails;
  const encryptOf = (trails: Awaited<ReturnType<typeof list>>, address: string) => trails.find((t) => t.address === address)?.requirements.find((r) => r.id === 'encrypt')?.mark;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-trails-'));
    open = new Map();
    for (let i = 0; i < 30; i++) write(`m${i}/main.tf`, trail(`t${i}`));
    index = new TrailsIndex({
      disk: createDiskHost({ roots: [root], maxFileSize: 1e6 }),
      openText: (uri) => open.get(uri),
      openUris: () => [...open.keys()],
      onSkip: () => undefined,
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a second request with nothing changed analyses nothing and gives the same trails', async () => {
    const first = await list();
    assert.equal(first.length, 30);
    assert.equal(index.analysed, 30);
    assert.deepEqual(await list(), first);
    assert.equal(index.analysed, 30);
  });

  it('a file changed on disk: only its module is analysed again, and the answer is the new one', async () => {
    await list();
    assert.equal(encryptOf(await list(), 'aws_cloudtrail.t3'), 'unmet');
    write('m3/kms.tf', KEY);
    index.changed(pathToUri(path.join(root, 'm3', 'kms.tf')), true);
    const uri = write('m3/main.tf', trail('t3', '  kms_key_id = aws_kms_key.logs.arn\n'));
    index.changed(uri);
    const after = await list();
    assert.equal(index.analysed, 31);
    assert.deepEqual(after.find((t) => t.address === 'aws_cloudtrail.t3')?.chains.map((c) => c.map((s) => s.address).slice(0, 2)), [['aws_cloudtrail.t3', 'aws_kms_key.logs']]);
    assert.equal(after.length, 30);
  });

  it('a change inside a called module drops the caller\'s answer too', async () => {
    write('root/main.tf', 'module "trail" {\n  source = "../mod"\n}\n');
    write('mod/main.tf', trail('inner'));
    await list();
    const before = index.analysed;
    const uri = write('mod/main.tf', trail('inner', '  kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n'));
    index.changed(uri);
    const after = await list();
    // The module's own folder and the root that calls it: nothing else.
    assert.equal(index.analysed - before, 2);
    const inner = after.filter((t) => t.address.includes('inner'));
    assert.ok(inner.length > 0 && inner.every((t) => t.requirements.find((r) => r.id === 'encrypt')?.mark !== 'unmet'), JSON.stringify(after.filter((t) => !/t\d+$/.test(t.address)).map((t) => [t.address, t.requirements[0]])));
  });

  it('an open document counts with its unsaved text, a new unsaved file too, and closing it goes back to the disk', async () => {
    await list();
    const edited = pathToUri(path.join(root, 'm5', 'main.tf'));
    open.set(edited, trail('renamed'));
    index.changed(edited);
    const unsaved = pathToUri(path.join(root, 'm6', 'new.tf'));
    open.set(unsaved, trail('unsaved'));
    index.changed(unsaved);
    const withOpen = (await list()).map((t) => t.address);
    assert.ok(withOpen.includes('aws_cloudtrail.renamed') && !withOpen.includes('aws_cloudtrail.t5'), withOpen.join(', '));
    assert.ok(withOpen.includes('aws_cloudtrail.unsaved') && withOpen.includes('aws_cloudtrail.t6'), withOpen.join(', '));
    open.clear();
    index.changed(edited);
    index.changed(unsaved);
    const closed = (await list()).map((t) => t.address);
    assert.ok(closed.includes('aws_cloudtrail.t5') && !closed.includes('aws_cloudtrail.renamed') && !closed.includes('aws_cloudtrail.unsaved'), closed.join(', '));
  });

  it('a file created or deleted is found by the next request; clear() reads everything again', async () => {
    await list();
    const created = write('m40/main.tf', trail('t40'));
    index.changed(created, true);
    assert.equal((await list()).length, 31);
    fs.rmSync(path.join(root, 'm0'), { recursive: true });
    index.changed(pathToUri(path.join(root, 'm0', 'main.tf')), true);
    assert.equal((await list()).length, 30);
    const before = index.analysed;
    index.clear();
    await list();
    assert.equal(index.analysed - before, 30);
  });
});
