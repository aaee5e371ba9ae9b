/**
 * Streams markdown into a container incrementally. Settled blocks (see blockBoundary.ts) are rendered once,
 * inserted before the tail and never touched again; only the growing tail is re-rendered, at most once per
 * animation frame. A code block still open at the tail is the common long tail, so it takes a short path: no
 * markdown parse, only highlight.js on its code (or a plain text append past `tailHighlightLimit`, or while its
 * language's grammar is still cold).
 *
 * No frame does unbounded work: settled text is rendered in slices cut at block boundaries, as many per frame as
 * fit the frame budget (frame.ts), the rest in the next frames — a stored 200K answer opens over a few dozen frames
 * instead of one long task. Nothing renders until markdown is warm (warmup.ts), and cold grammars are compiled in
 * tasks of their own (highlightLater.ts).
 *
 * Bundles standalone (the benchmark loads it on its own page): `new MarkdownStream(container).append(delta)`.
 */
import { BlockBoundaryFinder } from './blockBoundary';
import { frameTimeLeft, nextFrame } from './frame';
import { canHighlight, fenceLanguage, highlight, isWarm } from './highlight';
import { warmLanguageLater } from './highlightLater';
import { codeBlock, renderMarkdown } from './markdown';
import { isMarkdownWarm, whenWarm, warmUp } from './warmup';

export interface MarkdownStreamOptions {
  /**
   * Runs a render later, batching every append until then.
   * @default the next animation frame, shared by all streams (frame.ts)
   */
  schedule?: (render: () => void) => void;
  /**
   * Milliseconds of the current render's budget still left; a render always does at least one slice.
   * @default what is left of the shared frame budget (frame.ts)
   */
  timeLeft?: () => number;
  /**
   * An open code block at the tail is re-highlighted on each render while its code is at most this many
   * characters; past that it grows as plain text until its fence closes (then it is highlighted once).
   * @default 6000
   */
  tailHighlightLimit?: number;
  /**
   * Settled text waiting to be rendered is parsed in slices of at least this many characters, cut at block
   * boundaries (a single block longer than that is one slice).
   * @default 1000
   */
  sliceChars?: number;
}

const FENCE_LINE = /^[ \t]{0,3}(`{3,}|~{3,})([^\n]*)\n/;

interface OpenCode {
  /** Offset in the source where the code (after the fence line) starts. */
  codeStart: number;
  language: string;
  code: HTMLElement;
  /** Characters of code shown as plain text in `code` (the fast path); -1 when it holds highlighted markup. */
  plainLength: number;
}

export class MarkdownStream {
  private source = '';
  private readonly finder = new BlockBoundaryFinder();
  /** End of the settled text already in the DOM. */
  private rendered = 0;
  private readonly tail: HTMLElement;
  private tailSource = '';
  private openCode: OpenCode | undefined;
  private scheduled = false;
  private ended = false;
  private cancelled = false;
  private finished = false;
  private waitingForWarmUp = false;
  private readonly finishedCallbacks: Array<() => void> = [];
  private readonly schedule: (render: () => void) => void;
  private readonly timeLeft: () => number;
  private readonly tailHighlightLimit: number;
  private readonly sliceChars: number;

  constructor(
    private readonly container: HTMLElement,
    opts: MarkdownStreamOptions = {},
  ) {
    this.schedule = opts.schedule ?? nextFrame;
    this.timeLeft = opts.timeLeft ?? frameTimeLeft;
    this.tailHighlightLimit = opts.tailHighlightLimit ?? 6000;
    this.sliceChars = opts.sliceChars ?? 1000;
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    container.append(this.tail);
    warmUp();
  }

  /** The markdown received so far. */
  get text(): string {
    return this.source;
  }

  /** Whether the stream ended and all of its text is in the DOM. */
  get done(): boolean {
    return this.finished;
  }

  /** Calls `callback` once the stream ended and all of its text is in the DOM. */
  whenDone(callback: () => void): void {
    if (this.finished) callback();
    else this.finishedCallbacks.push(callback);
  }

  append(delta: string): void {
    if (this.ended || delta === '') return;
    this.source += delta;
    this.requestRender();
  }

  /** Renders what has arrived now instead of at the next frame (within the budget; the rest follows in frames). */
  flush(): void {
    this.scheduled = false;
    if (this.cancelled || this.finished) return;
    if (!isMarkdownWarm()) {
      // a cold first render would be one long task; the warm-up's short tasks come first
      if (!this.waitingForWarmUp) {
        this.waitingForWarmUp = true;
        whenWarm(() => {
          this.waitingForWarmUp = false;
          this.requestRender();
        });
      }
      return;
    }
    const target = this.ended ? this.source.length : this.finder.settledEnd(this.source);
    // Always one slice (so every render makes progress), then more while the last one's cost still fits.
    let lastSliceMs = 0;
    while (this.rendered < target && (lastSliceMs === 0 || this.timeLeft() > lastSliceMs)) {
      const start = performance.now();
      const end = this.finder.nextCut(this.rendered, this.sliceChars, target);
      this.settle(this.source.slice(this.rendered, end));
      this.rendered = end;
      lastSliceMs = Math.max(performance.now() - start, 0.01);
    }
    if (this.rendered < target) this.requestRender();
    else if (this.ended) this.finish();
    else this.renderTail(this.source.slice(this.rendered));
  }

  /** The text is complete: everything left is rendered as settled blocks and the stream stops accepting text. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.finder.settledEnd(this.source);
    this.requestRender();
  }

  /** Stops rendering for good (the container is being reused for another text). */
  cancel(): void {
    this.cancelled = true;
    this.scheduled = false;
  }

  private requestRender(): void {
    if (this.scheduled || this.cancelled) return;
    this.scheduled = true;
    this.schedule(() => {
      if (this.scheduled) this.flush();
    });
  }

  private finish(): void {
    this.finished = true;
    this.tail.remove();
    this.openCode = undefined;
    for (const callback of this.finishedCallbacks.splice(0)) callback();
  }

  private settle(markdown: string): void {
    if (this.tailSource !== '') {
      // The tail's open code block may just have closed: it is rendered again as part of the settled text.
      this.openCode = undefined;
      this.tailSource = '';
      this.tail.replaceChildren();
    }
    if (markdown.trim() !== '') this.container.insertBefore(renderMarkdown(markdown), this.tail);
  }

  private renderTail(markdown: string): void {
    if (markdown === this.tailSource) return;
    this.tailSource = markdown;
    if (this.finder.openFenceStart === this.rendered && this.renderOpenCode(markdown)) return;
    this.openCode = undefined;
    this.tail.replaceChildren(renderMarkdown(markdown));
  }

  /** The short path for a tail that is one open fenced code block; false when the tail is anything else. */
  private renderOpenCode(markdown: string): boolean {
    const fence = FENCE_LINE.exec(markdown);
    if (!fence) return false;
    if (fence[1]!.startsWith('`') && fence[2]!.includes('`')) return false;
    const code = markdown.slice(fence[0].length);
    let open = this.openCode;
    if (!open || open.codeStart !== this.rendered + fence[0].length) {
      const language = fenceLanguage(fence[2]);
      const codeEl = document.createElement('code');
      codeEl.className = language ? `hljs language-${language.replace(/[^\w+#.-]/g, '')}` : 'hljs';
      const pre = document.createElement('pre');
      pre.append(codeEl);
      this.tail.replaceChildren(codeBlock(pre, language));
      open = { codeStart: this.rendered + fence[0].length, language, code: codeEl, plainLength: -1 };
      this.openCode = open;
    }
    const warm = isWarm(open.language);
    if (!warm && canHighlight(open.language)) warmLanguageLater(open.language);
    const highlighted = warm && code.length <= this.tailHighlightLimit ? highlight(code, open.language) : undefined;
    if (highlighted !== undefined) {
      // highlight.js escapes the code and emits only class-bearing spans (see highlight.ts).
      open.code.innerHTML = highlighted;
      open.plainLength = -1;
    } else if (open.plainLength >= 0 && code.length >= open.plainLength && open.code.firstChild instanceof Text) {
      open.code.firstChild.appendData(code.slice(open.plainLength));
      open.plainLength = code.length;
    } else {
      open.code.replaceChildren(document.createTextNode(code));
      open.plainLength = code.length;
    }
    return true;
  }
}
