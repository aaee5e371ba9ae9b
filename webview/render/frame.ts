/**
 * One animation-frame callback for every renderer on the page, with one shared time budget: ten long stored
 * answers opened at once share a frame's budget instead of each taking its own.
 */

/** Milliseconds of rendering per frame before renderers carry the rest to the next frame. */
export const FRAME_BUDGET_MS = 8;

const jobs: Array<() => void> = [];
let deadline = 0;

/** Runs `job` in the next animation frame (jobs run in the order they were asked for). */
export function nextFrame(job: () => void): void {
  jobs.push(job);
  if (jobs.length === 1) requestAnimationFrame(runFrame);
}

/** Milliseconds left of this frame's rendering budget; ≤ 0 outside a frame's jobs. */
export function frameTimeLeft(): number {
  return deadline - performance.now();
}

function runFrame(): void {
  const now = jobs.splice(0);
  deadline = performance.now() + FRAME_BUDGET_MS;
  try {
    for (const job of now) {
      try {
        job();
      } catch (e) {
        console.error(e);
      }
    }
  } finally {
    deadline = 0;
  }
}
