import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { QwenError } from '../../src/core/errors';
import { StreamAccumulator } from '../../src/core/streamAccumulator';
import {
  compatChunk as chunk,
  eventText as textOf,
  fixturePath,
  loadChunkLines,
  parseSseText,
  replayChunks as run,
  toSse,
  toolCallChunk as toolDelta,
  toolCallEvents as calls,
  usageOnlyChunk as usageChunk,
} from '../support/fixtures';

/** What the recording holds, read with a separate simple loop so the accumulator is not checked against itself. */
function expectedTexts(lines: readonly string[]) {
  let content = '';
  let reasoning = '';
  for (const line of lines) {
    const delta = (JSON.parse(line) as { choices: Array<{ delta?: { content?: string | null; reasoning_content?: string | null } }> })
      .choices[0]?.delta;
    if (typeof delta?.content === 'string') content += delta.content;
    if (typeof delta?.reasoning_content === 'string') reasoning += delta.reasoning_content;
  }
  return { content, reasoning };
}

describe('StreamAccumulator', () => {
  describe('recorded fixtures', () => {
    it('alibaba-text: exact content, stop, usage', () => {
      const lines = loadChunkLines('alibaba-text');
      const { events, turn } = run(lines.map((l) => JSON.parse(l)));
      const expected = expectedTexts(lines);
      assert.equal(turn.content, expected.content);
      assert.equal(textOf(events, 'content'), expected.content);
      assert.equal(turn.reasoning, '');
      assert.ok(turn.content.startsWith('## The Festival of Shared Stories'));
      assert.ok(turn.content.endsWith('are woven together."*'));
      assert.equal(turn.finishReason, 'stop');
      assert.equal(turn.partial, false);
      assert.equal(turn.model, 'qwen3-max');
      assert.deepEqual(turn.usage, {
        promptTokens: 18,
        completionTokens: 779,
        totalTokens: 797,
        cachedTokens: 0,
        cacheCreationTokens: 0,
        reasoningTokens: 0,
      });
      assert.deepEqual(turn.toolCalls, []);
      assert.equal(events.filter((e) => e.type === 'usage').length, 1);
      assert.equal(events.at(-1)?.type, 'finish');
    });

    it('alibaba-reasoning: two phases kept apart, reasoning_tokens 1084', () => {
      const lines = loadChunkLines('alibaba-reasoning');
      const { events, turn } = run(lines.map((l) => JSON.parse(l)));
      const expected = expectedTexts(lines);
      assert.equal(turn.reasoning, expected.reasoning);
      assert.equal(turn.content, expected.content);
      assert.equal(textOf(events, 'reasoning'), expected.reasoning);
      assert.equal(textOf(events, 'content'), expected.content);
      assert.ok(turn.reasoning.startsWith('We are asked: "How many'));
      assert.ok(turn.content.endsWith('**Answer: 3**'));
      assert.equal(turn.usage?.reasoningTokens, 1084);
      assert.equal(turn.usage?.completionTokens, 1355);
      const firstContent = events.findIndex((e) => e.type === 'content');
      const lastReasoning = events.map((e) => e.type).lastIndexOf('reasoning');
      assert.ok(lastReasoning < firstContent, 'all reasoning arrives before the answer');
    });

    it('alibaba-tool-call: one native call weather({location: "San Francisco"})', () => {
      const lines = loadChunkLines('alibaba-tool-call');
      const { events, turn } = run(lines.map((l) => JSON.parse(l)));
      assert.equal(turn.content, '');
      assert.equal(turn.finishReason, 'tool_calls');
      assert.equal(turn.toolCalls.length, 1);
      const call = turn.toolCalls[0];
      assert.ok(call);
      assert.equal(call.name, 'weather');
      assert.equal(call.id, 'call_eee11723464a4b9eb8cee71d');
      assert.equal(call.source, 'native');
      assert.equal(call.index, 0);
      assert.deepEqual(call.arguments, { location: 'San Francisco' });
      assert.equal(call.argumentsText, '{"location": "San Francisco"}');
      assert.equal(call.parseError, undefined);
      assert.equal(call.truncated, undefined);
      assert.deepEqual(calls(events), [call]);
      const deltas = events.filter((e) => e.type === 'toolCallDelta');
      assert.deepEqual(deltas, [
        { type: 'toolCallDelta', index: 0, id: 'call_eee11723464a4b9eb8cee71d', name: 'weather', argumentsDelta: '' },
        { type: 'toolCallDelta', index: 0, argumentsDelta: '{"location": "San Francisco' },
        { type: 'toolCallDelta', index: 0, argumentsDelta: '"}' },
      ]);
      assert.deepEqual(turn.usage, {
        promptTokens: 295,
        completionTokens: 22,
        totalTokens: 317,
        cachedTokens: 0,
        cacheCreationTokens: 0,
        reasoningTokens: 0,
      });
      const types = events.map((e) => e.type);
      assert.deepEqual(types.slice(-3), ['usage', 'toolCall', 'finish']);
    });

    for (const name of ['alibaba-reasoning-tool-call-qwen3-coder', 'alibaba-reasoning-tool-call']) {
      it(`${name}: call recovered from reasoning (with and without tool names)`, () => {
        const chunks = loadChunkLines(name).map((l) => JSON.parse(l) as unknown);
        for (const opts of [{}, { toolNames: ['get_weather', 'read_file'] }]) {
          const { turn } = run(chunks, opts);
          assert.equal(turn.finishReason, 'stop');
          assert.equal(turn.content, '');
          assert.equal(turn.usage?.reasoningTokens, 12);
          assert.equal(turn.toolCalls.length, 1);
          const call = turn.toolCalls[0];
          assert.equal(call?.name, 'get_weather');
          assert.equal(call?.source, 'reasoning');
          assert.deepEqual(call?.arguments, { city: 'Lisbon' });
          assert.equal(call?.id, 'call_text_0');
        }
      });

      it(`${name}: not recovered for an unknown tool or when no tools were offered`, () => {
        const chunks = loadChunkLines(name).map((l) => JSON.parse(l) as unknown);
        assert.deepEqual(run(chunks, { toolNames: ['read_file'] }).turn.toolCalls, []);
        assert.deepEqual(run(chunks, { toolNames: [] }).turn.toolCalls, []);
      });
    }

    it('every recording replays the same through SSE framing and the reference parser', () => {
      for (const name of ['alibaba-text', 'alibaba-reasoning', 'alibaba-tool-call', 'alibaba-reasoning-tool-call']) {
        const lines = loadChunkLines(name);
        const direct = run(lines.map((l) => JSON.parse(l))).turn;
        const replayed = run(parseSseText(toSse(lines))).turn;
        assert.deepEqual(replayed, direct, name);
      }
    });

    it('alibaba-issue-18759.json: a non-streaming completion (choices[0].message) reads the same way', () => {
      const completion: unknown = JSON.parse(readFileSync(fixturePath('recorded', 'alibaba-issue-18759.json'), 'utf8'));
      const { turn } = run([completion]);
      assert.equal(turn.content, '391');
      assert.ok(turn.reasoning.startsWith('Okay, so I need to calculate 17 multiplied by 23.'));
      assert.equal(turn.usage?.reasoningTokens, 496);
      assert.equal(turn.finishReason, 'stop');
      assert.equal(turn.model, 'qwen-plus');
    });
  });

  describe('content handling', () => {
    it('a chunk with neither reasoning nor content keeps the phase; null means none', () => {
      const { turn, events } = run([
        chunk({ role: 'assistant', content: null, reasoning_content: '' }),
        chunk({ content: null, reasoning_content: 'think ' }),
        chunk({}),
        chunk({ content: null, reasoning_content: 'more' }),
        chunk({ content: 'answer', reasoning_content: null }),
        chunk({ content: '' }, 'stop'),
      ]);
      assert.equal(turn.reasoning, 'think more');
      assert.equal(turn.content, 'answer');
      assert.deepEqual(
        events.filter((e) => e.type === 'reasoning' || e.type === 'content').map((e) => e.type),
        ['reasoning', 'reasoning', 'content'],
      );
    });

    it('<think> leakage in content goes to reasoning', () => {
      const { turn, events } = run([
        chunk({ content: '<thi' }),
        chunk({ content: 'nk>\nLet me plan.</th' }),
        chunk({ content: 'ink>\n\nHere is the answer.' }),
        chunk({}, 'stop'),
      ]);
      assert.equal(turn.reasoning, 'Let me plan.');
      assert.equal(turn.content, 'Here is the answer.');
      assert.equal(textOf(events, 'reasoning'), turn.reasoning);
      assert.equal(textOf(events, 'content'), turn.content);
    });

    it('text-form calls are held back while streaming: raw call XML never reaches a content event', () => {
      const text =
        'I will read it.\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a.ts\n</parameter>\n' +
        '<parameter=limit>\n20\n</parameter>\n</function>\n</tool_call>';
      for (let size = 1; size <= 12; size++) {
        const chunks = [];
        for (let i = 0; i < text.length; i += size) chunks.push(chunk({ content: text.slice(i, i + size) }));
        chunks.push(chunk({}, 'stop'));
        const { turn, events } = run(chunks, { toolNames: ['read_file'] });
        assert.equal(turn.content, 'I will read it.\n', `size ${size}`);
        assert.ok(!textOf(events, 'content').includes('<'), `size ${size}`);
        assert.equal(turn.toolCalls.length, 1);
        assert.deepEqual(turn.toolCalls[0]?.arguments, { path: 'src/a.ts', limit: 20 });
        assert.equal(turn.toolCalls[0]?.source, 'text');
      }
    });

    it('an unclosed text-form block is released as content at the end', () => {
      const { turn } = run([chunk({ content: 'Plan:\n<function=read_file>\n<parameter=path>\nx' }), chunk({}, 'stop')]);
      assert.equal(turn.content, 'Plan:\n<function=read_file>\n<parameter=path>\nx');
      assert.deepEqual(turn.toolCalls, []);
    });

    it('reasoning-embedded calls are not taken when the reply has content', () => {
      const { turn } = run([
        chunk({ reasoning_content: '<tool_call><function=get_weather>{"city":"Oslo"}</function></tool_call>' }),
        chunk({ content: 'It is sunny.' }, 'stop'),
      ]);
      assert.deepEqual(turn.toolCalls, []);
    });
  });

  describe('usage, finish and metrics', () => {
    it('maps cache and reasoning details; missing ones are 0', () => {
      const { turn, events } = run([
        chunk({ content: 'x' }, 'stop'),
        usageChunk({
          prompt_tokens: 2000,
          completion_tokens: 10,
          total_tokens: 2010,
          prompt_tokens_details: { cached_tokens: 1024, cache_creation_input_tokens: 512 },
          completion_tokens_details: { reasoning_tokens: 4 },
        }),
      ]);
      assert.deepEqual(turn.usage, {
        promptTokens: 2000,
        completionTokens: 10,
        totalTokens: 2010,
        cachedTokens: 1024,
        cacheCreationTokens: 512,
        reasoningTokens: 4,
      });
      assert.deepEqual(events.filter((e) => e.type === 'usage').length, 1);
      const topLevel = run([usageChunk({ prompt_tokens: 5, completion_tokens: 1, cache_creation_input_tokens: 7 })]).turn.usage;
      assert.deepEqual(topLevel, {
        promptTokens: 5,
        completionTokens: 1,
        totalTokens: 6,
        cachedTokens: 0,
        cacheCreationTokens: 7,
        reasoningTokens: 0,
      });
    });

    it('finish reasons: known ones kept, others unknown; "null", "" and null are not a reason', () => {
      const reasonOf = (chunks: unknown[]) => {
        const { acc, turn } = run(chunks);
        return [acc.sawFinishReason, turn.finishReason];
      };
      assert.deepEqual(reasonOf([chunk({ content: 'a' }, 'stop')]), [true, 'stop']);
      assert.deepEqual(reasonOf([chunk({ content: 'a' }, 'content_filter')]), [true, 'content_filter']);
      assert.deepEqual(reasonOf([chunk({ content: 'a' }, 'insufficient_system_resource')]), [true, 'unknown']);
      assert.deepEqual(reasonOf([chunk({ content: 'a' }, 'null'), chunk({ content: 'b' }, ''), chunk({}, null)]), [false, 'unknown']);
    });

    it('metrics from an injected clock', () => {
      let t = 1000;
      const acc = new StreamAccumulator({ now: () => t, startedAt: 900 });
      t = 1150;
      acc.push(chunk({ role: 'assistant', content: '' }));
      t = 1250;
      acc.push(chunk({ reasoning_content: 'hmm' }));
      t = 2000;
      acc.push(chunk({ content: 'done' }, 'stop'));
      acc.push(usageChunk({ prompt_tokens: 10, completion_tokens: 50, total_tokens: 60 }));
      t = 3250;
      const events = acc.finish();
      const finish = events.at(-1);
      assert.ok(finish?.type === 'finish');
      assert.deepEqual(finish.metrics, { timeToFirstTokenMs: 350, durationMs: 2350, tokensPerSecond: 25 });
      assert.deepEqual(acc.turn.metrics, finish.metrics);
    });

    it('metrics: startedAt defaults to construction time; no usage means no tokensPerSecond', () => {
      let t = 500;
      const acc = new StreamAccumulator({ now: () => t });
      t = 600;
      acc.push(toolDelta({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }));
      t = 700;
      const finish = acc.finish().at(-1);
      assert.ok(finish?.type === 'finish');
      assert.deepEqual(finish.metrics, { timeToFirstTokenMs: 100, durationMs: 200 });
    });

    it('no token at all: only durationMs', () => {
      let t = 0;
      const acc = new StreamAccumulator({ now: () => t });
      t = 40;
      const finish = acc.finish().at(-1);
      assert.ok(finish?.type === 'finish');
      assert.equal(finish.reason, 'unknown');
      assert.deepEqual(finish.metrics, { durationMs: 40 });
    });
  });

  describe('errors and lifecycle', () => {
    it('an error chunk fails the turn and keeps the partial text', () => {
      const acc = new StreamAccumulator();
      acc.push(chunk({ content: 'Half an ans' }));
      const events = acc.push({ error: { code: 'Throttling', message: 'Requests rate limit exceeded' } });
      assert.equal(events.length, 1);
      const err = events[0];
      assert.ok(err?.type === 'error');
      assert.equal(err.error.kind, 'rateLimit');
      assert.equal(err.error.code, 'Throttling');
      assert.equal(acc.turn.content, 'Half an ans');
      assert.equal(acc.turn.partial, true);
      assert.equal(acc.turn.error, err.error);
      assert.deepEqual(acc.push(chunk({ content: 'more' })), []);
      assert.deepEqual(acc.finish(), []);
      assert.equal(acc.turn.content, 'Half an ans');
    });

    it('a DashScope-style error chunk (top-level code + message) is classified', () => {
      const acc = new StreamAccumulator();
      const events = acc.push({ code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.', request_id: 'r-1' });
      const err = events.at(-1);
      assert.ok(err?.type === 'error');
      assert.equal(err.error.kind, 'contentInspection');
      assert.equal(err.error.requestId, 'r-1');
    });

    it('fail() releases held-back text, emits one error event, and is final', () => {
      const acc = new StreamAccumulator();
      acc.push(chunk({ content: 'Reading.\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc' }));
      assert.equal(acc.turn.content, 'Reading.\n');
      const error = new QwenError({ kind: 'network', message: 'cut' });
      const events = acc.fail(error);
      assert.deepEqual(events, [
        { type: 'content', text: '<tool_call>\n<function=read_file>\n<parameter=path>\nsrc' },
        { type: 'error', error },
      ]);
      assert.equal(acc.turn.content, 'Reading.\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc');
      assert.deepEqual(acc.turn.toolCalls, []);
      assert.equal(acc.turn.partial, true);
      assert.deepEqual(acc.fail(error), []);
      assert.deepEqual(acc.finish(), []);
    });

    it('push after finish is ignored; finish twice gives nothing', () => {
      const acc = new StreamAccumulator();
      acc.push(chunk({ content: 'a' }, 'stop'));
      const first = acc.finish();
      assert.equal(first.at(-1)?.type, 'finish');
      assert.equal(acc.turn.partial, false);
      assert.deepEqual(acc.push(chunk({ content: 'b' })), []);
      assert.deepEqual(acc.finish(), []);
      assert.equal(acc.turn.content, 'a');
    });

    it('non-object and odd chunks are ignored without throwing', () => {
      const acc = new StreamAccumulator();
      const odd: unknown[] = [
        null,
        undefined,
        42,
        'data: x',
        [],
        [{ choices: [] }],
        {},
        { choices: 'x' },
        { choices: [null] },
        { choices: [{ delta: null }] },
        { choices: [{ delta: { content: 5, tool_calls: 'x' } }] },
        { choices: [{ delta: { tool_calls: [null, 3, { index: 'a' }] } }] },
        { output: null },
        { usage: 'lots' },
      ];
      for (const c of odd) assert.doesNotThrow(() => acc.push(c));
      assert.equal(acc.turn.content, '');
      assert.equal(acc.turn.error, undefined);
      assert.equal(acc.finish().at(-1)?.type, 'finish');
    });
  });
});
