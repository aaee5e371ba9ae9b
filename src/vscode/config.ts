import * as vscode from 'vscode';
import type { ChatSettings } from '../core/chat/ports';
import type { ThinkingMode } from '../core/requestBuilder';
import { SETTINGS, SETTINGS_SECTION } from './ids';

const THINKING_MODES: readonly ThinkingMode[] = ['auto', 'on', 'off'];

/** A positive number, or undefined when unset, 0 (= the model's default) or mistyped in settings.json. */
function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The `qwen.*` settings a chat request depends on, read fresh each time (so changes apply without reload). */
export function readChatSettings(): ChatSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const thinking = c.get<string>(SETTINGS.thinking, 'auto');
  const temperature = c.get<unknown>(SETTINGS.temperature);
  const baseUrl = c.get<string>(SETTINGS.baseUrl, '').trim();
  const thinkingBudget = positive(c.get(SETTINGS.thinkingBudget));
  const maxOutputTokens = positive(c.get(SETTINGS.maxOutputTokens));
  return {
    model: c.get<string>(SETTINGS.model, '').trim() || 'qwen3-coder-plus',
    thinking: (THINKING_MODES as readonly string[]).includes(thinking) ? (thinking as ThinkingMode) : 'auto',
    requestTimeoutSeconds: positive(c.get(SETTINGS.requestTimeoutSeconds)) ?? 600,
    region: c.get<string>(SETTINGS.region, 'singapore'),
    ...(baseUrl !== '' && { baseUrl }),
    ...(thinkingBudget !== undefined && { thinkingBudget }),
    ...(maxOutputTokens !== undefined && { maxOutputTokens }),
    ...(typeof temperature === 'number' && Number.isFinite(temperature) && { temperature }),
  };
}

/**
 * Writes a `qwen.*` setting where the user will find it: in the workspace when the workspace already overrides it
 * (a global write would be shadowed and look ignored), otherwise in the user settings.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = c.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

/** Calls `onChange` whenever a `qwen.*` setting changes (the controller re-reads settings and posts them). */
export function registerConfig(context: vscode.ExtensionContext, onChange: () => void): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) onChange();
    }),
  );
}
