import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatController } from '../core/chat/ports';
import { endpointLabel, type Region } from '../core/endpoints';
import type { ErrorActionView } from '../protocol/chat';
import type { HostToWebview, WebviewToHost } from '../protocol/messages';
import { readChatSettings, updateSetting } from './config';
import { insertAtCursor, selectionAttachment } from './editorContext';
import { COMMANDS, SETTINGS } from './ids';
import type { Mentions } from './mentions';
import { pickRegion, setRegion } from './pickers';
import type { ApiKeys } from './secrets';

/** Model Studio consoles (billing, keys): the international one, and the China mainland one for Beijing. */
const CONSOLE_URLS: Readonly<Record<Region, string>> = {
  singapore: 'https://modelstudio.console.alibabacloud.com/',
  virginia: 'https://modelstudio.console.alibabacloud.com/',
  beijing: 'https://bailian.console.aliyun.com/',
};

export interface RouterDeps {
  controller: ChatController;
  keys: ApiKeys;
  post(message: HostToWebview): void;
  /** For "Open settings": `@ext:<id>` filters the Settings editor to ours. */
  extensionId: string;
  /** A path link on a tool card (confined to the workspace by the callee). */
  openPath(path: string): Promise<void>;
  mentions: Mentions;
}

/** A request id for turns the host starts itself (a retry from an error card's button). */
export const hostRequestId = (): string => `host-${randomUUID()}`;

/**
 * Where each message from a chat page goes: the engine's business to the controller, the editor's (settings,
 * clipboard, editors, commands) handled here.
 */
export function createRouter({ controller, keys, post, extensionId, openPath, mentions }: RouterDeps): (message: WebviewToHost) => Promise<void> {
  return async (message) => {
    switch (message.type) {
      case 'action':
        return runAction(message.action, message.messageId);
      case 'setModel':
        return updateSetting(SETTINGS.model, message.model.trim());
      case 'setThinking':
        return updateSetting(SETTINGS.thinking, message.mode);
      case 'setThinkingBudget':
        return updateSetting(SETTINGS.thinkingBudget, message.budget);
      case 'setRegion':
        return setRegion(message.region);
      case 'attachSelection': {
        const attachment = selectionAttachment();
        if (attachment) controller.addAttachment(attachment);
        else void vscode.window.showInformationMessage('Open a file to attach its selection (or the whole file) to the chat.');
        return;
      }
      case 'copyCode':
        return vscode.env.clipboard.writeText(message.code);
      case 'openPath':
        return openPath(message.path);
      case 'mentionQuery':
        return post(await mentions.query(message.query));
      case 'attachMention':
        return mentions.attach(message.mention, controller);
      case 'insertCode':
        if (!(await insertAtCursor(message.code))) {
          void vscode.window.showInformationMessage('Open a file to insert the code at its cursor.');
        }
        return;
      default:
        return controller.handle(message);
    }
  };

  async function runAction(action: ErrorActionView['id'], messageId: string | undefined): Promise<void> {
    const card = messageId === undefined ? undefined : await controller.answer(messageId);
    // A card's fix that worked (a key stored, a region picked) re-sends the failed answer at once: the user asked
    // for an answer, not for a settings change. Only the last answer: an older card's fix just fixes.
    const retryFixed = async (fixed: unknown): Promise<void> => {
      if (fixed && messageId && card?.last) await controller.handle({ type: 'retry', requestId: hostRequestId(), messageId });
    };
    switch (action) {
      case 'setApiKey':
        return retryFixed(await vscode.commands.executeCommand<boolean>(COMMANDS.setApiKey));
      case 'selectModel':
      case 'showLog':
        await vscode.commands.executeCommand(COMMANDS[action]);
        return;
      case 'switchRegion':
        // the key goes along only from the last answer's 401: an older card's problem may be long solved
        return retryFixed(await switchRegion(card?.last === true && card.message.error?.kind === 'auth'));
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${extensionId}`);
        return;
      case 'openBilling': {
        const region = readChatSettings().region as Region;
        await vscode.env.openExternal(vscode.Uri.parse(CONSOLE_URLS[region] ?? CONSOLE_URLS.singapore));
        return;
      }
      case 'newChat':
        await controller.newChat();
        return;
      case 'retry':
        if (messageId) await controller.handle({ type: 'retry', requestId: hostRequestId(), messageId });
        return;
      case 'editPrompt':
        post({ type: 'focusComposer', ...(await promptBefore(messageId)) });
        return;
    }
  }

  /**
   * Switch region from a card. When the card says the key was rejected and the new region has no key, the rejected
   * key goes along: a key saved under the wrong region is the usual cause of that 401, and without it the switch
   * would only trade "rejected" for "no API key is set". The user is told, and can set another key.
   */
  async function switchRegion(keyRejected: boolean): Promise<Region | undefined> {
    const before = readChatSettings();
    const region = await pickRegion('Switch Model Studio region');
    if (region === undefined || !keyRejected) return region;
    const after = readChatSettings();
    if (await keys.carry(before, after)) {
      void vscode.window.showInformationMessage(
        `${endpointLabel(after)} had no API key, so the key ${endpointLabel(before)} rejected is now used for it too. ` +
          'If it is rejected again, use Set API key.',
      );
    }
    return region;
  }

  /** The prompt that produced `messageId` (itself when it is a user message), to edit and send again. */
  async function promptBefore(messageId: string | undefined): Promise<{ text?: string }> {
    const messages = (await controller.snapshot()).conversation.messages;
    const at = messageId === undefined ? messages.length : messages.findIndex((m) => m.id === messageId);
    for (let i = Math.min(at, messages.length - 1); i >= 0; i--) {
      const m = messages[i];
      if (m?.role === 'user') return { text: m.text };
    }
    return {};
  }
}
