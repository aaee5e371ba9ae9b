import * as vscode from 'vscode';
import { REGION_BASE_URLS, REGIONS, describeEndpoint, isRegion } from '../core/endpoints';
import type { Region } from '../core/endpoints';
import { getModel, listModels } from '../core/models';
import type { ThinkingSupport } from '../core/models';
import { effectiveThinking } from '../core/requestBuilder';
import type { ThinkingMode } from '../core/requestBuilder';
import { readChatSettings, updateSetting } from './config';
import { SETTINGS } from './ids';

const THINKING_WORDS: Record<ThinkingSupport, string> = {
  none: 'no thinking',
  'hybrid-on': 'thinking on by default',
  'hybrid-off': 'thinking off by default',
  always: 'always thinks',
  unknown: 'thinking unknown',
};

/** QuickPick of the three regions; writes `qwen.region` and returns the choice (undefined when dismissed). */
export async function pickRegion(title = 'Model Studio region'): Promise<Region | undefined> {
  const settings = readChatSettings();
  const items = REGIONS.map((region) => ({
    label: describeEndpoint(REGION_BASE_URLS[region]),
    description: region === settings.region ? 'current' : '',
    detail: REGION_BASE_URLS[region],
    region,
  }));
  items.sort((a, b) => Number(b.region === settings.region) - Number(a.region === settings.region));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: settings.baseUrl ? `qwen.baseUrl (${settings.baseUrl}) overrides the region while it is set` : 'Keys are per region',
  });
  if (!picked) return undefined;
  if (picked.region !== settings.region) await updateSetting(SETTINGS.region, picked.region);
  return picked.region;
}

/** Writes `qwen.region` when `region` is one of the three (the webview's region choice). */
export async function setRegion(region: string): Promise<void> {
  if (isRegion(region)) await updateSetting(SETTINGS.region, region);
}

/** `qwen.selectModel`: the catalog with what each model does about thinking, plus "Other model id…". */
export async function pickModel(): Promise<string | undefined> {
  const current = readChatSettings().model;
  const OTHER = '$(edit) Other model id…';
  const items: (vscode.QuickPickItem & { id?: string })[] = listModels().map((m) => ({
    label: m.label,
    description: `${m.id} · ${THINKING_WORDS[m.thinking]}`,
    ...(m.id === current && { picked: true, detail: 'current' }),
    id: m.id,
  }));
  items.push({ label: OTHER, description: 'any id your endpoint serves' });
  const picked = await vscode.window.showQuickPick(items, { title: 'Qwen model', placeHolder: `Current: ${current}`, matchOnDescription: true });
  if (!picked) return undefined;
  let id = picked.id;
  if (id === undefined) {
    id = (
      await vscode.window.showInputBox({
        title: 'Model id',
        value: current,
        prompt: 'As your endpoint names it, e.g. qwen3-coder-plus or Qwen/Qwen3-32B',
        validateInput: (v) => (v.trim() === '' ? 'The model id is empty.' : undefined),
      })
    )?.trim();
    if (!id) return undefined;
  }
  await updateSetting(SETTINGS.model, id);
  return id;
}

const NEXT_MODE: Record<ThinkingMode, ThinkingMode> = { auto: 'on', on: 'off', off: 'auto' };

/** `qwen.toggleThinking`: auto → on → off → auto, then says what the current model will do. */
export async function toggleThinking(): Promise<void> {
  const settings = readChatSettings();
  const next = NEXT_MODE[settings.thinking];
  await updateSetting(SETTINGS.thinking, next);
  const effect = effectiveThinking(getModel(settings.model), next);
  const note = effect.locked ? ` — but ${effect.reason}, so the setting has no effect` : `: ${effect.reason}`;
  void vscode.window.showInformationMessage(`Qwen thinking: ${next}${note}.`);
}
