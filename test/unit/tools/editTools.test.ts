// edit_file and create_file over real files: the exactly-once rule, line endings kept, conflicts, approvals.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rig } from './harness';
import { tempWorkspace } from '../../support/nodeWorkspace';
import { applySearchReplace, rewriteKeepingStyle } from '../../../src/core/tools/textEdits';

describe('tools: edit_file', () => {
  const t = tempWorkspace({ ws: {} });
  const root = t.roots[0] ?? '';
  const file = (rel: string, text: string) => {
    writeFileSync(join(root, rel), text);
    return join(root, rel);
  };
  const disk = (rel: string) => readFileSync(join(root, rel), 'utf8');
  after(() => t.cleanup());

  it('applies search/replace blocks in order after approval, with the diff in the request', async () => {
    const path = file('a.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    const r = rig(t.ws);
    const res = await r.call('edit_file', { path: 'a.ts', edits: [{ search: 'const b = 2;', replace: 'const b = 20;' }, { search: 'b = 20;\nconst c', replace: 'b = 20;\nlet c' }] });
    assert.equal(res.ok, true, res.content);
    assert.equal(disk('a.ts'), 'const a = 1;\nconst b = 20;\nlet c = 3;\n');
    assert.deepEqual(r.approvals, [
      { kind: 'edit', tool: 'edit_file', callId: 'call-1', path, relativePath: 'a.ts', before: 'const a = 1;\nconst b = 2;\nconst c = 3;\n', after: 'const a = 1;\nconst b = 20;\nlet c = 3;\n', create: false },
    ]);
    assert.equal(res.content, 'Edited a.ts: lines 2–3 changed; it now has 3 lines.');
    assert.equal(res.summary, 'Edited a.ts');
    assert.equal(r.reads.lastRead(path), disk('a.ts'), 'the new text is what the model knows now');
  });

  it('refuses a block that matches nowhere or several times, naming the block, and changes nothing', async () => {
    file('b.ts', 'x();\ny();\nx();\n');
    const r = rig(t.ws);
    const twice = await r.call('edit_file', { path: 'b.ts', edits: [{ search: 'y();', replace: 'z();' }, { search: 'x();', replace: 'w();' }] });
    assert.equal(twice.ok, false);
    assert.match(twice.content, /^Edit 2 of 2: its search text \(starting "x\(\);"\) matches 2 places \(lines 1, 3\); include more surrounding lines/);
    const none = await r.call('edit_file', { path: 'b.ts', edits: [{ search: 'q();', replace: '' }] });
    assert.match(none.content, /^The edit: its search text \(starting "q\(\);"\) was not found in the file\. Read the file again/);
    const indent = await r.call('edit_file', { path: 'b.ts', edits: [{ search: '  y();', replace: '' }] });
    assert.match(indent.content, /matches when its leading\/trailing whitespace is removed/);
    assert.equal(disk('b.ts'), 'x();\ny();\nx();\n');
    assert.equal(r.approvals.length, 0, 'nothing to approve when the edit does not apply');
  });

  it('keeps a CRLF file CRLF when the model sends LF blocks, and keeps the final newline', async () => {
    file('crlf.ts', 'one\r\ntwo\r\nthree\r\n');
    const res = await rig(t.ws).call('edit_file', { path: 'crlf.ts', edits: [{ search: 'one\ntwo', replace: 'one\n2\nextra' }] });
    assert.equal(res.ok, true, res.content);
    assert.equal(disk('crlf.ts'), 'one\r\n2\r\nextra\r\nthree\r\n');
  });

  it('refuses when the file changed since the model read it, and accepts after a fresh read', async () => {
    file('c.ts', 'v1\n');
    const r = rig(t.ws);
    await r.call('read_file', { path: 'c.ts' });
    file('c.ts', 'v2 by someone else\n');
    const res = await r.call('edit_file', { path: 'c.ts', edits: [{ search: 'v2', replace: 'v3' }] });
    assert.equal(res.ok, false);
    assert.equal(res.content, 'c.ts changed since you read it (edited in the editor or on disk). Read it again with read_file, then redo the edit on the current text.');
    assert.equal(disk('c.ts'), 'v2 by someone else\n');
    await r.call('read_file', { path: 'c.ts' });
    assert.equal((await r.call('edit_file', { path: 'c.ts', edits: [{ search: 'v2', replace: 'v3' }] })).ok, true);
    assert.equal(disk('c.ts'), 'v3 by someone else\n');
  });

  it('refuses when the file changes while the user looks at the diff', async () => {
    file('d.ts', 'before\n');
    const r = rig(t.ws);
    r.decide = () => {
      file('d.ts', 'typed meanwhile\n');
      return { approved: true };
    };
    const res = await r.call('edit_file', { path: 'd.ts', edits: [{ search: 'before', replace: 'after' }] });
    assert.equal(res.ok, false);
    assert.match(res.content, /d\.ts changed since you read it/);
    assert.equal(disk('d.ts'), 'typed meanwhile\n');
  });

  it('refuses a whole-file rewrite of a file it never read; after reading, rewrites keeping CRLF and the final newline', async () => {
    file('e.ts', 'old\r\nlines\r\n');
    const r = rig(t.ws);
    const blind = await r.call('edit_file', { path: 'e.ts', content: 'new\n' });
    assert.equal(blind.ok, false);
    assert.match(blind.content, /You have not read e\.ts; read it with read_file before rewriting it whole/);
    await r.call('read_file', { path: 'e.ts' });
    const res = await r.call('edit_file', { path: 'e.ts', content: 'new\ntext' });
    assert.equal(res.ok, true, res.content);
    assert.equal(disk('e.ts'), 'new\r\ntext\r\n');
  });

  it('edits the open editor text (what the user sees), through the port', async () => {
    const path = file('f.ts', 'on disk\n');
    t.ws.documents.set(path, { text: 'in editor\n', version: 1, dirty: true });
    try {
      const r = rig(t.ws);
      const res = await r.call('edit_file', { path: 'f.ts', edits: [{ search: 'in editor', replace: 'edited' }] });
      assert.equal(res.ok, true, res.content);
      assert.equal(r.approvals[0]?.kind === 'edit' && r.approvals[0].before, 'in editor\n');
      assert.deepEqual(t.ws.writes.at(-1), { path, text: 'edited\n', create: false });
    } finally {
      t.ws.documents.delete(path);
    }
  });

  it('a denial reaches the model with the reason, and nothing is written', async () => {
    file('g.ts', 'keep\n');
    const r = rig(t.ws);
    r.decide = () => ({ approved: false, reason: 'use a constant instead' });
    const res = await r.call('edit_file', { path: 'g.ts', edits: [{ search: 'keep', replace: 'drop' }] });
    assert.deepEqual(res, { ok: false, denied: true, content: 'The user did not allow this edit of g.ts. Their reason: use a constant instead', summary: 'Denied: use a constant instead', paths: ['g.ts'] });
    assert.equal(disk('g.ts'), 'keep\n');
    r.decide = () => ({ approved: false });
    const silent = await r.call('edit_file', { path: 'g.ts', edits: [{ search: 'keep', replace: 'drop' }] });
    assert.equal(silent.content, 'The user did not allow this edit of g.ts.');
  });

  it('refuses a missing file (use create_file), a directory, both or neither of edits/content, no-op edits, and .git', async () => {
    const r = rig(t.ws);
    file('h.ts', 'h\n');
    assert.match((await r.call('edit_file', { path: 'nope.ts', edits: [{ search: 'a', replace: 'b' }] })).content, /nope\.ts does not exist; use create_file/);
    assert.match((await r.call('edit_file', { path: '.', edits: [{ search: 'a', replace: 'b' }] })).content, /workspace folder itself/);
    assert.match((await r.call('edit_file', { path: 'h.ts', edits: [{ search: 'h', replace: 'i' }], content: 'x' })).content, /either edits or content, not both/);
    assert.match((await r.call('edit_file', { path: 'h.ts' })).content, /Send edits .* or content/);
    assert.match((await r.call('edit_file', { path: 'h.ts', edits: [{ search: 'h', replace: 'h' }] })).content, /leaves h\.ts unchanged/);
    assert.match((await r.call('edit_file', { path: 'h.ts', edits: [{ search: '', replace: 'x' }] })).content, /empty search/);
    assert.match((await r.call('edit_file', { path: '.git/config', content: 'x' })).content, /inside \.git/);
    assert.equal(r.approvals.length, 0);
  });
});

describe('tools: create_file', () => {
  const t = tempWorkspace({ ws: { 'exists.ts': 'here\n' } });
  const root = t.roots[0] ?? '';
  after(() => t.cleanup());

  it('creates a file and its parent folders after approval', async () => {
    const r = rig(t.ws);
    const res = await r.call('create_file', { path: 'new/deep/file.ts', content: 'export {};\n' });
    assert.equal(res.ok, true, res.content);
    assert.equal(readFileSync(join(root, 'new/deep/file.ts'), 'utf8'), 'export {};\n');
    assert.deepEqual(r.approvals, [{ kind: 'edit', tool: 'create_file', callId: 'call-1', path: join(root, 'new/deep/file.ts'), relativePath: 'new/deep/file.ts', before: '', after: 'export {};\n', create: true }]);
    assert.equal(res.content, 'Created new/deep/file.ts (1 line).');
    assert.equal(r.reads.lastRead(join(root, 'new/deep/file.ts')), 'export {};\n');
  });

  it('refuses an existing file (telling it to use edit_file), and writes nothing when denied', async () => {
    const r = rig(t.ws);
    const res = await r.call('create_file', { path: 'exists.ts', content: 'x' });
    assert.equal(res.ok, false);
    assert.match(res.content, /exists\.ts already exists \(a file\)\. Use edit_file to change it/);
    r.decide = () => ({ approved: false, reason: 'not now' });
    const denied = await r.call('create_file', { path: 'later.ts', content: 'x' });
    assert.equal(denied.denied, true);
    assert.match(denied.content, /creating later\.ts\. Their reason: not now/);
    assert.equal(existsSync(join(root, 'later.ts')), false);
  });
});

describe('tools: text edits (pure)', () => {
  it('mixed line endings are edited as they are', () => {
    const r = applySearchReplace('a\r\nb\nc\r\n', [{ search: 'b\n', replace: 'B\n' }]);
    assert.deepEqual(r, { ok: true, text: 'a\r\nB\nc\r\n' });
  });

  it('a rewrite keeps a missing final newline missing, and a BOM', () => {
    assert.equal(rewriteKeepingStyle('no newline', 'new\n'), 'new');
    assert.equal(rewriteKeepingStyle('\uFEFFbom\n', 'x'), '\uFEFFx\n');
  });
});
