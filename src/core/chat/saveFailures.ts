/**
 * Chat saves that failed: the user hears once per run of failures (chats are not being saved; saving goes on), and what
 * failed is tried again after 2 s, 4 s, … up to a minute, until a save succeeds.
 */
export interface SaveFailureOptions {
  log: (line: string) => void;
  warn?: (message: string) => void;
  /** First wait before trying again. @default 2000 */
  saveRetryMs?: number;
}

export class SaveFailures {
  readonly unsaved = new Set<string>();
  readonly removals = new Set<string>();
  private told = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMs: number;

  constructor(
    private readonly opts: SaveFailureOptions,
    private readonly retry: () => void,
  ) {
    this.delayMs = opts.saveRetryMs ?? 2000;
  }

  failed(what: string, e: unknown): void {
    this.opts.log(`Could not ${what}: ${describe(e)}`);
    if (!this.told) {
      this.told = true;
      this.opts.warn?.(`Qwen Coder cannot save chats right now (${describe(e)}). They stay open in this window and saving is tried again.`);
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.delayMs = Math.min(this.delayMs * 2, 60_000);
      this.retry();
    }, this.delayMs);
  }

  /** After a successful write: once nothing is left to save, a later failure is news again. */
  succeeded(): void {
    if (this.unsaved.size > 0 || this.removals.size > 0) return;
    if (this.told) this.opts.log('Saving chats works again.');
    this.told = false;
    this.delayMs = this.opts.saveRetryMs ?? 2000;
    this.dispose();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
