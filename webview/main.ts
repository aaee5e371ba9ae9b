/**
 * Wiring of the chat webview: the VS Code API, the store, the view and the clock. Host messages and user actions
 * go through the pure reducer (store.ts); the view redraws at most once per animation frame.
 */
import type { ChatSnapshot } from '../src/protocol/chat';
import type { HostToWebview, WebviewToHost } from '../src/protocol/messages';
import { initialState, reduce, type ChatAction, type ChatState } from './store';
import { warmUp } from './render/warmup';
import { ChatView } from './view';

interface SavedState {
  snapshot?: ChatSnapshot;
}
interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const TICK_MS = 200;
/** While text streams, the saved state (a copy of the whole conversation) is refreshed at most this often. */
const SAVE_WHILE_STREAMING_MS = 2000;

const vscode = acquireVsCodeApi();
let state: ChatState = initialState;
let frame = 0;
let lastSave = 0;
let timer: ReturnType<typeof setInterval> | undefined;
let requestCounter = 0;

function newRequestId(): string {
  return `w${Date.now().toString(36)}-${(++requestCounter).toString(36)}`;
}

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

const view = new ChatView(document.body, {
  post,
  send(text) {
    const requestId = newRequestId();
    if (dispatch({ type: 'ui/send', requestId, text })) post({ type: 'send', requestId, text });
  },
  stop() {
    const requestId = state.activeRequestId ?? state.pendingRequestId;
    if (requestId !== undefined && dispatch({ type: 'ui/stop' })) post({ type: 'stop', requestId });
  },
  retry(messageId) {
    const requestId = newRequestId();
    if (dispatch({ type: 'ui/retry', requestId, messageId })) post({ type: 'retry', requestId, messageId });
  },
  showHistory(open) {
    dispatch({ type: 'ui/history', open });
  },
  lastPrompt: () => lastPrompt(state),
});

/** Up in an empty composer recalls the last prompt of the conversation on screen (also one restored or reopened). */
function lastPrompt(s: ChatState): string {
  const messages = s.snapshot?.conversation.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return m.text;
  }
  return '';
}

/** Applies an action; true when it changed the state (the caller then tells the host). */
function dispatch(action: ChatAction): boolean {
  const next = reduce(state, action, Date.now());
  if (next === state) return false;
  state = next;
  if (!frame) frame = requestAnimationFrame(render);
  save(action.type === 'turnDelta');
  return true;
}

function render(): void {
  frame = 0;
  const now = Date.now();
  view.update(state, now);
  // The clock runs only while something on screen counts (reasoning timer, retry countdowns).
  const counting = state.live !== undefined || hasCountdown(state, now);
  if (counting && !timer) timer = setInterval(() => onTick(), TICK_MS);
  if (!counting && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

function onTick(): void {
  const now = Date.now();
  view.tick(now);
  if (state.live === undefined && !hasCountdown(state, now) && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

function hasCountdown(s: ChatState, now: number): boolean {
  return (s.snapshot?.conversation.messages ?? []).some((m) => m.error?.retryAt !== undefined && m.error.retryAt > now - 1000);
}

function save(streaming: boolean): void {
  const now = Date.now();
  if (!state.snapshot || (streaming && now - lastSave < SAVE_WHILE_STREAMING_MS)) return;
  lastSave = now;
  vscode.setState({ snapshot: state.snapshot });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' && !(data as { type: string }).type.startsWith('ui/')) {
    const message = data as HostToWebview;
    // not state: the composer's open mention list takes it
    if (message.type === 'mentionResults') view.mentionResults(message.query, message.files);
    else dispatch(message);
  }
});

// Draw the last state at once when the view is shown again; the host's fresh snapshot follows `ready`.
const saved = vscode.getState();
if (saved?.snapshot) dispatch({ type: 'ui/restore', snapshot: saved.snapshot });
else view.update(state, Date.now());
post({ type: 'ready' });
// compile markdown, sanitiser and common grammars in short tasks now, not in the first answer's frames
warmUp();
