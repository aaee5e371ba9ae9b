/** The scripted conversation the harness plays: reasoning, prose, lists, code, a table, an error and XSS bait. */
import type { ChatMessageView, ChatSnapshot, SettingsView } from '../../src/protocol/chat';

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
  metrics: { promptTokens: 1234, completionTokens: 96, cachedTokens: 1024, reasoningTokens: 41, timeToFirstTokenMs: 820, tokensPerSecond: 48.2, cost: '¥0.0031' },
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
