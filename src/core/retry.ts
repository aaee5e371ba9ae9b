/**
 * When and how long to wait before sending a failed request again.
 * Only failures that happened before any output reached the user are retried: after that, the partial answer is
 * kept on screen and the user decides.
 */
import type { QwenError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt. @default 3 */
  maxRetries: number;
  /** First backoff step. @default 1000 */
  baseDelayMs: number;
  /** Cap on one computed backoff. @default 20000 */
  maxDelayMs: number;
  /**
   * The longest server-requested wait (Retry-After) we sit through silently. A longer one is reported to the
   * user with its countdown instead of blocking the chat. @default 30000
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 30_000,
};

/**
 * The wait before retry number `attempt` (1-based), or `undefined` when the error should surface now.
 * Exponential backoff with "equal jitter" (half fixed, half random) so many clients hit by the same 429 don't
 * come back in lockstep; a server's Retry-After takes precedence.
 */
export function retryDelay(
  error: QwenError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (attempt > policy.maxRetries) return undefined;
  if (!(error.kind === 'rateLimit' || error.kind === 'server' || error.kind === 'network')) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** A sleep that ends early (rejecting) when the signal aborts, so Stop works during a backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
