import type * as vscode from 'vscode';
import { registerLog } from './vscode/log';

/** Wires the adapters; no logic lives here. Activation is lazy (commands and views), so keep it cheap. */
export function activate(context: vscode.ExtensionContext): void {
  const log = registerLog(context);
  log.info(`Qwen Coder ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
