// The chat as VS Code runs it: the extension's real adapters (settings, SecretStorage, storage, status bar, views)
// around the real controller, against the fake Qwen server started here in the extension host.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../src/protocol/messages';
import type { QwenCoderApi } from '../../../src/vscode/api';
import { COMMANDS, SETTINGS, VIEWS } from '../../../src/vscode/ids';
import { errors, startFakeQwen } from '../../fakes/fakeQwenServer';
import type { FakeQwenServer } from '../../fakes/fakeQwenServer';
import { activateApi, eventually } from '../support';

const KEY = `sk-vscode-test-${randomBytes(8).toString('hex')}`;
const qwen = () => vscode.workspace.getConfiguration('qwen');
const Global = vscode.ConfigurationTarget.Global;
const TOUCHED = [SETTINGS.baseUrl, SETTINGS.model, SETTINGS.thinking, SETTINGS.region];

/** Every value of every `qwen.*` setting in every scope, as one string (to prove the key is in none). */
function allQwenSettings(): string {
  const values = Object.values(SETTINGS).map((key) => qwen().inspect(key));
  return JSON.stringify(values);
}

function storedFiles(api: QwenCoderApi): Record<string, string> {
  let names: string[];
  try {
    names = readdirSync(api.storageFolder);
  } catch {
    return {};
  }
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(api.storageFolder, n), 'utf8')]));
}

describe('Qwen chat in VS Code (against the fake Qwen server)', function () {
  this.timeout(30_000);
  let api: QwenCoderApi;
  let fake: FakeQwenServer;
  const posted: HostToWebview[] = [];
  let listening: vscode.Disposable | undefined;
  const lastOf = <T extends HostToWebview['type']>(type: T) =>
    posted.filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type).at(-1);

  before(async () => {
    api = await activateApi();
    listening = api.onDidPost((m) => posted.push(m));
    fake = await startFakeQwen({ apiKey: KEY });
    await qwen().update(SETTINGS.baseUrl, fake.baseUrl, Global);
    await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
  });

  after(async () => {
    listening?.dispose();
    await api?.clearApiKey();
    for (const key of TOUCHED) await qwen().update(key, undefined, Global);
    await fake?.close();
  });

  it('sets the key in SecretStorage for this endpoint (views told at once), never in settings; Clear API Key removes it', async () => {
    await api.clearApiKey();
    await api.setApiKey(`  ${KEY}\n`); // pasted with blanks: stored trimmed
    const told = await eventually(() => (lastOf('settings')?.settings.keySource === 'secret' ? true : undefined));
    assert.ok(told, 'no settings message with keySource "secret" after the key changed');
    const s = (await api.snapshot()).settings;
    assert.equal(s.keySource, 'secret');
    assert.ok(!allQwenSettings().includes(KEY), 'the key is in the settings');
    assert.ok(!JSON.stringify(await api.snapshot()).includes(KEY), 'the key is in the snapshot');

    await vscode.commands.executeCommand(COMMANDS.clearApiKey);
    assert.notEqual((await api.snapshot()).settings.keySource, 'secret');
    await api.setApiKey(KEY);
    await assert.rejects(api.setApiKey('   '), /empty/);
    assert.equal((await api.snapshot()).settings.keySource, 'secret', 'an empty key replaced the stored one');
  });

  it('keys are per endpoint: with no key for the Model Studio region, the status bar and the views say one is needed', async () => {
    await api.setApiKey(KEY); // for the fake server's base URL
    await qwen().update(SETTINGS.baseUrl, undefined, Global);
    // both runners start the workbench without DASHSCOPE_API_KEY (scripts/lib/codeServer.mjs, runTest.ts)
    assert.equal(process.env.DASHSCOPE_API_KEY, undefined, 'the extension host must not see a key from the shell');
    assert.ok(await eventually(() => (api.statusBar().state === 'needsKey' ? true : undefined)), api.statusBar().tooltip);
    const s = (await api.snapshot()).settings;
    assert.equal(s.endpointLabel.toLowerCase().includes('singapore'), true, s.endpointLabel);
    assert.equal(s.keySource, 'none');

    await api.setApiKey('sk-singapore-only');
    assert.equal((await api.snapshot()).settings.keySource, 'secret');
    await api.clearApiKey();
    await qwen().update(SETTINGS.baseUrl, fake.baseUrl, Global);
    assert.ok(await eventually(() => (api.statusBar().state === 'idle' ? true : undefined)), api.statusBar().tooltip);
    assert.equal((await api.snapshot()).settings.keySource, 'secret', "the fake server's key is gone");
  });

  it('a chat turn end to end: the answer streams, the server gets the key as Bearer, the chat is saved', async () => {
    await api.setApiKey(KEY);
    await vscode.commands.executeCommand(COMMANDS.newChat);
    const before = fake.requests.length;
    const answer = await api.sendPrompt('Say hello to the VS Code tests');
    assert.equal(answer.status, 'done', JSON.stringify(answer.error));
    assert.equal(answer.text, 'Hello from fake Qwen.');
    assert.ok(answer.metrics?.completionTokens, 'no token counts');
    assert.equal(fake.requests.length, before + 1);
    const request = fake.requests.at(-1);
    assert.equal(request?.headers['authorization'], `Bearer ${KEY}`);
    assert.equal(request?.body.model, 'qwen3-coder-plus');
    assert.match(JSON.stringify(request?.body.messages), /Say hello to the VS Code tests/);
    assert.ok(posted.some((m) => m.type === 'turnDelta'), 'no streamed delta was posted');

    const conversation = (await api.snapshot()).conversation;
    assert.deepEqual(conversation.messages.map((m) => [m.role, m.status]), [['user', 'done'], ['assistant', 'done']]);
    const saved = await eventually(() => {
      const files = storedFiles(api);
      return Object.values(files).some((t) => t.includes('Hello from fake Qwen.') && t.includes(conversation.id)) ? files : undefined;
    });
    assert.ok(saved, `the conversation was not saved in ${api.storageFolder}`);
    for (const [name, text] of Object.entries(saved)) assert.ok(!text.includes(KEY), `the key is in stored ${name}`);
    for (const m of posted) assert.ok(!JSON.stringify(m).includes(KEY), `the key was posted in a ${m.type} message`);
  });

  it('settings apply without reload: a new qwen.model reaches the status bar, the views and the next request', async () => {
    await api.setApiKey(KEY);
    await qwen().update(SETTINGS.model, 'qwen3.6-plus', Global);
    assert.ok(await eventually(() => (api.statusBar().text.includes('Qwen3.6 Plus') ? true : undefined)), api.statusBar().text);
    assert.ok(await eventually(() => (lastOf('settings')?.settings.model === 'qwen3.6-plus' ? true : undefined)), 'views not told');
    assert.equal((await api.snapshot()).settings.thinkingOn, true, 'qwen3.6-plus thinks by default');

    const answer = await api.sendPrompt('Think first');
    assert.equal(fake.requests.at(-1)?.body.model, 'qwen3.6-plus');
    assert.equal(answer.status, 'done');
    assert.ok(answer.reasoning, 'a thinking model answered without reasoning');
    assert.equal(answer.model, 'qwen3.6-plus');

    await qwen().update(SETTINGS.thinking, 'off', Global);
    assert.ok(await eventually(() => (lastOf('settings')?.settings.thinkingOn === false ? true : undefined)), 'views not told');
    await api.sendPrompt('No thinking now');
    assert.equal(fake.requests.at(-1)?.body.enable_thinking, false);
  });

  it('qwen.toggleThinking cycles auto → on → off → auto in the settings', async () => {
    await qwen().update(SETTINGS.thinking, 'auto', Global);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await vscode.commands.executeCommand(COMMANDS.toggleThinking);
      seen.push(qwen().get<string>(SETTINGS.thinking) ?? '');
    }
    assert.deepEqual(seen, ['on', 'off', 'auto']);
  });

  it('qwen.stop aborts the streaming request and keeps the partial answer; the status bar shows the state', async () => {
    await api.setApiKey(KEY);
    await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
    fake.script({ kind: 'stall', afterText: 'The first half of a long answer', stallMs: 20_000 });
    const answer = api.sendPrompt('Write a long answer');
    assert.ok(await eventually(() => (api.statusBar().state === 'streaming' ? true : undefined)), api.statusBar().text);
    const delta = await eventually(() => posted.find((m) => m.type === 'turnDelta' && m.content.includes('long answer')));
    assert.ok(delta, 'the partial answer never streamed');
    await vscode.commands.executeCommand(COMMANDS.stop);
    const stopped = await answer;
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.text, 'The first half of a long answer');
    assert.ok(await eventually(() => (fake.requests.at(-1)?.closedBeforeEnd ? true : undefined)), 'the HTTP request was not closed');
    assert.ok(await eventually(() => (api.statusBar().state !== 'streaming' ? true : undefined)), api.statusBar().text);
  });

  it('a 401 becomes an error card naming the endpoint with Set API key; its Retry button re-sends', async () => {
    await api.setApiKey(KEY);
    fake.script(errors.invalidApiKey());
    const failed = await api.sendPrompt('Who am I?');
    assert.equal(failed.status, 'error');
    assert.match(failed.error?.message ?? '', /127\.0\.0\.1/);
    assert.ok(failed.error?.actions.some((a) => a.id === 'setApiKey'), JSON.stringify(failed.error?.actions));

    const count = posted.length;
    await api.receiveFromView({ type: 'action', action: 'retry', messageId: failed.id });
    const ended = await eventually(() => posted.slice(count).find((m) => m.type === 'turnEnded'));
    assert.equal(ended?.type === 'turnEnded' && ended.message.status, 'done');
    const last = (await api.snapshot()).conversation.messages;
    assert.equal(last.filter((m) => m.text === 'Who am I?').length, 1, 'retry duplicated the prompt');
  });

  it('attaches the editor selection as a chip (path, language, 1-based lines), inserts code at the cursor', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folder, 'no workspace folder');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src', 'app.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    await api.receiveFromView({ type: 'attachSelection' });
    const chip = lastOf('attachments')?.attachments.at(-1);
    assert.ok(chip, 'no attachment posted');
    assert.equal(chip.label, 'src/app.ts');
    assert.equal(chip.language, 'typescript');
    assert.deepEqual([chip.kind, chip.startLine, chip.endLine], ['selection', 1, 3]);
    assert.match(chip.text, /^export function greet/);
    await api.receiveFromView({ type: 'removeAttachment', attachmentId: chip.id });
    assert.deepEqual(lastOf('attachments')?.attachments, []);

    editor.selection = new vscode.Selection(4, 0, 4, 0);
    await api.receiveFromView({ type: 'insertCode', code: '// inserted by Qwen\n' });
    assert.equal(doc.lineAt(4).text, '// inserted by Qwen');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('drops invalid messages from a page without acting on them; a send with a usable id gets a refusal', async () => {
    const requests = fake.requests.length;
    const count = posted.length;
    for (const bad of [null, 'send', { type: 'send', requestId: '../x', text: 'hi' }, { type: 'send', requestId: 'r1', text: 42 }, { type: 'exec', command: 'rm' }]) {
      await api.receiveFromView(bad);
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fake.requests.length, requests);
    assert.deepEqual(posted.slice(count).map((m) => (m.type === 'requestRejected' ? m.requestId : m.type)), ['r1']);
  });

  it('opens the chat in an editor tab and in the sidebar: each page says ready and gets a snapshot', async () => {
    const views = api.openViews();
    const snapshots = () => posted.filter((m) => m.type === 'snapshot').length;
    const before = snapshots();
    await vscode.commands.executeCommand(COMMANDS.openChatInEditor);
    assert.ok(await eventually(() => (api.openViews() > views ? true : undefined)), 'no page attached');
    assert.ok(await eventually(() => (snapshots() > before ? true : undefined), 20_000), 'the editor tab never said ready');
    await vscode.commands.executeCommand(`${VIEWS.chat}.focus`);
    assert.ok(await eventually(() => (api.openViews() > views + 1 ? true : undefined)), 'the sidebar view did not attach');
    assert.ok(await eventually(() => (snapshots() > before + 1 ? true : undefined), 20_000), 'the sidebar view never said ready');
  });

  it('qwen.newChat starts an empty conversation and keeps the old one in the history', async () => {
    const old = (await api.snapshot()).conversation;
    assert.ok(old.messages.length > 0);
    await vscode.commands.executeCommand(COMMANDS.newChat);
    const now = await api.snapshot();
    assert.equal(now.conversation.messages.length, 0);
    assert.ok(now.conversations.some((c) => c.id === old.id), 'the previous chat is not in the history');
  });
});
