/**
 * The three ways one HTTP attempt is stopped from outside: the user's Stop, silence longer than the idle limit,
 * and the overall deadline. All three abort one controller whose signal goes to the SDK, and the reason is kept so
 * the client can tell a Stop from a timeout (the SDK reports all of them as a quiet end of stream).
 */
export type StopReason = 'cancelled' | 'idle' | 'total';

export class AttemptGuard {
  private readonly controller = new AbortController();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private reason: StopReason | undefined;
  private readonly onUserAbort = () => this.stop('cancelled');

  constructor(
    private readonly userSignal: AbortSignal | undefined,
    private readonly idleMs: number,
    totalMs: number,
  ) {
    this.totalTimer = setTimeout(() => this.stop('total'), totalMs);
    if (userSignal?.aborted) this.stop('cancelled');
    else userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopReason(): StopReason | undefined {
    return this.reason;
  }

  /** Data arrived: restart the idle clock. Cheap enough for every chunk (one timer refresh). */
  touch(): void {
    if (this.reason) return;
    if (this.idleTimer) this.idleTimer.refresh();
    else this.idleTimer = setTimeout(() => this.stop('idle'), this.idleMs);
  }

  dispose(): void {
    clearTimeout(this.totalTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
    // A consumer that stops iterating early must not leave the socket open.
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
  }
}
