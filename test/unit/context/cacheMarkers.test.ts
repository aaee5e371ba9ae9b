import assert from 'node:assert/strict';
import { countCacheMarkers, MAX_CACHE_MARKERS, MIN_CACHE_BLOCK_TOKENS, placeCacheMarkers, type CacheMarker } from '../../../src/core/context/cacheMarkers';
import { contentText, estimateTokens } from '../../../src/core/context/estimate';
import { toApiMessages, type ApiMessage, type ChatMessage } from '../../../src/core/messages';
import { getModel } from '../../../src/core/models';
import { QwenClient, collectTurn } from '../../../src/core/qwenClient';
import { buildChatRequest, type ToolDefinition } from '../../../src/core/requestBuilder';
import { startFakeQwen, type FakeQwenServer } from '../../fakes/fakeQwenServer';

const CODER = getModel('qwen3-coder-plus'); // explicitCache: true
/** ~1,200 tokens of prose. */
const LONG_SYSTEM = 'You are a careful coding assistant. Prefer small, tested changes and explain why. '.repeat(75);
const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i % 7} word`).join(' ');
const READ_FILE: ToolDefinition = { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } };

/** A chat after `turns` answered turns and one new question; each turn ~2,400 tokens. */
function chat(turns: number): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (let t = 1; t <= turns; t++) history.push({ role: 'user', content: `Question ${t}: ${words(300, 'q')}` }, { role: 'assistant', content: `Answer ${t}: ${words(500, 'a')}` });
  // the latest question is stored as is: the next request repeats it unchanged
  history.push({ role: 'user', content: `Question ${turns + 1}: ${words(300, 'q')}` });
  return history;
}
const api = (history: ChatMessage[], system = LONG_SYSTEM): ApiMessage[] => toApiMessages(history, { system, includeReasoning: false });
const markedIndexes = (ms: readonly ApiMessage[]) => ms.flatMap((m, i) => (typeof m.content !== 'string' && m.content.some((p) => p.cache_control) ? [i] : []));

function assertBlocks(markers: readonly CacheMarker[]) {
  assert.ok(markers.length <= MAX_CACHE_MARKERS, `${markers.length} markers`);
  let before = 0;
  for (const m of markers) {
    assert.ok(m.prefixTokens - before >= MIN_CACHE_BLOCK_TOKENS, `block ending at ${m.index} has ${m.prefixTokens - before} tokens`);
    before = m.prefixTokens;
  }
}

describe('context: explicit cache markers', () => {
  it('places none for models without explicit caching, or when the setting is off', () => {
    const messages = api(chat(5));
    for (const r of [placeCacheMarkers({ model: getModel('qwen-plus'), messages }), placeCacheMarkers({ model: CODER, messages, enabled: false })]) {
      assert.deepEqual(r.markers, []);
      assert.deepEqual(r.messages, messages);
      assert.ok(r.messages.every((m) => typeof m.content === 'string'));
    }
  });

  it('marks the system prompt, the previous turn and the latest question: ≤ 4 markers, blocks ≥ 1,024 tokens', () => {
    const r = placeCacheMarkers({ model: CODER, messages: api(chat(5)), tools: [{ type: 'function', function: { ...READ_FILE } }] });
    assert.deepEqual(
      r.markers.map((m) => [m.index, m.reason]),
      [
        [0, 'system'],
        [9, 'previous-turn'],
        [11, 'latest'],
      ],
    );
    assertBlocks(r.markers);
    assert.deepEqual(markedIndexes(r.messages), [0, 9, 11]);
    assert.equal(countCacheMarkers(r.messages), 3);
    // the marked system message is now content parts, the marker on its (only) part; its text is unchanged
    const system = r.messages[0];
    assert.ok(system && typeof system.content !== 'string');
    assert.deepEqual(system.content, [{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral' } }]);
    // unmarked messages are the same objects, and assistant content stays a string
    assert.ok(r.messages.filter((m) => m.role === 'assistant').every((m) => typeof m.content === 'string'));
  });

  it('moves forward each turn: what one request writes (its latest marker) is what the next one reads', () => {
    let previousLatest: string | undefined;
    let previousIndex = -1;
    for (let turns = 0; turns < 8; turns++) {
      const r = placeCacheMarkers({ model: CODER, messages: api(chat(turns)) });
      assertBlocks(r.markers);
      const latest = r.markers.find((m) => m.reason === 'latest');
      assert.ok(latest, `turn ${turns + 1} writes a block`);
      assert.ok(latest.index > previousIndex, 'the write marker moves forward');
      assert.equal(latest.index, r.messages.length - 1, 'at the end of the prompt');
      if (previousLatest !== undefined) {
        const read = r.markers.find((m) => m.reason === 'previous-turn');
        assert.ok(read, `turn ${turns + 1} reads the previous block`);
        assert.equal(contentText(r.messages[read.index]?.content ?? ''), previousLatest);
      }
      previousLatest = contentText(r.messages[latest.index]?.content ?? '');
      previousIndex = latest.index;
    }
  });

  it('skips a marker whose block would be under 1,024 tokens, and a short prompt gets none', () => {
    const short: ChatMessage[] = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'Explain caching.' }];
    assert.deepEqual(placeCacheMarkers({ model: CODER, messages: api(short, 'Be brief.') }).markers, []);
    // a long system prompt and two short turns: one block in all, ending at the latest question (it holds the
    // system prompt); a second marker after the system prompt would cut a block of a few tokens
    const r = placeCacheMarkers({ model: CODER, messages: api(short) });
    assert.deepEqual(r.markers.map((m) => [m.index, m.reason]), [[3, 'latest']]);
    assert.ok(estimateTokens(LONG_SYSTEM) >= MIN_CACHE_BLOCK_TOKENS);
  });

  it('marks a long earlier message (an attached file) and never exceeds four markers', () => {
    const history = chat(6);
    history.splice(2, 0, { role: 'user', content: `<file name="big.ts">\n${words(1500, 'file')}\n</file>` }, { role: 'assistant', content: 'Read it.' });
    const r = placeCacheMarkers({ model: CODER, messages: api(history) });
    assert.equal(r.markers.length, 4);
    assert.deepEqual(r.markers.map((m) => m.reason), ['system', 'long-message', 'previous-turn', 'latest']);
    assertBlocks(r.markers);
  });

  it('removes markers already in the messages, so the count stays within four', () => {
    const messages = api(chat(5)).map((m): ApiMessage => (m.role === 'user' ? { role: 'user', content: [{ type: 'text', text: contentText(m.content), cache_control: { type: 'ephemeral' } }] } : m));
    assert.equal(countCacheMarkers(messages), 6);
    const r = placeCacheMarkers({ model: CODER, messages });
    assert.equal(countCacheMarkers(r.messages), r.markers.length);
    assert.ok(r.markers.length <= 4);
  });

  describe('sent to the fake server', function () {
    this.timeout(20_000);
    let server: FakeQwenServer;
    let client: QwenClient;
    before(async () => {
      server = await startFakeQwen({ apiKey: 'sk-cache' });
      client = new QwenClient({ baseUrl: server.baseUrl, apiKey: 'sk-cache', retry: { maxRetries: 0 } });
    });
    after(() => server.close());

    for (const model of ['qwen3-coder-plus', 'qwen3-max', 'qwen-flash', 'qwen3.6-plus']) {
      it(`${model}: the marked request, with tools and a tool round, is accepted as sent`, async () => {
        server.requests.length = 0;
        const history: ChatMessage[] = [
          ...chat(3).slice(0, -1),
          { role: 'user', content: 'Read a.ts' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', argumentsText: '{"path":"a.ts"}' }] },
          { role: 'tool', toolCallId: 'c1', content: words(200, 'src') },
          { role: 'assistant', content: 'It exports a.' },
          { role: 'user', content: 'And b.ts?' },
        ];
        const body = buildChatRequest({ model, messages: history, system: LONG_SYSTEM, tools: [READ_FILE] });
        const info = getModel(model);
        assert.equal(info.explicitCache, true);
        const marked = placeCacheMarkers({ model: info, messages: body.messages, ...(body.tools && { tools: body.tools }) });
        assert.ok(marked.markers.length >= 2);
        const turn = await collectTurn(client.stream({ ...body, messages: marked.messages }));
        assert.equal(turn.error, undefined, turn.error?.message);
        const sent = server.requests[0]?.body as { messages: ApiMessage[] };
        assert.deepEqual(markedIndexes(sent.messages), marked.markers.map((m) => m.index));
        assert.deepEqual(sent.messages, JSON.parse(JSON.stringify(marked.messages)));
      });
    }
  });
});
