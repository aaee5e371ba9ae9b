// The agent as VS Code runs it: the real controller, the VS Code workspace port and the edit diff, against the fake
// Qwen server. The model proposes an edit → the diff opens → Accept writes it → Undo restores it; Reject leaves the
// file byte-identical; a command's output goes back to the model, and Stop kills it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ToolCallView } from '../../../src/protocol/chat';
import type { HostToWebview } from '../../../src/protocol/messages';
import { COMMANDS } from '../../../src/vscode/ids';
import { useFakeWorkspace } from '../fakeWorkspaceSuite';
import { eventually } from '../support';


describe('The agent in VS Code (workspace tools, approvals, diffs)', function () {
  this.timeout(60_000);
  const suite = useFakeWorkspace('agent-test');

  const card = (callId: string): ToolCallView | undefined =>
    suite.posted.filter((m): m is Extract<HostToWebview, { type: 'toolCall' }> => m.type === 'toolCall' && m.call.id === callId).at(-1)?.call;
  const waitCard = async (callId: string, status: ToolCallView['status']): Promise<ToolCallView> => {
    const found = await eventually(() => (card(callId)?.status === status ? card(callId) : undefined), 20_000);
    assert.ok(found, `card ${callId} never became ${status}; last: ${JSON.stringify(card(callId))}`);
    return found;
  };
  const ended = (requestId: string) =>
    eventually(() => suite.posted.find((m): m is Extract<HostToWebview, { type: 'turnEnded' }> => m.type === 'turnEnded' && m.requestId === requestId), 20_000);
  const diffTab = (): vscode.Tab | undefined =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'qwen-proposed');
  const send = async (text: string): Promise<string> => {
    const requestId = `agent-${randomBytes(6).toString('hex')}`;
    await suite.api.receiveFromView({ type: 'send', requestId, text });
    return requestId;
  };


  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });


  it('an edit: the diff shows the proposal, Accept (title bar) writes it as one edit, Undo restores the original bytes', async () => {
    const original = 'export const add = (a: number, b: number) => a - b;\r\n';
    writeFileSync(join(suite.dir, 'math.ts'), original);
    suite.fake.script(
      { kind: 'toolCalls', calls: [{ id: 'call_read1', name: 'read_file', arguments: '{"path":"agent-test/math.ts"}' }] },
      { kind: 'toolCalls', calls: [{ id: 'call_edit1', name: 'edit_file', arguments: JSON.stringify({ path: 'agent-test/math.ts', edits: [{ search: 'a - b', replace: 'a + b' }] }) }] },
      { kind: 'text', text: 'Fixed.' },
    );
    const requestId = await send('fix add');
    const waiting = await waitCard('call_edit1', 'awaitingApproval');
    assert.equal(waiting.approval?.question, 'Apply this edit to agent-test/math.ts?');
    const tab = await eventually(diffTab);
    assert.ok(tab, 'the proposal opened as a diff');
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.fsPath, join(suite.dir, 'math.ts'));
    const proposed = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(proposed.getText(), 'export const add = (a: number, b: number) => a + b;\r\n', 'CRLF kept in the proposal');
    assert.deepEqual(readFileSync(join(suite.dir, 'math.ts')), Buffer.from(original), 'nothing written while it waits');

    await vscode.commands.executeCommand(COMMANDS.acceptProposedEdit, input.modified);
    await waitCard('call_edit1', 'done');
    assert.equal((await ended(requestId))?.message.text, 'Fixed.');
    assert.equal(readFileSync(join(suite.dir, 'math.ts'), 'utf8'), 'export const add = (a: number, b: number) => a + b;\r\n');
    assert.equal(await eventually(() => (diffTab() ? undefined : true)), true, 'the diff closed');

    const doc = await vscode.workspace.openTextDocument(join(suite.dir, 'math.ts'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
    await doc.save();
    assert.deepEqual(readFileSync(join(suite.dir, 'math.ts')), Buffer.from(original), 'Undo restored the bytes');
  });

  it('Deny on the card leaves the file byte-identical, closes the diff, and the reason reaches the model', async () => {
    const original = Buffer.from('const keep = "as is";\n');
    writeFileSync(join(suite.dir, 'keep.ts'), original);
    suite.fake.script(
      { kind: 'toolCalls', calls: [{ id: 'call_edit2', name: 'edit_file', arguments: JSON.stringify({ path: 'agent-test/keep.ts', edits: [{ search: 'as is', replace: 'changed' }] }) }] },
      { kind: 'text', text: 'Left it.' },
    );
    const requestId = await send('change keep');
    await waitCard('call_edit2', 'awaitingApproval');
    assert.ok(await eventually(diffTab), 'diff open while it waits');
    await suite.api.receiveFromView({ type: 'toolDecision', callId: 'call_edit2', approved: false, reason: 'leave it alone' });
    await waitCard('call_edit2', 'denied');
    await ended(requestId);
    assert.deepEqual(readFileSync(join(suite.dir, 'keep.ts')), original);
    assert.equal(await eventually(() => (diffTab() ? undefined : true)), true, 'the diff closed');
    const last = suite.fake.requests.at(-1)?.body.messages as { role: string; content: string }[];
    assert.match(last.at(-1)?.content ?? '', /leave it alone/);
  });

  it("run_command: approved on its card, its output goes back to the model; Stop kills a long one", async () => {
    suite.fake.script(
      { kind: 'toolCalls', calls: [{ id: 'call_cmd1', name: 'run_command', arguments: '{"command":"echo agent-output-$((6*7))"}' }] },
      { kind: 'text', text: 'It printed 42.' },
    );
    const first = await send('run echo');
    await waitCard('call_cmd1', 'awaitingApproval');
    await suite.api.receiveFromView({ type: 'toolDecision', callId: 'call_cmd1', approved: true });
    await waitCard('call_cmd1', 'done');
    await ended(first);
    const sent = suite.fake.requests.at(-1)?.body.messages as { role: string; content: string }[];
    assert.match(sent.at(-1)?.content ?? '', /agent-output-42/);

    const marker = join(suite.dir, 'still-running.txt');
    suite.fake.script({ kind: 'toolCalls', calls: [{ id: 'call_cmd2', name: 'run_command', arguments: JSON.stringify({ command: `sleep 3 && touch ${marker}` }) }] });
    const second = await send('run long');
    await waitCard('call_cmd2', 'awaitingApproval');
    await suite.api.receiveFromView({ type: 'toolDecision', callId: 'call_cmd2', approved: true });
    await waitCard('call_cmd2', 'running');
    await new Promise((r) => setTimeout(r, 300));
    await suite.api.receiveFromView({ type: 'stop', requestId: second });
    await waitCard('call_cmd2', 'cancelled');
    assert.ok(await ended(second));
    await new Promise((r) => setTimeout(r, 3500));
    assert.throws(() => readFileSync(marker), /ENOENT/, 'the command was killed before it could finish');
  });
});
