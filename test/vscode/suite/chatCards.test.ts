// Error-card fixes, mistyped settings and refusals through the extension's real adapters in VS Code. Requests to
// Model Studio's regional URLs are sent to the fake Qwen server by a fetch wrapper installed in this extension host
// (the extension reads globalThis.fetch per request), so region switches are exercised with the real URLs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { REGION_BASE_URLS, type Region } from '../../../src/core/endpoints';
import type { HostToWebview } from '../../../src/protocol/messages';
import type { QwenCoderApi } from '../../../src/vscode/api';
import { COMMANDS, SETTINGS } from '../../../src/vscode/ids';
import { errors, startFakeQwen } from '../../fakes/fakeQwenServer';
import type { FakeQwenServer } from '../../fakes/fakeQwenServer';
import { activateApi, eventually } from '../support';

const KEY = `sk-cards-test-${randomBytes(8).toString('hex')}`;
const qwen = () => vscode.workspace.getConfiguration('qwen');
const Global = vscode.ConfigurationTarget.Global;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Qwen chat cards and settings in VS Code (regional URLs sent to the fake server)', function () {
  this.timeout(60_000);
  let api: QwenCoderApi;
  let fake: FakeQwenServer;
  const realFetch = globalThis.fetch;
  const envKey = process.env.DASHSCOPE_API_KEY;
  /** The URL each request was meant for, before it was sent to the fake server. */
  const urls: string[] = [];
  const posted: HostToWebview[] = [];
  let listening: vscode.Disposable | undefined;

  async function setRegion(region: Region): Promise<void> {
    await qwen().update(SETTINGS.region, region, Global);
  }

  async function clearKeys(): Promise<void> {
    for (const region of ['singapore', 'beijing', 'virginia'] as const) {
      await setRegion(region);
      await api.clearApiKey();
    }
  }

  /** Answers the region quick pick: down `steps` items from the current region (listed first), then Enter. */
  async function pickRegionBelow(steps: number, expected: Region): Promise<void> {
    for (let i = 0; i < 30 && qwen().get(SETTINGS.region) !== expected; i++) {
      await sleep(500);
      await vscode.commands.executeCommand('quickInput.first');
      for (let s = 0; s < steps; s++) await vscode.commands.executeCommand('quickInput.next');
      await vscode.commands.executeCommand('quickInput.accept');
    }
    assert.equal(qwen().get(SETTINGS.region), expected, 'the region quick pick was not answered');
  }

  before(async () => {
    api = await activateApi();
    // A chat page that takes the focus (its composer, after an answer) closes a quick pick: these tests need none.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    listening = api.onDidPost((m) => posted.push(m));
    fake = await startFakeQwen({ apiKey: KEY });
    delete process.env.DASHSCOPE_API_KEY; // a real key in the environment would answer for every region
    globalThis.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      urls.push(url);
      const base = Object.values(REGION_BASE_URLS).find((b) => url.startsWith(b));
      return realFetch(base ? fake.baseUrl + url.slice(base.length) : url, init);
    };
    await qwen().update(SETTINGS.baseUrl, undefined, Global);
    await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
    await clearKeys();
  });

  after(async () => {
    globalThis.fetch = realFetch;
    if (envKey !== undefined) process.env.DASHSCOPE_API_KEY = envKey;
    listening?.dispose();
    await clearKeys();
    for (const key of [SETTINGS.region, SETTINGS.baseUrl, SETTINGS.model]) await qwen().update(key, undefined, Global);
    await fake?.close();
  });

  it('Switch region on a 401: the rejected key goes to the region without one, and the answer is re-sent there', async () => {
    await setRegion('singapore');
    await api.setApiKey(KEY);
    await vscode.commands.executeCommand(COMMANDS.newChat);
    fake.script(errors.invalidApiKey(), { kind: 'text', text: 'Answer from Beijing.' });
    const failed = await api.sendPrompt('Which region am I in?');
    assert.equal(failed.error?.kind, 'auth');
    assert.ok(failed.error?.actions.some((a) => a.id === 'switchRegion'), JSON.stringify(failed.error?.actions));
    assert.ok(urls.at(-1)?.startsWith(REGION_BASE_URLS.singapore));

    const count = posted.length;
    const acting = api.receiveFromView({ type: 'action', action: 'switchRegion', messageId: failed.id });
    await pickRegionBelow(1, 'beijing'); // singapore (current), beijing, virginia
    await acting;
    const ended = await eventually(() => posted.slice(count).find((m) => m.type === 'turnEnded'), 20_000);
    assert.ok(ended?.type === 'turnEnded', 'the failed answer was not re-sent');
    assert.equal(ended.message.text, 'Answer from Beijing.', JSON.stringify(ended.message.error));
    assert.ok(urls.at(-1)?.startsWith(REGION_BASE_URLS.beijing), urls.at(-1));
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`, 'the carried key was sent');
    assert.equal((await api.snapshot()).settings.keySource, 'secret', 'Beijing now has the key');
    const messages = (await api.snapshot()).conversation.messages;
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant'], 'the failed answer was replaced');
  });

  it('Switch region on an older card switches the region and re-sends nothing', async () => {
    await setRegion('beijing');
    fake.script(errors.invalidApiKey(), { kind: 'text', text: 'Fine again.' });
    const old = await api.sendPrompt('This one fails');
    assert.equal(old.error?.kind, 'auth');
    assert.equal((await api.sendPrompt('This one works')).text, 'Fine again.');
    const before = (await api.snapshot()).conversation.messages.map((m) => m.id);
    const requests = fake.requests.length;

    const acting = api.receiveFromView({ type: 'action', action: 'switchRegion', messageId: old.id });
    await pickRegionBelow(2, 'virginia'); // beijing (current), singapore, virginia
    await acting;
    await sleep(300);
    assert.equal(fake.requests.length, requests, 'nothing was re-sent');
    assert.deepEqual((await api.snapshot()).conversation.messages.map((m) => m.id), before, 'nothing was removed');
    assert.equal((await api.snapshot()).settings.keySource, 'none', 'no key was carried from an older card');
  });

  it('settings of the wrong type: the views still get their state, the status bar refreshes, a prompt is answered', async () => {
    await setRegion('singapore');
    await qwen().update(SETTINGS.region, 5, Global);
    await qwen().update(SETTINGS.baseUrl, null, Global);
    await qwen().update(SETTINGS.model, { id: 'qwen3-coder-plus' }, Global);
    await api.refresh();
    const snapshot = await api.snapshot();
    assert.equal(snapshot.settings.endpointLabel, 'Model Studio (Singapore)');
    assert.equal(snapshot.settings.model, 'qwen3-coder-plus');
    assert.notEqual(api.statusBar().text, '');
    fake.script({ kind: 'text', text: 'Still answering.' });
    assert.equal((await api.sendPrompt('Are you there?')).text, 'Still answering.');
    for (const key of [SETTINGS.region, SETTINGS.baseUrl, SETTINGS.model]) await qwen().update(key, undefined, Global);
  });

  it('Clear API Key says so when DASHSCOPE_API_KEY still supplies a key', async () => {
    await setRegion('singapore');
    await api.setApiKey(KEY);
    process.env.DASHSCOPE_API_KEY = 'sk-from-the-environment';
    try {
      const message = await vscode.commands.executeCommand<string>(COMMANDS.clearApiKey);
      assert.match(message, /removed\. DASHSCOPE_API_KEY from the environment still supplies a key/);
      assert.equal((await api.snapshot()).settings.keySource, 'env');
    } finally {
      delete process.env.DASHSCOPE_API_KEY;
    }
    const without = await vscode.commands.executeCommand<string>(COMMANDS.clearApiKey);
    assert.doesNotMatch(without, /DASHSCOPE_API_KEY/);
  });

  it('a prompt too long for the page protocol gets a reply naming its request, and is not sent', async () => {
    const requests = fake.requests.length;
    await api.receiveFromView({ type: 'send', requestId: 'too-long-1', text: 'x'.repeat(1_000_001) });
    const rejected = await eventually(() => posted.find((m) => m.type === 'requestRejected' && m.requestId === 'too-long-1'));
    assert.ok(rejected?.type === 'requestRejected', 'no reply');
    assert.match(rejected.reason, /too long/);
    assert.equal(fake.requests.length, requests);
  });
});
