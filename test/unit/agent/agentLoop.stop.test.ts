/**
 * The user's Stop, during a reply and during a long-running tool: the request or the tool sees the abort, the run
 * ends `cancelled`, and the history it leaves is one the server accepts (every call answered, nothing half-sent).
 */
import assert from 'node:assert/strict';
import type { ToolCallRequest } from '../../../src/core/events';
import { NOT_RUN_STOPPED, runCalls } from '../../../src/core/agent/runCalls';
import type { ToolResult } from '../../../src/core/tools/types';
import { fileTools, observerLog, ok, tool, toolContext, useAgentServer, user } from '../../support/agentHarness';

async function closedBeforeEnd(request: { closedBeforeEnd: boolean } | undefined): Promise<boolean> {
  for (let i = 0; i < 100 && request && !request.closedBeforeEnd; i++) await new Promise((r) => setTimeout(r, 10));
  return request?.closedBeforeEnd ?? false;
}

describe('agent loop: Stop', function () {
  this.timeout(20_000);
  const h = useAgentServer();

  it('during a reply: the request is aborted, the partial text kept, no call appended', async () => {
    const stop = new AbortController();
    h.server.script({ kind: 'text', text: 'A long answer that keeps going and going and going.', chunkSize: 4, tokensPerSecond: 40 });
    const result = await h.run({
      history: [user('Tell me')],
      tools: fileTools(new Map()),
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'content') stop.abort();
      },
    });
    assert.deepEqual(result.stop, { reason: 'cancelled', message: 'Stopped by you. Send a message to go on.' });
    assert.equal(result.appended.length, 1);
    const partial = result.appended[0];
    const full = 'A long answer that keeps going and going and going.';
    assert.ok(partial?.role === 'assistant' && partial.content.length > 0 && partial.content.length < full.length, JSON.stringify(partial));
    assert.ok(full.startsWith(partial.content));
    assert.equal(partial.toolCalls, undefined);
    assert.ok(await closedBeforeEnd(h.server.requests[0]), 'the server saw the connection close early');
  });

  it('during a reply streaming tool calls: nothing of the calls is kept or run', async () => {
    const stop = new AbortController();
    let runs = 0;
    const tools = fileTools(new Map([['a.ts', 'A']])).map((t) => ({ ...t, run: (...a: Parameters<typeof t.run>) => (runs++, t.run(...a)) }));
    h.server.script({
      kind: 'toolCalls',
      argChunkSize: 2,
      tokensPerSecond: 40,
      calls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }],
    });
    const result = await h.run({
      history: [user('Read')],
      tools,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'toolCallDelta' && e.argumentsDelta !== '') stop.abort();
      },
    });
    assert.equal(result.stop.reason, 'cancelled');
    assert.deepEqual(result.appended, []);
    assert.equal(runs, 0);
    assert.equal(result.results.size, 0);
  });

  it('before the run starts: no request is sent', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await h.run({ history: [user('Hi')], tools: [], signal: stop.signal });
    assert.equal(result.stop.reason, 'cancelled');
    assert.equal(h.server.requests.length, 0);
  });

  for (const how of ['returns', 'throws'] as const) {
    it(`during a long-running tool that ${how} on abort: it sees the Stop, later calls are not run, the history stays valid`, async () => {
      const stop = new AbortController();
      let sawAbort = false;
      let started = (): void => undefined;
      const slowStarted = new Promise<void>((resolve) => (started = resolve));
      const slow = tool('slow_scan', 'read', {}, [], (_a, ctx) => {
        started();
        return new Promise<ToolResult>((resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            if (how === 'throws') reject(new DOMException('The operation was aborted.', 'AbortError'));
            else resolve({ ok: false, content: 'The scan was stopped.', summary: 'Stopped' });
          });
        });
      });
      let edits = 0;
      const edit = tool('edit_file', 'write', {}, [], () => (edits++, Promise.resolve(ok('Edited'))));
      const tools = [slow, edit, ...fileTools(new Map([['b.ts', 'B']]))];
      h.server.script({
        kind: 'toolCalls',
        calls: [
          { id: 'call_slow', name: 'slow_scan', arguments: '{}' },
          { id: 'call_b', name: 'read_file', arguments: '{"path":"b.ts"}' },
          { id: 'call_edit', name: 'edit_file', arguments: '{}' },
          { id: 'call_c', name: 'read_file', arguments: '{"path":"b.ts"}' },
        ],
      });
      void slowStarted.then(() => stop.abort());
      const { observer, log } = observerLog();
      const result = await h.run({ history: [user('Scan')], tools, signal: stop.signal, observer });

      assert.equal(result.stop.reason, 'cancelled');
      assert.match(result.stop.message, /while tools were running/);
      assert.ok(sawAbort, 'the running tool saw the abort');
      assert.equal(edits, 0);
      const expectedSlow = how === 'throws' ? 'The tool call was stopped by the user before it finished.' : 'The scan was stopped.';
      assert.deepEqual(
        result.appended.slice(1).map((m) => m.role === 'tool' && [m.toolCallId, m.content]),
        [
          ['call_slow', expectedSlow],
          ['call_b', 'B'],
          ['call_edit', NOT_RUN_STOPPED.content],
          ['call_c', NOT_RUN_STOPPED.content],
        ],
      );
      assert.deepEqual(log, [
        'started call_slow r0', 'started call_b r0', 'ended call_b r0 ok', 'ended call_slow r0 error',
        'started call_edit r0', 'ended call_edit r0 error', 'started call_c r0', 'ended call_c r0 error',
      ]);

      // The next message goes on from this history, and the server (strict about answered calls) accepts it.
      h.server.script({ kind: 'text', text: 'Stopped, as you asked.' });
      const next = await h.run({ history: [user('Scan'), ...result.appended, user('Never mind')], tools });
      assert.equal(next.stop.reason, 'done', next.stop.message);
    });
  }

  it('a tool context built around another signal still gets the run’s Stop', async () => {
    const stop = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const waits = tool('wait', 'read', {}, [], (_a, ctx) => {
      toolSignal = ctx.signal;
      stop.abort();
      return Promise.resolve(ok('done'));
    });
    const call: ToolCallRequest = { index: 0, id: 'call_1', name: 'wait', argumentsText: '{}', arguments: {}, source: 'native' };
    const results = await runCalls({
      calls: [call],
      tools: [waits],
      makeContext: (id) => toolContext(id, new AbortController().signal),
      signal: stop.signal,
      replyIndex: 0,
    });
    assert.equal(results[0]?.content, 'done');
    assert.equal(toolSignal?.aborted, true);
  });
});
