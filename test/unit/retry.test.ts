import assert from 'node:assert/strict';
import { QwenError, type QwenErrorKind } from '../../src/core/errors';
import { DEFAULT_RETRY_POLICY, retryDelay, sleep } from '../../src/core/retry';

const err = (kind: QwenErrorKind, retryAfterMs?: number) =>
  new QwenError({ kind, message: kind, ...(retryAfterMs !== undefined && { retryAfterMs }) });

describe('retry policy', () => {
  const policy = DEFAULT_RETRY_POLICY;

  it('backs off exponentially with equal jitter: each wait lies in [half, full] of 1 s, 2 s, 4 s', () => {
    for (const [attempt, full] of [[1, 1000], [2, 2000], [3, 4000]] as const) {
      assert.equal(retryDelay(err('server'), attempt, policy, () => 0), full / 2);
      assert.equal(retryDelay(err('server'), attempt, policy, () => 1), full);
      const mid = retryDelay(err('server'), attempt, policy, () => 0.5) ?? -1;
      assert.ok(mid > full / 2 && mid < full);
    }
  });

  it('caps one wait at maxDelayMs', () => {
    const p = { ...policy, maxRetries: 10 };
    assert.equal(retryDelay(err('network'), 10, p, () => 1), p.maxDelayMs);
  });

  it('stops after maxRetries', () => {
    assert.equal(retryDelay(err('rateLimit'), policy.maxRetries + 1, policy), undefined);
  });

  it('honours Retry-After up to the cap, and gives up on longer waits so the UI can show the countdown', () => {
    assert.equal(retryDelay(err('rateLimit', 5000), 1, policy, () => 0), 5000);
    assert.equal(retryDelay(err('rateLimit', policy.maxRetryAfterMs + 1), 1, policy), undefined);
  });

  it('never retries what a retry cannot fix', () => {
    for (const kind of ['auth', 'quota', 'contentInspection', 'badRequest', 'invalidRequest', 'cancelled', 'modelNotFound'] as const) {
      assert.equal(retryDelay(err(kind), 1, policy), undefined, kind);
    }
  });

  it('sleep resolves after the time, rejects at once when aborted', async () => {
    const t0 = Date.now();
    await sleep(20);
    assert.ok(Date.now() - t0 >= 15);
    const ac = new AbortController();
    const p = sleep(10_000, ac.signal);
    ac.abort();
    await assert.rejects(p);
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(sleep(10, pre.signal));
  });
});
