/**
 * The chat view's state and its one pure reducer: host messages (`HostToWebview`) and the user's actions in, new
 * state out. No DOM, no clock (`now` is passed in), so every rule here is unit-tested in Node.
 *
 * Streamed messages are accepted only for the request the view is following (`activeRequestId`): deltas of a
 * stopped or superseded request are dropped. A `turnEnded` carries the host's final copy of a message and replaces
 * it wherever it is in the shown conversation, so a stop never loses what the host kept. Times from the host
 * (`retryAt`) are moved onto this view's clock on arrival: the two can be different machines.
 */
import type { ChatMessageView, ChatSnapshot, ConversationView } from '../src/protocol/chat';
import type { HostToWebview } from '../src/protocol/messages';

/** Timing of the turn streaming right now, measured in the view (the host's figures replace it at the end). */
export interface LiveTurn {
  requestId: string;
  messageId: string;
  startedAt: number;
  reasoningStartedAt?: number;
  answerStartedAt?: number;
  /** The request failed before output and will be tried again (`turnRetry`). */
  retry?: { attempt: number; until: number; message: string };
}

export interface ChatState {
  snapshot: ChatSnapshot | undefined;
  version: string | undefined;
  /** The request whose deltas are shown; undefined when nothing streams. */
  activeRequestId: string | undefined;
  /** A prompt or retry the view sent and the host has not started yet. */
  pendingRequestId: string | undefined;
  /** The prompt of that send, given back to the composer if the host refuses it. */
  pendingPrompt: { requestId: string; text: string } | undefined;
  /** Why the host refused the last send or retry (shown by the composer until the next one). */
  composerNote: string | undefined;
  live: LiveTurn | undefined;
  /** The last prompt sent, recalled by Up in an empty composer. */
  lastPrompt: string;
  historyOpen: boolean;
  /** Bumped by `focusComposer`; the composer focuses when it changes and takes `composerText` if set. */
  focus: { seq: number; text?: string };
  /** What the polite live region says next (seq makes the same words be announced again). */
  announcement: { seq: number; text: string } | undefined;
}

export type UiAction =
  | { type: 'ui/send'; requestId: string; text: string }
  | { type: 'ui/stop' }
  | { type: 'ui/retry'; requestId: string; messageId: string }
  | { type: 'ui/history'; open: boolean }
  /** The state saved with `vscode.setState`, drawn before the host's fresh snapshot arrives. */
  | { type: 'ui/restore'; snapshot: ChatSnapshot };

export type ChatAction = HostToWebview | UiAction;

export const initialState: ChatState = {
  snapshot: undefined,
  version: undefined,
  activeRequestId: undefined,
  pendingRequestId: undefined,
  pendingPrompt: undefined,
  composerNote: undefined,
  live: undefined,
  lastPrompt: '',
  historyOpen: false,
  focus: { seq: 0 },
  announcement: undefined,
};

/** A request is on its way or streaming: the composer is disabled and Send becomes Stop. */
export function isBusy(state: ChatState): boolean {
  return state.activeRequestId !== undefined || state.pendingRequestId !== undefined;
}

export function reduce(state: ChatState, action: ChatAction, now: number): ChatState {
  switch (action.type) {
    case 'snapshot':
      return withSnapshot({ ...state, version: action.version }, onLocalClock(action.snapshot, now - action.hostNow), now);
    case 'ui/restore':
      return state.snapshot ? state : withSnapshot(state, action.snapshot, now);
    case 'settings':
      return patchSnapshot(state, { settings: action.settings });
    case 'conversations':
      return patchSnapshot(state, { conversations: action.conversations });
    case 'attachments':
      return patchSnapshot(state, { pendingAttachments: action.attachments });
    case 'turnStarted':
      return turnStarted(state, action, now);
    case 'turnDelta':
      return turnDelta(state, action, now);
    case 'replyStarted':
      return replyStarted(state, action, now);
    case 'toolCall':
      return toolCall(state, action);
    case 'turnRetry':
      if (action.requestId !== state.activeRequestId || !state.live) return state;
      return {
        ...state,
        live: { ...state.live, retry: { attempt: action.attempt, until: now + action.delayMs, message: action.message } },
      };
    case 'turnEnded':
      return turnEnded(state, { ...action, message: messageOnLocalClock(action.message, now - action.hostNow) });
    case 'requestRejected':
      return rejected(state, action);
    case 'focusComposer':
      return { ...state, focus: action.text === undefined ? { seq: state.focus.seq + 1 } : { seq: state.focus.seq + 1, text: action.text } };
    case 'ui/send':
      if (isBusy(state) || action.text.trim() === '' || !state.snapshot) return state;
      return { ...state, pendingRequestId: action.requestId, pendingPrompt: { requestId: action.requestId, text: action.text }, composerNote: undefined, lastPrompt: action.text };
    case 'ui/retry':
      if (isBusy(state) || !state.snapshot) return state;
      return { ...state, pendingRequestId: action.requestId, pendingPrompt: undefined, composerNote: undefined };
    case 'ui/stop':
      return stopped(state);
    case 'ui/history':
      return { ...state, historyOpen: action.open };
    default:
      // A message from a newer host: nothing to do with it here.
      return state;
  }
}

/** The host refused a send or retry of this view: the composer is free again and the prompt is back in it. */
function rejected(state: ChatState, action: Extract<HostToWebview, { type: 'requestRejected' }>): ChatState {
  const prompt = state.pendingPrompt?.requestId === action.requestId ? state.pendingPrompt.text : undefined;
  if (state.pendingRequestId !== action.requestId && prompt === undefined) return state;
  const next: ChatState = { ...state, pendingPrompt: undefined, composerNote: action.reason };
  if (state.pendingRequestId === action.requestId) next.pendingRequestId = undefined;
  next.announcement = { seq: (state.announcement?.seq ?? 0) + 1, text: action.reason };
  if (prompt !== undefined) next.focus = { seq: state.focus.seq + 1, text: prompt };
  return next;
}

function messageOnLocalClock(message: ChatMessageView, offset: number): ChatMessageView {
  const retryAt = message.error?.retryAt;
  if (retryAt === undefined || !Number.isFinite(offset) || offset === 0) return message;
  return { ...message, error: { ...message.error!, retryAt: retryAt + offset } };
}

function onLocalClock(snapshot: ChatSnapshot, offset: number): ChatSnapshot {
  const messages = snapshot.conversation.messages;
  if (!messages.some((m) => m.error?.retryAt !== undefined)) return snapshot;
  return { ...snapshot, conversation: { ...snapshot.conversation, messages: messages.map((m) => messageOnLocalClock(m, offset)) } };
}

function withSnapshot(state: ChatState, snapshot: ChatSnapshot, now: number): ChatState {
  const activeRequestId = snapshot.activeRequestId;
  const streaming = activeRequestId === undefined ? undefined : lastStreaming(snapshot.conversation);
  const live: LiveTurn | undefined =
    activeRequestId !== undefined && streaming
      ? state.live?.requestId === activeRequestId
        ? state.live
        : liveFrom(snapshot, activeRequestId, streaming.id, now)
      : undefined;
  // Before `turnStarted` the host may redraw the chat (a retry removed the old answer): the request is still coming.
  const pendingRequestId = live && state.pendingRequestId === activeRequestId ? undefined : state.pendingRequestId;
  return { ...state, snapshot, activeRequestId: live ? activeRequestId : undefined, pendingRequestId, live };
}

/** A view built mid-answer (shown again, reloaded) takes the running timers from how long the host says they ran. */
function liveFrom(snapshot: ChatSnapshot, requestId: string, messageId: string, now: number): LiveTurn {
  const progress = snapshot.activeTurn;
  const live: LiveTurn = { requestId, messageId, startedAt: now - (progress?.elapsedMs ?? 0) };
  if (progress?.reasoningElapsedMs !== undefined) live.reasoningStartedAt = now - progress.reasoningElapsedMs;
  if (progress?.answerElapsedMs !== undefined) live.answerStartedAt = now - progress.answerElapsedMs;
  return live;
}

function lastStreaming(conversation: ConversationView): ChatMessageView | undefined {
  const last = conversation.messages[conversation.messages.length - 1];
  return last && last.role === 'assistant' && last.status === 'streaming' ? last : undefined;
}

function patchSnapshot(state: ChatState, patch: Partial<ChatSnapshot>): ChatState {
  return state.snapshot ? { ...state, snapshot: { ...state.snapshot, ...patch } } : state;
}

function withMessages(state: ChatState, snapshot: ChatSnapshot, messages: ChatMessageView[]): ChatState {
  return { ...state, snapshot: { ...snapshot, conversation: { ...snapshot.conversation, messages } } };
}

function turnStarted(state: ChatState, action: Extract<HostToWebview, { type: 'turnStarted' }>, now: number): ChatState {
  const snapshot = state.snapshot;
  if (!snapshot || action.conversationId !== snapshot.conversation.id) return state;
  // A retry or regenerate starts again from an existing user message: what followed it is being replaced.
  const messages = snapshot.conversation.messages;
  const userAt = messages.findIndex((m) => m.id === action.user.id);
  const afterAt = action.after === undefined || userAt < 0 ? -1 : messages.findIndex((m) => m.id === action.after);
  const kept =
    afterAt > userAt
      ? messages.slice(0, afterAt + 1)
      : [...(userAt >= 0 ? messages.slice(0, userAt) : messages.filter((m) => m.id !== action.assistant.id)), action.user];
  const next = withMessages(state, snapshot, [...kept, action.assistant]);
  const ours = state.pendingRequestId === action.requestId;
  return {
    ...next,
    activeRequestId: action.requestId,
    pendingRequestId: ours ? undefined : state.pendingRequestId,
    pendingPrompt: state.pendingPrompt?.requestId === action.requestId ? undefined : state.pendingPrompt,
    composerNote: ours ? undefined : state.composerNote,
    live: { requestId: action.requestId, messageId: action.assistant.id, startedAt: now },
  };
}

function turnDelta(state: ChatState, action: Extract<HostToWebview, { type: 'turnDelta' }>, now: number): ChatState {
  const { snapshot, live } = state;
  if (!snapshot || !live || action.requestId !== state.activeRequestId) return state;
  if (action.reasoning === '' && action.content === '') return state;
  const messages = snapshot.conversation.messages;
  const at = messages.findIndex((m) => m.id === live.messageId);
  const message = messages[at];
  if (!message) return state;
  const updated: ChatMessageView = { ...message, text: message.text + action.content };
  if (action.reasoning !== '') updated.reasoning = (message.reasoning ?? '') + action.reasoning;
  const nextLive: LiveTurn = { ...live };
  delete nextLive.retry;
  if (action.reasoning !== '' && nextLive.reasoningStartedAt === undefined) nextLive.reasoningStartedAt = now;
  if (action.content !== '' && nextLive.answerStartedAt === undefined) nextLive.answerStartedAt = now;
  const copy = messages.slice();
  copy[at] = updated;
  return { ...withMessages(state, snapshot, copy), live: nextLive };
}

/** The agent's next reply: the one before is final, the new one streams (same request, same live turn clock). */
function replyStarted(state: ChatState, action: Extract<HostToWebview, { type: 'replyStarted' }>, now: number): ChatState {
  const { snapshot, live } = state;
  if (!snapshot || !live || action.requestId !== state.activeRequestId) return state;
  const messages = snapshot.conversation.messages.map((m) => (m.id === action.previous.id ? action.previous : m));
  if (!messages.some((m) => m.id === action.assistant.id)) messages.push(action.assistant);
  return { ...withMessages(state, snapshot, messages), live: { requestId: action.requestId, messageId: action.assistant.id, startedAt: now } };
}

/** A call appeared or changed: it is replaced by id in its reply (any request: a stopped run's last cards still settle). */
function toolCall(state: ChatState, action: Extract<HostToWebview, { type: 'toolCall' }>): ChatState {
  const snapshot = state.snapshot;
  if (!snapshot) return state;
  const messages = snapshot.conversation.messages;
  const at = messages.findIndex((m) => m.id === action.messageId);
  const message = messages[at];
  if (!message) return state;
  const calls = message.toolCalls ?? [];
  const known = calls.some((c) => c.id === action.call.id);
  const copy = messages.slice();
  copy[at] = { ...message, toolCalls: known ? calls.map((c) => (c.id === action.call.id ? action.call : c)) : [...calls, action.call] };
  const next = withMessages(state, snapshot, copy);
  if (action.call.status !== 'awaitingApproval' || calls.find((c) => c.id === action.call.id)?.status === 'awaitingApproval') return next;
  return { ...next, announcement: { seq: (state.announcement?.seq ?? 0) + 1, text: action.call.approval?.question ?? `Qwen asks to run ${action.call.name}.` } };
}

function turnEnded(state: ChatState, action: Extract<HostToWebview, { type: 'turnEnded' }>): ChatState {
  const ours = action.requestId === state.activeRequestId;
  const cleared: ChatState = ours ? { ...state, activeRequestId: undefined, live: undefined } : state;
  const snapshot = state.snapshot;
  const messages = snapshot?.conversation.messages ?? [];
  const at = messages.findIndex((m) => m.id === action.message.id);
  if (!snapshot || at < 0) return cleared;
  const copy = messages.slice();
  copy[at] = action.message;
  const next = withMessages(cleared, snapshot, copy);
  if (!ours) return next;
  return { ...next, announcement: { seq: (state.announcement?.seq ?? 0) + 1, text: endAnnouncement(action.message) } };
}

function endAnnouncement(message: ChatMessageView): string {
  switch (message.status) {
    case 'error':
      return `Error: ${message.error?.message ?? 'the request failed.'}`;
    case 'stopped':
      return 'Stopped. The partial answer is kept.';
    case 'interrupted':
      return 'Answer interrupted.';
    default:
      return 'Answer complete';
  }
}

/** Stop: the composer is free at once; the partial answer stays (marked stopped) until the host's final copy. */
function stopped(state: ChatState): ChatState {
  const base: ChatState = { ...state, activeRequestId: undefined, pendingRequestId: undefined, live: undefined };
  const snapshot = state.snapshot;
  const live = state.live;
  if (!snapshot || !live) return base;
  const messages = snapshot.conversation.messages;
  const at = messages.findIndex((m) => m.id === live.messageId);
  const message = messages[at];
  if (!message || message.status !== 'streaming') return base;
  const copy = messages.slice();
  copy[at] = { ...message, status: 'stopped' };
  return withMessages(base, snapshot, copy);
}
