// search_text, get_diagnostics and get_open_editors over a real temporary workspace.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rig } from './harness';
import { tempWorkspace } from '../../support/nodeWorkspace';

describe('tools: search_text', () => {
  const t = tempWorkspace({
    ws: {
      '.gitignore': 'build/\n',
      'src/a.ts': 'const total = price * (1 + rate);\nexport function Foo() {}\nfoo();\n',
      'src/b.ts': 'let x = a.b;\nlet y = aXb;\n',
      'src/sub/.gitignore': 'secret.ts\n',
      'src/sub/secret.ts': 'foo();\n',
      'build/out.js': 'foo();\n',
      'docs/notes.md': 'Foo is documented here\n',
      'long.txt': `${'x'.repeat(500)}NEEDLE${'y'.repeat(500)}\n`,
      'blob.bin': new Uint8Array([0x66, 0x6f, 0x6f, 0, 1, 2]),
      'huge.txt': `${'foo\n'.repeat(3000)}`,
      '.env': 'TOKEN=foo-secret\n',
      'certs/tls.key': 'foo private key\n',
    },
  });
  const root = t.roots[0] ?? '';
  after(() => t.cleanup());

  it('finds literal text case-insensitively, as path:line: text, skipping git-ignored, binary and big files', async () => {
    const res = await rig(t.ws, { searchMaxFileBytes: 1000 }).call('search_text', { query: 'foo' });
    assert.equal(
      res.content,
      '3 matches for text "foo" in 2 files:\ndocs/notes.md:1: Foo is documented here\nsrc/a.ts:2: export function Foo() {}\nsrc/a.ts:3: foo();\n' +
        '[2 files larger than 1000 bytes skipped.]',
    );
    const secret = await rig(t.ws).call('search_text', { query: 'private key' });
    assert.equal(
      secret.content,
      'No matches for text "private key" (7 files searched).\n[2 secret-looking files (.env, keys) not searched; read_file asks the user before showing one.]',
    );
  });

  it('respects case_sensitive', async () => {
    const res = await rig(t.ws).call('search_text', { query: 'Foo', case_sensitive: true, include: 'src/**' });
    assert.equal(res.content, '1 match for text "Foo" in src/** in 1 file:\nsrc/a.ts:2: export function Foo() {}');
  });

  it('escapes regex characters in a literal query; a regex query is a regex', async () => {
    const literal = await rig(t.ws).call('search_text', { query: '(1 + rate)' });
    assert.equal(literal.content, '1 match for text "(1 + rate)" in 1 file:\nsrc/a.ts:1: const total = price * (1 + rate);');
    const dot = await rig(t.ws).call('search_text', { query: 'a.b' });
    assert.match(dot.content, /^1 match .*\nsrc\/b\.ts:1: let x = a\.b;$/);
    const regex = await rig(t.ws).call('search_text', { query: 'a.b', regex: true });
    assert.match(regex.content, /^2 matches/);
    const anchored = await rig(t.ws).call('search_text', { query: '^foo\\(\\);$', regex: true, include: '*.ts' });
    assert.equal(anchored.content, '1 match for regex "^foo\\\\(\\\\);$" in *.ts in 1 file:\nsrc/a.ts:3: foo();');
  });

  it('returns an invalid regex as a tool error the model can fix', async () => {
    const res = await rig(t.ws).call('search_text', { query: 'foo(', regex: true });
    assert.equal(res.ok, false);
    assert.match(res.content, /^The regular expression is invalid: .*Unterminated group.*regex: false/);
  });

  it('cuts long lines around the match, and caps the results', async () => {
    const long = await rig(t.ws).call('search_text', { query: 'NEEDLE' });
    const line = long.content.split('\n')[1] ?? '';
    assert.match(line, /^long\.txt:1: …x+NEEDLEy+…$/);
    assert.ok(line.length < 230, String(line.length));
    const capped = await rig(t.ws, { searchMaxResults: 5 }).call('search_text', { query: 'foo' });
    assert.equal(capped.content.split('\n').filter((l) => /^huge\.txt:\d+: foo$/.test(l)).length, 5);
    assert.match(capped.content, /^5 matches\+ .*\n[\s\S]*\[Stopped at 5 matches; there are more\. Narrow the query or use include\.\]$/);
  });

  it('searches the open editor text, and honours search.exclude', async () => {
    const path = join(root, 'src/b.ts');
    t.ws.documents.set(path, { text: 'unsavedToken here\n', version: 3, dirty: true });
    try {
      const res = await rig(t.ws).call('search_text', { query: 'unsavedToken' });
      assert.equal(res.content, '1 match for text "unsavedToken" in 1 file:\nsrc/b.ts:1: unsavedToken here');
      t.ws.excludes.search = ['src/**'];
      const excluded = await rig(t.ws).call('search_text', { query: 'unsavedToken' });
      assert.match(excluded.content, /^No matches for text "unsavedToken"/);
    } finally {
      t.ws.documents.delete(path);
      t.ws.excludes.search = [];
    }
  });

  it('never follows a symlink out of the workspace (files or folders); a link to a file inside is searched', async () => {
    const outside = join(t.base, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'leak.txt'), 'LEAKED_TOKEN\n');
    symlinkSync(join(outside, 'leak.txt'), join(root, 'leak-link.txt'));
    symlinkSync(outside, join(root, 'out-dir'));
    symlinkSync(join(root, 'docs/notes.md'), join(root, 'notes-link.md'));
    const leak = await rig(t.ws).call('search_text', { query: 'LEAKED_TOKEN' });
    assert.match(leak.content, /^No matches/);
    const files = await rig(t.ws).call('find_files', { pattern: '**/*' });
    assert.doesNotMatch(files.content, /leak|out-dir/);
    const inside = await rig(t.ws).call('search_text', { query: 'documented' });
    assert.match(inside.content, /^2 matches .*\nnotes-link\.md:1: .*\ndocs\/notes\.md:1: /);
  });

  it('stops when the signal aborts', async () => {
    const r = rig(t.ws);
    r.abort.abort();
    const res = await r.call('search_text', { query: 'foo' });
    assert.deepEqual([res.ok, res.content], [false, 'Cancelled.']);
  });
});

describe('tools: get_diagnostics and get_open_editors', () => {
  const t = tempWorkspace({ ws: { 'src/a.ts': 'x\n', 'src/b.ts': 'y\n' } });
  const root = t.roots[0] ?? '';
  after(() => t.cleanup());

  it('says "no problems" explicitly, for the workspace and for one file', async () => {
    t.ws.diagnosticList = [];
    assert.equal((await rig(t.ws).call('get_diagnostics', {})).content, 'No problems reported in the workspace.');
    assert.equal((await rig(t.ws).call('get_diagnostics', { path: 'src/a.ts' })).content, 'No problems reported in src/a.ts.');
  });

  it('lists problems by severity with path:line:col, message and source; drops files outside the workspace', async () => {
    t.ws.diagnosticList = [
      { path: join(root, 'src/b.ts'), severity: 'warning', message: 'unused x', line: 4, column: 2, endLine: 4, endColumn: 3, source: 'eslint', code: 'no-unused-vars' },
      { path: join(root, 'src/a.ts'), severity: 'error', message: "Type 'string' is not\nassignable", line: 10, column: 5, endLine: 10, endColumn: 9, source: 'ts', code: '2322' },
      { path: '/usr/lib/node_modules/x.d.ts', severity: 'error', message: 'elsewhere', line: 1, column: 1, endLine: 1, endColumn: 1 },
    ];
    const all = await rig(t.ws).call('get_diagnostics', {});
    assert.equal(
      all.content,
      "1 error, 1 warning in 2 files:\nerror src/a.ts:10:5 Type 'string' is not assignable [ts 2322]\nwarning src/b.ts:4:2 unused x [eslint no-unused-vars]",
    );
    const one = await rig(t.ws).call('get_diagnostics', { path: 'src/b.ts' });
    assert.equal(one.content, '1 warning in 1 file:\nwarning src/b.ts:4:2 unused x [eslint no-unused-vars]');
    assert.equal((await rig(t.ws).call('get_diagnostics', { path: '../x' })).ok, false);
  });

  it('lists open editors, active first, with the selection capped', async () => {
    t.ws.editorList = [
      { path: join(root, 'src/b.ts'), languageId: 'typescript', active: false, dirty: true },
      { path: join(root, 'src/a.ts'), languageId: 'typescript', active: true, dirty: false, selection: { startLine: 3, startColumn: 1, endLine: 4, endColumn: 7, text: 'let a;\nlet b;' } },
      { path: '/etc/hosts', languageId: 'plaintext', active: false, dirty: false },
    ];
    const res = await rig(t.ws).call('get_open_editors', {});
    assert.equal(
      res.content,
      '2 open editors:\nsrc/a.ts (typescript, active)\n  selection: lines 3–4, columns 1–7\n  > let a;\n  > let b;\nsrc/b.ts (typescript, unsaved changes)',
    );
    assert.equal(res.summary, '2 open editors, active src/a.ts');
    t.ws.editorList = [{ path: join(root, 'src/a.ts'), languageId: 'typescript', active: true, dirty: false, selection: { startLine: 1, startColumn: 1, endLine: 900, endColumn: 1, text: 'z'.repeat(5000) } }];
    const big = await rig(t.ws).call('get_open_editors', {});
    assert.match(big.content, /> z{2000}\n {2}> \[… selection cut at 2000 characters; read_file shows the rest\.\]$/);
    t.ws.editorList = [];
    assert.equal((await rig(t.ws).call('get_open_editors', {})).content, 'No workspace files are open in the editor.');
  });
});
