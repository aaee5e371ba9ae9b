import assert from 'node:assert/strict';
import { errors } from '../fakes/fakeQwenServer';
import type { Scenario } from '../fakes/fakeQwenServer';
import {
  useFreshFake,
  fake,
  fixtureLines,
  DONE,
  user,
  streamBody,
  deltas,
  callDeltas,
  post,
  frames,
  streamed,
  mergeCalls,
  shape,
} from '../support/fakeHttp';

describe('fake Qwen server', () => {
  useFreshFake();
  describe('streaming', () => {
    it('frames a text answer byte for byte like DashScope', async () => {
      fake().script({ kind: 'text', text: 'Hello world!', chunkSize: 5, usage: { promptTokens: 7 } });
      const res = await post(streamBody('qwen3-coder-plus'));
      assert.equal(res.headers.get('content-type'), 'text/event-stream;charset=UTF-8');
      const text = await res.text();
      const m = /"created":(\d+),"system_fingerprint":null,"model":"qwen3-coder-plus","id":"(chatcmpl-[0-9a-f-]{36})"/.exec(text);
      assert.ok(m, 'first chunk carries created and id');
      const tail = `"object":"chat.completion.chunk","usage":null,"created":${m[1]},"system_fingerprint":null,"model":"qwen3-coder-plus","id":"${m[2]}"}`;
      const frame = (choice: string) => `data: {"choices":[${choice}],${tail}\n\n`;
      const usage = `data: {"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10,"prompt_tokens_details":{"cached_tokens":0}},"created":${m[1]},"system_fingerprint":null,"model":"qwen3-coder-plus","id":"${m[2]}"}\n\n`;
      const expected =
        frame('{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}') +
        frame('{"delta":{"content":"Hello"},"finish_reason":null,"index":0,"logprobs":null}') +
        frame('{"delta":{"content":" worl"},"finish_reason":null,"index":0,"logprobs":null}') +
        frame('{"delta":{"content":"d!"},"finish_reason":null,"index":0,"logprobs":null}') +
        frame('{"finish_reason":"stop","delta":{"content":""},"index":0,"logprobs":null}') +
        usage +
        DONE;
      assert.equal(text, expected);
    });

    it('opening, middle, finishing and usage chunks have the shapes of the recorded text and reasoning streams', async () => {
      fake().script({ kind: 'text', text: 'abcdefghijkl', chunkSize: 4 }, { kind: 'thinking', reasoning: 'abcdefghijkl', text: 'abcd', chunkSize: 4 });
      for (const [model, file] of [['qwen3-max', 'alibaba-text.chunks.txt'], ['qwen3.6-plus', 'alibaba-reasoning.chunks.txt']] as const) {
        const ours = (await streamed(streamBody(model))).chunks.map(shape);
        const recorded = fixtureLines(file).map((l) => shape(JSON.parse(l)));
        for (const i of [0, 2, -2, -1]) assert.equal(JSON.stringify(ours.at(i)), JSON.stringify(recorded.at(i)), `${file} chunk ${i}`);
      }
    });

    it('sends the usage chunk only when stream_options.include_usage is set', async () => {
      const { chunks } = await streamed({ model: 'qwen3-coder-plus', messages: [user()], stream: true });
      assert.ok(chunks.every((c) => c.usage === null && c.choices.length === 1));
    });

    it('streams reasoning, then content, with the other field null, and counts reasoning tokens', async () => {
      fake().script({ kind: 'thinking', reasoning: 'Let me think.', text: 'Answer.', chunkSize: 7 });
      const { chunks } = await streamed(streamBody('qwen3.6-plus'));
      assert.deepEqual(deltas(chunks), [
        { content: null, role: 'assistant', reasoning_content: '' },
        { content: null, reasoning_content: 'Let me ' },
        { content: null, reasoning_content: 'think.' },
        { content: 'Answer.', reasoning_content: null },
        { content: '', reasoning_content: null },
      ]);
      assert.equal(chunks.at(-1)?.usage?.completion_tokens_details?.reasoning_tokens, 4);
    });

    it('gives a thinking-on request the thinking default answer, and others plain text', async () => {
      const thinking = await streamed(streamBody('qwen3.6-plus'));
      assert.ok(deltas(thinking.chunks).some((d) => d.reasoning_content));
      const plain = await streamed(streamBody('qwen3-coder-plus'));
      assert.equal(deltas(plain.chunks).map((d) => d.content ?? '').join(''), 'Hello from fake Qwen.');
      assert.ok(deltas(plain.chunks).every((d) => !('reasoning_content' in d)));
    });

    it('answers a non-streaming request with one chat.completion, and serves /v1 too', async () => {
      fake().script({ kind: 'text', text: '391' });
      const res = await post({ model: 'qwen-plus', messages: [user()] }, { path: '/v1/chat/completions' });
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.object, 'chat.completion');
      assert.deepEqual(body.choices, [{ message: { content: '391', role: 'assistant' }, finish_reason: 'stop', index: 0, logprobs: null }]);
      assert.deepEqual(Object.keys(body), ['choices', 'object', 'usage', 'created', 'system_fingerprint', 'model', 'id']);
    });

    it('drips chunks at tokensPerSecond and delays the whole answer with delay', async () => {
      fake().script({ kind: 'delay', ms: 150, then: { kind: 'text', text: 'abcd', chunkSize: 1, tokensPerSecond: 50 } });
      const t0 = Date.now();
      await streamed(streamBody('qwen3-coder-plus'));
      // 150 ms delay + 7 gaps of 20 ms between the 8 chunks.
      assert.ok(Date.now() - t0 >= 280, `took ${Date.now() - t0} ms`);
    });

    it('generates a deterministic markdown answer of exactly the asked length', async () => {
      fake().script({ kind: 'large', chars: 5000, chunkSize: 50 }, { kind: 'large', chars: 5000, chunkSize: 50 });
      const a = deltas((await streamed(streamBody('qwen3-coder-plus'))).chunks).map((d) => d.content ?? '').join('');
      const b = deltas((await streamed(streamBody('qwen3-coder-plus'))).chunks).map((d) => d.content ?? '').join('');
      assert.equal(a.length, 5000);
      assert.equal(a, b);
      for (const part of ['## Section', '- Item', '```ts', '|---|', '> ']) assert.ok(a.includes(part), part);
    });
  });

  describe('tool calls', () => {
    const weather = { id: 'call_1', name: 'weather', arguments: '{"location": "San Francisco"}' };

    it('dashscope: same chunk shapes as the recorded alibaba-tool-call stream', async () => {
      fake().script({ kind: 'toolCalls', calls: [weather], argChunkSize: 27 });
      const { text, chunks } = await streamed(streamBody('qwen3-max'));
      const recorded = fixtureLines('alibaba-tool-call.chunks.txt').map((l) => JSON.parse(l) as unknown);
      assert.deepEqual(JSON.stringify(chunks.map(shape)), JSON.stringify(recorded.map(shape)));
      assert.deepEqual(callDeltas(chunks), [
        { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } },
        { index: 0, id: '', type: 'function', function: { arguments: '{"location": "San Francisco' } },
        { index: 0, id: '', type: 'function', function: { arguments: '"}' } },
        { function: { arguments: '' }, index: 0, id: '', type: 'function' },
      ]);
      assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'tool_calls');
      assert.ok(text.endsWith(DONE));
    });

    it('indexOnly: parallel calls whose later deltas carry only index and arguments, interleaved', async () => {
      const calls = [
        { id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { id: 'call_b', name: 'read_file', arguments: '{"path":"b.ts"}' },
      ];
      fake().script({ kind: 'toolCalls', calls, variant: 'indexOnly', argChunkSize: 5 });
      const list = callDeltas((await streamed(streamBody('qwen3-coder-plus'))).chunks);
      assert.deepEqual(list.map((d) => d.index).slice(0, 4), [0, 1, 0, 1]);
      const later = list.filter((d) => d.id === undefined);
      assert.ok(later.length >= 6);
      for (const d of later) assert.deepEqual(Object.keys(d), ['index', 'function']);
      assert.deepEqual(mergeCalls(list), calls);
    });

    it('nameThenWholeArgs: the name in one delta, the id repeated with all arguments in the next', async () => {
      fake().script({ kind: 'toolCalls', calls: [weather], variant: 'nameThenWholeArgs' });
      assert.deepEqual(callDeltas((await streamed(streamBody('qwen3-coder-plus'))).chunks), [
        { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } },
        { index: 0, id: 'call_1', type: 'function', function: { arguments: weather.arguments } },
      ]);
    });

    it('emptyFunction: deltas with function {} still merge into the call', async () => {
      fake().script({ kind: 'toolCalls', calls: [weather], variant: 'emptyFunction' });
      const list = callDeltas((await streamed(streamBody('qwen3-coder-plus'))).chunks);
      assert.ok(list.filter((d) => d.function !== undefined && Object.keys(d.function).length === 0).length >= 2);
      assert.deepEqual(mergeCalls(list), [weather]);
    });

    it('puts reasoning and content before the calls, and returns tool_calls when not streaming', async () => {
      fake().script({ kind: 'toolCalls', calls: [weather], reasoning: 'Need weather.', content: 'Checking.' });
      const d = deltas((await streamed(streamBody('qwen3.6-plus'))).chunks);
      assert.deepEqual(d[0], { content: null, role: 'assistant', reasoning_content: '' });
      assert.ok(d.findIndex((x) => x.content === 'Checking.') < d.findIndex((x) => x.tool_calls));
      fake().script({ kind: 'toolCalls', calls: [weather] });
      const body = (await (await post({ model: 'qwen3-coder-plus', messages: [user()] })).json()) as { choices: { message: unknown; finish_reason: string }[] };
      assert.equal(body.choices[0]?.finish_reason, 'tool_calls');
      assert.deepEqual(body.choices[0]?.message, { content: '', role: 'assistant', tool_calls: [{ function: { name: 'weather', arguments: weather.arguments }, index: 0, id: 'call_1', type: 'function' }] });
    });
  });

  describe('replay', () => {
    it('replays a recorded stream verbatim with the SSE framing added', async () => {
      const lines = fixtureLines('alibaba-tool-call.chunks.txt');
      fake().script({ kind: 'replay', lines }, { kind: 'replay', lines, done: false });
      const expected = lines.map((l) => `data: ${l}\n\n`).join('');
      assert.equal((await streamed(streamBody('qwen3-max'))).text, expected + DONE);
      assert.equal((await streamed(streamBody('qwen3-max'))).text, expected);
    });
  });

  describe('failures', () => {
    it('serves an http scenario as given: its status, its headers, its body verbatim', async () => {
      // the bodies themselves are DashScope's (scenarios.ts); what the fake adds is the HTTP around them
      const scenarios: Extract<Scenario, { kind: 'http' }>[] = [errors.throttled(3), errors.invalidApiKey(), { kind: 'http', status: 502, body: 'Bad gateway' }];
      fake().script(...scenarios);
      for (const s of scenarios) {
        const res = await post(streamBody('qwen3-coder-plus'));
        assert.equal(res.status, s.status);
        assert.equal(res.headers.get('retry-after'), s.headers?.['retry-after'] ?? null);
        assert.equal(await res.text(), typeof s.body === 'string' ? s.body : JSON.stringify(s.body));
      }
      // each DashScope error carries a fresh request id, as the real ones do
      assert.notEqual(errors.server().body, errors.server().body);
      assert.match(String((errors.server().body as { request_id: string }).request_id), /^[0-9a-f-]{36}$/);
    });

    it('streamError: text, then an error event, and no [DONE]', async () => {
      fake().script({ kind: 'streamError', afterText: 'Partial', error: { code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.' } });
      const f = frames((await streamed(streamBody('qwen3-coder-plus'))).text);
      assert.ok(f.some((x) => x.includes('"content":"Partial"')));
      const last = JSON.parse(f.at(-1) ?? '') as { error: { code: string; type: string }; request_id: string };
      assert.equal(last.error.code, 'data_inspection_failed');
      assert.equal(typeof last.request_id, 'string');
    });

    it('cut: the connection dies after the partial text', async () => {
      fake().script({ kind: 'cut', afterText: 'Partial' });
      const res = await post(streamBody('qwen3-coder-plus'));
      const reader = res.body?.getReader();
      assert.ok(reader);
      let received = '';
      const decoder = new TextDecoder();
      await assert.rejects(async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += decoder.decode(value);
        }
      });
      assert.ok(received.includes('Partial'));
      assert.ok(!received.includes('[DONE]'));
    });

    it('stall: silence for stallMs, then a normal end', async () => {
      fake().script({ kind: 'stall', afterText: 'Wait', stallMs: 200 });
      const t0 = Date.now();
      const { text } = await streamed(streamBody('qwen3-coder-plus'));
      assert.ok(Date.now() - t0 >= 190);
      assert.ok(text.endsWith(DONE));
    });

    it('malformed: a broken JSON line inside an otherwise normal stream', async () => {
      fake().script({ kind: 'malformed', afterText: 'ok' });
      const text = await (await post(streamBody('qwen3-coder-plus'))).text();
      assert.ok(text.includes('\n\ndata: {"choices":[{"delta":{"content":"x"\n\n'));
      assert.ok(text.endsWith(DONE));
    });

    it('noDone: finish and usage chunks, then a clean end without [DONE]', async () => {
      fake().script({ kind: 'noDone', text: 'Done-ish' });
      const { text, chunks } = await streamed(streamBody('qwen3-coder-plus'));
      assert.ok(!text.includes('[DONE]'));
      assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
      assert.ok(chunks.at(-1)?.usage);
    });
  });

  describe('recording and lifecycle', () => {
    it('records every request, parsed when JSON and raw otherwise, and serves the queue in order', async () => {
      fake().script({ kind: 'text', text: 'one' }, { kind: 'text', text: 'two' });
      const texts: string[] = [];
      for (let i = 0; i < 3; i++) texts.push(deltas((await streamed(streamBody('qwen-plus'))).chunks).map((d) => d.content ?? '').join(''));
      assert.deepEqual(texts, ['one', 'two', 'Hello from fake Qwen.']);
      await (await post('not json')).text();
      assert.equal(fake().requests.length, 4);
      const first = fake().requests[0];
      assert.equal(first?.method, 'POST');
      assert.equal(first?.path, '/compatible-mode/v1/chat/completions');
      assert.equal(first?.headers.authorization, 'Bearer sk-test');
      assert.deepEqual(first?.body, streamBody('qwen-plus'));
      assert.equal(fake().requests[3]?.body, 'not json');
    });

    it('close() returns promptly while a stalled stream is open', async () => {
      fake().script({ kind: 'stall', afterText: 'Hanging', stallMs: 60_000 });
      const res = await post(streamBody('qwen-plus'));
      const reader = res.body?.getReader();
      assert.ok(reader);
      await reader.read();
      const t0 = Date.now();
      await fake().close();
      assert.ok(Date.now() - t0 < 500, `close took ${Date.now() - t0} ms`);
      await assert.rejects(async () => {
        for (;;) if ((await reader.read()).done) return;
      });
    });
  });
});

