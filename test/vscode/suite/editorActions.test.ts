// The editor actions as VS Code runs them, against the fake Qwen server: explain into the chat; refactor / fix /
// document / an instruction as a diff — Accept applies one undoable edit, Undo restores, Reject leaves the file
// byte-identical, a document changed under the selection is re-anchored or refused; tests as a new file; the
// lightbulb offers the actions; the keybinding is free in VS Code's defaults.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../src/protocol/messages';
import { COMMANDS } from '../../../src/vscode/ids';
import { repoRoot } from '../../support/repoRoot';
import { useFakeWorkspace } from '../fakeWorkspaceSuite';
import { eventually } from '../support';

const SOURCE = 'export function total(items: number[]): number {\r\n  let sum = 0;\r\n  for (let i = 0; i < items.length; i++) sum += items[i];\r\n  return sum;\r\n}\r\n';

describe('Editor actions in VS Code (diffs, accept, reject, explain, tests)', function () {
  this.timeout(60_000);
  const suite = useFakeWorkspace('actions-test');
  const file = (): string => join(suite.dir, 'total.ts');

  const diffTab = (): vscode.Tab | undefined =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'qwen-proposed');
  /** Opens the file with lines `from`..`to` (1-based) selected. */
  const select = async (from: number, to: number): Promise<vscode.TextEditor> => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file()));
    editor.selection = new vscode.Selection(from - 1, 0, to - 1, editor.document.lineAt(to - 1).text.length);
    return editor;
  };
  /** Runs `command`, waits for its diff, answers it from the title bar, and resolves with what the command said. */
  const answerDiff = async (command: string, accept: boolean): Promise<string | undefined> => {
    const outcome = vscode.commands.executeCommand<string | undefined>(command);
    const tab = await eventually(() => {
      const t = diffTab();
      return t && suite.posted.length >= 0 ? t : undefined;
    }, 20_000);
    assert.ok(tab, 'the proposal opened as a diff');
    // wait for the finished proposal (the stream updates the same diff), then answer it
    await eventually(async () => ((await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified)).getText().includes('reduce') ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 400));
    await vscode.commands.executeCommand(accept ? COMMANDS.acceptProposedEdit : COMMANDS.rejectProposedEdit, (tab.input as vscode.TabInputTextDiff).modified);
    return outcome;
  };
  const rewriteAnswer = '```ts\nexport function total(items: number[]): number {\n  return items.reduce((sum, x) => sum + x, 0);\n}\n```';


  beforeEach(() => writeFileSync(file(), SOURCE));

  afterEach(async () => {
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.fsPath.startsWith(suite.dir))) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });


  it('refactor: the diff shows the rewrite fitted to the file (CRLF, indentation); Accept applies one edit, Undo restores the bytes', async () => {
    const editor = await select(1, 5);
    suite.fake.script({ kind: 'text', text: `Here is a simpler version:\n\n${rewriteAnswer}\n\nIt uses reduce.` });
    const outcome = await answerDiff(COMMANDS.refactorSelection, true);
    assert.equal(outcome, 'applied');
    const doc = editor.document;
    assert.equal(doc.getText(), 'export function total(items: number[]): number {\r\n  return items.reduce((sum, x) => sum + x, 0);\r\n}\r\n');
    const sent = suite.fake.requests.at(-1)?.body.messages as { role: string; content: string }[];
    assert.match(JSON.stringify(sent.at(-1)?.content ?? ''), /let sum = 0/, 'the selection was sent');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), SOURCE, 'one undo restores the original');
    await doc.save();
    assert.deepEqual(readFileSync(file()), Buffer.from(SOURCE));
  });

  it('Reject leaves the file byte-identical (and the document clean)', async () => {
    const editor = await select(1, 5);
    suite.fake.script({ kind: 'text', text: rewriteAnswer });
    assert.equal(await answerDiff(COMMANDS.documentSelection, false), 'rejected');
    assert.equal(editor.document.isDirty, false);
    assert.deepEqual(readFileSync(file()), Buffer.from(SOURCE));
  });

  it('fix sends the diagnostics on those lines; a document edited above the selection while Qwen writes is re-anchored', async () => {
    const editor = await select(1, 5);
    const collection = vscode.languages.createDiagnosticCollection('actions-test');
    collection.set(editor.document.uri, [new vscode.Diagnostic(new vscode.Range(2, 2, 2, 10), 'Prefer reduce over a loop', vscode.DiagnosticSeverity.Warning)]);
    try {
      suite.fake.script({ kind: 'delay', ms: 800, then: { kind: 'text', text: rewriteAnswer } });
      const outcome = vscode.commands.executeCommand<string>(COMMANDS.fixSelection);
      await new Promise((r) => setTimeout(r, 200));
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// added while Qwen wrote\r\n'));
      const tab = await eventually(diffTab, 20_000);
      assert.ok(tab);
      await eventually(async () => ((await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified)).getText().includes('reduce') ? true : undefined), 20_000);
      await new Promise((r) => setTimeout(r, 400));
      await vscode.commands.executeCommand(COMMANDS.acceptProposedEdit, (tab.input as vscode.TabInputTextDiff).modified);
      assert.equal(await outcome, 'applied');
      assert.equal(editor.document.getText(), '// added while Qwen wrote\r\nexport function total(items: number[]): number {\r\n  return items.reduce((sum, x) => sum + x, 0);\r\n}\r\n');
      const sent = suite.fake.requests.at(-1)?.body.messages as { role: string; content: string }[];
      assert.match(JSON.stringify(sent.at(-1)?.content ?? ''), /Prefer reduce over a loop/);
    } finally {
      collection.dispose();
    }
  });

  it('a selection whose text changed while Qwen wrote is not replaced: the user is told, the document keeps its text', async () => {
    const editor = await select(2, 3);
    suite.fake.script({ kind: 'delay', ms: 800, then: { kind: 'text', text: '```ts\n  return items.reduce((sum, x) => sum + x, 0);\n```' } });
    const outcome = vscode.commands.executeCommand<string>(COMMANDS.refactorSelection);
    await new Promise((r) => setTimeout(r, 200));
    await editor.edit((b) => b.replace(new vscode.Range(1, 2, 1, 5), 'var'));
    const changed = editor.document.getText();
    const tab = await eventually(diffTab, 20_000);
    assert.ok(tab);
    await eventually(async () => ((await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified)).getText().includes('reduce') ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 400));
    await vscode.commands.executeCommand(COMMANDS.acceptProposedEdit, (tab.input as vscode.TabInputTextDiff).modified);
    assert.equal(await outcome, 'failed');
    assert.equal(editor.document.getText(), changed);
  });

  it('explain opens the chat with the code as a chip and streams the answer there', async () => {
    await select(1, 5);
    suite.fake.script({ kind: 'text', text: 'It adds up the numbers.' });
    await vscode.commands.executeCommand(COMMANDS.explainSelection);
    const ended = await eventually(() => suite.posted.find((m): m is Extract<HostToWebview, { type: 'turnEnded' }> => m.type === 'turnEnded' && m.message.text === 'It adds up the numbers.'), 20_000);
    assert.ok(ended);
    const started = suite.posted.filter((m): m is Extract<HostToWebview, { type: 'turnStarted' }> => m.type === 'turnStarted').at(-1);
    const chip = started?.user.attachments?.[0];
    assert.equal(chip?.label, 'actions-test/total.ts');
    assert.equal(chip?.startLine, 1);
    assert.equal(chip?.endLine, 5);
    assert.match(started?.user.text ?? '', /Explain/);
  });

  it('generate tests proposes a new file next to the project\'s tests; Create writes it', async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    await select(1, 1);
    suite.fake.script({ kind: 'text', text: '```ts\nimport { total } from "./total";\nconsole.assert(total([1, 2]) === 3);\n```' });
    const done = vscode.commands.executeCommand(COMMANDS.generateTests);
    const tab = await eventually(diffTab, 20_000);
    assert.ok(tab, 'the new file is shown as a diff against an empty page');
    const proposedPath = (tab.input as vscode.TabInputTextDiff).modified.path;
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand(COMMANDS.acceptProposedEdit, (tab.input as vscode.TabInputTextDiff).modified);
    await done;
    const created = join(root, proposedPath.replace(/^\//, ''));
    assert.ok(existsSync(created), `${created} was created`);
    assert.match(readFileSync(created, 'utf8'), /total\(\[1, 2\]\)/);
    rmSync(created);
  });

  it('the lightbulb offers Explain / Refactor on a selection and Fix on a diagnostic', async () => {
    const editor = await select(1, 5);
    const collection = vscode.languages.createDiagnosticCollection('actions-bulb');
    const problem = new vscode.Diagnostic(new vscode.Range(2, 2, 2, 10), 'Prefer reduce', vscode.DiagnosticSeverity.Warning);
    collection.set(editor.document.uri, [problem]);
    try {
      const onSelection = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, editor.selection);
      const titles = onSelection.map((a) => a.title);
      assert.ok(titles.includes('Explain with Qwen') && titles.includes('Refactor with Qwen'), titles.join(', '));
      const onProblem = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(2, 4, 2, 4));
      assert.ok(onProblem.some((a) => a.title === 'Fix with Qwen: Prefer reduce'), onProblem.map((a) => a.title).join(', '));
    } finally {
      collection.dispose();
    }
  });

  it("the inline prompt's keybinding is not one of VS Code's defaults", async () => {
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const doc = await eventually(() => vscode.window.activeTextEditor?.document);
    const defaults = doc?.getText() ?? '';
    assert.ok(defaults.length > 10_000, 'the default keybindings were read');
    const ours = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { keybindings: { command: string; key: string }[] } };
    const binding = ours.contributes.keybindings.find((k) => k.command === COMMANDS.inlinePrompt);
    assert.ok(binding);
    // this machine's defaults (Linux); the same chord is used on every platform (ctrl+alt alone is AltGr on Windows)
    // the file lists contributed keybindings too: ours must be the only command on that key
    const owners = [...defaults.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].filter((m) => m[1] === binding.key).map((m) => m[2]);
    assert.deepEqual(owners, [COMMANDS.inlinePrompt], `${binding.key} is bound by default to ${owners.join(', ')}`);
  });

  it('a mention attaches the file (its open editor text); a path the list did not offer is refused', async () => {
    const editor = await select(1, 1);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// unsaved line\r\n'));
    const count = suite.posted.length;
    await suite.api.receiveFromView({ type: 'mentionQuery', query: 'total' });
    const results = await eventually(() => suite.posted.slice(count).find((m): m is Extract<HostToWebview, { type: 'mentionResults' }> => m.type === 'mentionResults'));
    assert.equal(results?.files[0], 'actions-test/total.ts');
    await suite.api.receiveFromView({ type: 'attachMention', mention: { kind: 'file', path: 'actions-test/total.ts' } });
    const attached = await eventually(() => suite.posted.slice(count).find((m): m is Extract<HostToWebview, { type: 'attachments' }> => m.type === 'attachments'));
    const chip = attached?.attachments.find((a) => a.label === 'actions-test/total.ts');
    assert.equal(chip?.kind, 'file');
    assert.ok(chip?.text.startsWith('// unsaved line'), 'the editor text, unsaved changes included');
    await suite.api.receiveFromView({ type: 'removeAttachment', attachmentId: chip!.id });

    const before = suite.posted.filter((m) => m.type === 'attachments').length;
    await suite.api.receiveFromView({ type: 'attachMention', mention: { kind: 'file', path: '../outside.txt' } });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(suite.posted.filter((m) => m.type === 'attachments').length, before, 'nothing attached');
  });
});
