// Keys and endpoints as VS Code runs them: where a key comes from, that the one stored is the one sent, and that a
// change of qwen.region or qwen.baseUrl reaches the next request without a reload. The harness (test/vscode/runTest.ts)
// starts VS Code without DASHSCOPE_API_KEY, so every key here is one these tests chose; keys.afterReload.test.ts then
// checks, in a second window on the same profile, that the key stored below is still in SecretStorage.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { QwenCoderApi } from '../../../src/vscode/api';
import { SETTINGS } from '../../../src/vscode/ids';
import { startFakeQwen } from '../../fakes/fakeQwenServer';
import { reloadStateFile } from '../reloadState';
import type { ReloadState } from '../reloadState';
import { activateApi, eventually } from '../support';

const qwen = () => vscode.workspace.getConfiguration('qwen');
const Global = vscode.ConfigurationTarget.Global;
const fresh = (label: string) => `sk-${label}-${randomBytes(6).toString('hex')}`;

async function settle(api: QwenCoderApi, check: (s: Awaited<ReturnType<QwenCoderApi['snapshot']>>['settings']) => boolean, what: string) {
  const ok = await eventually(async () => (check((await api.snapshot()).settings) ? true : undefined));
  const { models: _models, ...settings } = (await api.snapshot()).settings;
  assert.ok(ok, `${what}; the view's settings: ${JSON.stringify(settings)}`);
}

describe('API keys and endpoints in VS Code', function () {
  this.timeout(30_000);
  let api: QwenCoderApi;
  const realFetch = globalThis.fetch;

  before(async () => {
    assert.equal(process.env.DASHSCOPE_API_KEY, undefined, 'the harness must start VS Code without DASHSCOPE_API_KEY');
    api = await activateApi();
  });

  afterEach(async () => {
    globalThis.fetch = realFetch;
    delete process.env.DASHSCOPE_API_KEY;
    for (const key of [SETTINGS.baseUrl, SETTINGS.region, SETTINGS.model]) await qwen().update(key, undefined, Global);
    await api.refresh();
  });

  it('the key stored for an endpoint is the one sent; a second window on this profile finds it (see keys.afterReload)', async () => {
    const key = fresh('stored');
    const server = await startFakeQwen({ apiKey: key });
    try {
      await qwen().update(SETTINGS.baseUrl, server.baseUrl, Global);
      await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
      await settle(api, (s) => s.endpointLabel === `127.0.0.1:${server.port}`, 'the view never followed qwen.baseUrl');
      await api.setApiKey(key);
      await settle(api, (s) => s.keySource === 'secret', 'the stored key is not what the view counts on');
      const answer = await api.sendPrompt('Which key did you get?');
      assert.equal(answer.status, 'done', JSON.stringify(answer.error));
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${key}`);
      const state: ReloadState = { baseUrl: server.baseUrl, port: server.port, key };
      writeFileSync(reloadStateFile(), JSON.stringify(state));
    } finally {
      await server.close();
    }
  });

  it('DASHSCOPE_API_KEY is used while no key is stored for a local server; a stored key wins; clearing it falls back', async () => {
    const envKey = fresh('env');
    const storedKey = fresh('stored');
    const server = await startFakeQwen({ apiKey: envKey });
    try {
      await qwen().update(SETTINGS.baseUrl, server.baseUrl, Global);
      await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
      await api.clearApiKey();
      process.env.DASHSCOPE_API_KEY = envKey; // the extension reads the environment at every lookup
      await api.refresh();
      await settle(api, (s) => s.keySource === 'env', 'no key from the environment');
      assert.equal((await api.sendPrompt('From the environment')).status, 'done');
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${envKey}`);

      await api.setApiKey(storedKey);
      await settle(api, (s) => s.keySource === 'secret', 'the stored key does not win over the environment');
      assert.equal((await api.sendPrompt('Now the stored one')).status, 'error', 'the fake only knows the env key');
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${storedKey}`);

      await api.clearApiKey();
      await settle(api, (s) => s.keySource === 'env', 'Clear API Key did not fall back to the environment');
      assert.equal((await api.sendPrompt('Back to the environment')).status, 'done');
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${envKey}`);
    } finally {
      await api.clearApiKey();
      await server.close();
    }
  });

  it('qwen.region and qwen.baseUrl apply to the next request and the view without a reload', async () => {
    const beijing = fresh('beijing');
    const virginia = fresh('virginia');
    const regional = await startFakeQwen({ apiKey: beijing });
    // Model Studio's hosts cannot be reached from here: their requests go to this fake, and their URLs are recorded
    const sentTo: string[] = [];
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!url.hostname.endsWith('.aliyuncs.com')) return realFetch(input, init);
      sentTo.push(url.href);
      return realFetch(`${new URL(regional.baseUrl).origin}${url.pathname}${url.search}`, init);
    };
    const local = fresh('local');
    const server = await startFakeQwen({ apiKey: local });
    try {
      await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
      await qwen().update(SETTINGS.region, 'beijing', Global);
      await settle(api, (s) => s.endpointLabel === 'Model Studio (Beijing)' && s.region === 'beijing', 'the view never showed Beijing');
      await api.setApiKey(beijing);
      assert.equal((await api.sendPrompt('Hello Beijing')).status, 'done');
      assert.equal(sentTo.at(-1), 'https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions');
      assert.equal(regional.requests.at(-1)?.headers.authorization, `Bearer ${beijing}`);

      // keys are per region: Virginia has none until one is stored, and then gets its own
      await qwen().update(SETTINGS.region, 'virginia', Global);
      await settle(api, (s) => s.endpointLabel === 'Model Studio (Virginia)' && s.keySource === 'none', 'Virginia showed a key it does not have');
      assert.ok(await eventually(() => (api.statusBar().state === 'needsKey' ? true : undefined)), api.statusBar().tooltip);
      await api.setApiKey(virginia);
      await settle(api, (s) => s.keySource === 'secret', 'the Virginia key is not counted');
      const rejected = await api.sendPrompt('Hello Virginia');
      assert.equal(sentTo.at(-1), 'https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions');
      assert.equal(regional.requests.at(-1)?.headers.authorization, `Bearer ${virginia}`);
      assert.equal(rejected.status, 'error', 'the fake accepts only the Beijing key');
      assert.match(rejected.error?.message ?? '', /dashscope-us\.aliyuncs\.com/, 'the 401 names the endpoint used');

      // a base URL overrides the region, with its own key
      const count = sentTo.length;
      await qwen().update(SETTINGS.baseUrl, server.baseUrl, Global);
      await settle(api, (s) => s.endpointLabel === `127.0.0.1:${server.port}` && s.customBaseUrl, 'the view never followed qwen.baseUrl');
      await api.setApiKey(local);
      assert.equal((await api.sendPrompt('Hello local')).status, 'done');
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${local}`);
      assert.equal(sentTo.length, count, 'a request still went to Model Studio');
    } finally {
      // each endpoint's key is removed from its own slot
      for (const [region, baseUrl] of [[undefined, server.baseUrl], ['virginia', undefined], ['beijing', undefined]] as const) {
        await qwen().update(SETTINGS.baseUrl, baseUrl, Global);
        await qwen().update(SETTINGS.region, region, Global);
        await api.refresh();
        await api.clearApiKey();
      }
      await server.close();
      await regional.close();
    }
  });
});
