import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderStorage } from '../../src/vscode/storage';

describe('FolderStorage (the chat history on disk)', () => {
  let dir: string;
  let folder: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qwen-storage-'));
    folder = join(dir, 'chat'); // does not exist yet: the first write creates it
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it wrote, lists it, removes it', async () => {
    const s = new FolderStorage(folder);
    assert.equal(await s.read('index'), undefined);
    assert.deepEqual(await s.list(), []);
    await s.write('index', '{"v":1}');
    await s.write('conv-1', 'ünïcode ✓');
    assert.equal(await s.read('index'), '{"v":1}');
    assert.equal(await s.read('conv-1'), 'ünïcode ✓');
    assert.deepEqual(await s.list(), ['conv-1', 'index']);
    await s.remove('conv-1');
    await s.remove('conv-1'); // removing twice is fine
    assert.deepEqual(await s.list(), ['index']);
  });

  it('overlapping writes of one name leave one whole version and no temporary files', async () => {
    const s = new FolderStorage(folder);
    const versions = Array.from({ length: 20 }, (_, i) => `version ${i} `.repeat(5000));
    await Promise.all(versions.map((v) => s.write('conv-x', v)));
    assert.ok(versions.includes((await s.read('conv-x')) ?? ''), 'a torn or missing file');
    assert.deepEqual(readdirSync(folder), ['conv-x']);
  });

  it('a temporary file left by a crash mid-write is not listed and does not replace the last version', async () => {
    const s = new FolderStorage(folder);
    await s.write('index', 'good');
    writeFileSync(join(folder, 'index.deadbeef.tmp'), 'half a wri');
    assert.equal(await s.read('index'), 'good');
    assert.deepEqual(await s.list(), ['index']);
  });

  it('refuses names that could leave the folder', async () => {
    const s = new FolderStorage(folder);
    for (const bad of ['../x', '..', '.', 'a/b', 'a\\b', '', 'x.tmp', '.hidden']) {
      await assert.rejects(s.write(bad, 'x'), /Invalid storage name/, bad);
    }
  });
});
