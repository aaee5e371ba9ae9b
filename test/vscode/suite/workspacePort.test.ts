// The workspace port and the edit preview as VS Code runs them: real documents, undo, tabs, diagnostics, commands.
// Files are written under <workspace>/port-test/ and removed afterwards.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WorkspacePort } from '../../../src/core/tools/port';
import type { QwenCoderApi } from '../../../src/vscode/api';
import { PROPOSED_SCHEME } from '../../../src/vscode/editPreview';
import type { EditApprovalRequest } from '../../../src/vscode/editPreview';
import { COMMANDS } from '../../../src/vscode/ids';
import { createWorkspacePort } from '../../../src/vscode/workspacePort';
import { isRunning } from '../../support/processes';
import { activateApi, eventually } from '../support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('workspace port in VS Code', function () {
  this.timeout(30_000);
  let port: WorkspacePort;
  let root: string;
  let dir: string;
  let file: (name: string, text?: string) => string;

  before(async () => {
    // VS Code in a browser saves dirty files after a delay by default; the dirty-document test needs them to stay dirty
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    port = createWorkspacePort();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests open a workspace folder');
    root = folder.uri.fsPath;
    dir = join(root, 'port-test');
    mkdirSync(dir, { recursive: true });
    file = (name, text) => {
      const path = join(dir, name);
      if (text !== undefined) writeFileSync(path, text);
      return path;
    };
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    // documents left dirty would ask to be saved; revert them before the files go
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.fsPath.startsWith(dir))) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    rmSync(dir, { recursive: true, force: true });
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the file-scheme folder and reads through the file system (links reported, not followed)', async () => {
    assert.deepEqual(port.folders(), [{ name: vscode.workspace.workspaceFolders?.[0]?.name, root }]);
    const a = file('read.txt', 'héllo\n');
    symlinkSync(a, join(dir, 'link.txt'));
    assert.equal(new TextDecoder().decode(await port.readFile(a)), 'héllo\n');
    assert.equal(await port.realpath(join(dir, 'link.txt')), a);
    assert.deepEqual({ ...(await port.stat(join(dir, 'link.txt'))), mtimeMs: 0 }, { type: 'file', size: 7, mtimeMs: 0 });
    assert.equal(await port.stat(join(dir, 'missing')), undefined);
    const entries = await port.readDirectory(dir);
    assert.deepEqual(entries.filter((e) => e.name.endsWith('.txt')).sort((x, y) => x.name.localeCompare(y.name)), [
      { name: 'link.txt', type: 'symlink' },
      { name: 'read.txt', type: 'file' },
    ]);
    await assert.rejects(port.realpath(join(dir, 'missing')), /ENOENT/);
  });

  it('files.exclude patterns set to true, and search.exclude added for searches', () => {
    assert.ok(port.excludeGlobs('files').includes('**/.git'), port.excludeGlobs('files').join(', '));
    assert.ok(port.excludeGlobs('search').includes('**/node_modules'), port.excludeGlobs('search').join(', '));
    assert.ok(!port.excludeGlobs('files').includes('**/node_modules'));
  });

  it('writeText on a closed file: disk changed; undo in its editor restores the original bytes exactly', async () => {
    const original = 'line one\r\nline two — ü\r\nline three\r\n';
    const path = file('closed.txt', original);
    assert.equal(port.openDocument(path), undefined);
    await port.writeText(path, 'line one\r\nline 2\r\nline three\r\n', { create: false });
    assert.equal(readFileSync(path, 'utf8'), 'line one\r\nline 2\r\nline three\r\n');
    const doc = await vscode.workspace.openTextDocument(path);
    assert.equal(doc.isDirty, false);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
    await doc.save();
    assert.deepEqual(readFileSync(path), Buffer.from(original, 'utf8'));
  });

  it('writeText on a dirty document keeps it dirty with the unsaved text; the disk is untouched', async () => {
    const path = file('dirty.ts', 'const a = 1;\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// unsaved\n'));
    assert.equal(editor.document.isDirty, true);
    const seen = port.openDocument(path);
    assert.deepEqual(seen && { text: seen.text, dirty: seen.dirty }, { text: '// unsaved\nconst a = 1;\n', dirty: true });
    editor.selection = new vscode.Selection(0, 3, 0, 3);
    await port.writeText(path, '// unsaved\nconst a = 2;\n', { create: false });
    assert.equal(editor.document.getText(), '// unsaved\nconst a = 2;\n');
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [0, 3], 'only the changed span was replaced');
    assert.equal(editor.document.isDirty, true);
    assert.equal(readFileSync(path, 'utf8'), 'const a = 1;\n');
    assert.ok((port.openDocument(path)?.version ?? 0) > (seen?.version ?? 0));
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '// unsaved\nconst a = 1;\n', 'one undo step takes back exactly the model edit');
  });

  it('writeText with create makes the file (and its folders); an existing file is refused', async () => {
    const path = join(dir, 'new', 'deep', 'made.ts');
    await port.writeText(path, 'export const made = true;\n', { create: true });
    assert.equal(readFileSync(path, 'utf8'), 'export const made = true;\n');
    await assert.rejects(port.writeText(path, 'again', { create: true }), /did not create/);
    assert.equal(readFileSync(path, 'utf8'), 'export const made = true;\n');
  });

  it('diagnostics: 1-based positions, severity names, the code as a string', () => {
    const path = file('diag.ts', 'let x = 1;\nlet y = 2;\n');
    const collection = vscode.languages.createDiagnosticCollection('qwen-port-test');
    try {
      const d = new vscode.Diagnostic(new vscode.Range(1, 4, 1, 5), 'y is unused', vscode.DiagnosticSeverity.Warning);
      d.source = 'probe';
      d.code = { value: 6133, target: vscode.Uri.parse('https://example.com/6133') };
      const e = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 3), 'no let', vscode.DiagnosticSeverity.Error);
      collection.set(vscode.Uri.file(path), [d, e]);
      assert.deepEqual(port.diagnostics(path), [
        { path, severity: 'warning', message: 'y is unused', line: 2, column: 5, endLine: 2, endColumn: 6, source: 'probe', code: '6133' },
        { path, severity: 'error', message: 'no let', line: 1, column: 1, endLine: 1, endColumn: 4 },
      ]);
      assert.equal(port.diagnostics().filter((x) => x.path === path).length, 2);
    } finally {
      collection.dispose();
    }
  });

  it('openEditors: workspace files with the active one and its selection', async () => {
    const other = file('other.md', '# other\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), { preview: false });
    const app = join(root, 'src', 'app.ts');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(app), { preview: false });
    editor.selection = new vscode.Selection(0, 7, 0, 15);
    const editors = await eventually(() => {
      const list = port.openEditors();
      return list.length >= 2 && list.find((e) => e.path === app)?.selection ? list : undefined;
    });
    assert.ok(editors, JSON.stringify(port.openEditors()));
    assert.deepEqual(editors.find((e) => e.path === app), {
      path: app,
      languageId: 'typescript',
      active: true,
      dirty: false,
      selection: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 16, text: 'function' },
    });
    assert.deepEqual(editors.find((e) => e.path === other), { path: other, languageId: 'markdown', active: false, dirty: false });
  });

  describe('runCommand', () => {
    const signal = () => new AbortController().signal;

    it('gives the output and the exit code, in cwd, without our API key', async () => {
      // two pipes: their order is the order of arrival, so the lines are spaced out
      const r = await port.runCommand('echo out; sleep 0.2; echo err >&2; sleep 0.2; echo "${DASHSCOPE_API_KEY:-no key}"; pwd; exit 7', {
        cwd: dir,
        timeoutMs: 10_000,
        outputCapBytes: 10_000,
        signal: signal(),
      });
      assert.equal(r.exitCode, 7);
      assert.equal(r.output, `out\nerr\nno key\n${dir}\n`);
      assert.equal(r.timedOut || r.cancelled, false);
    });

    it('abort kills the whole process group', async () => {
      const ac = new AbortController();
      const pids = file('pids');
      const pending = port.runCommand(`sleep 30 & echo $! > pids; sleep 30 & echo $! >> pids; wait`, {
        cwd: dir,
        timeoutMs: 20_000,
        outputCapBytes: 1000,
        signal: ac.signal,
      });
      const started = await eventually(() => {
        const list = existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
        return list.length === 2 ? list : undefined;
      });
      assert.ok(started && started.every(isRunning));
      ac.abort();
      const r = await pending;
      assert.equal(r.cancelled, true);
      assert.ok(r.durationMs < 10_000);
      assert.ok(await eventually(() => (started.some(isRunning) ? undefined : true), 3000), `still running: ${started.filter(isRunning).join(', ')}`);
    });

    it('the timeout kills the command', async () => {
      const r = await port.runCommand('echo started; sleep 30', { cwd: dir, timeoutMs: 500, outputCapBytes: 1000, signal: signal() });
      assert.equal(r.timedOut, true);
      assert.equal(r.output, 'started\n');
      assert.ok(r.durationMs < 5000, String(r.durationMs));
    });
  });

  describe('edit preview', () => {
    let api: QwenCoderApi;
    before(async () => {
      api = await activateApi();
    });

    const request = (path: string, after: string, callId: string, create = false): EditApprovalRequest => ({
      kind: 'edit',
      tool: create ? 'create_file' : 'edit_file',
      callId,
      path,
      relativePath: vscode.workspace.asRelativePath(path),
      before: create ? '' : readFileSync(path, 'utf8'),
      after,
      create,
    });
    const diffTabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSED_SCHEME);

    it('shows the proposal as a diff against the file; Accept in the title bar answers and closes it', async () => {
      const path = file('preview.ts', 'export const v = 1;\n');
      const previews = api.editPreviews;
      await previews.show(request(path, 'export const v = 2;\n', 'call-accept'));
      const tab = await eventually(() => diffTabs()[0]);
      assert.ok(tab, 'no diff tab');
      assert.equal(tab.label, 'edit_file: port-test/preview.ts (proposed by Qwen)');
      const input = tab.input as vscode.TabInputTextDiff;
      assert.equal(input.original.fsPath, path);
      assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), 'export const v = 2;\n');
      assert.equal(readFileSync(path, 'utf8'), 'export const v = 1;\n', 'nothing written before the answer');
      const answer = previews.decision('call-accept');
      await vscode.commands.executeCommand(COMMANDS.acceptProposedEdit);
      assert.equal(await answer, true);
      assert.ok(await eventually(() => (diffTabs().length === 0 ? true : undefined)), 'the diff stayed open');
      assert.equal(previews.decided('call-accept', false), false, 'answered once');
    });

    it('a new file is shown against an empty page; Reject (with the uri the title bar passes) answers false', async () => {
      const path = join(dir, 'proposed-new.ts');
      const previews = api.editPreviews;
      const seen: { callId: string; approved: boolean }[] = [];
      const listener = previews.onDecision((d) => seen.push(d));
      try {
        await previews.show(request(path, 'new text\n', 'call-reject', true));
        const tab = await eventually(() => diffTabs()[0]);
        assert.ok(tab);
        const input = tab.input as vscode.TabInputTextDiff;
        assert.equal(input.original.scheme, PROPOSED_SCHEME);
        assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), '');
        await vscode.commands.executeCommand(COMMANDS.rejectProposedEdit, input.modified);
        assert.deepEqual(seen, [{ callId: 'call-reject', approved: false }]);
        assert.ok(await eventually(() => (diffTabs().length === 0 ? true : undefined)));
        assert.equal(existsSync(path), false);
      } finally {
        listener.dispose();
      }
    });

    it('ask() answers from the chat card (decided) and is withdrawn by the run\'s Stop', async () => {
      const path = file('ask.ts', 'x\n');
      const previews = api.editPreviews;
      const accepted = previews.ask(request(path, 'y\n', 'call-ask'), new AbortController().signal);
      assert.ok(await eventually(() => diffTabs()[0]));
      assert.equal(previews.decided('call-ask', true), true);
      assert.equal(await accepted, true);
      const stop = new AbortController();
      const stopped = previews.ask(request(path, 'z\n', 'call-stopped'), stop.signal);
      const ofCall = (callId: string) => diffTabs().find((t) => (t.input as vscode.TabInputTextDiff).modified.query.includes(`call=${callId}`));
      assert.ok(await eventually(() => ofCall('call-stopped')));
      stop.abort();
      assert.equal(await stopped, undefined);
      assert.ok(await eventually(() => (diffTabs().length === 0 ? true : undefined)), diffTabs().map((t) => t.label).join(', '));
    });

    it('a proposal answered while its diff is still opening does not leave the diff open', async () => {
      const path = file('fast.ts', 'x\n');
      const previews = api.editPreviews;
      const shown = previews.show(request(path, 'y\n', 'call-fast'));
      assert.equal(previews.decided('call-fast', false), true);
      await shown;
      assert.ok(await eventually(() => (diffTabs().length === 0 ? true : undefined)), diffTabs().map((t) => t.label).join(', '));
    });

    it('close() withdraws a proposal: the diff closes and decision() gives undefined', async () => {
      const path = file('withdrawn.ts', 'a\n');
      const previews = api.editPreviews;
      await previews.show(request(path, 'b\n', 'call-withdrawn'));
      assert.ok(await eventually(() => diffTabs()[0]));
      const answer = previews.decision('call-withdrawn');
      previews.close('call-withdrawn');
      assert.equal(await answer, undefined);
      assert.ok(await eventually(() => (diffTabs().length === 0 ? true : undefined)));
      await sleep(50);
      assert.equal(previews.isPending('call-withdrawn'), false);
    });
  });
});
