/**
 * Streams markdown into a container incrementally: streamCore.ts decides what to render (settled slices once, the
 * growing tail again per render, slices touched by a late link definition or a list turning loose again in place),
 * domSurface.ts puts it on the page. Renders happen at most once per animation frame, within a time budget shared
 * by every stream on the page (frame.ts): a stored 200K answer opens over a few dozen frames instead of one long
 * task. Nothing renders until markdown is warm (warmup.ts), and cold grammars are compiled in tasks of their own
 * (highlightLater.ts).
 *
 * Bundles standalone (the benchmark loads it on its own page): `new MarkdownStream(container).append(delta)`.
 */
import { DomSurface, type Placed } from './domSurface';
import { frameTimeLeft, nextFrame } from './frame';
import { StreamCore } from './streamCore';
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
   * Settled text waiting to be rendered is parsed in slices of at least this many characters, cut at block
   * boundaries (a single block longer than that is one slice).
   * @default 1000
   */
  sliceChars?: number;
}

export class MarkdownStream {
  private readonly surface: DomSurface;
  private readonly core: StreamCore<Placed>;
  private scheduled = false;
  private cancelled = false;
  private finished = false;
  private waitingForWarmUp = false;
  private readonly finishedCallbacks: Array<() => void> = [];
  private readonly schedule: (render: () => void) => void;
  private readonly timeLeft: () => number;

  constructor(container: HTMLElement, opts: MarkdownStreamOptions = {}) {
    this.schedule = opts.schedule ?? nextFrame;
    this.timeLeft = opts.timeLeft ?? frameTimeLeft;
    this.surface = new DomSurface(container);
    this.core = new StreamCore(this.surface, opts.sliceChars === undefined ? {} : { sliceChars: opts.sliceChars });
    warmUp();
  }

  /** The markdown received so far. */
  get text(): string {
    return this.core.text;
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

  /**
   * Adds text. After `end()` this takes the stream up again (an answer's final text can be longer than what was
   * shown when it stopped): only what follows the last settled block renders again.
   */
  append(delta: string): void {
    if (this.cancelled || delta === '') return;
    this.core.append(delta);
    this.finished = false;
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
    const result = this.core.step(this.timeLeft);
    if (result === 'more') this.requestRender();
    else if (result === 'finished') this.finish();
  }

  /** The text is complete: everything left is rendered as settled blocks. */
  end(): void {
    if (this.core.isEnded) return;
    this.core.end();
    this.requestRender();
  }

  /** Stops rendering for good (the answer left the page, or its container is reused for another text). */
  cancel(): void {
    this.cancelled = true;
    this.scheduled = false;
    this.surface.clear();
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
    this.surface.clear();
    for (const callback of this.finishedCallbacks.splice(0)) callback();
  }
}
