/**
 * What an incremental markdown render does, without the DOM: which pieces of the text to render when, and which
 * to render again. A `Surface` puts the rendered HTML on screen (markdownStream.ts in the page; an HTML string in
 * tests), so the same logic is tested in plain Node and runs in the view.
 *
 * The text is cut where blockBoundary.ts says; settled text is rendered in slices of at least `sliceChars`, each
 * once, and only the tail after the last cut is rendered again (at most once per `step`). Two things can change
 * how a settled slice renders, and the slices they touch are rendered again in place:
 * - a link definition arriving later (`[docs]: https://…` at the end of an answer): slices whose text mentions
 *   `[docs]` are rendered again with it, as one render of the whole text would resolve them;
 * - a list cut into slices turning out loose (its items in `<p>`): its slices rendered tight are rendered again.
 * In-place renders keep the DOM's shape (the same blocks, items and rows), so the surface swaps nodes one for
 * one; if it cannot, the render restarts from that slice.
 */
import type { Links } from 'marked';
import { BlockBoundaryFinder } from './blockBoundary';
import { deepLineAt } from './markdownLines';
import { fenceCode, type OpenFence } from './openFence';
import { fallbackSlice, renderSliceHtml, type Continuation, type ListInfo, type SliceHtml } from './markdownHtml';

export interface Surface<H> {
  /**
   * Adds a settled slice after the others, where the tail began (what the tail shows past the slice is shown
   * again by the next `showTail`): its head goes into the list or table left open before it; `end` says the next
   * slice continues a list or table this one leaves open.
   */
  append(slice: SliceHtml, end: Continuation | undefined): H;
  /** Shows a new render of a settled slice in its place; false if its shape differs (then `truncate` follows). */
  replace(handle: H, slice: SliceHtml): boolean;
  /** Removes this slice and every later one. */
  truncate(handle: H): void;
  /** Shows the tail (replacing the one before); undefined removes it. */
  showTail(tail: SliceHtml | undefined): void;
  /** The tail's open code block grew to `code`, nothing else in the tail changed; false if it cannot show that. */
  growOpenCode(code: string): boolean;
}

export interface StreamCoreOptions {
  /**
   * Settled text is rendered in slices of at least this many characters (a single block longer than that is one
   * slice).
   * @default 1000
   */
  sliceChars?: number;
  /** @default performance.now */
  now?: () => number;
}

/** What a `step` left: everything on screen and the text ended, more to do now, or waiting for more text. */
export type StepResult = 'finished' | 'more' | 'waiting';

interface Piece<H> {
  start: number;
  end: number;
  startCont: Continuation | undefined;
  endCont: Continuation | undefined;
  handle: H;
  failed: boolean;
  /** The text for finding link references, normalised as marked normalises labels (lazily). */
  labels?: string;
}

interface TailShown {
  start: number;
  text: string;
  version: number;
  fence: OpenFence | undefined;
}

export class StreamCore<H> {
  private raw = '';
  /** The text with line endings normalised (as marked does), so offsets match marked's. */
  private source = '';
  private pendingCR = false;
  private crAtEnd = false;
  private ended = false;
  private readonly finder = new BlockBoundaryFinder();
  private readonly pieces: Array<Piece<H>> = [];
  /** End of the settled text on screen. */
  private rendered = 0;
  private readonly links: Links = {};
  private readonly stale = new Set<number>();
  private tail: TailShown | undefined;
  /** Where a tail started that marked could not render: until the tail moves on, it shows as text without trying. */
  private failedTailAt: number | undefined;
  private readonly sliceChars: number;
  private readonly now: () => number;

  constructor(
    private readonly surface: Surface<H>,
    opts: StreamCoreOptions = {},
  ) {
    this.sliceChars = opts.sliceChars ?? 1000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** The text received so far, as received. */
  get text(): string {
    return this.raw;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Adds text. After `end()` it reopens the stream: the text after the last real cut is the tail again. */
  append(delta: string): void {
    if (delta === '') return;
    let text = delta;
    if (this.ended) {
      this.reopen();
      // end() took a trailing \r for a line break; this is its \n
      if (this.crAtEnd && text.startsWith('\n')) text = text.slice(1);
    }
    this.crAtEnd = false;
    this.raw += delta;
    if (this.pendingCR) text = `\r${text}`;
    this.pendingCR = text.endsWith('\r');
    if (this.pendingCR) text = text.slice(0, -1);
    this.source += text.replace(/\r\n?/g, '\n');
  }

  /** The text is complete: what is left renders as settled blocks. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.crAtEnd = this.pendingCR;
    if (this.pendingCR) this.source += '\n';
    this.pendingCR = false;
    this.finder.finish();
  }

  /**
   * Renders what it can while `timeLeft()` exceeds the cost of the last slice (always at least one slice, so every
   * step makes progress).
   */
  step(timeLeft: () => number): StepResult {
    let lastMs = 0;
    const mayGoOn = (): boolean => lastMs === 0 || timeLeft() > lastMs;
    const timed = (work: () => void): void => {
      const t0 = this.now();
      work();
      lastMs = Math.max(this.now() - t0, 0.01);
    };
    this.markLoosened();
    while (this.stale.size > 0 && mayGoOn()) timed(() => this.renderAgain(Math.min(...this.stale)));
    const target = this.finder.settledEnd(this.source);
    this.markLoosened();
    while (this.rendered < target && mayGoOn()) timed(() => this.settleNext(target));
    if (this.stale.size > 0 || this.rendered < target || this.finder.hasMore) return 'more';
    if (this.ended) {
      if (this.rendered < this.source.length) return 'more';
      this.tail = undefined;
      this.surface.showTail(undefined);
      return 'finished';
    }
    this.renderTail();
    return 'waiting';
  }

  private reopen(): void {
    this.ended = false;
    const settled = this.finder.reopen();
    // what end() settled past the last real cut is the tail again
    const i = this.pieces.findIndex((p) => p.end > settled);
    if (i >= 0) this.rewind(i);
  }

  private settleNext(target: number): void {
    const start = this.rendered;
    const end = this.finder.nextCut(start, this.sliceChars, target);
    const previous = this.pieces[this.pieces.length - 1];
    // a failed slice left no list or table on screen to continue
    const startCont = previous?.failed ? undefined : this.finder.continuationAt(start);
    const endCont = this.finder.continuationAt(end);
    const text = this.source.slice(start, end);
    const slice = this.finder.isUnparsed(end) ? fallbackSlice(text) : renderSliceHtml(text, { links: this.links, start: startCont, end: endCont });
    // the surface turns what it shows of the tail into the slice; the tail is rendered again after
    this.tail = undefined;
    const handle = this.surface.append(slice, endCont);
    this.pieces.push({ start, end, startCont, endCont, handle, failed: slice.failed });
    this.rendered = end;
    this.learnLinks(slice.links, this.pieces.length - 1);
  }

  private renderAgain(i: number): void {
    this.stale.delete(i);
    const piece = this.pieces[i]!;
    if (piece.failed) return; // shown as text: nothing a definition or looseness changes
    const slice = renderSliceHtml(this.source.slice(piece.start, piece.end), { links: this.links, start: piece.startCont, end: piece.endCont });
    if (slice.failed !== piece.failed || !this.surface.replace(piece.handle, slice)) this.rewind(i);
  }

  /** Drops slice `i` and every later one from the screen; they render again from `i`'s start. */
  private rewind(i: number): void {
    const piece = this.pieces[i]!;
    this.tail = undefined;
    this.surface.showTail(undefined);
    this.surface.truncate(piece.handle);
    this.rendered = piece.start;
    this.pieces.length = i;
    for (const j of [...this.stale]) if (j >= i) this.stale.delete(j);
  }

  /** New definitions: earlier slices that mention one of their labels render again. */
  private learnLinks(found: Links, definedIn: number): void {
    const labels = Object.keys(found).filter((label) => !(label in this.links));
    if (labels.length === 0) return;
    for (const label of labels) this.links[label] = found[label]!;
    for (let i = 0; i < definedIn; i++) {
      const piece = this.pieces[i]!;
      piece.labels ??= normaliseLabels(this.source.slice(piece.start, piece.end));
      if (labels.some((label) => piece.labels!.includes(`[${label}]`))) this.stale.add(i);
    }
  }

  private markLoosened(): void {
    const loosened = this.finder.takeLoosened();
    if (loosened.length === 0) return;
    const touches = (c: Continuation | undefined): boolean => c?.kind === 'list' && loosened.includes(c.list as ListInfo);
    this.pieces.forEach((p, i) => {
      if (touches(p.startCont) || touches(p.endCont)) this.stale.add(i);
    });
  }

  private renderTail(): void {
    const start = this.rendered;
    const text = this.source.slice(start);
    const shown = this.tail;
    if (shown?.start === start && shown.text === text) return;
    const fence = this.finder.openFence;
    const version = this.finder.version;
    if (shown?.start === start && shown.version === version && fence && shown.fence === fence && this.surface.growOpenCode(fenceCode(this.source, fence))) {
      shown.text = text;
      return;
    }
    if (text === '') {
      this.tail = undefined;
      this.surface.showTail(undefined);
      return;
    }
    const previous = this.pieces[this.pieces.length - 1];
    const cont = previous?.failed ? undefined : this.finder.continuationAt(start);
    const plain = this.failedTailAt === start || deepLineAt(text, 0, text.length) >= 0;
    const slice = plain ? fallbackSlice(text) : renderSliceHtml(text, { links: this.links, start: cont, tail: true });
    if (slice.failed) this.failedTailAt = start;
    this.surface.showTail(slice);
    this.tail = { start, text, version, fence };
  }
}

/** Text normalised like marked's link labels (whitespace collapsed, case folded), for finding `[label]`. */
function normaliseLabels(text: string): string {
  return text.replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
}
