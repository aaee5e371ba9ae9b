// Runs in the second window test/vscode/runTest.ts opens on the profile of the first (QWEN_TEST_PHASE=afterReload):
// the key keys.test.ts stored must still be in VS Code's SecretStorage, and be the one sent. The extension host is new
// and DASHSCOPE_API_KEY unset, so nothing but SecretStorage can supply it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { SETTINGS } from '../../../src/vscode/ids';
import { startFakeQwen } from '../../fakes/fakeQwenServer';
import { activateApi, eventually } from '../support';
import { reloadStateFile } from '../reloadState';
import type { ReloadState } from '../reloadState';

const qwen = () => vscode.workspace.getConfiguration('qwen');
const Global = vscode.ConfigurationTarget.Global;

describe('API keys after a window reload', function () {
  this.timeout(30_000);

  it('the key stored in the first window is still in SecretStorage and is the one sent', async () => {
    const file = reloadStateFile();
    assert.ok(existsSync(file), `the first window left no ${file} (did its key test pass?)`);
    const state = JSON.parse(readFileSync(file, 'utf8')) as ReloadState;
    assert.equal(process.env.DASHSCOPE_API_KEY, undefined);
    const api = await activateApi();
    // the same endpoint as before the reload: a server on the same port, knowing only that key
    const server = await startFakeQwen({ apiKey: state.key, port: state.port });
    try {
      await qwen().update(SETTINGS.baseUrl, state.baseUrl, Global);
      await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
      const settings = await eventually(async () => {
        const s = (await api.snapshot()).settings;
        return s.endpointLabel === `127.0.0.1:${state.port}` ? s : undefined;
      });
      assert.equal(settings?.keySource, 'secret', `no stored key after the reload: ${settings?.keySource} for ${settings?.endpointLabel}`);
      const answer = await api.sendPrompt('Do you still know me?');
      assert.equal(answer.status, 'done', JSON.stringify(answer.error));
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${state.key}`);
    } finally {
      await api.clearApiKey();
      for (const key of [SETTINGS.baseUrl, SETTINGS.model]) await qwen().update(key, undefined, Global);
      await server.close();
    }
  });
});
