import type * as vscode from 'vscode';
import type { ChatController } from '../core/chat/ports';
import type { ChatMessageView, ChatSnapshot } from '../protocol/chat';
import type { HostToWebview } from '../protocol/messages';
import type { EditPreviews } from './editPreview';
import type { StatusView } from './statusBar';

/**
 * What `activate()` returns when the extension runs from a development folder or under tests
 * (`ExtensionMode.Development` / `Test`); an installed extension returns nothing, so no other extension can spend
 * the user's quota or swap their key. Nothing here ever returns an API key.
 *
 * ```ts
 * const api = await vscode.extensions.getExtension<QwenCoderApi>('qwen-coder.qwen-coder')!.activate();
 * await api.setApiKey('sk-test');
 * const answer = await api.sendPrompt('hello');
 * ```
 */
export interface QwenCoderApi {
  /** The chat as the view sees it: conversation, history, settings (with `keySource`, never the key). */
  snapshot(): Promise<ChatSnapshot>;
  /**
   * Sends `text` as if typed in the chat and resolves with the final assistant message (done, stopped or error).
   * Rejects when the engine refuses it (`requestRejected`, e.g. another request is streaming), or after
   * `timeoutMs` (@default 30000) without a `turnEnded` for it.
   */
  sendPrompt(text: string, timeoutMs?: number): Promise<ChatMessageView>;
  /** Stores `key` for the endpoint the settings point at now (what `qwen.setApiKey` does, without the prompt). */
  setApiKey(key: string): Promise<void>;
  /** Removes the stored key of the current endpoint (what `qwen.clearApiKey` does). */
  clearApiKey(): Promise<void>;
  /** The status bar item's text, tooltip and state as last drawn. */
  statusBar(): StatusView;
  /** Re-reads settings and key now (the configuration and secret listeners do this on their own). */
  refresh(): Promise<void>;
  /** Every message the host posts to the chat pages (also when none is open). */
  onDidPost(listener: (message: HostToWebview) => void): vscode.Disposable;
  /** How many chat pages (sidebar, editor tabs) are attached. */
  openViews(): number;
  /** Handles `message` as if a chat page had sent it: validated, then routed (invalid ones are logged and dropped). */
  receiveFromView(message: unknown): Promise<void>;
  /** The folder holding the saved conversations (one JSON file per chat plus an index). */
  readonly storageFolder: string;
  /** The diffs of proposed edits, whose Accept/Reject title-bar commands the extension registered. */
  readonly editPreviews: EditPreviews;
}

export interface ApiDeps {
  controller: ChatController;
  posted: vscode.Event<HostToWebview>;
  setKey(key: string): Promise<void>;
  clearKey(): Promise<void>;
  statusBar(): StatusView;
  refresh(): Promise<void>;
  openViews(): number;
  receiveFromView(message: unknown): Promise<void>;
  storageFolder: string;
  newRequestId(): string;
  editPreviews: EditPreviews;
}

export function createApi(d: ApiDeps): QwenCoderApi {
  return {
    snapshot: () => d.controller.snapshot(),
    sendPrompt(text, timeoutMs = 30_000) {
      const requestId = d.newRequestId();
      return new Promise<ChatMessageView>((resolve, reject) => {
        const timer = setTimeout(() => {
          listener.dispose();
          reject(new Error(`no answer to "${text.slice(0, 40)}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = d.posted((m) => {
          if (m.type === 'turnEnded' && m.requestId === requestId) {
            clearTimeout(timer);
            listener.dispose();
            resolve(m.message);
          } else if (m.type === 'requestRejected' && m.requestId === requestId) {
            clearTimeout(timer);
            listener.dispose();
            reject(new Error(`refused: ${m.reason}`));
          }
        });
        d.controller.handle({ type: 'send', requestId, text }).then(undefined, (e: unknown) => {
          clearTimeout(timer);
          listener.dispose();
          reject(e instanceof Error ? e : new Error(String(e)));
        });
      });
    },
    setApiKey: (key) => d.setKey(key),
    clearApiKey: () => d.clearKey(),
    statusBar: () => d.statusBar(),
    refresh: () => d.refresh(),
    onDidPost: (listener) => d.posted(listener),
    openViews: () => d.openViews(),
    receiveFromView: (message) => d.receiveFromView(message),
    storageFolder: d.storageFolder,
    editPreviews: d.editPreviews,
  };
}
