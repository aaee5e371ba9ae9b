/**
 * Edges of the loop that need no server: a `sendReply` that throws, a broken turn limit, and which failed replies
 * make the spend unknown. Replies are scripted turns.
 */
import assert from 'node:assert/strict';
import { DEFAULT_MAX_TURNS, runAgent } from '../../../src/core/agent/agentLoop';
import type { AgentRunOptions } from '../../../src/core/agent/types';
import { QwenError } from '../../../src/core/errors';
import type { AssistantTurn, ToolCallRequest, Usage } from '../../../src/core/events';
import { fileTools, toolContext, user } from '../../support/agentHarness';

const USAGE: Usage = { promptTokens: 10, completionTokens: 10, totalTokens: 20, cachedTokens: 0, cacheCreationTokens: 0, reasoningTokens: 0 };
const call = (id: string): ToolCallRequest => ({ index: 0, id, name: 'read_file', argumentsText: '{"path":"a.ts"}', arguments: { path: 'a.ts' }, source: 'native' });
const turn = (t: Partial<AssistantTurn>, usage = true): AssistantTurn => ({
  reasoning: '',
  content: '',
  toolCalls: [],
  partial: false,
  finishReason: 'stop',
  ...(usage && { usage: USAGE }),
  ...t,
});

function options(replies: (AssistantTurn | Error)[], limits: Partial<AgentRunOptions['limits']> = {}): AgentRunOptions & { sent: number } {
  const signal = new AbortController().signal;
  const o = {
    sent: 0,
    history: [user('Go')],
    tools: fileTools(new Map([['a.ts', 'A']])),
    sendReply: () => {
      const next = replies[o.sent++] ?? turn({ content: 'Done.' });
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    makeContext: (id: string) => toolContext(id, signal),
    limits: { maxTurns: 10, ...limits },
    signal,
  };
  return o;
}

describe('agent loop: edges without a server', () => {
  it('a sendReply that throws (a request the builder refused) ends in `error` and keeps what was done', async () => {
    const refused = new QwenError({ kind: 'invalidRequest', message: 'Temperature 5 is out of range.' });
    const result = await runAgent(options([turn({ toolCalls: [call('call_1')], finishReason: 'tool_calls' }), refused]));
    assert.deepEqual(result.stop, { reason: 'error', message: 'The reply failed: Temperature 5 is out of range. Retry, or send “continue” to go on from here.' });
    assert.deepEqual(result.appended.map((m) => m.role), ['assistant', 'tool']);
    assert.equal(result.results.get('call_1')?.content, 'A');
  });

  it('a turn limit that is not a number falls back to the default instead of no limit', async () => {
    const replies = Array.from({ length: DEFAULT_MAX_TURNS + 5 }, (_, i) => turn({ toolCalls: [call(`call_${i}`)], finishReason: 'tool_calls' }));
    const o = options(replies, { maxTurns: Number.NaN });
    const result = await runAgent(o);
    assert.equal(result.stop.reason, 'maxTurns');
    assert.equal(o.sent, DEFAULT_MAX_TURNS);
    const zero = options(replies, { maxTurns: 0 });
    assert.equal((await runAgent(zero)).stop.reason, 'maxTurns');
    assert.equal(zero.sent, 1, 'a limit below 1 still allows one reply');
  });

  it('a reply that failed before any output costs nothing; one cut after output without usage is unknown', async () => {
    const failed = new QwenError({ kind: 'server', message: 'Busy.' });
    const costOf = () => 1;
    const before = await runAgent(options([turn({ toolCalls: [call('c1')], finishReason: 'tool_calls' }), turn({ error: failed, partial: true }, false)], { spendCap: 10, costOf }));
    assert.equal(before.stop.reason, 'error');
    assert.equal(before.spent, 1);
    assert.equal(before.spendUnchecked, undefined);

    const cut = await runAgent(options([turn({ content: 'Half an ans', error: failed, partial: true }, false)], { spendCap: 10, costOf }));
    assert.equal(cut.spent, undefined);
    assert.match(cut.spendUnchecked ?? '', /could not be checked for any reply/);
  });
});
