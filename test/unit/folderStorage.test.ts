import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('update: two windows (two instances over one folder) changing one file take turns, no change is lost', async () => {
    const a = new FolderStorage(folder);
    const b = new FolderStorage(folder);
    const bump = (s: FolderStorage) =>
      s.update('counter', async (text) => {
        const n = Number(text ?? '0');
        await new Promise((r) => setTimeout(r, 1)); // a read-modify-write that takes a moment, as a merge does
        return String(n + 1);
      });
    await Promise.all(Array.from({ length: 30 }, (_, i) => bump(i % 2 ? a : b)));
    assert.equal(await a.read('counter'), '30');
    assert.deepEqual(readdirSync(folder), ['counter'], 'no lock or temporary file left');
    await a.update('counter', async () => undefined);
    assert.equal(await a.read('counter'), '30', 'undefined leaves the file as it is');
  });

  it('update takes over a lock left by a window that died holding it, and lists no lock files', async () => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.lock'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(folder, 'index.lock'), old, old);
    const s = new FolderStorage(folder);
    assert.deepEqual(await s.list(), []);
    await s.update('index', async () => 'fresh');
    assert.equal(await s.read('index'), 'fresh');
  });

  it('refuses names that could leave the folder', async () => {
    const s = new FolderStorage(folder);
    for (const bad of ['../x', '..', '.', 'a/b', 'a\\b', '', 'x.tmp', 'x.lock', '.hidden']) {
      await assert.rejects(s.write(bad, 'x'), /Invalid storage name/, bad);
    }
  });
});
