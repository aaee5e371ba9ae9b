/**
 * Fault matrix, part 3: what an automatic retry starts from, and the wait a 429 card counts down to. The real client
 * against the fake Qwen server over HTTP (docs/FAULTS.md rows 16b, 17, 23d).
 */
import assert from 'node:assert/strict';
import { errors } from '../fakes/scenarios';
import { body, lastError, run, useFakeQwen } from '../support/clientHarness';

describe('QwenClient retries: a fresh start, and a wait to count down', function () {
  this.timeout(15_000);
  const h = useFakeQwen();

  it('a retry starts from nothing: text the failed attempt held back never reaches the answer, TTFT is the answering attempt\'s', async () => {
    // `<tool` could open a text-form tool call, so the accumulator holds it back; then the connection is cut
    h.script({ kind: 'cut', afterText: '<tool' }, { kind: 'text', text: 'Hello there' });
    const { events, turn } = await run(h.client({ retry: { baseDelayMs: 200, maxDelayMs: 200 } }), body());
    const retry = events.find((e) => e.type === 'retry');
    assert.ok(retry?.type === 'retry', 'the cut before any output was retried');
    assert.equal(turn.error, undefined);
    assert.equal(turn.content, 'Hello there');
    assert.equal(events.filter((e) => e.type === 'content').map((e) => (e.type === 'content' ? e.text : '')).join(''), 'Hello there');
    const ttft = turn.metrics?.timeToFirstTokenMs ?? -1;
    assert.ok(ttft >= retry.delayMs, `time to first token ${ttft} ms counts from the first answer token, after the ${retry.delayMs} ms wait`);
  });

  it('a 429 that persists without Retry-After gets our own wait (the next backoff step) to count down', async () => {
    h.script(errors.throttled(), errors.throttled(), errors.throttled());
    const { events } = await run(h.client({ retry: { maxRetries: 2, baseDelayMs: 40, maxDelayMs: 1000 } }), body());
    const err = lastError(events);
    assert.equal(err.kind, 'rateLimit');
    // third step of 40 ms doubling, equal jitter: 80–160 ms
    assert.ok(err.retryAfterMs !== undefined && err.retryAfterMs >= 80 && err.retryAfterMs <= 160, String(err.retryAfterMs));
    assert.match(err.message, /Try again in about 1 s\./);
    assert.equal(h.server.requests.length, 3);
  });

  it('the same for a rate-limit error chunk inside the stream, before any output', async () => {
    const native = JSON.stringify({ code: 'Throttling', message: 'Requests rate limit exceeded, please try again later.', request_id: 'r-3' });
    h.script({ kind: 'replay', done: false, lines: [native] }, { kind: 'replay', done: false, lines: [native] });
    const { events, turn } = await run(h.client({ retry: { maxRetries: 1, baseDelayMs: 40, maxDelayMs: 1000 } }), body());
    const err = lastError(events);
    assert.equal(err.kind, 'rateLimit');
    assert.ok(err.retryAfterMs !== undefined && err.retryAfterMs >= 40 && err.retryAfterMs <= 80, String(err.retryAfterMs));
    assert.equal(turn.error, err, 'the turn carries the same error as the event');
  });
});
