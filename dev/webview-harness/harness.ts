/**
 * Plays a scripted conversation into the real webview bundle: fakes `acquireVsCodeApi` (recording what the view
 * posts in `window.__posted`), sets VS Code's theme variables, and streams reasoning and markdown in small chunks.
 * URL parameters: `theme` = dark | light | hc; `scene` = conversation (default, plays to the end) | streaming
 * (stops mid-answer) | thinking (stops mid-reasoning) | welcome | history | meter (a long chat whose replies carry cost,
 * cache and context use, for the header's meter). `window.__harnessDone` turns true when the
 * scene is in place. Load this script before dist/webview.js.
 */
import type { ChatMessageView } from '../../src/protocol/chat';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';
import { ANSWER, FAILED_PROMPT, meterSnapshot, PROMPT, REASONING, snapshot } from './scenario';
import { applyTheme, type ThemeName } from './themes';

interface HarnessWindow {
  __posted: WebviewToHost[];
  __harnessDone: boolean;
  __cspViolations: string[];
  __xss?: string;
  acquireVsCodeApi: () => unknown;
}
const w = window as unknown as HarnessWindow & Window;
const params = new URLSearchParams(location.search);
const scene = params.get('scene') ?? 'conversation';
let saved: unknown;

w.__posted = [];
w.__harnessDone = false;
w.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
w.acquireVsCodeApi = () => ({
  postMessage: (m: WebviewToHost) => {
    w.__posted.push(m);
    void onPosted(m);
  },
  getState: () => saved,
  setState: (s: unknown) => (saved = s),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (m: HostToWebview) => window.postMessage(m, '*');

async function stream(requestId: string, field: 'reasoning' | 'content', text: string, chunk = 24, stopAt = Infinity): Promise<void> {
  for (let i = 0; i < Math.min(text.length, stopAt); i += chunk) {
    send({ type: 'turnDelta', requestId, reasoning: field === 'reasoning' ? text.slice(i, i + chunk) : '', content: field === 'content' ? text.slice(i, i + chunk) : '' });
    await sleep(8);
  }
}

function assistant(id: string, extra: Partial<ChatMessageView> = {}): ChatMessageView {
  return { id, role: 'assistant', text: '', status: 'streaming', model: 'qwen3.6-plus', createdAt: Date.now(), ...extra };
}

async function onPosted(m: WebviewToHost): Promise<void> {
  if (m.type !== 'ready') return;
  document.documentElement.dataset['scene'] = scene;
  if (scene === 'meter') {
    send({ type: 'snapshot', version: 'harness', snapshot: meterSnapshot(), hostNow: Date.now() });
    return done();
  }
  const hasKey = scene !== 'welcome';
  send({ type: 'snapshot', version: 'harness', snapshot: snapshot(hasKey), hostNow: Date.now() });
  if (!hasKey) return done();
  if (scene === 'history') {
    await sleep(50);
    (document.querySelector('[data-part="history-button"]') as HTMLElement | null)?.click();
    return done();
  }
  await turn();
  if (scene !== 'conversation') return done();
  await failedTurn();
  done();
}

async function turn(): Promise<void> {
  const requestId = 'h-1';
  const user: ChatMessageView = { id: 'm3', role: 'user', text: PROMPT, status: 'done', createdAt: Date.now() };
  send({ type: 'turnStarted', requestId, conversationId: 'c1', user, assistant: assistant('m4') });
  await sleep(300);
  await stream(requestId, 'reasoning', REASONING);
  if (scene === 'thinking') return;
  await stream(requestId, 'content', ANSWER, 16, scene === 'streaming' ? 900 : Infinity);
  if (scene === 'streaming') return;
  await sleep(50);
  send({
    type: 'turnEnded',
    requestId,
    hostNow: Date.now(),
    message: assistant('m4', {
      text: ANSWER,
      reasoning: REASONING,
      reasoningMs: 4200,
      status: 'done',
      metrics: {
        promptTokens: 2310, completionTokens: 412, cachedTokens: 1024, reasoningTokens: 61, timeToFirstTokenMs: 640, tokensPerSecond: 57.3, durationMs: 8100,
        cost: '$0.0087', costAmount: 0.0087, currency: 'USD', savedAmount: 0.0009,
        context: { promptTokens: 2310, reservedOutput: 65_536, window: 1_000_000, percent: 6.8, dropped: 0, summarised: 0 },
      },
    }),
  });
}

async function failedTurn(): Promise<void> {
  const requestId = 'h-2';
  const user: ChatMessageView = { id: 'm5', role: 'user', text: FAILED_PROMPT, status: 'done', createdAt: Date.now() };
  send({ type: 'turnStarted', requestId, conversationId: 'c1', user, assistant: assistant('m6') });
  send({ type: 'turnRetry', requestId, attempt: 1, delayMs: 3000, message: 'Rate limited.' });
  await sleep(400);
  send({
    type: 'turnEnded',
    requestId,
    hostNow: Date.now(),
    message: assistant('m6', {
      status: 'error',
      error: {
        kind: 'rateLimit',
        message: 'Model Studio (Singapore) is rate limiting this key (429). Wait a moment, then retry.',
        retryAt: Date.now() + 27_000,
        status: 429,
        actions: [
          { id: 'retry', label: 'Retry' },
          { id: 'selectModel', label: 'Choose another model' },
        ],
      },
    }),
  });
}

function done(): void {
  setTimeout(() => (w.__harnessDone = true), 400);
}

applyTheme((params.get('theme') ?? 'dark') as ThemeName);
