/**
 * The turns of one window's chat: at most one streams; a prompt sent while a stopped answer is still being saved
 * waits and then starts; every other send or retry the engine will not start gets a `requestRejected`, so no view
 * ever waits for a turn that is not coming.
 */
import type { ChatMessageView, ConversationView, TurnProgressView } from '../../protocol/chat';
import type { ConversationStore } from './conversationStore';
import { newId } from './conversationStore';
import { DeltaCoalescer, type CoalescerTimer } from './deltaCoalescer';
import { settingsForTurn, summaryFor } from './compaction';
import { historyFor } from './history';
import type { ChatHost } from './ports';
import { getModel } from '../models';
import { runAgentTurn } from './agentTurn';
import type { ToolApprovals } from './toolApprovals';
import { connect, runTurn, type TurnOptions, type TurnTiming } from './turn';

/** What a turn starts from: the user message (already in `conversation`) the answer follows. */
export interface TurnStart {
  conversation: ConversationView;
  user: ChatMessageView;
  /** The views must be redrawn before `turnStarted` (an answer was removed, or another window's messages came in). */
  redraw: boolean;
  /** Retrying a later reply of an agent run: the earlier reply the new answer follows (it and all before it stay). */
  after?: string;
  /** Puts the conversation back as `prepare` found it, when the turn fails to start after all. */
  undo(): void;
}

export interface ActiveTurn {
  readonly requestId: string;
  readonly abort: AbortController;
  readonly coalescer: DeltaCoalescer;
  readonly timing: TurnTiming;
  /** Set once the turn has its conversation (after `prepare`), with the answer it streams into. */
  conversation?: ConversationView;
  draftId?: string;
  /** Resolves once the final message is saved and posted (or the turn was refused). */
  readonly ended: Promise<void>;
}

export interface ChatTurnsDeps {
  host: ChatHost;
  store: ConversationStore;
  postSnapshot(): Promise<void>;
  postConversations(): void;
  setStreaming(streaming: boolean): void;
  coalesceMs?: number;
  timer?: CoalescerTimer;
  client?: TurnOptions['client'];
  approvals: ToolApprovals;
  /** After an answer ended `done` and was saved (the chat title is made then). */
  onAnswered?(conversation: ConversationView, requestId: string): void;
}

/** `prepare` returns why the turn cannot start, or what it starts from. */
export type PrepareTurn = () => Promise<TurnStart | string>;

export class ChatTurns {
  active: ActiveTurn | undefined;
  private queued: { requestId: string; prepare: PrepareTurn } | undefined;
  /** The window is closing: an answer cut now is `interrupted`, not `stopped` by the user. */
  private closing = false;
  private readonly now: () => number;

  constructor(private readonly d: ChatTurnsDeps) {
    this.now = d.host.now ?? Date.now;
  }

  /** Starts a turn now, after the stopped one still finishing, or refuses it with a reply. */
  async request(requestId: string, prepare: PrepareTurn): Promise<void> {
    const active = this.active;
    if (!active) return this.begin(requestId, prepare);
    if (active.abort.signal.aborted && !this.queued) {
      // Stop was pressed and the partial answer is being saved: this one starts right after.
      this.queued = { requestId, prepare };
      return;
    }
    this.reject(requestId, 'Qwen is still answering the previous prompt: wait for it, or press Stop first.');
  }

  /** Stops `requestId` (streaming or waiting to start); the partial answer is kept. */
  stop(requestId?: string): void {
    if (this.queued && (requestId === undefined || this.queued.requestId === requestId)) this.dropQueued('Stopped before it started.');
    if (this.active && (requestId === undefined || this.active.requestId === requestId)) this.active.abort.abort();
  }

  /** Stops everything and waits until the stopped answer is saved. */
  async stopAndWait(why = 'The chat changed before this prompt was sent.'): Promise<void> {
    this.dropQueued(why);
    const active = this.active;
    if (!active) return;
    active.abort.abort();
    await active.ended;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.stopAndWait('The window closed before this prompt was sent.');
  }

  /** How far the active turn has got, for a snapshot of `conversation`. */
  progress(conversation: ConversationView): { requestId: string; draftId: string; activeTurn: TurnProgressView } | undefined {
    const active = this.active;
    if (active?.conversation !== conversation || active.draftId === undefined) return undefined;
    const now = this.now();
    const { startedAt, reasoningStartedAt, answerStartedAt } = active.timing;
    const activeTurn: TurnProgressView = { elapsedMs: now - startedAt };
    if (reasoningStartedAt !== undefined) activeTurn.reasoningElapsedMs = now - reasoningStartedAt;
    if (answerStartedAt !== undefined) activeTurn.answerElapsedMs = now - answerStartedAt;
    return { requestId: active.requestId, draftId: active.draftId, activeTurn };
  }

  private reject(requestId: string, reason: string): void {
    this.d.host.log(`Refused request ${requestId}: ${reason}`);
    this.d.host.post({ type: 'requestRejected', requestId, reason });
  }

  private dropQueued(reason: string): void {
    const queued = this.queued;
    this.queued = undefined;
    if (queued) this.reject(queued.requestId, reason);
  }

  /**
   * Claims the one turn slot at once (before any await, so a second request arriving meanwhile waits or is refused),
   * then prepares, adds the empty answer and streams into it. Resolves once `turnStarted` (or the refusal) is posted.
   */
  private async begin(requestId: string, prepare: PrepareTurn): Promise<void> {
    const { host, store } = this.d;
    let ended!: () => void;
    const active: ActiveTurn = {
      requestId,
      abort: new AbortController(),
      timing: { startedAt: this.now() },
      ended: new Promise<void>((r) => (ended = r)),
      coalescer: new DeltaCoalescer((d) => host.post({ type: 'turnDelta', requestId, reasoning: d.reasoning, content: d.content }), {
        ...(this.d.coalesceMs !== undefined && { intervalMs: this.d.coalesceMs }),
        ...(this.d.timer !== undefined && { timer: this.d.timer }),
      }),
    };
    this.active = active;
    let started = false;
    let start: TurnStart | string | undefined;
    try {
      const read = host.readSettings();
      start = await prepare();
      if (typeof start === 'string') {
        this.reject(requestId, start);
        return;
      }
      const { conversation, user } = start;
      // A `/think` or `/no_think` on the prompt applies to its answer (and a retry of it) only.
      const settings = settingsForTurn(read, user);
      const history = historyFor(conversation.messages);
      const summary = summaryFor(conversation);
      const draft: ChatMessageView = { id: newId(), role: 'assistant', text: '', status: 'streaming', model: settings.model, createdAt: this.now() };
      active.conversation = conversation;
      active.draftId = draft.id;
      this.d.setStreaming(true);
      if (start.redraw) await this.d.postSnapshot();
      conversation.messages.push(draft);
      await store.save(conversation);
      host.post({ type: 'turnStarted', requestId, conversationId: conversation.id, user, assistant: { ...draft }, ...(start.after !== undefined && { after: start.after }) });
      started = true;
      this.d.postConversations();
      void this.stream(active, conversation, settings, { history, ...(summary && { summary }) }, draft).finally(ended);
    } catch (e) {
      host.log(`[${requestId}] could not start: ${describe(e)}`);
      if (typeof start === 'object') {
        const draftAt = start.conversation.messages.findIndex((m) => m.id === active.draftId);
        if (draftAt >= 0) start.conversation.messages.splice(draftAt, 1);
        start.undo();
      }
      this.reject(requestId, 'Something went wrong inside Qwen Coder before the request was sent; the log has details.');
    } finally {
      if (!started) {
        this.active = undefined;
        if (active.conversation) this.d.setStreaming(false);
        ended();
        this.startQueued();
      }
    }
  }

  private async stream(
    active: ActiveTurn,
    conversation: ConversationView,
    settings: TurnOptions['settings'],
    sent: Pick<TurnOptions, 'history' | 'summary'>,
    draft: ChatMessageView,
  ): Promise<void> {
    const { host, store } = this.d;
    const { requestId } = active;
    let final: ChatMessageView;
    let streamingInto = draft;
    try {
      const turn: TurnOptions = {
        host,
        settings,
        requestId,
        ...sent,
        draft,
        timing: active.timing,
        signal: active.abort.signal,
        onProgress: () => store.saveStreaming(conversation),
        coalescer: active.coalescer,
        chatMessages: () => conversation.messages,
        ...(this.d.client !== undefined && { client: this.d.client }),
      };
      const agent = host.agent;
      const tools = agent && getModel(settings.model).supportsTools ? agent.tools() : [];
      if (agent && tools.length > 0) {
        const connection = await connect(turn);
        final =
          'failed' in connection
            ? { ...draft, status: 'error', error: connection.failed }
            : await runAgentTurn({
                ...turn,
                agent,
                tools,
                connection,
                approvals: this.d.approvals,
                conversation,
                store,
                onReply: (next) => {
                  streamingInto = next;
                  active.draftId = next.id;
                },
              });
      } else {
        final = await runTurn(turn);
      }
    } catch (e) {
      host.log(`[${requestId}] failed unexpectedly: ${describe(e)}`);
      active.coalescer.flush();
      final = {
        ...streamingInto,
        status: 'error',
        error: {
          kind: 'internal',
          message: 'Something went wrong inside Qwen Coder. The text received so far is kept; the log has details.',
          actions: [{ id: 'retry', label: 'Retry' }, { id: 'showLog', label: 'Show log' }],
        },
      };
    }
    if (this.closing && final.status === 'stopped') final = { ...final, status: 'interrupted' };
    const index = conversation.messages.findIndex((m) => m.id === final.id);
    if (index >= 0) conversation.messages[index] = final;
    await store.save(conversation);
    this.active = undefined;
    host.post({ type: 'turnEnded', requestId, message: final, hostNow: this.now() });
    this.d.postConversations();
    this.d.setStreaming(false);
    this.startQueued();
    if (final.status === 'done') this.d.onAnswered?.(conversation, requestId);
  }

  private startQueued(): void {
    const next = this.queued;
    this.queued = undefined;
    if (next) void this.begin(next.requestId, next.prepare);
  }
}

/**
 * Only the last answer can be retried: once a new prompt follows, older cards lose their Retry (their other fixes
 * stay). True when a card changed.
 */
export function dropStaleRetries(messages: ChatMessageView[]): boolean {
  let changed = false;
  messages.forEach((m, i) => {
    if (i === messages.length - 1 || !m.error?.actions.some((a) => a.id === 'retry')) return;
    messages[i] = { ...m, error: { ...m.error, actions: m.error.actions.filter((a) => a.id !== 'retry') } };
    changed = true;
  });
  return changed;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
