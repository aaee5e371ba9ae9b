/**
 * The benchmark page (bundled by run.mjs with esbuild, run in Debian's Chromium): feeds one answer to a renderer in
 * 16-character chunks, each chunk its own task (as postMessage delivers them), `chunksPerFrame` of them per
 * animation frame, and resolves once the last chunk is on screen and no highlighting is left queued. Mode `stored`
 * instead opens the whole answer at once, as a conversation loaded from history does (in slices over frames).
 * Main-thread time is measured outside, from a Chromium trace (run.mjs), so rendering, style and layout count
 * too, not only our JavaScript.
 */
import { MarkdownStream } from '../../webview/render/markdownStream';
import { whenHighlightsDone } from '../../webview/render/highlightLater';
import { renderMarkdown } from '../../webview/render/markdown';
import { benchAnswer, HARD_SHAPES } from './corpus';

/** How one renderer takes the stream. */
export interface Renderer {
  append(delta: string): void;
  /** The stream ended: everything is on screen once this resolves and two more frames passed. */
  end(): void | Promise<void>;
}

export type Mode = 'ours' | 'perFrame' | 'naive' | 'floor' | 'oneNode' | 'stored';

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

/**
 * Re-parses the whole text and replaces the DOM once per animation frame: naive with ours' frame batching, so
 * ours vs this is what incremental rendering gains over batching alone.
 */
function perFrame(container: HTMLElement): Renderer {
  let text = '';
  let scheduled = false;
  const render = (): void => {
    scheduled = false;
    container.replaceChildren(renderMarkdown(text));
  };
  return {
    append(delta) {
      text += delta;
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(render);
      }
    },
    end: render,
  };
}

/**
 * The least work that gets the same text on screen with the same frame batching: no markdown, the raw text
 * appended as it arrives into one block per paragraph (a new `<p>` at each blank line), so each frame the browser
 * lays out only the paragraph that grew. One text node for the whole answer (`oneNode`) is not a lower bound: an
 * append to it makes the browser lay out all of it again, so each frame costs as much as the text so far and the
 * total grows with its square (run.mjs measures it too, for reference).
 */
function floor(container: HTMLElement): Renderer {
  let text: Text | undefined;
  let newlines = 0;
  const paragraph = (): Text => {
    const p = document.createElement('p');
    p.className = 'raw';
    const node = document.createTextNode('');
    p.append(node);
    container.append(p);
    return node;
  };
  return {
    append(delta) {
      delta.split('\n').forEach((part, i) => {
        if (i > 0) newlines++;
        if (part === '') return;
        if (!text || newlines >= 2) text = paragraph();
        else if (newlines === 1) text.appendData('\n');
        newlines = 0;
        text.appendData(part);
      });
    },
    end() {},
  };
}

/** The raw text appended to one text node in one `<pre>`: the floor as this benchmark first had it. */
function oneNode(container: HTMLElement): Renderer {
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

const RENDERERS: Record<Exclude<Mode, 'stored'>, (container: HTMLElement) => Renderer> = { ours, perFrame, naive, floor, oneNode };

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

export interface RunResult {
  mode: Mode;
  chars: number;
  chunks: number;
  frames: number;
  /** Wall time from the first chunk to the last frame painted. */
  elapsedMs: number;
  /** What ended up in the DOM: a sanity check that every renderer showed the whole answer. */
  textLength: number;
}

let prepared: { mode: Mode; text: string; chunks: string[] } | undefined;

/** Builds the answer (`shape`: the mixed corpus, or one of the hard shapes) and its chunks before measuring. */
function prepare(mode: Mode, shape: string, chars: number, chunkSize: number): void {
  const make = shape === 'mixed' ? benchAnswer : HARD_SHAPES[shape];
  if (!make) throw new Error(`no answer shape ${shape}`);
  const text = make(chars);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  prepared = { mode, text, chunks };
}

/** Opens the whole answer at once, as a stored conversation does; resolves when it is all on screen, highlighted. */
async function openStored(container: HTMLElement, text: string): Promise<RunResult> {
  await nextFrame();
  const t0 = performance.now();
  const stream = new MarkdownStream(container);
  stream.append(text);
  stream.end();
  await new Promise<void>((resolve) => stream.whenDone(resolve));
  await whenHighlightsDone();
  await nextFrame();
  await nextFrame();
  const elapsedMs = performance.now() - t0;
  return { mode: 'stored', chars: text.length, chunks: 1, frames: 0, elapsedMs, textLength: container.textContent?.length ?? 0 };
}

/**
 * After a run (outside the trace): whether the renderer left the same DOM as one `renderMarkdown` of the whole
 * text, both with their highlighting done. Returns where they first differ, if they do.
 */
async function sameAsOneShot(): Promise<{ same: boolean; at?: number; ours?: string; oneShot?: string }> {
  if (!prepared) throw new Error('call prepare() first');
  const rendered = document.getElementById('answer') as HTMLElement;
  const oneShot = document.createElement('div');
  oneShot.append(renderMarkdown(prepared.text));
  document.body.append(oneShot);
  await whenHighlightsDone();
  const a = rendered.innerHTML;
  const b = oneShot.innerHTML;
  oneShot.remove();
  if (a === b) return { same: true };
  let at = 0;
  while (a[at] === b[at]) at++;
  return { same: false, at, ours: a.slice(Math.max(0, at - 200), at + 200), oneShot: b.slice(Math.max(0, at - 200), at + 200) };
}

async function run(chunksPerFrame: number): Promise<RunResult> {
  if (!prepared) throw new Error('call prepare() first');
  const { mode, text, chunks } = prepared;
  const container = document.getElementById('answer') as HTMLElement;
  container.replaceChildren();
  if (mode === 'stored') return openStored(container, text);
  const renderer = RENDERERS[mode](container);
  const channel = new MessageChannel();
  let next = 0;
  channel.port1.onmessage = (): void => {
    const chunk = chunks[next++];
    if (chunk !== undefined) renderer.append(chunk);
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
  await whenHighlightsDone();
  await nextFrame();
  await nextFrame();
  const elapsedMs = performance.now() - t0;
  channel.port1.close();
  return { mode, chars: text.length, chunks: chunks.length, frames, elapsedMs, textLength: container.textContent?.length ?? 0 };
}

declare global {
  interface Window {
    bench: { prepare: typeof prepare; run: typeof run; sameAsOneShot: typeof sameAsOneShot };
  }
}
window.bench = { prepare, run, sameAsOneShot };
