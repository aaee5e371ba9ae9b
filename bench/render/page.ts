/**
 * The benchmark page (bundled by run.mjs with esbuild, run in Debian's Chromium): feeds one answer to a renderer in
 * 16-character chunks, each chunk its own task (as postMessage delivers them), `chunksPerFrame` of them per
 * animation frame, and resolves once the last chunk is on screen. Mode `stored` instead opens the whole answer at
 * once, as a conversation loaded from history does (in slices over frames), and resolves once it is all highlighted. Main-thread time is measured outside, from a
 * Chromium trace (run.mjs), so rendering, style and layout count too, not only our JavaScript.
 */
import { MarkdownStream } from '../../webview/render/markdownStream';
import { PENDING_HIGHLIGHT } from '../../webview/render/highlightLater';
import { renderMarkdown } from '../../webview/render/markdown';
import { benchAnswer } from './corpus';

/** How one renderer takes the stream. */
export interface Renderer {
  append(delta: string): void;
  /** The stream ended: everything is on screen once this resolves and two more frames passed. */
  end(): void | Promise<void>;
}

type Mode = 'ours' | 'naive' | 'floor' | 'stored';

/** Our renderer as the chat view uses it: settled blocks once, the tail re-parsed at most once per frame. */
function ours(container: HTMLElement): Renderer {
  const stream = new MarkdownStream(container);
  return {
    append: (delta) => stream.append(delta),
    end() {
      stream.end();
      stream.flush();
      return new Promise<void>((resolve) => stream.whenDone(resolve));
    },
  };
}

/**
 * Re-parses the whole text and replaces the DOM on every chunk: what an incremental renderer must beat. It uses
 * the very pipeline ours uses (marked, highlight.js, DOMPurify, code-block toolbars), so only incrementality differs.
 */
function naive(container: HTMLElement): Renderer {
  let text = '';
  const render = (): void => {
    container.replaceChildren(renderMarkdown(text));
  };
  return {
    append(delta) {
      text += delta;
      render();
    },
    end: render,
  };
}

/** The least any renderer can do: the raw text, appended to a <pre>. */
function floor(container: HTMLElement): Renderer {
  const pre = document.createElement('pre');
  const text = document.createTextNode('');
  pre.append(text);
  container.append(pre);
  return {
    append(delta) {
      text.appendData(delta);
    },
    end() {},
  };
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

export interface RunResult {
  mode: Mode;
  chars: number;
  chunks: number;
  frames: number;
  /** Wall time from the first chunk to the last frame painted. */
  elapsedMs: number;
  /** The longest single chunk handler (JavaScript only; the trace has the whole task). */
  longestHandlerMs: number;
  /** What ended up in the DOM: a sanity check that every renderer showed the whole answer. */
  textLength: number;
}

let prepared: { mode: Mode; text: string; chunks: string[] } | undefined;

/** Builds the answer and its chunks before the measured part starts. */
function prepare(mode: Mode, chars: number, chunkSize: number): void {
  const text = benchAnswer(chars);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  prepared = { mode, text, chunks };
}

/** Resolves once no code block waits for its deferred highlighting. */
async function highlightsSettled(container: HTMLElement): Promise<void> {
  while (container.querySelector(`.${PENDING_HIGHLIGHT}`)) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Opens the whole answer at once, as a stored conversation does; resolves when it is all on screen, highlighted. */
async function openStored(container: HTMLElement, text: string): Promise<RunResult> {
  await nextFrame();
  const t0 = performance.now();
  const stream = new MarkdownStream(container);
  stream.append(text);
  stream.end();
  await new Promise<void>((resolve) => stream.whenDone(resolve));
  await highlightsSettled(container);
  await nextFrame();
  await nextFrame();
  const elapsedMs = performance.now() - t0;
  return { mode: 'stored', chars: text.length, chunks: 1, frames: 0, elapsedMs, longestHandlerMs: 0, textLength: container.textContent?.length ?? 0 };
}

/**
 * After a `stored` run (outside the trace): whether the sliced render left the same DOM as one `renderMarkdown` of
 * the whole text (every grammar is warm by now, so the one-shot render highlights inline).
 */
function sameAsOneShot(): boolean {
  if (!prepared) throw new Error('call prepare() first');
  const sliced = document.getElementById('answer') as HTMLElement;
  const oneShot = document.createElement('div');
  oneShot.append(renderMarkdown(prepared.text));
  return sliced.innerHTML === oneShot.innerHTML;
}

async function run(chunksPerFrame: number): Promise<RunResult> {
  if (!prepared) throw new Error('call prepare() first');
  const { mode, text, chunks } = prepared;
  const chars = text.length;
  const container = document.getElementById('answer') as HTMLElement;
  container.replaceChildren();
  if (mode === 'stored') return openStored(container, text);
  const renderer = mode === 'ours' ? ours(container) : mode === 'naive' ? naive(container) : floor(container);
  const channel = new MessageChannel();
  let next = 0;
  let longestHandlerMs = 0;
  channel.port1.onmessage = (): void => {
    const t = performance.now();
    const chunk = chunks[next++];
    if (chunk !== undefined) renderer.append(chunk);
    longestHandlerMs = Math.max(longestHandlerMs, performance.now() - t);
  };
  await nextFrame();
  const t0 = performance.now();
  let frames = 0;
  let posted = 0;
  while (next < chunks.length) {
    for (let i = 0; i < chunksPerFrame && posted < chunks.length; i++, posted++) channel.port2.postMessage(0);
    await nextFrame();
    frames++;
  }
  await renderer.end();
  await nextFrame();
  await nextFrame();
  const elapsedMs = performance.now() - t0;
  channel.port1.close();
  return { mode, chars, chunks: chunks.length, frames, elapsedMs, longestHandlerMs, textLength: container.textContent?.length ?? 0 };
}

declare global {
  interface Window {
    bench: { prepare: typeof prepare; run: typeof run; sameAsOneShot: typeof sameAsOneShot };
  }
}
window.bench = { prepare, run, sameAsOneShot };
