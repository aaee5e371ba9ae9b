/**
 * Host-side cost of one streamed answer: SSE bytes in → StreamEvents out.
 * A 200K-character markdown answer in 16-character deltas (~12.5K chunks, DashScope's chunk shape), measured
 * three ways in one run:
 *   - accumulator only (JSON.parse + StreamAccumulator.push): our own per-chunk work;
 *   - the full client (openai SDK SSE decoding + accumulator), the bytes delivered one SSE event per network read
 *     (how a token-by-token stream really arrives);
 *   - the full client with the bytes in 64 KiB reads (a fast local server or a burst after a stall).
 * Target: ≤ 50 µs per chunk for the full client. Run: `npm run bench:core`.
 */
import { performance } from 'node:perf_hooks';
import { QwenClient } from '../src/core/qwenClient';
import { StreamAccumulator } from '../src/core/streamAccumulator';
import type { ChatCompletionBody } from '../src/core/requestBuilder';

const ANSWER_CHARS = 200_000;
const DELTA_CHARS = 16;
const RUNS = 7;
const TARGET_US = 50;

function markdownAnswer(chars: number): string {
  const parts = [
    '## Refactoring the request pipeline\n\nThe client builds each request from the conversation, then streams the reply. ',
    'Here is the **key idea**: keep the parser incremental, so each chunk costs the same.\n\n',
    '- Parse once per chunk\n- Keep reasoning apart from content\n- Assemble tool calls by `index`\n\n',
    '```ts\nexport function sum(values: readonly number[]): number {\n  let total = 0;\n  for (const v of values) total += v;\n  return total;\n}\n```\n\n',
    '| model | context | thinking |\n|---|---|---|\n| qwen3-coder-plus | 1M | none |\n| qwen3.6-plus | 1M | hybrid |\n\n',
  ];
  let out = '';
  for (let i = 0; out.length < chars; i++) out += parts[i % parts.length];
  return out.slice(0, chars);
}

function sseEvents(answer: string): string[] {
  const id = 'chatcmpl-bench';
  const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const events = [frame({ choices: [{ delta: { content: '', role: 'assistant' }, index: 0, logprobs: null, finish_reason: null }], object: 'chat.completion.chunk', usage: null, created: 1, system_fingerprint: null, model: 'qwen3-coder-plus', id })];
  for (let i = 0; i < answer.length; i += DELTA_CHARS) {
    events.push(frame({ choices: [{ finish_reason: null, logprobs: null, delta: { content: answer.slice(i, i + DELTA_CHARS) }, index: 0 }], object: 'chat.completion.chunk', usage: null, created: 1, system_fingerprint: null, model: 'qwen3-coder-plus', id }));
  }
  events.push(frame({ choices: [{ finish_reason: 'stop', delta: { content: '' }, index: 0, logprobs: null }], object: 'chat.completion.chunk', usage: null, created: 1, system_fingerprint: null, model: 'qwen3-coder-plus', id }));
  events.push(frame({ choices: [], object: 'chat.completion.chunk', usage: { prompt_tokens: 20, completion_tokens: 50_000, total_tokens: 50_020, prompt_tokens_details: { cached_tokens: 0 } }, created: 1, system_fingerprint: null, model: 'qwen3-coder-plus', id }));
  events.push('data: [DONE]\n\n');
  return events;
}

function fetchDelivering(pieces: Uint8Array[]): typeof fetch {
  return async () => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces[i++];
        if (piece) controller.enqueue(piece);
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const BODY: ChatCompletionBody = { model: 'qwen3-coder-plus', messages: [{ role: 'user', content: 'go' }], stream: true, stream_options: { include_usage: true }, max_tokens: 65_536 };

async function clientRun(pieces: Uint8Array[], expectedChars: number): Promise<number> {
  const client = new QwenClient({ baseUrl: 'http://bench.invalid/v1', apiKey: 'k', fetch: fetchDelivering(pieces) });
  const t0 = performance.now();
  let chars = 0;
  for await (const e of client.stream(BODY)) if (e.type === 'content') chars += e.text.length;
  const ms = performance.now() - t0;
  if (chars !== expectedChars) throw new Error(`bench lost text: ${chars} of ${expectedChars}`);
  return ms;
}

function accumulatorRun(payloads: string[], expectedChars: number): number {
  const t0 = performance.now();
  const acc = new StreamAccumulator();
  let chars = 0;
  for (const p of payloads) for (const e of acc.push(JSON.parse(p))) if (e.type === 'content') chars += e.text.length;
  acc.finish();
  const ms = performance.now() - t0;
  if (chars !== expectedChars) throw new Error(`bench lost text: ${chars} of ${expectedChars}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const answer = markdownAnswer(ANSWER_CHARS);
  const events = sseEvents(answer);
  const chunks = events.length - 1; // [DONE] is not a chunk
  const encoder = new TextEncoder();
  const perEvent = events.map((e) => encoder.encode(e));
  const all = encoder.encode(events.join(''));
  const big = split(all, 64 * 1024);
  const payloads = events.slice(0, -1).map((e) => e.slice(6, -2));
  const mb = all.length / 1e6;

  const rows: [string, number[]][] = [
    ['accumulator only (JSON.parse + push)', []],
    ['full client, one SSE event per read', []],
    ['full client, 64 KiB reads', []],
  ];
  for (let run = 0; run < RUNS + 1; run++) {
    const a = accumulatorRun(payloads, answer.length);
    const b = await clientRun(perEvent, answer.length);
    const c = await clientRun(big, answer.length);
    if (run === 0) continue; // warm-up
    rows[0]![1].push(a);
    rows[1]![1].push(b);
    rows[2]![1].push(c);
  }

  console.log(`answer: ${answer.length.toLocaleString('en')} chars in ${chunks.toLocaleString('en')} chunks, ${(all.length / 1e6).toFixed(2)} MB of SSE; median of ${RUNS} runs, node ${process.version}`);
  for (const [name, ms] of rows) {
    const m = median(ms);
    const us = (m * 1000) / chunks;
    console.log(`${name.padEnd(40)} ${m.toFixed(1).padStart(8)} ms  ${us.toFixed(2).padStart(6)} µs/chunk  ${(mb / (m / 1000)).toFixed(1).padStart(6)} MB/s`);
  }
  const worst = (Math.max(median(rows[1]![1]), median(rows[2]![1])) * 1000) / chunks;
  console.log(`target ≤ ${TARGET_US} µs/chunk (full client, slower of the two deliveries): ${worst <= TARGET_US ? 'met' : 'MISSED'} (${worst.toFixed(2)} µs)`);
}

void main();
