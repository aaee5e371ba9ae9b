import * as vscode from 'vscode';
import type { ChatController, ChatSettings, KeyLookup } from '../core/chat/ports';
import { getModel } from '../core/models';
import { COMMANDS, CONTEXT_KEYS } from './ids';

export type StatusState = 'idle' | 'streaming' | 'needsKey';

/** What the status bar shows, as data (the API exposes it to tests). */
export interface StatusView {
  text: string;
  tooltip: string;
  state: StatusState;
}

/** The status bar item's text: the model's label and the state, in codicons. */
export function statusView(settings: ChatSettings, key: KeyLookup, streaming: boolean): StatusView {
  const label = getModel(settings.model).label;
  if (streaming) return { text: `$(loading~spin) ${label}`, tooltip: `Qwen is answering with ${settings.model} (Escape in the chat stops it)`, state: 'streaming' };
  // a key is needed unless the custom endpoint is one that may not need any (the engine decides; we show its view)
  if (key.source === 'none' && !settings.baseUrl) {
    return { text: `$(key) ${label}`, tooltip: 'Qwen needs an API key: click to pick a model, or run "Qwen: Set API Key"', state: 'needsKey' };
  }
  return { text: `$(sparkle) ${label}`, tooltip: `Qwen model: ${settings.model} (click to change)`, state: 'idle' };
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

  async refresh(): Promise<void> {
    const { settings, key } = await this.read();
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
