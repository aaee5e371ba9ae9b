/**
 * Property: the network may split the same SSE bytes anywhere (inside `data:`, inside a JSON string, inside a
 * multi-byte UTF-8 character, between `\n` and `\n`); the events that come out must not change.
 * Runs the real client (SDK SSE decoder + accumulator) on an in-memory fetch that delivers the bytes in pieces.
 */
import assert from 'node:assert/strict';
import { QwenClient } from '../../src/core/qwenClient';
import type { StreamEvent } from '../../src/core/events';
import type { ChatCompletionBody } from '../../src/core/requestBuilder';
import { loadChunkLines, toSse } from '../support/fixtures';

const BODY: ChatCompletionBody = {
  model: 'qwen3-max',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
  stream_options: { include_usage: true },
  max_tokens: 1000,
};

/** A fetch that answers every request with `bytes`, cut at the given offsets. */
function piecewiseFetch(bytes: Uint8Array, cuts: readonly number[]): typeof fetch {
  return async () => {
    const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= bounds.length - 1) {
          controller.close();
          return;
        }
        controller.enqueue(bytes.slice(bounds[i], bounds[i + 1]));
        i++;
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream;charset=UTF-8' } });
  };
}

/** Events without wall-clock metrics, which legitimately differ between runs. */
async function eventsFor(bytes: Uint8Array, cuts: readonly number[]): Promise<unknown[]> {
  const client = new QwenClient({ baseUrl: 'http://fake.invalid/v1', apiKey: 'k', fetch: piecewiseFetch(bytes, cuts), now: () => 0 });
  const out: StreamEvent[] = [];
  for await (const e of client.stream(BODY, { toolNames: ['weather', 'get_weather'] })) out.push(e);
  return out;
}

/** Deterministic PRNG so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCuts(length: number, count: number, rnd: () => number): number[] {
  return Array.from({ length: count }, () => Math.floor(rnd() * length)).sort((a, b) => a - b);
}

const encoder = new TextEncoder();

describe('re-chunking: the same SSE bytes split anywhere give identical events', function () {
  this.timeout(120_000);

  const fixtures = [
    'alibaba-tool-call',
    'alibaba-reasoning-tool-call',
    'alibaba-reasoning-tool-call-qwen3-coder',
    'alibaba-text',
    'alibaba-reasoning',
  ];

  for (const name of fixtures) {
    const bytes = encoder.encode(toSse(loadChunkLines(name)));

    const exhaustive = bytes.length <= 3000;
    it(`${name}: ${exhaustive ? 'every' : 'sampled'} single split point (${bytes.length} bytes)`, async function () {
      const baseline = await eventsFor(bytes, []);
      assert.ok(baseline.length > 2, 'fixture yields events');
      // Small fixtures: every boundary. Large ones (tens of KB): 400 evenly spread boundaries plus every boundary
      // of a 600-byte window, which spans whole events, so each kind of position inside an event is still hit.
      const window = Math.floor(bytes.length / 2);
      const cuts = exhaustive
        ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)
        : [
            ...Array.from({ length: 400 }, (_, i) => 1 + Math.floor((i * (bytes.length - 1)) / 400)),
            ...Array.from({ length: 600 }, (_, i) => window + i),
          ];
      for (const cut of cuts) {
        assert.deepEqual(await eventsFor(bytes, [cut]), baseline, `split at byte ${cut}`);
      }
    });

    it(`${name}: 200 random splittings into many pieces, and one byte at a time`, async () => {
      const baseline = await eventsFor(bytes, []);
      const rnd = mulberry32(name.length * 7919);
      for (let round = 0; round < 200; round++) {
        const cuts = randomCuts(bytes.length, 1 + Math.floor(rnd() * 60), rnd);
        assert.deepEqual(await eventsFor(bytes, cuts), baseline, `cuts ${cuts.join(',')}`);
      }
      const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      assert.deepEqual(await eventsFor(bytes, everyByte), baseline, 'one byte at a time');
    });
  }

  it('multi-byte UTF-8 split inside a character decodes correctly', async () => {
    const line = JSON.stringify({ choices: [{ delta: { content: '你好，世界 🌏 — ünïcødé' }, index: 0, finish_reason: 'stop' }], model: 'qwen3-max', id: 'x' });
    const bytes = encoder.encode(toSse([line]));
    const baseline = await eventsFor(bytes, []);
    for (let cut = 1; cut < bytes.length; cut++) assert.deepEqual(await eventsFor(bytes, [cut]), baseline, `split at ${cut}`);
    const content = baseline.find((e) => (e as StreamEvent).type === 'content') as { text: string } | undefined;
    assert.equal(content?.text, '你好，世界 🌏 — ünïcødé');
  });
});
