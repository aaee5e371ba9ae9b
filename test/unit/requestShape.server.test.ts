/**
 * Request shapes end to end: what `buildChatRequest` / `buildSideRequest` produce for each kind of model is sent by
 * the real client to the fake server, which rejects what Model Studio rejects. A builder bug that would be a 400 in
 * production fails here, and the recorded body shows exactly which thinking keys went out.
 */
import assert from 'node:assert/strict';
import { QwenClient, collectTurn } from '../../src/core/qwenClient';
import { buildChatRequest, buildSideRequest, type ThinkingMode, type ToolDefinition } from '../../src/core/requestBuilder';
import type { ChatMessage } from '../../src/core/messages';
import { QwenError } from '../../src/core/errors';
import { startFakeQwen, type FakeQwenServer } from '../fakes/fakeQwenServer';

const READ_FILE: ToolDefinition = {
  name: 'read_file',
  description: 'Read a file of the workspace',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

/** A history with an answered tool call and reasoning, the shape the agent sends on its second turn. */
const HISTORY: ChatMessage[] = [
  { role: 'user', content: 'What does a.ts export?' },
  { role: 'assistant', content: '', reasoning: 'I should read the file.', toolCalls: [{ id: 'call_1', name: 'read_file', argumentsText: '{"path":"a.ts"}' }] },
  { role: 'tool', toolCallId: 'call_1', name: 'read_file', content: 'export const a = 1;' },
];

// [model, kind, what the body must say about thinking for auto / on / off]
const KINDS: [string, string, Record<ThinkingMode, boolean | undefined>][] = [
  ['qwen3-coder-plus', 'coder (no thinking)', { auto: undefined, on: undefined, off: undefined }],
  ['qwen3.6-plus', 'hybrid, on by default', { auto: undefined, on: undefined, off: false }],
  ['qwen-plus', 'hybrid, off by default', { auto: undefined, on: true, off: undefined }],
  ['qwq-plus', 'always thinking', { auto: undefined, on: undefined, off: undefined }],
  ['custom-model', 'unknown (custom endpoint)', { auto: undefined, on: undefined, off: undefined }],
];

describe('request shapes per model kind, accepted by the fake server', function () {
  this.timeout(20_000);
  let server: FakeQwenServer;
  let client: QwenClient;
  before(async () => {
    server = await startFakeQwen({ apiKey: 'sk-shape' });
    client = new QwenClient({ baseUrl: server.baseUrl, apiKey: 'sk-shape', retry: { maxRetries: 0 } });
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  for (const [model, kind, expected] of KINDS) {
    for (const thinking of ['auto', 'on', 'off'] as const) {
      it(`${kind} · ${model} · thinking ${thinking}: streamed chat with tools and history is accepted`, async () => {
        const body = buildChatRequest({ model, messages: HISTORY, system: 'You are a coding assistant.', thinking, tools: [READ_FILE], parallelToolCalls: true });
        const turn = await collectTurn(client.stream(body));
        assert.equal(turn.error, undefined, turn.error?.message);
        const sent = server.requests[0]?.body as Record<string, unknown>;
        assert.equal(sent['stream'], true);
        assert.deepEqual(sent['stream_options'], { include_usage: true });
        assert.equal(typeof sent['max_tokens'], 'number');
        assert.equal(sent['enable_thinking'], expected[thinking], 'enable_thinking');
        assert.equal((sent['messages'] as { role: string }[])[0]?.role, 'system');
      });
    }

    it(`${kind} · ${model}: side call is non-streaming with thinking off, or refused before sending`, async () => {
      let body;
      try {
        body = buildSideRequest({ model, messages: [{ role: 'user', content: 'Title for: fix the parser' }] });
      } catch (e) {
        // Always-thinking models cannot answer non-streaming: refused here, not by a 400.
        assert.ok(e instanceof QwenError && e.kind === 'invalidRequest', String(e));
        assert.equal(model, 'qwq-plus');
        return;
      }
      const turn = await client.complete(body);
      assert.equal(turn.error, undefined, turn.error?.message);
      const sent = server.requests[0]?.body as Record<string, unknown>;
      assert.equal(sent['stream'], false);
      assert.equal('stream_options' in sent, false);
      if (kind.startsWith('hybrid')) assert.equal(sent['enable_thinking'], false);
      else assert.equal('enable_thinking' in sent, false);
    });
  }

  it('thinking with a forced tool choice is refused before sending, with a fix in the message', () => {
    assert.throws(
      () => buildChatRequest({ model: 'qwen3.6-plus', messages: HISTORY, tools: [READ_FILE], toolChoice: 'required' }),
      (e: unknown) => e instanceof QwenError && e.kind === 'invalidRequest' && /thinking/i.test(e.message),
    );
    assert.equal(server.requests.length, 0);
  });

  it('the same forced tool choice with thinking off is accepted by the server', async () => {
    const body = buildChatRequest({ model: 'qwen3.6-plus', messages: HISTORY, thinking: 'off', tools: [READ_FILE], toolChoice: 'required' });
    const turn = await collectTurn(client.stream(body));
    assert.equal(turn.error, undefined, turn.error?.message);
  });

  it('a history holding a call with broken JSON arguments is still accepted (arguments wrapped as an object)', async () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'Edit a.ts' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_bad', name: 'read_file', argumentsText: '{"path": "a.t' }] },
      { role: 'tool', toolCallId: 'call_bad', content: 'The tool call arguments are not valid JSON.' },
    ];
    const turn = await collectTurn(client.stream(buildChatRequest({ model: 'qwen3-coder-plus', messages: history, tools: [READ_FILE] })));
    assert.equal(turn.error, undefined, turn.error?.message);
  });

  it('a thinking budget goes out only with thinking on, within the model maximum', async () => {
    const body = buildChatRequest({ model: 'qwen-plus', messages: HISTORY, thinking: 'on', thinkingBudget: 10_000_000 });
    await collectTurn(client.stream(body));
    const sent = server.requests[0]?.body as Record<string, unknown>;
    assert.equal(sent['enable_thinking'], true);
    assert.ok(typeof sent['thinking_budget'] === 'number' && sent['thinking_budget'] < 10_000_000 && sent['thinking_budget'] > 0);
    const off = buildChatRequest({ model: 'qwen-plus', messages: HISTORY, thinking: 'off', thinkingBudget: 500 });
    assert.equal('thinking_budget' in off, false);
  });
});
