// The read-only tools over a real temporary workspace: what the model is shown, and how each refuses.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { rig } from './harness';
import { tempWorkspace } from '../../support/nodeWorkspace';

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';

describe('tools: read_file', () => {
  const t = tempWorkspace({
    ws: {
      'src/a.ts': 'const a = 1;\nconst b = 2;\nconst c = 3;\n',
      'big.txt': lines(300),
      'crlf.txt': 'one\r\ntwo\r\n',
      'empty.txt': '',
      'img.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      '.env': 'API_KEY=sk-live-123\n',
      'min.js': 'x'.repeat(5000),
    },
  });
  const root = t.roots[0] ?? '';
  after(() => t.cleanup());

  it('shows numbered lines and remembers the whole text', async () => {
    const r = rig(t.ws);
    const res = await r.call('read_file', { path: 'src/a.ts' });
    assert.equal(res.ok, true);
    assert.equal(res.content, 'src/a.ts, all 3 lines:\n1| const a = 1;\n2| const b = 2;\n3| const c = 3;');
    assert.equal(res.summary, 'Read src/a.ts (3 lines)');
    assert.deepEqual(res.paths, ['src/a.ts']);
    assert.equal(r.reads.lastRead(join(root, 'src/a.ts')), 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
  });

  it('reads a line range, padding the numbers, and says what the range was', async () => {
    const res = await rig(t.ws).call('read_file', { path: 'big.txt', start_line: 98, end_line: 101 });
    assert.equal(res.content, 'big.txt, lines 98–101 of 300:\n 98| line 98\n 99| line 99\n100| line 100\n101| line 101\n[Showed lines 98–101 of 300.]');
    assert.equal(res.summary, 'Read big.txt lines 98–101 (of 300)');
  });

  it('cuts at readMaxChars and says where to read on', async () => {
    const res = await rig(t.ws, { readMaxChars: 200 }).call('read_file', { path: 'big.txt' });
    const shown = res.content.split('\n').filter((l) => /^\s*\d+\| /.test(l));
    const last = shown.length;
    assert.ok(last > 5 && last < 30, String(last));
    assert.match(res.content, new RegExp(`\\[Showed lines 1–${last} of 300 \\(output limit\\)\\. Read on with start_line=${last + 1}\\.\\]`));
    assert.ok(res.content.length < 320);
  });

  it('cuts one line longer than the whole budget instead of showing nothing', async () => {
    const res = await rig(t.ws, { readMaxChars: 100 }).call('read_file', { path: 'min.js' });
    assert.match(res.content, /1\| x{90,}…\n\[Line 1 is longer than 100 characters and was cut\.\]/);
  });

  it('refuses a range past the end or backwards', async () => {
    const past = await rig(t.ws).call('read_file', { path: 'src/a.ts', start_line: 9 });
    assert.deepEqual([past.ok, past.content], [false, 'src/a.ts has 3 lines; start_line 9 is past the end.']);
    const back = await rig(t.ws).call('read_file', { path: 'big.txt', start_line: 9, end_line: 3 });
    assert.equal(back.ok, false);
    assert.match(back.content, /end_line \(3\) is before start_line \(9\)/);
  });

  it('refuses missing files, directories and binary files, saying what to do instead', async () => {
    const r = rig(t.ws);
    const missing = await r.call('read_file', { path: 'src/nope.ts' });
    assert.equal(missing.ok, false);
    assert.match(missing.content, /src\/nope\.ts does not exist/);
    const dir = await r.call('read_file', { path: 'src' });
    assert.match(dir.content, /src is a directory; use list_directory/);
    const bin = await r.call('read_file', { path: 'img.png' });
    assert.match(bin.content, /img\.png is a binary file \(12 B\)/);
    assert.equal(r.reads.lastRead(join(root, 'img.png')), undefined);
  });

  it('handles empty and CRLF files', async () => {
    const empty = await rig(t.ws).call('read_file', { path: 'empty.txt' });
    assert.deepEqual([empty.ok, empty.content], [true, 'empty.txt is empty.']);
    const crlf = await rig(t.ws).call('read_file', { path: 'crlf.txt' });
    assert.equal(crlf.content, 'crlf.txt, all 2 lines:\n1| one\n2| two');
  });

  it('reads the open editor text (unsaved changes) rather than the file', async () => {
    const path = join(root, 'src/a.ts');
    t.ws.documents.set(path, { text: 'edited in the editor\n', version: 2, dirty: true });
    try {
      const r = rig(t.ws);
      const res = await r.call('read_file', { path: 'src/a.ts' });
      assert.equal(res.content, 'src/a.ts (unsaved editor text), all 1 line:\n1| edited in the editor');
      assert.equal(r.reads.lastRead(path), 'edited in the editor\n');
    } finally {
      t.ws.documents.delete(path);
    }
  });

  it('asks before reading a secret-looking file; a denial returns nothing of it', async () => {
    const r = rig(t.ws);
    r.decide = () => ({ approved: false, reason: 'keys stay private' });
    const denied = await r.call('read_file', { path: '.env' });
    assert.deepEqual(r.approvals, [{ kind: 'secretRead', tool: 'read_file', callId: 'call-1', path: join(root, '.env'), relativePath: '.env' }]);
    assert.equal(denied.ok, false);
    assert.equal(denied.denied, true);
    assert.equal(denied.content, 'The user did not allow reading .env (it looks like it holds secrets). Their reason: keys stay private');
    assert.doesNotMatch(JSON.stringify(denied), /sk-live|API_KEY/);
    assert.equal(denied.summary, 'Denied: keys stay private');
    assert.equal(r.reads.lastRead(join(root, '.env')), undefined);

    r.decide = () => ({ approved: true });
    const allowed = await r.call('read_file', { path: '.env' });
    assert.match(allowed.content, /1\| API_KEY=sk-live-123/);
    assert.equal(r.approvals.length, 2);
  });

  it('asks for a link whose target looks secret, even under an innocent name', async () => {
    symlinkSync(join(root, '.env'), join(root, 'settings.txt'));
    const r = rig(t.ws);
    r.decide = () => ({ approved: false });
    const res = await r.call('read_file', { path: 'settings.txt' });
    assert.equal(res.denied, true);
    assert.equal(r.approvals[0]?.kind, 'secretRead');
    assert.doesNotMatch(res.content, /sk-live/);
  });

  it('does not ask for ordinary files', async () => {
    const r = rig(t.ws);
    await r.call('read_file', { path: 'src/a.ts' });
    assert.equal(r.approvals.length, 0);
  });
});

describe('tools: list_directory', () => {
  const t = tempWorkspace({
    ws: { 'b.ts': '', 'a.ts': '', 'src/x.ts': '', 'lib/y.ts': '', '.DS_Store': '', 'out/z.js': '', 'src/deep/q.ts': '' },
    w2: { 'm.ts': '' },
  });
  const single = { ...t.ws, folders: () => t.ws.folders().slice(0, 1) };
  after(() => t.cleanup());

  it('lists directories first with "/", then files, sorted, without files.exclude matches', async () => {
    t.ws.excludes.files = ['**/.DS_Store', 'out'];
    try {
      const res = await rig(single).call('list_directory', {});
      assert.equal(res.content, './ (2 directories, 2 files):\nlib/\nsrc/\na.ts\nb.ts\n[2 entries hidden by files.exclude.]');
      const sub = await rig(single).call('list_directory', { path: 'src' });
      assert.equal(sub.content, 'src/ (1 directory, 1 file):\ndeep/\nx.ts');
    } finally {
      t.ws.excludes.files = [];
    }
  });

  it('caps the entries and says how many more there are', async () => {
    const res = await rig(single, { listMaxEntries: 3 }).call('list_directory', { path: '.' });
    assert.match(res.content, /\n\[… and 3 more entries not shown/);
    assert.equal(res.content.split('\n').length, 1 + 3 + 1);
  });

  it('refuses a file and a missing path; with several folders, the root lists the folders', async () => {
    assert.match((await rig(single).call('list_directory', { path: 'a.ts' })).content, /a\.ts is a file, not a directory; use read_file/);
    assert.match((await rig(single).call('list_directory', { path: 'zzz' })).content, /zzz does not exist/);
    const multi = await rig(t.ws).call('list_directory', {});
    assert.equal(multi.content, 'The workspace has 2 folders:\nws/\nw2/');
    const inFolder = await rig(t.ws).call('list_directory', { path: 'w2' });
    assert.equal(inFolder.content, 'w2/ (0 directories, 1 file):\nm.ts');
  });
});

describe('tools: find_files', () => {
  const t = tempWorkspace({
    ws: {
      '.gitignore': 'dist/\n*.log\n',
      'src/a.ts': '', 'src/b.ts': '', 'src/gen/.gitignore': '*.gen.ts\n!keep.gen.ts\n', 'src/gen/x.gen.ts': '', 'src/gen/keep.gen.ts': '',
      'dist/out.ts': '', 'debug.log': '', 'node_modules/pkg/index.ts': '', 'README.md': '', 'docs/README.md': '', 'tmp/c.ts': '',
      '.git/HEAD': 'ref', '.github/workflows/ci.yml': '',
    },
  });
  const single = { ...t.ws, folders: () => t.ws.folders().slice(0, 1) };
  after(() => t.cleanup());

  it('matches a glob, respecting .gitignore (nested, with negation), skipping .git and node_modules', async () => {
    const res = await rig(single).call('find_files', { pattern: '**/*.ts' });
    assert.equal(res.content, '4 files match "**/*.ts":\nsrc/a.ts\nsrc/b.ts\nsrc/gen/keep.gen.ts\ntmp/c.ts');
    assert.equal(res.summary, '4 files match **/*.ts');
  });

  it('applies files.exclude, and finds node_modules only when the glob names it', async () => {
    t.ws.excludes.files = ['tmp/**'];
    try {
      const res = await rig(single).call('find_files', { pattern: '**/*.ts' });
      assert.doesNotMatch(res.content, /tmp\/c\.ts/);
    } finally {
      t.ws.excludes.files = [];
    }
    const nm = await rig(single).call('find_files', { pattern: 'node_modules/**/*.ts' });
    assert.match(nm.content, /^1 file match.*\nnode_modules\/pkg\/index\.ts$/);
  });

  it('a bare name matches anywhere; dot directories are found', async () => {
    const res = await rig(single).call('find_files', { pattern: 'README.md' });
    assert.equal(res.content, '2 files match "README.md":\nREADME.md\ndocs/README.md');
    const ci = await rig(single).call('find_files', { pattern: '**/*.yml' });
    assert.match(ci.content, /\.github\/workflows\/ci\.yml/);
    const git = await rig(single).call('find_files', { pattern: '**/HEAD' });
    assert.match(git.content, /^No files match/);
  });

  it('caps the list with the count of the rest', async () => {
    const res = await rig(single, { listMaxEntries: 2 }).call('find_files', { pattern: '**/*' });
    const listed = res.content.split('\n').slice(1, 3);
    assert.equal(listed.length, 2);
    assert.match(res.content, /\[… and \d+ more files not shown; use a narrower pattern\.\]$/);
  });

  it('with several folders, paths carry the folder name, and a glob may start with it', async () => {
    const m = tempWorkspace({ app: { 'src/a.ts': '' }, lib: { 'src/b.ts': '', '.gitignore': 'gen/\n', 'gen/c.ts': '' } });
    try {
      const all = await rig(m.ws).call('find_files', { pattern: 'src/*.ts' });
      assert.equal(all.content, '2 files match "src/*.ts" in 2 folders:\napp/src/a.ts\nlib/src/b.ts');
      const one = await rig(m.ws).call('find_files', { pattern: 'lib/**/*.ts' });
      assert.equal(one.content, '1 file match "lib/**/*.ts" in 2 folders:\nlib/src/b.ts');
      const read = await rig(m.ws).call('read_file', { path: 'lib/src/b.ts' });
      assert.equal(read.content, 'lib/src/b.ts is empty.');
    } finally {
      m.cleanup();
    }
  });

  it('refuses patterns that leave the workspace', async () => {
    assert.equal((await rig(single).call('find_files', { pattern: '../**/*.ts' })).ok, false);
    assert.equal((await rig(single).call('find_files', { pattern: '/etc/*' })).ok, false);
  });
});
