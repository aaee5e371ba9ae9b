import * as vscode from 'vscode';
import { createChatController } from './core/chat/chatController';
import type { ChatHost } from './core/chat/ports';
import type { HostToWebview } from './protocol/messages';
import { createApi } from './vscode/api';
import type { QwenCoderApi } from './vscode/api';
import { registerChatCommands } from './vscode/chatCommands';
import { createRouter, hostRequestId } from './vscode/chatRouter';
import { ChatViews, registerChatViews } from './vscode/chatViews';
import { readChatSettings, registerConfig } from './vscode/config';
import { answerFromDiffs, createAgentHost, openWorkspacePath } from './vscode/agentHost';
import { registerCodeActions } from './vscode/codeActions';
import { registerEditPreviews } from './vscode/editPreview';
import { registerEditorActions } from './vscode/editorActions';
import { Mentions } from './vscode/mentions';
import { createWorkspacePort } from './vscode/workspacePort';
import { COMMANDS, VIEWS } from './vscode/ids';
import { registerLog } from './vscode/log';
import { ApiKeys, registerSecrets } from './vscode/secrets';
import { ChatStatusBar } from './vscode/statusBar';
import { FolderStorage } from './vscode/storage';

export type { QwenCoderApi } from './vscode/api';

let shutdown: (() => Promise<void>) | undefined;

/**
 * Wires the adapters; no logic lives here. Activation is lazy (the chat view and the commands wake it), and nothing
 * here touches the saved chats: the controller reads them when a page or a command first needs them.
 * Returns the test API (see `QwenCoderApi`) outside production.
 */
export function activate(context: vscode.ExtensionContext): QwenCoderApi | undefined {
  const started = Date.now();
  const log = registerLog(context);
  const keys = new ApiKeys(context.secrets);
  const posted = new vscode.EventEmitter<HostToWebview>();
  const storageFolder = vscode.Uri.joinPath(context.globalStorageUri, 'chat').fsPath;
  // pages are routed to the controller, which posts to the pages: the closure breaks the cycle
  const views = new ChatViews(context.extensionUri, (message) => route(message), log, (message) => host.post(message));
  const editPreviews = registerEditPreviews(context);
  const workspace = createWorkspacePort();

  const host: ChatHost = {
    readSettings: readChatSettings,
    lookupKey: (settings) => keys.lookup(settings),
    post: (message) => {
      views.post(message);
      posted.fire(message);
    },
    storage: new FolderStorage(storageFolder),
    agent: createAgentHost(context, workspace, editPreviews),
    log: (line) => log.info(line),
    warn: (message) => {
      log.warn(message);
      void vscode.window.showWarningMessage(message, 'Show log').then((pick) => {
        if (pick) log.show();
      });
    },
  };
  const controller = createChatController(host);
  const mentions = new Mentions(workspace);
  context.subscriptions.push(mentions);
  const route = createRouter({ controller, keys, post: host.post, extensionId: context.extension.id, openPath: (path) => openWorkspacePath(workspace, path), mentions });
  const statusBar = new ChatStatusBar(
    controller,
    async () => {
      const settings = readChatSettings();
      return { settings, key: await keys.lookup(settings) };
    },
    (line) => log.warn(line),
  );

  const refresh = async (): Promise<void> => {
    await Promise.all([controller.refreshSettings(), statusBar.refresh()]);
  };
  const refreshLogged = (): void => {
    refresh().catch((e: unknown) => log.error(`Refreshing settings failed: ${e instanceof Error ? e.message : String(e)}`));
  };

  let disposed: Promise<void> | undefined;
  shutdown = () => (disposed ??= controller.dispose());
  context.subscriptions.push(posted, statusBar, { dispose: () => void shutdown?.() });
  registerChatViews(context, views, { view: VIEWS.chat, panel: VIEWS.chatPanel, openInEditor: COMMANDS.openChatInEditor });
  registerChatCommands(context, controller);
  registerSecrets(context, keys, refreshLogged);
  registerConfig(context, refreshLogged, (message) => log.warn(message));
  context.subscriptions.push(answerFromDiffs(editPreviews, controller));
  registerEditorActions(context, { host, controller, previews: editPreviews, port: workspace });
  registerCodeActions(context);
  void statusBar.refresh(); // never rejects

  log.info(`Qwen Coder ${String(context.extension.packageJSON.version)} activated in ${Date.now() - started} ms`);
  if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
  return createApi({
    controller,
    posted: posted.event,
    setKey: (key) => keys.store(readChatSettings(), key),
    clearKey: async () => {
      await keys.clear(readChatSettings());
    },
    statusBar: () => statusBar.view,
    refresh,
    openViews: () => views.count,
    receiveFromView: (message) => views.receiveFromPage(message),
    storageFolder,
    newRequestId: hostRequestId,
    editPreviews,
  });
}

/** Flushes the conversation being saved (VS Code waits for it); the rest goes with context.subscriptions. */
export function deactivate(): Promise<void> | undefined {
  return shutdown?.();
}
