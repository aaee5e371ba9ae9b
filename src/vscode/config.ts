import * as vscode from 'vscode';
import type { ChatSettings } from '../core/chat/ports';
import { parseChatSettings, SettingWarnings } from '../core/chat/settings';
import { SETTINGS_SECTION } from './ids';

/** Where a setting of the wrong type is reported (the log), once while it stays wrong. */
let report: (message: string) => void = () => undefined;
const warnings = new SettingWarnings((message) => report(message));

/**
 * The `qwen.*` settings a chat request depends on, read fresh each time (so changes apply without reload). A value
 * of the wrong type falls back to its default and is logged once while it stays; this never throws.
 */
export function readChatSettings(): ChatSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const ignored: string[] = [];
  const settings = parseChatSettings((key) => c.get<unknown>(key), (message) => ignored.push(message));
  warnings.update(ignored);
  return settings;
}

/**
 * Writes a `qwen.*` setting where the user will find it: in the workspace when the workspace already overrides it
 * (a global write would be shadowed and look ignored), otherwise in the user settings.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const target = c.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

/**
 * Calls `onChange` whenever a `qwen.*` setting changes (the controller re-reads settings and posts them); settings
 * of the wrong type go to `warn`.
 */
export function registerConfig(context: vscode.ExtensionContext, onChange: () => void, warn: (message: string) => void): void {
  report = warn;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      onChange();
    }),
  );
}
