/** The scripted conversation the harness plays: reasoning, prose, lists, code, a table, an error and XSS bait. */
import type { ChatMessageView, ChatSnapshot, MessageMetricsView, SettingsView } from '../../src/protocol/chat';

export const REASONING =
  'The user wants a debounce helper in TypeScript. I should keep the timer per call site, clear it on each call, ' +
  'and make sure `this` and the arguments are forwarded. A generic signature keeps the parameter types. ' +
  'I will also mention cancellation, since React effects need it.';

export const ANSWER = `## A typed \`debounce\`

Here is a small helper that **delays** a call until the input has been quiet for \`ms\` milliseconds:

\`\`\`ts
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms); // the last call wins
  };
}
\`\`\`

How it behaves:

1. Each call clears the previous timer.
2. Only the last call in a burst runs.
   - nested: arguments are those of the last call
3. Nothing runs if calls never stop.

| Option | Default | Effect |
|---|---:|---|
| \`ms\` | 300 | quiet time before the call |
| \`leading\` | false | call at the start<br>of a burst |

Stop it with <kbd>Esc</kbd>; a burst of *n* calls costs O(n<sup>0</sup>) runs. ![a diagram](https://example.com/diagram.png)

> Tip: in Python the same idea is a \`threading.Timer\`:

\`\`\`python
def debounce(ms):
    # returns a decorator
    return lambda fn: fn
\`\`\`

Inert bait, for the sanitiser: <img src=x onerror="window.__xss='img'"> <script>window.__xss='script'</script>
[a javascript: link](javascript:window.__xss='link') and <a href="data:text/html,<script>alert(1)</script>">data link</a>
<iframe src="javascript:window.__xss='iframe'"></iframe><svg onload="window.__xss='svg'"></svg>
<button data-action="insert" onclick="window.__xss='button'">fake insert</button><form action="https://evil.example"><input name=q></form>
<a href="https://example.com" onmouseover="window.__xss='hover'" style="color:red">a normal link</a>
<b onclick="window.__xss='b'" style="color:red">a kept tag, bare</b>`;

const now = Date.UTC(2026, 10, 22, 3, 0, 0);

export const SETTINGS: SettingsView = {
  model: 'qwen3.6-plus',
  modelLabel: 'Qwen3.6 Plus',
  thinkingMode: 'auto',
  thinkingOn: true,
  thinkingFixed: false,
  thinkingNote: 'Thinking on (budget 4,096 tokens)',
  endpointLabel: 'Model Studio (Singapore)',
  keySource: 'secret',
  region: 'singapore',
  thinkingBudget: 4096,
  thinkingBudgetMax: 32768,
  contextWindow: 1_000_000,
  explicitCache: true,
  spendCurrency: 'USD',
  customBaseUrl: false,
  models: [
    { id: 'qwen3-coder-plus', label: 'Qwen3 Coder Plus', thinking: 'none' },
    { id: 'qwen3.6-plus', label: 'Qwen3.6 Plus', thinking: 'hybrid-on' },
    { id: 'qwq-plus', label: 'QwQ Plus', thinking: 'always' },
  ],
};

const storedUser: ChatMessageView = {
  id: 'm1',
  role: 'user',
  text: 'What does this function do?',
  status: 'done',
  createdAt: now - 60_000,
  attachments: [{ id: 'a1', kind: 'selection', label: 'src/util/retry.ts', language: 'typescript', startLine: 12, endLine: 30, text: 'export async function retry() {}' }],
};

const storedAssistant: ChatMessageView = {
  id: 'm2',
  role: 'assistant',
  text: 'It retries the request with **exponential backoff** and gives up after `maxAttempts`.',
  reasoning: 'Looking at the loop: the delay doubles each time, capped at 30 s.',
  reasoningMs: 12_400,
  status: 'done',
  model: 'qwen3.6-plus',
  createdAt: now - 55_000,
  metrics: {
    promptTokens: 1234, completionTokens: 96, cachedTokens: 1024, reasoningTokens: 41, timeToFirstTokenMs: 820, tokensPerSecond: 48.2,
    cost: '$0.0031', costAmount: 0.0031, currency: 'USD', savedAmount: 0.0008,
    context: { promptTokens: 1234, reservedOutput: 65_536, window: 1_000_000, percent: 6.7, dropped: 0, summarised: 0 },
  },
};

export function snapshot(hasKey = true): ChatSnapshot {
  return {
    conversation: { id: 'c1', title: 'Retry helper', messages: [storedUser, storedAssistant], createdAt: now - 60_000, updatedAt: now },
    conversations: [
      { id: 'c1', title: 'Retry helper', updatedAt: now, messageCount: 2 },
      { id: 'c0', title: 'Explain the webpack config', updatedAt: now - 86_400_000, messageCount: 6 },
    ],
    settings: { ...SETTINGS, keySource: hasKey ? 'secret' : 'none' },
    pendingAttachments: [{ id: 'a2', kind: 'selection', label: 'src/app.ts', language: 'typescript', startLine: 4, endLine: 9, text: 'const x = 1;' }],
  };
}

export const PROMPT = 'Write a typed debounce in TypeScript.';
export const FAILED_PROMPT = 'And a throttle?';

/**
 * A long chat for the header's meter (scene `meter`): explicit caching wrote the prefix once, later requests read it
 * back; the last request had to leave 12 early messages out. Totals: context 12.4%, cost $0.0213 (shown `$0.02`),
 * cache 41.2K read and 2.3K written, saved $0.0156 (`$0.02`).
 */
export function meterSnapshot(): ChatSnapshot {
  const ask = (id: string, text: string, at: number): ChatMessageView => ({ id, role: 'user', text, status: 'done', createdAt: now - at });
  const answer = (id: string, text: string, at: number, metrics: MessageMetricsView): ChatMessageView => ({ id, role: 'assistant', text, status: 'done', model: 'qwen3.6-plus', createdAt: now - at, metrics });
  const context = (promptTokens: number, dropped: number) => ({ promptTokens, reservedOutput: 65_536, window: 1_000_000, percent: Math.round(((promptTokens + 65_536) / 1_000_000) * 1000) / 10, dropped, summarised: 0 });
  const messages: ChatMessageView[] = [
    ask('k1', 'Read src/core/chat/turn.ts and explain the retry loop.', 600_000),
    answer('k2', 'The loop retries **429** and **5xx** with exponential backoff, capped at 30 s.', 590_000, {
      promptTokens: 2400, completionTokens: 180, cacheCreationTokens: 2300, cacheMarkers: 1, timeToFirstTokenMs: 900, tokensPerSecond: 51,
      cost: '$0.0012', costAmount: 0.0012, currency: 'USD', savedAmount: -0.0004, context: context(2400, 0),
    }),
    { ...ask('k3', 'Now add jitter to it.', 300_000), thinkingOverride: 'off' },
    answer('k4', 'Added full jitter: `delay = random(0, base * 2 ** attempt)`.', 290_000, {
      promptTokens: 20_500, completionTokens: 420, cachedTokens: 20_100, cacheMarkers: 1, timeToFirstTokenMs: 640, tokensPerSecond: 57,
      cost: '$0.0081', costAmount: 0.0081, currency: 'USD', savedAmount: 0.0071, context: context(20_500, 0),
    }),
    ask('k5', 'And write the tests.', 60_000),
    answer('k6', 'Here are three tests covering the cap, the jitter range and giving up.', 50_000, {
      promptTokens: 58_300, completionTokens: 910, cachedTokens: 21_100, cacheMarkers: 1, timeToFirstTokenMs: 700, tokensPerSecond: 55,
      cost: '$0.0120', costAmount: 0.012, currency: 'USD', savedAmount: 0.0089, context: context(58_300, 12),
    }),
  ];
  return {
    conversation: { id: 'c9', title: 'Retry jitter', messages, createdAt: now - 600_000, updatedAt: now },
    conversations: [{ id: 'c9', title: 'Retry jitter', updatedAt: now, messageCount: messages.length }],
    settings: { ...SETTINGS, explicitCache: true, chatSpendCap: 1, spendCurrency: 'USD' },
    pendingAttachments: [],
  };
}
