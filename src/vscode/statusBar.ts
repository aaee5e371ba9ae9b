import * as vscode from 'vscode';
import type { ChatController, ChatSettings, KeyLookup } from '../core/chat/ports';
import { buildSettingsView } from '../core/chat/settingsView';
import { readChatSettings } from './config';
import { COMMANDS, CONTEXT_KEYS } from './ids';

export type StatusState = 'idle' | 'streaming' | 'needsKey';

/** What the status bar shows, as data (the API exposes it to tests). */
export interface StatusView {
  text: string;
  tooltip: string;
  state: StatusState;
}

/** The status bar item's text: the model's label and the state, in codicons; the tooltip says what the next request does. */
export function statusView(settings: ChatSettings, key: KeyLookup, streaming: boolean): StatusView {
  const view = buildSettingsView(settings, key);
  const about = `${view.modelLabel} on ${view.endpointLabel} · ${view.thinkingNote}`;
  if (streaming) return { text: `$(loading~spin) ${view.modelLabel}`, tooltip: `Qwen is answering: ${about}. Escape in the chat or "Qwen: Stop Answer" stops it.`, state: 'streaming' };
  if (view.keySource === 'none') {
    return { text: `$(key) ${view.modelLabel}`, tooltip: `Qwen needs an API key for ${view.endpointLabel}: run "Qwen: Set API Key". Click to pick a model.`, state: 'needsKey' };
  }
  return { text: `$(sparkle) ${view.modelLabel}`, tooltip: `${about}. Click to pick a model.`, state: 'idle' };
}

/**
 * The status bar item (model and state; click → model picker) and the `qwen.streaming` context key. `refresh` is
 * called on settings and key changes; streaming changes come from the controller.
 */
export class ChatStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('qwen.status', vscode.StatusBarAlignment.Right, 100);
  private readonly streamingListener: { dispose(): void };
  private current: StatusView = { text: '', tooltip: '', state: 'idle' };

  constructor(
    private readonly controller: ChatController,
    private readonly read: () => Promise<{ settings: ChatSettings; key: KeyLookup }>,
    private readonly log: (line: string) => void,
  ) {
    this.item.name = 'Qwen Coder';
    this.item.command = COMMANDS.selectModel;
    this.streamingListener = controller.onDidChangeStreaming((streaming) => {
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.streaming, streaming);
      void this.refresh();
    });
  }

  get view(): StatusView {
    return this.current;
  }

  /** Never rejects: a key lookup that fails shows as "needs key" and is logged. */
  async refresh(): Promise<void> {
    let read: { settings: ChatSettings; key: KeyLookup };
    try {
      read = await this.read();
    } catch (e) {
      this.log(`The status bar could not read the settings or the key: ${e instanceof Error ? e.message : String(e)}`);
      read = { settings: readChatSettings(), key: { source: 'none' } };
    }
    const { settings, key } = read;
    this.current = statusView(settings, key, this.controller.streaming);
    this.item.text = this.current.text;
    this.item.tooltip = this.current.tooltip;
    this.item.show();
  }

  dispose(): void {
    this.streamingListener.dispose();
    this.item.dispose();
  }
}
