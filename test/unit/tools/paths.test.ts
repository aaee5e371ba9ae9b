// Confinement of model-sent paths, tried against a real temporary workspace with real symlinks: hostile paths are
// all refused with a message saying what is wrong, benign ones resolve to a real location inside the folder.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspacePort } from '../../../src/core/tools/port';
import { resolveWorkspacePath, type ResolveOptions } from '../../../src/core/tools/paths';
import { tempWorkspace } from '../../support/nodeWorkspace';

describe('tools: path confinement', () => {
  const t = tempWorkspace({
    ws: { 'src/a.ts': 'a', 'src/nested/deep/b.ts': 'b', 'docs/ünïcødé.md': 'u', 'my file.txt': 's', '.git/config': 'c', '100%.txt': 'p' },
    w2: { 'x.ts': 'x' },
    outside: { 'secret.txt': 'top secret', 'dir/x.txt': 'x' },
    'ws-evil': { 'x.txt': 'prefix trick' },
  });
  const [root = '', root2 = ''] = t.roots;
  const base = t.base;
  // Two workspace folders (the other temp folders are the world outside), and the common single-root case.
  const port: WorkspacePort = { ...t.ws, folders: () => t.ws.folders().slice(0, 2) };
  const single: WorkspacePort = { ...t.ws, folders: () => t.ws.folders().slice(0, 1) };
  const link = (name: string, target: string) => symlinkSync(target, join(root, name));
  before(() => {
    link('link-file', join(base, 'outside/secret.txt'));
    link('link-dir', join(base, 'outside/dir'));
    link('rel-link-dir', '../outside');
    link('dangling', join(base, 'outside/nothing-here'));
    link('abs-link', '/etc/passwd');
    link('ok-link', 'src/a.ts');
    link('gitlink', '.git');
    link('loop-a', join(root, 'loop-b'));
    link('loop-b', join(root, 'loop-a'));
    mkdirSync(join(root, 'src/inner'), { recursive: true });
    symlinkSync(join(base, 'outside'), join(root, 'src/inner/out'));
    writeFileSync(join(root, 'a%20b.txt'), 'literal');
  });
  after(() => t.cleanup());

  const read: ResolveOptions = { mustExist: false };
  const write: ResolveOptions = { mustExist: false, write: true };
  const hostile: [string, ResolveOptions, RegExp][] = [
    ['../outside/secret.txt', read, /outside the workspace folder/],
    ['../../etc/passwd', read, /outside the workspace folder/],
    ['src/../../outside/secret.txt', read, /outside the workspace folder/],
    ['src/nested/../../../outside', read, /outside the workspace folder/],
    ['src/nested/deep/../../../..', read, /outside the workspace folder/],
    ['..', read, /outside the workspace folder/],
    ['./..', read, /outside the workspace folder/],
    ['/etc/passwd', read, /outside the workspace folders/],
    [`${base}/outside/secret.txt`, read, /outside the workspace folders/],
    [`${base}/ws-evil/x.txt`, read, /outside the workspace folders/],
    [`${root}/../outside/secret.txt`, read, /outside the workspace folders/],
    [`${root}/src/../../outside`, read, /outside the workspace folders/],
    ['~', read, /home directory/],
    ['~/.ssh/id_rsa', read, /home directory/],
    ['~root/.bashrc', read, /home directory/],
    ['link-file', read, /symbolic link .*outside/],
    ['link-dir', read, /symbolic link .*outside/],
    ['link-dir/x.txt', read, /symbolic link .*outside/],
    ['link-dir/new.txt', write, /symbolic link .*outside/],
    ['rel-link-dir/secret.txt', read, /symbolic link .*outside/],
    ['src/inner/out/dir/new/deeper.txt', write, /symbolic link .*outside/],
    ['dangling', write, /symbolic link whose target does not exist/],
    ['dangling/x.txt', write, /symbolic link whose target does not exist/],
    ['abs-link', read, /symbolic link .*outside/],
    ['loop-a', read, /symbolic link (loop|whose target)/],
    ['%2e%2e%2foutside%2fsecret.txt', read, /percent-encoding \(%2e\)/],
    ['%2E%2E/outside', read, /percent-encoding/],
    ['..%2f..%2fetc%2fpasswd', read, /percent-encoding \(%2f\)/],
    ['%252e%252e%252fetc', read, /percent-encoding \(%25\)/],
    ['src%00.ts', read, /percent-encoding \(%00\)/],
    ['%c0%ae%c0%ae/etc', read, /percent-encoding \(%c0\)/],
    ['src/a.ts\u0000.png', read, /control or invisible character/],
    ['src/\u0007bell', read, /control or invisible character/],
    ['src/a\nb', read, /control or invisible character/],
    ['src/\u202eevil.ts', read, /control or invisible character/],
    ['src/\u200bzero.ts', read, /control or invisible character/],
    ['file:///etc/passwd', read, /looks like a URL/],
    [`file://${root}/src/a.ts`, read, /looks like a URL/],
    ['http://evil.example/x', read, /looks like a URL/],
    ['vscode-remote://ssh/etc/passwd', read, /looks like a URL/],
    ['C:\\Windows\\System32\\config', read, /Windows path/],
    ['C:foo', read, /Windows path/],
    ['c:/x', read, /Windows path/],
    ['\\\\server\\share\\x', read, /network \(UNC\)/],
    ['\\\\?\\C:\\x', read, /network \(UNC\)/],
    ['//server/share', read, /network \(UNC\)/],
    ['..\\..\\outside\\secret.txt', read, /outside the workspace folder/],
    ['src\\..\\..\\outside', read, /outside the workspace folder/],
    ['src/..\\../outside', read, /outside the workspace folder/],
    ['.../outside', read, /dots and spaces/],
    ['.. /outside', read, /dots and spaces/],
    ['src/. ./x', read, /dots and spaces/],
    ['src/..../x', read, /dots and spaces/],
    ['a/'.repeat(600), read, /characters long/],
    ['x'.repeat(300), read, /longer than 255/],
    ['.git/config', write, /inside \.git/],
    ['.GIT/hooks/pre-commit', write, /inside \.git/],
    ['.git./config', write, /inside \.git/],
    ['src/../.git/hooks/post-checkout', write, /inside \.git/],
    ['gitlink/hooks/pre-commit', write, /into \.git through a symbolic link/],
    ['', read, /empty/],
    ['   ', read, /empty/],
    ['.', read, /workspace folder itself/],
    ['src/..', read, /workspace folder itself/],
  ];

  it(`refuses all ${hostile.length} hostile paths, each with a message saying why`, async () => {
    const failures: string[] = [];
    for (const [input, options, expected] of hostile) {
      const r = await resolveWorkspacePath(single, input, options);
      const shown = JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
      if (r.ok) failures.push(`${shown} resolved to ${r.path}`);
      else if (!expected.test(r.error)) failures.push(`${shown}: ${JSON.stringify(r.error)} does not match ${expected}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(hostile.length >= 40);
  });

  const benign: [string, string][] = [
    ['src/a.ts', 'src/a.ts'],
    ['./src/a.ts', 'src/a.ts'],
    ['src/nested/../a.ts', 'src/a.ts'],
    ['src//a.ts', 'src/a.ts'],
    ['src/a.ts/', 'src/a.ts'],
    ['  src/a.ts  ', 'src/a.ts'],
    ['src\\a.ts', 'src/a.ts'],
    ['src/nested/deep/b.ts', 'src/nested/deep/b.ts'],
    ['docs/ünïcødé.md', 'docs/ünïcødé.md'],
    ['my file.txt', 'my file.txt'],
    ['100%.txt', '100%.txt'],
    ['a%20b.txt', 'a%20b.txt'],
    [`${root}/src/a.ts`, 'src/a.ts'],
    ['ok-link', 'ok-link'],
    ['.git/config', '.git/config'],
    ['new/dir/file.ts', 'new/dir/file.ts'],
    ['..foo/bar', '..foo/bar'],
  ];

  it(`resolves ${benign.length} benign paths inside the folder, following symlinks that stay inside`, async () => {
    const realRoot = realpathSync(root);
    for (const [input, relative] of benign) {
      const r = await resolveWorkspacePath(single, input, { mustExist: false });
      assert.ok(r.ok, `${input}: ${r.ok ? '' : r.error}`);
      assert.equal(r.relativePath, relative, input);
      assert.equal(r.path, join(root, relative));
      const existing = r.stat ? realpathSync(r.path) : realRoot;
      assert.ok(existing === realRoot || existing.startsWith(`${realRoot}/`), `${input} → ${existing}`);
    }
  });

  it('reports what is there, and refuses a missing path when it must exist', async () => {
    const file = await resolveWorkspacePath(single, 'src/a.ts', { mustExist: true });
    assert.ok(file.ok && file.stat?.type === 'file' && file.stat.size === 1);
    const missing = await resolveWorkspacePath(single, 'src/nope.ts', { mustExist: true });
    assert.ok(!missing.ok && /src\/nope\.ts does not exist.*find_files/.test(missing.error));
    const under = await resolveWorkspacePath(single, 'src/a.ts/child', { mustExist: false });
    assert.ok(!under.ok && /is a file, not a folder/.test(under.error));
    const rootDir = await resolveWorkspacePath(single, '.', { mustExist: true, allowRoot: true });
    assert.ok(rootDir.ok && rootDir.relativePath === '.' && rootDir.path === root);
  });

  it('with several folders, a first segment naming a folder selects it; other paths go to the first folder', async () => {
    const named = await resolveWorkspacePath(port, 'w2/x.ts', { mustExist: true });
    assert.ok(named.ok && named.path === join(root2, 'x.ts') && named.relativePath === 'w2/x.ts' && named.folder.name === 'w2');
    const plain = await resolveWorkspacePath(port, 'src/a.ts', { mustExist: true });
    assert.ok(plain.ok && plain.path === join(root, 'src/a.ts') && plain.relativePath === 'ws/src/a.ts');
    const absolute = await resolveWorkspacePath(port, join(root2, 'x.ts'), { mustExist: true });
    assert.ok(absolute.ok && absolute.relativePath === 'w2/x.ts');
    // ".." may not hop from one folder to its sibling.
    const hop = await resolveWorkspacePath(port, 'w2/../ws/src/a.ts', { mustExist: true });
    assert.ok(!hop.ok && /outside the workspace folder/.test(hop.error));
    const outsider = await resolveWorkspacePath(port, join(base, 'outside/secret.txt'), { mustExist: true });
    assert.ok(!outsider.ok);
  });

  it('refuses everything when no folder is open', async () => {
    const none: WorkspacePort = { ...port, folders: () => [] };
    const r = await resolveWorkspacePath(none, 'src/a.ts', { mustExist: false });
    assert.ok(!r.ok && /No workspace folder is open/.test(r.error));
  });

  it('on a Windows workspace, takes full paths inside it and refuses devices, streams and drive-relative forms', async () => {
    const winRoot = 'C:\\work\\ws';
    const win: WorkspacePort = {
      ...port,
      folders: () => [{ name: 'ws', root: winRoot }],
      realpath: async (p) => p,
      stat: async (p) => (p.toLowerCase().startsWith(winRoot.toLowerCase()) ? { type: p === winRoot ? 'directory' : 'file', size: 1, mtimeMs: 0 } : undefined),
      readDirectory: async () => [],
    };
    const inside = await resolveWorkspacePath(win, 'C:\\work\\ws\\src\\a.ts', { mustExist: true });
    assert.ok(inside.ok && inside.path === 'C:\\work\\ws\\src\\a.ts' && inside.relativePath === 'src/a.ts', JSON.stringify(inside));
    const relative = await resolveWorkspacePath(win, 'src/a.ts', { mustExist: true });
    assert.ok(relative.ok && relative.path === 'C:\\work\\ws\\src\\a.ts');
    for (const [input, expected] of [
      ['C:\\work\\other\\x', /outside the workspace folders/],
      ['D:\\x', /outside the workspace folders/],
      ['C:x', /drive-relative/],
      ['CON', /Windows device/],
      ['src\\nul.txt', /Windows device/],
      ['src\\a.txt::$DATA', /alternate data stream/],
      ['src\\a.ts.', /ending in a dot or space/],
      ['..\\ws2\\x', /outside the workspace folder/],
    ] as const) {
      const r = await resolveWorkspacePath(win, input, { mustExist: false });
      assert.ok(!r.ok && expected.test(r.error), `${input}: ${JSON.stringify(r)}`);
    }
  });
});
