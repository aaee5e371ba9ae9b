/**
 * The engine behind every chat view: routes webview messages to the conversation store and to turns (chatTurns.ts),
 * and tells the views what changed. Pure: everything editor-specific comes through `ChatHost`. Saved chats are read
 * when a view or a command first needs them, never at activation.
 */
import type { AttachmentView, ChatMessageView, ChatSnapshot, ConversationView, SettingsView } from '../../protocol/chat';
import type { WebviewToHost } from '../../protocol/messages';
import { suggestTitle, wantsTitle } from './titles';
import { ConversationStore, DEFAULT_TITLE, newId, titleFromPrompt } from './conversationStore';
import { ChatTurns, dropStaleRetries, type TurnStart } from './chatTurns';
import { applyThinkingPrefix, compactConversation } from './compaction';
import type { CoalescerTimer } from './deltaCoalescer';
import type { ChatController, ChatHost, KeyLookup } from './ports';
import { buildSettingsView } from './settingsView';
import { settleCutCards } from './storedTools';
import { ToolApprovals, type UserDecision } from './toolApprovals';
import type { TurnOptions } from './turn';

export interface ChatControllerOptions {
  /** Sent in every `snapshot` so a view can tell it talks to the host it was built for. @default '1' */
  version?: string;
  /** Longest time streamed text waits before it is posted. @default 16 */
  coalesceMs?: number;
  /** Timer for the coalescer (tests). @default setTimeout */
  timer?: CoalescerTimer;
  /** Shortest time between two saves of a streaming reply. @default 1000 */
  streamingSaveMs?: number;
  /** First wait before a failed save is tried again. @default 2000 */
  saveRetryMs?: number;
  /** Client settings for tests (fast retries, short idle timeout). */
  client?: TurnOptions['client'];
  /** Name chats with a fast model after their first answer (Model Studio only). @default true */
  titles?: boolean;
}

export function createChatController(host: ChatHost, options: ChatControllerOptions = {}): ChatController {
  return new ChatEngine(host, options);
}

class ChatEngine implements ChatController {
  private readonly store: ConversationStore;
  private readonly turns: ChatTurns;
  private readonly approvals: ToolApprovals;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;
  private pending: AttachmentView[] = [];
  private readonly listeners = new Set<(streaming: boolean) => void>();
  /** The Compact conversation side call under way (one at a time). */
  private compacting: AbortController | undefined;

  constructor(
    private readonly host: ChatHost,
    private readonly options: ChatControllerOptions,
  ) {
    this.now = host.now ?? Date.now;
    this.store = new ConversationStore({
      storage: host.storage,
      log: (line) => host.log(line),
      warn: (message) => host.warn?.(message),
      changedElsewhere: (conversation) => {
        if (conversation === this.store.current) this.postSnapshot().catch((e: unknown) => host.log(`Could not redraw the chat: ${describe(e)}`));
      },
      now: this.now,
      ...(options.streamingSaveMs !== undefined && { streamingSaveMs: options.streamingSaveMs }),
      ...(options.saveRetryMs !== undefined && { saveRetryMs: options.saveRetryMs }),
    });
    this.approvals = new ToolApprovals(() => host.agent);
    this.turns = new ChatTurns({
      host,
      approvals: this.approvals,
      store: this.store,
      postSnapshot: () => this.postSnapshot(),
      postConversations: () => this.postConversations(),
      setStreaming: (streaming) => {
        for (const listener of this.listeners) listener(streaming);
      },
      ...(options.coalesceMs !== undefined && { coalesceMs: options.coalesceMs }),
      ...(options.timer !== undefined && { timer: options.timer }),
      ...(options.client !== undefined && { client: options.client }),
      ...(options.titles !== false && { onAnswered: (conversation, requestId) => void this.nameChat(conversation, requestId) }),
    });
  }

  get streaming(): boolean {
    return this.turns.active !== undefined;
  }

  async handle(message: WebviewToHost): Promise<void> {
    await this.loaded();
    switch (message.type) {
      case 'ready':
        // A view (re)appears: show what other windows saved meanwhile.
        await this.store.refreshList();
        await this.store.refresh(this.store.current);
        return this.postSnapshot();
      case 'send':
        return this.turns.request(message.requestId, () => this.prepareSend(message.text));
      case 'stop':
        return this.turns.stop(message.requestId);
      case 'retry':
        return this.turns.request(message.requestId, () => this.prepareRetry(message.messageId));
      case 'newChat':
        return this.newChat();
      case 'compact':
        return this.compact();
      case 'openConversation':
        return this.open(message.conversationId);
      case 'renameConversation':
        if (await this.store.rename(message.conversationId, message.title)) this.postConversations();
        return;
      case 'deleteConversation':
        return this.remove(message.conversationId);
      case 'toolDecision':
        this.decide(message.callId, message);
        return;
      case 'showProposal':
        await this.approvals.showProposal(message.callId);
        return;
      case 'removeAttachment':
        this.pending = this.pending.filter((a) => a.id !== message.attachmentId);
        this.host.post({ type: 'attachments', attachments: this.pending });
        return;
      default:
        // Settings, actions, selection and code buttons belong to the VS Code side.
        return;
    }
  }

  decideTool(callId: string, approved: boolean): boolean {
    return this.decide(callId, { approved });
  }

  private decide(callId: string, decision: UserDecision): boolean {
    const answered = this.approvals.answer(callId, decision);
    if (!answered) this.host.log(`No tool call ${callId} is waiting for an answer (already answered or stopped).`);
    return answered;
  }

  async snapshot(): Promise<ChatSnapshot> {
    await this.loaded();
    return this.snapshotWith(await this.settingsView());
  }

  async answer(messageId: string): Promise<{ message: ChatMessageView; last: boolean } | undefined> {
    await this.loaded();
    const messages = this.store.current.messages;
    const index = messages.findIndex((m) => m.id === messageId);
    const message = messages[index];
    return message?.role === 'assistant' ? { message: structuredClone(message), last: index === messages.length - 1 } : undefined;
  }

  async refreshSettings(): Promise<void> {
    this.host.post({ type: 'settings', settings: await this.settingsView() });
  }

  addAttachment(attachment: AttachmentView): void {
    this.addAttachments([attachment]);
  }

  private addAttachments(attachments: AttachmentView[]): void {
    const ids = new Set(attachments.map((a) => a.id));
    this.pending = [...this.pending.filter((a) => !ids.has(a.id)), ...attachments];
    this.host.post({ type: 'attachments', attachments: this.pending });
  }

  async newChat(): Promise<void> {
    await this.loaded();
    await this.turns.stopAndWait();
    this.store.newConversation();
    await this.postSnapshot();
  }

  stop(): void {
    this.turns.stop();
  }

  /**
   * Compact conversation: summarises the open chat's messages before its latest exchange with a side call and
   * keeps the summary with the chat; later requests send it instead of those messages. Refused while an answer
   * streams; a failure leaves the chat as it was. Either way the user is told why.
   */
  async compact(): Promise<void> {
    await this.loaded();
    const notice = (message: string): void => {
      this.host.log(message);
      this.host.warn?.(message);
    };
    if (this.turns.active) return notice('Qwen is still answering: wait for the answer, or press Stop, then compact the chat.');
    if (this.compacting) return notice('The chat is already being compacted.');
    const conversation = this.store.current;
    const abort = new AbortController();
    this.compacting = abort;
    try {
      await this.store.refresh(conversation);
      const result = await compactConversation({
        host: this.host,
        conversation,
        requestId: `compact-${newId()}`,
        signal: abort.signal,
        ...(this.options.client !== undefined && { client: this.options.client }),
      });
      if (!result.ok) return notice(result.message);
      conversation.compaction = result.compaction;
      this.host.log(`Compacted ${result.compaction.messageCount} messages of "${conversation.title}" with ${result.compaction.model}.`);
      await this.store.save(conversation);
      if (conversation === this.store.current) await this.postSnapshot();
    } catch (e) {
      notice(`Could not compact the chat: ${describe(e)}`);
    } finally {
      this.compacting = undefined;
    }
  }

  onDidChangeStreaming(listener: (streaming: boolean) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async dispose(): Promise<void> {
    // Never loaded: nothing to stop or save.
    if (!this.loading) return;
    await this.loading;
    this.compacting?.abort();
    await this.turns.close();
    this.store.dispose();
    await this.store.flush();
  }

  private loaded(): Promise<void> {
    this.loading ??= this.store.load().catch((e: unknown) => this.host.log(`Could not load saved chats: ${describe(e)}`));
    return this.loading;
  }

  private async prepareSend(text: string): Promise<TurnStart | string> {
    if (text.trim() === '' && this.pending.length === 0) return 'There is nothing to send.';
    const conversation = this.store.current;
    // Another window may have continued this chat: the new prompt goes after what it wrote.
    let redraw = await this.store.refresh(conversation);
    const user: ChatMessageView = { id: newId(), role: 'user', text, status: 'done', createdAt: this.now() };
    applyThinkingPrefix(user, this.host.readSettings().model);
    if (user.text.trim() === '' && this.pending.length === 0) return 'There is nothing to send after the thinking switch.';
    if (conversation.messages.length === 0 && conversation.title === DEFAULT_TITLE) {
      conversation.title = user.text.trim() !== '' ? titleFromPrompt(user.text) : titleFromPrompt(this.pending[0]?.label ?? '');
    }
    if (this.pending.length > 0) {
      user.attachments = this.pending;
      this.pending = [];
      this.host.post({ type: 'attachments', attachments: [] });
    }
    conversation.messages.push(user);
    redraw = dropStaleRetries(conversation.messages) || redraw;
    const undo = (): void => {
      conversation.messages = conversation.messages.filter((m) => m !== user);
      if (user.attachments) this.addAttachments(user.attachments);
    };
    return { conversation, user, redraw, undo };
  }

  /** Sends the history before the last answer `messageId` again, without that answer. Only the last answer. */
  private async prepareRetry(messageId: string): Promise<TurnStart | string> {
    const conversation = this.store.current;
    await this.store.refresh(conversation);
    const messages = conversation.messages;
    const index = messages.findIndex((m) => m.id === messageId);
    // A later reply of an agent run follows the run's earlier replies: it is retried from there, they stay.
    let userAt = index - 1;
    while (userAt >= 0 && messages[userAt]?.role !== 'user') userAt--;
    const user = messages[userAt];
    if (index < 0 || messages[index]?.role !== 'assistant' || user?.role !== 'user') return 'There is no such answer to retry in the open chat.';
    if (index !== messages.length - 1) return 'Only the last answer can be retried or regenerated.';
    const [answer] = messages.splice(index);
    const previous = messages[index - 1];
    const after = previous && previous.id !== user.id ? { after: previous.id } : {};
    return { conversation, user, redraw: true, ...after, undo: () => void (answer && conversation.messages.push(answer)) };
  }

  private async open(conversationId: string): Promise<void> {
    if (this.turns.active?.conversation?.id !== conversationId) await this.turns.stopAndWait();
    if (!(await this.store.open(conversationId))) {
      this.host.log(`Chat ${conversationId} could not be opened (deleted or unreadable).`);
      this.postConversations();
    }
    await this.postSnapshot();
  }

  private async remove(conversationId: string): Promise<void> {
    if (this.turns.active?.conversation?.id === conversationId) await this.turns.stopAndWait();
    const wasCurrent = this.store.current.id === conversationId;
    await this.store.remove(conversationId);
    if (wasCurrent) await this.postSnapshot();
    else this.postConversations();
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

  /** Replaces the prompt-made title by a fast model's, unless the user renamed the chat meanwhile. */
  private async nameChat(conversation: ConversationView, requestId: string): Promise<void> {
    if (!wantsTitle(conversation)) return;
    const promptTitle = conversation.title;
    try {
      const title = await suggestTitle({ host: this.host, conversation, requestId: `${requestId}-title`, ...(this.options.client && { client: this.options.client }) });
      if (title === undefined || conversation.title !== promptTitle) return;
      if (await this.store.rename(conversation.id, title)) this.postConversations();
    } catch (e) {
      this.host.log(`[${requestId}] naming the chat failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async postSnapshot(): Promise<void> {
    const settings = await this.settingsView();
    this.host.post({ type: 'snapshot', version: this.options.version ?? '1', snapshot: this.snapshotWith(settings), hostNow: this.now() });
  }

  /**
   * Synchronous on purpose: buffered text is flushed first and the conversation copied at once, so the deltas
   * posted after the snapshot never repeat text it already holds.
   */
  private snapshotWith(settings: SettingsView): ChatSnapshot {
    this.turns.active?.coalescer.flush();
    const conversation = this.store.current;
    const progress = this.turns.progress(conversation);
    // Saved mid-answer by a window that closed, or streaming in another window: not this window's live answer.
    const messages = conversation.messages.map((m) => (m.status === 'streaming' && m.id !== progress?.draftId ? settleCutCards({ ...m, status: 'interrupted' as const }) : m));
    // chats saved before older cards lost their Retry
    dropStaleRetries(messages);
    const snapshot: ChatSnapshot = {
      conversation: structuredClone({ ...conversation, messages }) as ConversationView,
      conversations: this.store.list(),
      settings,
      pendingAttachments: [...this.pending],
    };
    if (progress) {
      snapshot.activeRequestId = progress.requestId;
      snapshot.activeTurn = progress.activeTurn;
    }
    return snapshot;
  }

  private postConversations(): void {
    this.host.post({ type: 'conversations', conversations: this.store.list() });
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
