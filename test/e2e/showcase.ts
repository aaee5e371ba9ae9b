/**
 * The answer the sandbox's fake Qwen gives and the README screenshots show: reasoning, then markdown with prose,
 * a list, code blocks in two languages and a table — every kind of block the chat view renders.
 */
import type { Scenario } from '../fakes/fakeQwenServer';

export const SHOWCASE_REASONING = [
  'The user wants to debounce a search box in TypeScript.',
  'A debounce keeps the last call and runs it once no call came for `wait` ms, so I need a timer per debounced function.',
  'I should keep `this` and the arguments, type it generically, and show how to cancel it.',
  'A short table comparing debounce and throttle will help them pick.',
].join(' ');

export const SHOWCASE_ANSWER = `Here is a small, typed **debounce** you can drop into the project:

\`\`\`ts
export function debounce<A extends unknown[]>(fn: (...args: A) => void, wait = 200) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A): void => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
  debounced.cancel = (): void => clearTimeout(timer);
  return debounced;
}
\`\`\`

Use it on the search input:

\`\`\`ts
const search = debounce((query: string) => runSearch(query), 250);
input.addEventListener('input', () => search(input.value));
\`\`\`

Things to keep in mind:

- Call \`search.cancel()\` when the view is disposed, so no timer fires afterwards.
- Keep \`wait\` between 150 and 300 ms: shorter feels jumpy, longer feels slow.
- For scroll or resize handlers prefer a *throttle*.

| | debounce | throttle |
|---|---|---|
| runs | once, after the calls stop | at most every \`wait\` ms |
| good for | search boxes, autosave | scroll, resize, drag |

The same idea in Python, for a backend task queue:

\`\`\`python
import threading

def debounce(wait):
    def wrap(fn):
        timer = None
        def debounced(*args):
            nonlocal timer
            if timer: timer.cancel()
            timer = threading.Timer(wait, fn, args)
            timer.start()
        return debounced
    return wrap
\`\`\`
`;

/** Streams like a real model: reasoning first, then the answer, at about `tokensPerSecond` chunks a second. */
export function showcaseScenario(tokensPerSecond = 80): Scenario {
  return { kind: 'thinking', reasoning: SHOWCASE_REASONING, text: SHOWCASE_ANSWER, chunkSize: 6, tokensPerSecond };
}
