/**
 * Streams markdown into a container incrementally. Settled blocks (see blockBoundary.ts) are rendered once,
 * inserted before the tail and never touched again; only the growing tail is re-rendered, at most once per
 * animation frame. A code block still open at the tail is the common long tail, so it takes a short path: no
 * markdown parse, only highlight.js on its code (or a plain text append past `tailHighlightLimit`).
 *
 * Bundles standalone (the benchmark loads it on its own page): `new MarkdownStream(container).append(delta)`.
 */
import { BlockBoundaryFinder } from './blockBoundary';
import { fenceLanguage, highlight } from './highlight';
import { codeBlock, renderMarkdown } from './markdown';

export interface MarkdownStreamOptions {
  /**
   * Runs a render later, batching every append until then.
   * @default requestAnimationFrame
   */
  schedule?: (render: () => void) => void;
  /**
   * An open code block at the tail is re-highlighted on each render while its code is at most this many
   * characters; past that it grows as plain text until its fence closes (then it is highlighted once).
   * @default 6000
   */
  tailHighlightLimit?: number;
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
  private readonly schedule: (render: () => void) => void;
  private readonly tailHighlightLimit: number;

  constructor(
    private readonly container: HTMLElement,
    opts: MarkdownStreamOptions = {},
  ) {
    this.schedule = opts.schedule ?? ((render) => void requestAnimationFrame(render));
    this.tailHighlightLimit = opts.tailHighlightLimit ?? 6000;
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    container.append(this.tail);
  }

  /** The markdown received so far. */
  get text(): string {
    return this.source;
  }

  append(delta: string): void {
    if (this.ended || delta === '') return;
    this.source += delta;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        if (this.scheduled) this.flush();
      });
    }
  }

  /** Renders what has arrived now instead of at the next frame. */
  flush(): void {
    this.scheduled = false;
    if (this.ended) return;
    const settled = this.finder.settledEnd(this.source);
    if (settled > this.rendered) {
      this.settle(this.source.slice(this.rendered, settled));
      this.rendered = settled;
    }
    this.renderTail(this.source.slice(this.rendered));
  }

  /** The text is complete: everything left is rendered as settled blocks and the stream stops accepting text. */
  end(): void {
    if (this.ended) return;
    this.scheduled = false;
    this.ended = true;
    const rest = this.source.slice(this.rendered);
    this.rendered = this.source.length;
    this.tail.remove();
    this.openCode = undefined;
    if (rest.trim() !== '') this.container.append(renderMarkdown(rest));
  }

  private settle(markdown: string): void {
    // The tail's open code block may just have closed: it is rendered again as part of the settled text.
    this.openCode = undefined;
    this.tailSource = '';
    this.tail.replaceChildren();
    this.container.insertBefore(renderMarkdown(markdown), this.tail);
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
    const highlighted = code.length <= this.tailHighlightLimit ? highlight(code, open.language) : undefined;
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
