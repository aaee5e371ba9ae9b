/**
 * Buffers streamed reasoning and content and hands them on as one delta every ~16 ms. One postMessage per chunk
 * was 8× slower to reach the screen than coalesced deltas (DESIGN.md), and a frame is all the eye can see anyway.
 */

/** A timer the tests can drive by hand. */
export interface CoalescerTimer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const REAL_TIMER: CoalescerTimer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Delta {
  reasoning: string;
  content: string;
}

export interface DeltaCoalescerOptions {
  /** Longest time text waits in the buffer. @default 16 */
  intervalMs?: number;
  /** @default REAL_TIMER */
  timer?: CoalescerTimer;
}

export class DeltaCoalescer {
  private reasoning = '';
  private content = '';
  private handle: unknown;
  private scheduled = false;
  private readonly intervalMs: number;
  private readonly timer: CoalescerTimer;

  constructor(private readonly emit: (delta: Delta) => void, opts: DeltaCoalescerOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 16;
    this.timer = opts.timer ?? REAL_TIMER;
  }

  push(kind: 'reasoning' | 'content', text: string): void {
    if (text === '') return;
    if (kind === 'reasoning') this.reasoning += text;
    else this.content += text;
    if (!this.scheduled) {
      this.scheduled = true;
      this.handle = this.timer.set(() => {
        this.scheduled = false;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Emits what is buffered now. Call before any message that must come after the text (retry, end). */
  flush(): void {
    if (this.scheduled) {
      this.timer.clear(this.handle);
      this.scheduled = false;
    }
    if (this.reasoning === '' && this.content === '') return;
    const delta = { reasoning: this.reasoning, content: this.content };
    this.reasoning = '';
    this.content = '';
    this.emit(delta);
  }
}
