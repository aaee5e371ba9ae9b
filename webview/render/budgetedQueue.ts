/**
 * Runs queued jobs in later tasks, as many per task as fit in a time budget (always at least one, so a job longer
 * than the budget still runs, alone). Work that must not lengthen a frame — compiling a highlight.js grammar,
 * highlighting a settled code block — goes here instead of into the render that found it.
 */

export interface BudgetedQueueOptions {
  /**
   * Milliseconds of jobs per task; the job that crosses it ends the task. 0 runs exactly one job per task.
   * @default 8
   */
  budgetMs?: number;
  /** @default performance.now */
  now?: () => number;
  /**
   * Runs `run` in a later task.
   * @default setTimeout(run, 0)
   */
  schedule?: (run: () => void) => void;
}

export class BudgetedQueue {
  private readonly jobs: Array<() => void> = [];
  private scheduled = false;
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly schedule: (run: () => void) => void;

  constructor(opts: BudgetedQueueOptions = {}) {
    this.budgetMs = opts.budgetMs ?? 8;
    this.now = opts.now ?? (() => performance.now());
    this.schedule = opts.schedule ?? ((run) => void setTimeout(run, 0));
  }

  /** Jobs waiting for a task. */
  get size(): number {
    return this.jobs.length;
  }

  push(job: () => void): void {
    this.jobs.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.run());
    }
  }

  private run(): void {
    this.scheduled = false;
    const start = this.now();
    do {
      const job = this.jobs.shift();
      // a failing job (say, a grammar that throws) must not stop the ones behind it
      try {
        job?.();
      } catch (e) {
        console.error(e);
      }
    } while (this.jobs.length > 0 && this.now() - start < this.budgetMs);
    if (this.jobs.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.run());
    }
  }
}
