/**
 * Fault matrix, part 2: error statuses (401, 400s, 429, 5xx), the retry policy, and unreachable servers.
 * The real client (openai SDK + our retry/timeouts/accumulator) against the fake Qwen server over real HTTP. Each
 * case must end in the right typed result or error, keep partial output, and not hang. docs/FAULTS.md is these
 * suites in prose: keep them in step.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { QwenClient } from '../../src/core/qwenClient';
import { errors } from '../fakes/scenarios';
import { KEY, body, lastError, run, useFakeQwen } from '../support/clientHarness';

describe('QwenClient fault matrix: HTTP errors, retries and backoff', function () {
  this.timeout(15_000);
  const h = useFakeQwen();
  const client = h.client;
  const script = h.script;

  it('401 from a Model Studio region: names the region, explains region-specific keys, offers key and region', async () => {
    // The client believes it talks to Singapore; a fetch override delivers the request to the fake server.
    const singapore = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1';
    const toFake: typeof fetch = (input, init) => fetch(String(input instanceof Request ? input.url : input).replace(singapore, h.server.baseUrl), init);
    const { events, turn } = await run(client({ apiKey: 'sk-wrong-region', baseUrl: singapore, fetch: toFake }), body());
    const err = lastError(events);
    assert.equal(err.kind, 'auth');
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
    assert.match(err.message, /Model Studio \(Singapore\)/);
    assert.match(err.message, /region-specific/);
    assert.match(err.message, /Incorrect API key provided/);
    assert.deepEqual(err.actions.map((a) => a.id), ['setApiKey', 'switchRegion']);
    assert.equal(h.server.requests.length, 1);
    assert.ok(!err.message.includes('sk-wrong-region'), 'the key never appears in messages');
    assert.equal(turn.partial, true);
  });

  it('401 from a custom server: names the host, no talk of regions, offers key and settings', async () => {
    const { events } = await run(client({ apiKey: 'sk-wrong' }), body());
    const err = lastError(events);
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /127\.0\.0\.1:\d+/);
    assert.doesNotMatch(err.message, /Singapore|region-specific/);
    assert.deepEqual(err.actions.map((a) => a.id), ['setApiKey', 'openSettings']);
  });

  it('400 invalid_parameter_error: bad request with the server message, not retried', async () => {
    script(errors.invalidParameter('The parameter `max_tokens` must be less than or equal to 65536.'));
    const { events } = await run(client(), body());
    const err = lastError(events);
    assert.equal(err.kind, 'badRequest');
    assert.match(err.message, /max_tokens/);
    assert.equal(h.server.requests.length, 1);
  });

  it('400 data_inspection_failed: content inspection, says the exchange is left out of the next request, not retried', async () => {
    script(errors.dataInspection());
    const { events } = await run(client(), body());
    const err = lastError(events);
    assert.equal(err.kind, 'contentInspection');
    assert.ok(!err.actions.some((a) => a.id === 'retry'));
    assert.match(err.message, /left out of what is sent with your next message/);
    assert.equal(h.server.requests.length, 1);
  });

  it('400 Arrearage: quota error pointing at billing', async () => {
    script(errors.arrearage());
    const { events } = await run(client(), body());
    const err = lastError(events);
    assert.equal(err.kind, 'quota');
    assert.equal(err.actions[0]?.id, 'openBilling');
  });

  it('429 with Retry-After: waits the server-given time, then succeeds', async () => {
    script(errors.throttled(1), { kind: 'text', text: 'after the wait' });
    const t0 = Date.now();
    const { events, turn } = await run(client(), body());
    const retry = events.find((e) => e.type === 'retry');
    assert.ok(retry && retry.type === 'retry');
    assert.equal(retry.delayMs, 1000);
    assert.equal(retry.error.kind, 'rateLimit');
    assert.ok(Date.now() - t0 >= 950, 'waited for Retry-After');
    assert.equal(turn.content, 'after the wait');
    assert.equal(h.server.requests.length, 2);
  });

  it('429 without Retry-After: exponential backoff with jitter, then succeeds', async () => {
    script(errors.throttled(), errors.throttled(), { kind: 'text', text: 'third time lucky' });
    const { events, turn } = await run(client({ random: () => 1 }), body());
    const delays = events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));
    assert.deepEqual(delays, [5, 10]);
    assert.equal(turn.content, 'third time lucky');
  });

  it('429 that persists: gives up after the retry budget with a rate-limit error', async () => {
    script(errors.throttled(), errors.throttled(), errors.throttled());
    const { events } = await run(client({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } }), body());
    assert.equal(lastError(events).kind, 'rateLimit');
    assert.equal(h.server.requests.length, 3);
  });

  it('a Retry-After longer than we wait silently is surfaced with its countdown instead', async () => {
    script(errors.throttled(120));
    const { events } = await run(client(), body());
    const err = lastError(events);
    assert.equal(err.kind, 'rateLimit');
    assert.equal(err.retryAfterMs, 120_000);
    assert.match(err.message, /120 s/);
    assert.equal(h.server.requests.length, 1);
  });

  for (const status of [500, 503] as const) {
    it(`${status}: retried before the first byte, then succeeds`, async () => {
      script(errors.server(status), { kind: 'text', text: 'recovered' });
      const { turn, events } = await run(client(), body());
      assert.equal(turn.content, 'recovered');
      assert.equal(events.filter((e) => e.type === 'retry').length, 1);
    });
  }

  it('5xx that persists: server error after the retry budget', async () => {
    script(errors.server(500), errors.server(500), errors.server(500));
    const { events } = await run(client({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } }), body());
    const err = lastError(events);
    assert.equal(err.kind, 'server');
    assert.equal(err.status, 500);
  });

  it('connection refused: network error after retries, naming the endpoint', async () => {
    // a port that was free a moment ago (fetch refuses some low ports outright, as "bad port")
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const dead = new QwenClient({ baseUrl: `http://127.0.0.1:${port}/compatible-mode/v1`, apiKey: KEY, retry: { maxRetries: 1, baseDelayMs: 1 } });
    const { events } = await run(dead, body());
    const err = lastError(events);
    assert.equal(err.kind, 'network');
    assert.ok(err.message.includes(`127.0.0.1:${port}`), err.message);
    assert.match(err.message, /nothing is listening there, ECONNREFUSED/, 'the cause in words, its code kept');
    assert.equal(events.filter((e) => e.type === 'retry').length, 1);
  });

});
