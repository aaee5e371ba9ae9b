/**
 * Fault matrix, part 1: what arrives in a 200 stream (answers, tool calls, errors mid-stream, cuts, stalls), Stop,
 * timeouts and non-streaming side calls.
 * The real client (openai SDK + our retry/timeouts/accumulator) against the fake Qwen server over real HTTP. Each
 * case must end in the right typed result or error, keep partial output, and not hang. docs/FAULTS.md is these
 * suites in prose: keep them in step.
 */
import assert from 'node:assert/strict';
import type { AssistantTurn, StreamEvent } from '../../src/core/events';
import { errors } from '../fakes/scenarios';
import { KEY, body, lastError, run, types, useFakeQwen } from '../support/clientHarness';

describe('QwenClient fault matrix: answers, failures inside the stream, Stop and timeouts', function () {
  this.timeout(15_000);
  const h = useFakeQwen();
  const client = h.client;
  const script = h.script;

  it('plain answer: content events, stop, usage', async () => {
    script({ kind: 'text', text: 'Hello, world. This is Qwen.' });
    const { events, turn } = await run(client(), body());
    assert.equal(turn.content, 'Hello, world. This is Qwen.');
    assert.equal(turn.reasoning, '');
    assert.equal(turn.finishReason, 'stop');
    assert.equal(turn.partial, false);
    assert.ok(turn.usage && turn.usage.completionTokens > 0);
    assert.deepEqual([...new Set(types(events))], ['content', 'usage', 'finish']);
    assert.equal(h.server.requests[0]?.headers['authorization'], `Bearer ${KEY}`);
  });

  it('thinking in two phases: all reasoning before any content, kept apart', async () => {
    script({ kind: 'thinking', reasoning: 'Let me think about 17*23. That is 391.', text: 'The answer is **391**.' });
    const { events, turn } = await run(client(), body('qwen3.6-plus'));
    assert.equal(turn.reasoning, 'Let me think about 17*23. That is 391.');
    assert.equal(turn.content, 'The answer is **391**.');
    const kinds = types(events).filter((t) => t === 'reasoning' || t === 'content');
    assert.ok(kinds.lastIndexOf('reasoning') < kinds.indexOf('content'), kinds.join(','));
    assert.ok((turn.usage?.reasoningTokens ?? 0) > 0);
  });

  for (const variant of ['dashscope', 'indexOnly', 'nameThenWholeArgs', 'emptyFunction'] as const) {
    it(`tool calls (${variant} chunking) assemble into complete calls with parsed arguments`, async () => {
      script({
        kind: 'toolCalls',
        variant,
        calls: [
          { name: 'read_file', arguments: '{"path": "src/a.ts", "startLine": 1}' },
          { name: 'search_text', arguments: '{"query": "TODO(", "regex": false}' },
        ],
      });
      const { events, turn } = await run(client(), body('qwen3-coder-plus'));
      assert.equal(turn.finishReason, 'tool_calls');
      assert.deepEqual(
        turn.toolCalls.map((c) => [c.name, c.arguments, c.source]),
        [
          ['read_file', { path: 'src/a.ts', startLine: 1 }, 'native'],
          ['search_text', { query: 'TODO(', regex: false }, 'native'],
        ],
      );
      assert.ok(turn.toolCalls.every((c) => c.id.length > 0 && !c.parseError));
      assert.equal(events.filter((e) => e.type === 'toolCall').length, 2);
    });
  }

  it('tool call with invalid JSON arguments: a toolCall event carrying the parse error, no throw', async () => {
    script({ kind: 'toolCalls', calls: [{ name: 'edit_file', arguments: '{"path": "a.ts", "content": "x' }] });
    const { turn } = await run(client(), body());
    assert.equal(turn.toolCalls.length, 1);
    assert.ok(turn.toolCalls[0]?.parseError, 'parse error reported');
    assert.equal(turn.toolCalls[0]?.arguments, undefined);
    assert.equal(turn.error, undefined);
  });

  it('usage-only last chunk: usage event with cached and reasoning tokens', async () => {
    script({ kind: 'replay', lines: [
      '{"choices":[{"delta":{"content":"ok","role":"assistant"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","model":"qwen3-max","id":"x"}',
      '{"choices":[{"delta":{"content":""},"index":0,"finish_reason":"stop"}],"object":"chat.completion.chunk","model":"qwen3-max","id":"x"}',
      '{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":5000,"completion_tokens":40,"total_tokens":5040,"prompt_tokens_details":{"cached_tokens":4096},"completion_tokens_details":{"reasoning_tokens":12}},"model":"qwen3-max","id":"x"}',
    ] });
    const { events, turn } = await run(client(), body('qwen3-max'));
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage && usage.type === 'usage');
    assert.deepEqual(
      [usage.usage.promptTokens, usage.usage.completionTokens, usage.usage.cachedTokens, usage.usage.reasoningTokens],
      [5000, 40, 4096, 12],
    );
    assert.equal(turn.content, 'ok');
  });

  it('slow drip: streams over time and reports time to first token and tokens/s', async () => {
    script({ kind: 'text', text: 'one two three four five six seven eight', chunkSize: 4, tokensPerSecond: 100 });
    const { events, turn } = await run(client(), body());
    assert.ok(events.filter((e) => e.type === 'content').length >= 5, 'several content events');
    assert.ok(turn.metrics && turn.metrics.timeToFirstTokenMs !== undefined && turn.metrics.durationMs > 0);
    assert.ok((turn.metrics.tokensPerSecond ?? 0) > 0, JSON.stringify(turn.metrics));
  });

  it('a very large answer (200K characters) arrives whole', async () => {
    script({ kind: 'large', chars: 200_000, chunkSize: 16 });
    const { turn } = await run(client(), body());
    assert.equal(turn.content.length, 200_000);
    assert.equal(turn.finishReason, 'stop');
  });

  it('an error event inside a 200 stream: typed error, partial text kept, not retried', async () => {
    script({ kind: 'streamError', afterText: 'Here is the first half', error: { code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.' } });
    const { events, turn } = await run(client(), body());
    const err = lastError(events);
    assert.equal(err.kind, 'contentInspection');
    assert.equal(turn.content, 'Here is the first half');
    assert.equal(turn.partial, true);
    assert.equal(h.server.requests.length, 1);
  });

  it('an unclassified error event inside a stream is a streamError with the server message', async () => {
    script({ kind: 'streamError', afterText: 'partial', error: { code: 'InternalError.Algo', message: 'An internal error has occured during inference.' } });
    const { events, turn } = await run(client(), body());
    const err = lastError(events);
    assert.equal(err.kind, 'streamError');
    assert.match(err.message, /internal error has occured/);
    assert.equal(turn.content, 'partial');
  });

  it('an error chunk in DashScope\'s own shape before any output is retried like a failed request', async () => {
    const native = JSON.stringify({ code: 'Throttling', message: 'Requests rate limit exceeded, please try again later.', request_id: 'r-1' });
    script({ kind: 'replay', done: false, lines: [native] }, { kind: 'text', text: 'second time lucky' });
    const { events, turn } = await run(client(), body());
    const retry = events.find((e) => e.type === 'retry');
    assert.ok(retry?.type === 'retry' && retry.error.kind === 'rateLimit', JSON.stringify(retry));
    assert.equal(events.filter((e) => e.type === 'error').length, 0, 'the first failure never reaches the user');
    assert.equal(turn.error, undefined);
    assert.equal(turn.content, 'second time lucky');
    assert.equal(h.server.requests.length, 2);
  });

  it('an error chunk in DashScope\'s own shape after output: reported, partial kept, not retried', async () => {
    const native = JSON.stringify({ code: 'Throttling', message: 'Requests rate limit exceeded, please try again later.', request_id: 'r-2' });
    const text = '{"choices":[{"delta":{"content":"half an ans"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","model":"m","id":"x"}';
    script({ kind: 'replay', done: false, lines: [text, native] });
    const { events, turn } = await run(client(), body());
    assert.equal(lastError(events).kind, 'rateLimit');
    assert.equal(turn.content, 'half an ans');
    assert.equal(h.server.requests.length, 1);
  });

  it('connection cut mid-answer: network error, partial kept, not retried', async () => {
    script({ kind: 'cut', afterText: 'The function starts by' });
    const { events, turn } = await run(client(), body());
    const err = lastError(events);
    assert.ok(err.kind === 'network' || err.kind === 'malformedStream', err.kind);
    assert.match(err.message, /kept/);
    if (err.kind === 'network') assert.match(err.message, /\((the server closed the connection, UND_ERR_SOCKET|the connection was reset, ECONNRESET)\)/, err.message);
    assert.equal(turn.content, 'The function starts by');
    assert.equal(h.server.requests.length, 1);
  });

  it('a stall longer than the idle timeout: idle-timeout error within the bound, partial kept', async () => {
    script({ kind: 'stall', afterText: 'Thinking hard about', stallMs: 5000 });
    const t0 = Date.now();
    const { events, turn } = await run(client({ idleTimeoutMs: 300 }), body());
    const elapsed = Date.now() - t0;
    const err = lastError(events);
    assert.equal(err.kind, 'idleTimeout');
    assert.match(err.message, /proxy or firewall/);
    assert.equal(turn.content, 'Thinking hard about');
    assert.ok(elapsed < 2000, `ended in ${elapsed} ms`);
  });

  it('a stall shorter than the idle timeout is not an error', async () => {
    script({ kind: 'stall', afterText: 'slow ', stallMs: 200 });
    const { turn } = await run(client({ idleTimeoutMs: 1500 }), body());
    assert.equal(turn.error, undefined);
    assert.equal(turn.finishReason, 'stop');
  });

  it('a malformed chunk: malformed-stream error, partial kept', async () => {
    script({ kind: 'malformed', afterText: 'Valid text before' });
    const { events, turn } = await run(client(), body());
    assert.equal(lastError(events).kind, 'malformedStream');
    assert.equal(turn.content, 'Valid text before');
  });

  it('no [DONE] after a finished answer: completes normally', async () => {
    script({ kind: 'noDone', text: 'complete without the sentinel' });
    const { turn } = await run(client(), body());
    assert.equal(turn.error, undefined);
    assert.equal(turn.content, 'complete without the sentinel');
    assert.equal(turn.finishReason, 'stop');
  });

  it('a stream that closes without finish_reason or [DONE] is reported as cut, partial kept', async () => {
    script({ kind: 'replay', done: false, lines: ['{"choices":[{"delta":{"content":"half an ans"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","model":"m","id":"x"}'] });
    const { events, turn } = await run(client(), body());
    assert.equal(lastError(events).kind, 'malformedStream');
    assert.equal(turn.content, 'half an ans');
  });

  it('Stop mid-stream: cancelled, partial kept, the server sees the connection close', async () => {
    script({ kind: 'text', text: 'x'.repeat(400), chunkSize: 4, tokensPerSecond: 200 });
    const ac = new AbortController();
    const events: StreamEvent[] = [];
    let turn: AssistantTurn | undefined;
    const gen = client().stream(body(), { signal: ac.signal });
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        turn = next.value;
        break;
      }
      events.push(next.value);
      if (events.filter((e) => e.type === 'content').length === 3) ac.abort();
    }
    assert.equal(lastError(events).kind, 'cancelled');
    assert.ok(turn.content.length > 0 && turn.content.length < 400, `kept ${turn.content.length} chars`);
    assert.equal(turn.partial, true);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.server.requests[0]?.closedBeforeEnd, true, 'the HTTP request was aborted, not left streaming');
  });

  it('a consumer that stops iterating early closes the HTTP request', async () => {
    script({ kind: 'text', text: 'y'.repeat(400), chunkSize: 4, tokensPerSecond: 200 });
    for await (const e of client().stream(body())) if (e.type === 'content') break;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.server.requests[0]?.closedBeforeEnd, true);
  });

  it('Stop during a backoff wait ends at once with cancelled', async () => {
    script(errors.throttled(10));
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 100);
    const { events } = await run(client({ retry: { maxRetryAfterMs: 60_000 } }), body(), ac.signal);
    assert.equal(lastError(events).kind, 'cancelled');
    assert.ok(Date.now() - t0 < 2000);
  });

  it('Stop before the request is sent: cancelled, nothing sent', async () => {
    const ac = new AbortController();
    ac.abort();
    const { events } = await run(client(), body(), ac.signal);
    assert.equal(lastError(events).kind, 'cancelled');
    assert.equal(h.server.requests.length, 0);
  });

  it('total timeout: a server that never answers ends in a timeout error', async () => {
    script({ kind: 'delay', ms: 3000, then: { kind: 'text', text: 'too late' } });
    const t0 = Date.now();
    const { events } = await run(client({ totalTimeoutMs: 300, idleTimeoutMs: 5000 }), body());
    assert.equal(lastError(events).kind, 'timeout');
    assert.ok(Date.now() - t0 < 2000);
  });

  it('non-streaming side call returns the whole turn', async () => {
    script({ kind: 'text', text: 'Fix the off-by-one in the loop' });
    const turn = await client().complete({ ...body('qwen-plus'), stream: false, enable_thinking: false });
    assert.equal(turn.content, 'Fix the off-by-one in the loop');
    assert.equal(turn.error, undefined);
    assert.equal(h.server.requests[0]?.body.stream, false);
  });

  it('non-streaming reply with two tool calls keeps them apart (position is the index)', async () => {
    script({ kind: 'toolCalls', calls: [{ name: 'read_file', arguments: '{"path":"a.ts"}' }, { name: 'read_file', arguments: '{"path":"b.ts"}' }] });
    const turn = await client().complete({ ...body('qwen3-coder-plus'), stream: false });
    assert.deepEqual(turn.toolCalls.map((c) => c.arguments), [{ path: 'a.ts' }, { path: 'b.ts' }]);
    assert.ok(turn.usage && turn.usage.promptTokens > 0);
  });

  it('non-streaming side call with thinking on is refused by the server (400) and reported, not thrown', async () => {
    const turn = await client().complete({ ...body('qwen3.6-plus'), stream: false });
    assert.equal(turn.error?.kind, 'badRequest');
    assert.match(turn.error?.message ?? '', /enable_thinking/);
  });
});
