import * as vscode from 'vscode';
import { COMMANDS, LOG_CHANNEL_NAME } from './ids';

/** The extension's log: one LogOutputChannel (the user picks the level in the Output view), opened by `qwen.showLog`. */
export function registerLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show(true)),
  );
  return log;
}
