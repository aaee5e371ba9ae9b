// Shared by the VS Code suites that drive the extension against the fake Qwen server inside the sample workspace:
// the server, the key, the settings, a folder of their own in the workspace, every posted message, and the clean-up.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../src/protocol/messages';
import type { QwenCoderApi } from '../../src/vscode/api';
import { SETTINGS } from '../../src/vscode/ids';
import { startFakeQwen, type FakeQwenServer } from '../fakes/fakeQwenServer';
import { activateApi } from './support';

export interface FakeWorkspaceSuite {
  readonly api: QwenCoderApi;
  readonly fake: FakeQwenServer;
  /** The suite's own folder inside the workspace (removed after the suite). */
  readonly dir: string;
  readonly posted: HostToWebview[];
}

/** Call inside `describe`. Auto-save is off for the suite: the tests need documents to stay dirty. */
export function useFakeWorkspace(folder: string): FakeWorkspaceSuite {
  const key = `sk-vscode-${folder}-${randomBytes(8).toString('hex')}`;
  const qwen = () => vscode.workspace.getConfiguration('qwen');
  const Global = vscode.ConfigurationTarget.Global;
  let listening: vscode.Disposable | undefined;
  const state: { api?: QwenCoderApi; fake?: FakeQwenServer; dir?: string } = {};
  const posted: HostToWebview[] = [];

  before(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', Global);
    state.api = await activateApi();
    listening = state.api.onDidPost((m) => posted.push(m));
    state.fake = await startFakeQwen({ apiKey: key });
    await qwen().update(SETTINGS.baseUrl, state.fake.baseUrl, Global);
    await qwen().update(SETTINGS.model, 'qwen3-coder-plus', Global);
    await state.api.setApiKey(key);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the tests open a workspace folder');
    state.dir = join(root, folder);
    mkdirSync(state.dir, { recursive: true });
  });

  after(async () => {
    listening?.dispose();
    await state.api?.clearApiKey();
    for (const setting of [SETTINGS.baseUrl, SETTINGS.model]) await qwen().update(setting, undefined, Global);
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, Global);
    await state.fake?.close();
    if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  });

  return {
    get api() {
      return state.api!;
    },
    get fake() {
      return state.fake!;
    },
    get dir() {
      return state.dir!;
    },
    posted,
  };
}
