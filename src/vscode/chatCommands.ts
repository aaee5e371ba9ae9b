import * as vscode from 'vscode';
import type { ChatController } from '../core/chat/ports';
import { COMMANDS } from './ids';
import { pickModel, toggleThinking } from './pickers';

/** The chat's palette commands: model, thinking, new chat, compact and stop (the key, view and log commands live with them). */
export function registerChatCommands(context: vscode.ExtensionContext, controller: ChatController): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.selectModel, () => pickModel()),
    vscode.commands.registerCommand(COMMANDS.toggleThinking, () => toggleThinking()),
    vscode.commands.registerCommand(COMMANDS.newChat, () => controller.newChat()),
    // Same as the view's `compact` message (ChatController.handle); refusals and failures are shown by the host.
    vscode.commands.registerCommand(COMMANDS.compactConversation, () => controller.handle({ type: 'compact' })),
    vscode.commands.registerCommand(COMMANDS.stop, () => controller.stop()),
  );
}
