/**
 * The engine behind every chat view: routes webview messages to the conversation store and to turns, keeps at most
 * one request running, and tells the views what changed. Pure: everything editor-specific comes through `ChatHost`.
 */
import type { AttachmentView, ChatMessageView, ChatSnapshot, ConversationView, SettingsView } from '../../protocol/chat';
import type { WebviewToHost } from '../../protocol/messages';
import { ConversationStore, DEFAULT_TITLE, newId, titleFromPrompt } from './conversationStore';
import { DeltaCoalescer, type CoalescerTimer } from './deltaCoalescer';
import { historyFor } from './history';
import type { ChatController, ChatHost, KeyLookup } from './ports';
import { buildSettingsView } from './settingsView';
import { runTurn, type TurnOptions } from './turn';

export interface ChatControllerOptions {
  /** Sent in every `snapshot` so a view can tell it talks to the host it was built for. @default '1' */
  version?: string;
  /** Longest time streamed text waits before it is posted. @default 16 */
  coalesceMs?: number;
  /** Timer for the coalescer (tests). @default setTimeout */
  timer?: CoalescerTimer;
  /** Shortest time between two saves of a streaming reply. @default 1000 */
  streamingSaveMs?: number;
  /** Client settings for tests (fast retries, short idle timeout). */
  client?: TurnOptions['client'];
}

interface ActiveTurn {
  requestId: string;
  conversation: ConversationView;
  abort: AbortController;
  coalescer: DeltaCoalescer;
  /** Resolves once the final message is saved and posted. */
  ended: Promise<void>;
}

export function createChatController(host: ChatHost, options: ChatControllerOptions = {}): ChatController {
  return new ChatEngine(host, options);
}

class ChatEngine implements ChatController {
  private readonly store: ConversationStore;
  private readonly loaded: Promise<void>;
  private readonly now: () => number;
  private pending: AttachmentView[] = [];
  private active: ActiveTurn | undefined;
  private readonly listeners = new Set<(streaming: boolean) => void>();

  constructor(
    private readonly host: ChatHost,
    private readonly options: ChatControllerOptions,
  ) {
    this.now = host.now ?? Date.now;
    this.store = new ConversationStore({
      storage: host.storage,
      log: (line) => host.log(line),
      warn: (message) => host.warn?.(message),
      now: this.now,
      ...(options.streamingSaveMs !== undefined && { streamingSaveMs: options.streamingSaveMs }),
    });
    this.loaded = this.store.load().catch((e: unknown) => host.log(`Could not load saved chats: ${describe(e)}`));
  }

  get streaming(): boolean {
    return this.active !== undefined;
  }

  async handle(message: WebviewToHost): Promise<void> {
    await this.loaded;
    switch (message.type) {
      case 'ready':
        return this.postSnapshot();
      case 'send':
        return this.send(message.requestId, message.text);
      case 'stop':
        if (this.active?.requestId === message.requestId) this.active.abort.abort();
        return;
      case 'retry':
        return this.retry(message.requestId, message.messageId);
      case 'newChat':
        return this.newChat();
      case 'openConversation':
        return this.open(message.conversationId);
      case 'renameConversation':
        if (await this.store.rename(message.conversationId, message.title)) this.postConversations();
        return;
      case 'deleteConversation':
        return this.remove(message.conversationId);
      case 'removeAttachment':
        this.pending = this.pending.filter((a) => a.id !== message.attachmentId);
        this.host.post({ type: 'attachments', attachments: this.pending });
        return;
      default:
        // Settings, actions, selection and code buttons belong to the VS Code side.
        return;
    }
  }

  async snapshot(): Promise<ChatSnapshot> {
    await this.loaded;
    return this.snapshotWith(await this.settingsView());
  }

  async refreshSettings(): Promise<void> {
    this.host.post({ type: 'settings', settings: await this.settingsView() });
  }

  addAttachment(attachment: AttachmentView): void {
    this.pending = [...this.pending.filter((a) => a.id !== attachment.id), attachment];
    this.host.post({ type: 'attachments', attachments: this.pending });
  }

  async newChat(): Promise<void> {
    await this.loaded;
    await this.stopAndWait();
    this.store.newConversation();
    await this.postSnapshot();
  }

  stop(): void {
    this.active?.abort.abort();
  }

  onDidChangeStreaming(listener: (streaming: boolean) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async dispose(): Promise<void> {
    await this.loaded;
    await this.stopAndWait();
    this.store.dispose();
    await this.store.flush();
  }

  private async send(requestId: string, text: string): Promise<void> {
    if (this.active) {
      this.host.log(`Ignored a prompt sent while request ${this.active.requestId} is still answering.`);
      return;
    }
    if (text.trim() === '' && this.pending.length === 0) return;
    const conversation = this.store.current;
    if (conversation.messages.length === 0 && conversation.title === DEFAULT_TITLE) {
      conversation.title = text.trim() !== '' ? titleFromPrompt(text) : titleFromPrompt(this.pending[0]?.label ?? '');
    }
    const user: ChatMessageView = { id: newId(), role: 'user', text, status: 'done', createdAt: this.now() };
    if (this.pending.length > 0) {
      user.attachments = this.pending;
      this.pending = [];
      this.host.post({ type: 'attachments', attachments: [] });
    }
    conversation.messages.push(user);
    await this.startTurn(conversation, requestId, user);
  }

  /** Sends the history before `messageId` again, without that answer and anything after it. */
  private async retry(requestId: string, messageId: string): Promise<void> {
    if (this.active) {
      this.host.log(`Ignored a retry while request ${this.active.requestId} is still answering.`);
      return;
    }
    const conversation = this.store.current;
    const index = conversation.messages.findIndex((m) => m.id === messageId);
    const user = conversation.messages[index - 1];
    if (index < 0 || conversation.messages[index]?.role !== 'assistant' || user?.role !== 'user') {
      this.host.log(`Nothing to retry: ${messageId} is not an answer in the open chat.`);
      return;
    }
    conversation.messages.splice(index);
    await this.startTurn(conversation, requestId, user, { resend: true });
  }

  /**
   * Adds the empty answer and starts streaming into it; returns once `turnStarted` is posted (the reply streams on).
   * On a retry the views first get a snapshot without the old answer; `turnStarted` then repeats the user message
   * they already show (same id).
   */
  private async startTurn(conversation: ConversationView, requestId: string, user: ChatMessageView, how = { resend: false }): Promise<void> {
    const settings = this.host.readSettings();
    const history = historyFor(conversation.messages);
    const draft: ChatMessageView = { id: newId(), role: 'assistant', text: '', status: 'streaming', model: settings.model, createdAt: this.now() };
    const coalescer = new DeltaCoalescer(
      (d) => this.host.post({ type: 'turnDelta', requestId, reasoning: d.reasoning, content: d.content }),
      {
        ...(this.options.coalesceMs !== undefined && { intervalMs: this.options.coalesceMs }),
        ...(this.options.timer !== undefined && { timer: this.options.timer }),
      },
    );
    let ended!: () => void;
    const active: ActiveTurn = { requestId, conversation, abort: new AbortController(), coalescer, ended: new Promise((r) => (ended = r)) };
    // Set before the first await: a second send arriving meanwhile is refused.
    this.active = active;
    this.setStreaming(true);

    if (how.resend) await this.postSnapshot();
    conversation.messages.push(draft);
    await this.saveNow(conversation);
    this.host.post({ type: 'turnStarted', requestId, conversationId: conversation.id, user, assistant: { ...draft } });
    this.postConversations();

    void this.stream(active, settings, history, draft).finally(ended);
  }

  private async stream(active: ActiveTurn, settings: TurnOptions['settings'], history: TurnOptions['history'], draft: ChatMessageView): Promise<void> {
    const { conversation, requestId } = active;
    let final: ChatMessageView;
    try {
      final = await runTurn({
        host: this.host,
        settings,
        requestId,
        history,
        draft,
        signal: active.abort.signal,
        onProgress: () => this.store.saveStreaming(conversation),
        coalescer: active.coalescer,
        ...(this.options.client !== undefined && { client: this.options.client }),
      });
    } catch (e) {
      this.host.log(`[${requestId}] failed unexpectedly: ${describe(e)}`);
      active.coalescer.flush();
      final = {
        ...draft,
        status: 'error',
        error: {
          kind: 'internal',
          message: 'Something went wrong inside Qwen Coder. The text received so far is kept; the log has details.',
          actions: [{ id: 'retry', label: 'Retry' }, { id: 'showLog', label: 'Show log' }],
        },
      };
    }
    const index = conversation.messages.findIndex((m) => m.id === draft.id);
    if (index >= 0) conversation.messages[index] = final;
    await this.saveNow(conversation);
    this.active = undefined;
    this.host.post({ type: 'turnEnded', requestId, message: final });
    this.postConversations();
    this.setStreaming(false);
  }

  private async open(conversationId: string): Promise<void> {
    if (this.active?.conversation.id !== conversationId) await this.stopAndWait();
    if (!(await this.store.open(conversationId))) {
      this.host.log(`Chat ${conversationId} could not be opened (deleted or unreadable).`);
      this.postConversations();
    }
    await this.postSnapshot();
  }

  private async remove(conversationId: string): Promise<void> {
    if (this.active?.conversation.id === conversationId) await this.stopAndWait();
    const wasCurrent = this.store.current.id === conversationId;
    await this.store.remove(conversationId);
    if (wasCurrent) await this.postSnapshot();
    else this.postConversations();
  }

  private async stopAndWait(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.abort.abort();
    await active.ended;
  }

  private async saveNow(conversation: ConversationView): Promise<void> {
    try {
      await this.store.save(conversation);
    } catch (e) {
      this.host.log(`Could not save the chat: ${describe(e)}`);
    }
  }

  private async settingsView(): Promise<SettingsView> {
    const settings = this.host.readSettings();
    let key: KeyLookup;
    try {
      key = await this.host.lookupKey(settings);
    } catch (e) {
      // The view still draws (as "no key"); sending will explain.
      this.host.log(`Could not read the API key: ${describe(e)}`);
      key = { source: 'none' };
    }
    return buildSettingsView(settings, key);
  }

  private async postSnapshot(): Promise<void> {
    const settings = await this.settingsView();
    this.host.post({ type: 'snapshot', version: this.options.version ?? '1', snapshot: this.snapshotWith(settings) });
  }

  /**
   * Synchronous on purpose: buffered text is flushed first and the conversation copied at once, so the deltas
   * posted after the snapshot never repeat text it already holds.
   */
  private snapshotWith(settings: SettingsView): ChatSnapshot {
    this.active?.coalescer.flush();
    const snapshot: ChatSnapshot = {
      conversation: JSON.parse(JSON.stringify(this.store.current)) as ConversationView,
      conversations: this.store.list(),
      settings,
      pendingAttachments: [...this.pending],
    };
    if (this.active && this.active.conversation.id === this.store.current.id) snapshot.activeRequestId = this.active.requestId;
    return snapshot;
  }

  private postConversations(): void {
    this.host.post({ type: 'conversations', conversations: this.store.list() });
  }

  private setStreaming(streaming: boolean): void {
    for (const listener of this.listeners) listener(streaming);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
