/**
 * A page for markdownStream.test.ts: the real MarkdownStream (and the one-shot renderer) on their own, driven frame
 * by frame from the test, so the DOM a streamed answer ends with can be compared with one render of the whole.
 */
import { benchAnswer, HARD_SHAPES } from '../../bench/render/corpus';
import { warmLanguage } from '../../webview/render/highlight';
import { whenHighlightsDone } from '../../webview/render/highlightLater';
import { renderMarkdown } from '../../webview/render/markdown';
import { MarkdownStream } from '../../webview/render/markdownStream';
import { whenWarm } from '../../webview/render/warmup';
import { HARD_MARKDOWN } from '../unit/webview/markdownCorpus';

export interface Compared {
  same: boolean;
  done: boolean;
  /** Where the two DOMs first differ, with some context. */
  at?: number;
  streamed?: string;
  oneShot?: string;
}

/** A stream whose frames run when the page says so (each `frame()` is one render, with a generous budget). */
function manualStream(container: HTMLElement): { stream: MarkdownStream; frame: () => boolean } {
  let pending: (() => void) | undefined;
  const stream = new MarkdownStream(container, { schedule: (render) => (pending = render), timeLeft: () => 50 });
  return {
    stream,
    frame() {
      const render = pending;
      pending = undefined;
      render?.();
      return pending !== undefined;
    },
  };
}

async function compare(container: HTMLElement, text: string, done: boolean): Promise<Compared> {
  const oneShot = document.createElement('div');
  oneShot.append(renderMarkdown(text));
  document.body.append(oneShot);
  await whenHighlightsDone();
  const a = container.innerHTML;
  const b = oneShot.innerHTML;
  oneShot.remove();
  container.remove();
  if (a === b) return { same: true, done };
  let at = 0;
  while (a[at] === b[at]) at++;
  return { same: false, done, at, streamed: a.slice(Math.max(0, at - 150), at + 150), oneShot: b.slice(Math.max(0, at - 150), at + 150) };
}

function textOf(name: string): string {
  if (name in HARD_MARKDOWN) return HARD_MARKDOWN[name]!;
  if (name === 'mixed') return benchAnswer(30_000);
  const shape = HARD_SHAPES[name];
  if (!shape) throw new Error(`no text ${name}`);
  return shape(12_000);
}

/** Streams text `name` in `chunk`-character pieces, one frame per `chunksPerFrame` pieces, and compares. */
async function streamed(name: string, chunk: number, chunksPerFrame: number): Promise<Compared> {
  const text = textOf(name);
  const container = document.createElement('div');
  document.body.append(container);
  const { stream, frame } = manualStream(container);
  for (let i = 0, n = 0; i < text.length; i += chunk, n++) {
    stream.append(text.slice(i, i + chunk));
    if (n % chunksPerFrame === chunksPerFrame - 1) frame();
  }
  stream.end();
  for (let i = 0; frame() && i < 10_000; i++);
  return compare(container, text, stream.done);
}

/**
 * Stop, then the host's longer final copy: the stream ends with what was shown, then gets the rest. Reports
 * whether the blocks shown before stayed the same elements.
 */
async function stopThenExtend(): Promise<Compared & { kept: boolean }> {
  const shown = `# Plan\n\n${'Some words about the plan. '.repeat(20)}\n\n1. First\n2. Second\n\n\`\`\`ts\nconst a = 1;\n`;
  const rest = 'const b = 2;\n```\n\nThe rest of the answer, after the stop.\n';
  const container = document.createElement('div');
  document.body.append(container);
  const { stream, frame } = manualStream(container);
  for (let i = 0; i < shown.length; i += 16) {
    stream.append(shown.slice(i, i + 16));
    frame();
  }
  stream.end();
  while (frame());
  const before = Array.from(container.children).slice(0, 3);
  stream.append(rest);
  stream.end();
  while (frame());
  const kept = before.every((el, i) => container.children[i] === el);
  return { ...(await compare(container, shown + rest, stream.done)), kept };
}

/** Whether a code block keeps its element (and its Copy button) while its code streams in and after it closes. */
async function codeBlockKept(): Promise<{ kept: boolean; grew: boolean; pieces: number; same: boolean }> {
  const text = `Here is the file:\n\`\`\`ts\n${Array.from({ length: 300 }, (_, i) => `const v${i} = f(${i}); // line ${i}`).join('\n')}\n\`\`\`\n\nDone.\n`;
  const container = document.createElement('div');
  document.body.append(container);
  const { stream, frame } = manualStream(container);
  let first: Element | null = null;
  let kept = true;
  let length = 0;
  for (let i = 0; i < text.length; i += 16) {
    stream.append(text.slice(i, i + 16));
    frame();
    const block = container.querySelector('.code-block');
    if (block && !first) first = block;
    if (first && block !== first) kept = false;
    length = Math.max(length, block?.querySelector('code')?.textContent?.length ?? 0);
  }
  // the code was on screen, growing, before the stream ended
  const grew = length > 5000;
  stream.end();
  while (frame());
  if (container.querySelector('.code-block') !== first) kept = false;
  await whenHighlightsDone();
  // a block this long is highlighted in pieces, each a block of its own
  const pieces = container.querySelectorAll('.code-block code > div').length;
  const { same } = await compare(container, text, stream.done);
  return { kept, grew, pieces, same };
}

declare global {
  interface Window {
    streamCheck: {
      ready: Promise<void>;
      texts: () => Array<{ name: string; chars: number }>;
      streamed: typeof streamed;
      stopThenExtend: typeof stopThenExtend;
      codeBlockKept: typeof codeBlockKept;
    };
  }
}
window.streamCheck = {
  ready: new Promise<void>((resolve) => whenWarm(() => {
    for (const language of ['typescript', 'python', 'rust', 'go', 'json', 'bash', 'markdown']) warmLanguage(language);
    resolve();
  })),
  texts: () => [...Object.keys(HARD_MARKDOWN), ...Object.keys(HARD_SHAPES), 'mixed'].map((name) => ({ name, chars: textOf(name).length })),
  streamed,
  stopThenExtend,
  codeBlockKept,
};
