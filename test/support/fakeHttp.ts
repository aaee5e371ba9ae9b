/**
 * Raw-HTTP helpers for testing the fake Qwen server itself (plain fetch, no client): a fresh server per test,
 * request posting, SSE frame checks, and the chunk shapes it sends.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeQwen } from '../fakes/fakeQwenServer';
import type { FakeQwenOptions, FakeQwenServer } from '../fakes/fakeQwenServer';
import { repoRoot } from './repoRoot';

export interface ToolDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}
export interface Delta {
  role?: string;
  content?: string | null;
  reasoning_content?: string | null;
  tool_calls?: ToolDelta[];
}
export interface Chunk {
  choices: { delta: Delta; index: number; logprobs?: null; finish_reason?: string | null }[];
  usage: { prompt_tokens: number; completion_tokens: number; completion_tokens_details?: { reasoning_tokens: number } } | null;
  id: string;
  created: number;
  model: string;
}


const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'recorded');
export const fixtureLines = (name: string): string[] => readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter((l) => l !== '');
export const DONE = 'data: [DONE]\n\n';
export const user = (content = 'hi') => ({ role: 'user', content });

let current: FakeQwenServer | undefined;

/** The server of the running test (see `useFreshFake`). */
export function fake(): FakeQwenServer {
  if (!current) throw new Error('call useFreshFake() in the describe block');
  return current;
}

/** Swap the running test's server for one started with other options. */
export async function restartFake(opts: FakeQwenOptions): Promise<void> {
  await current?.close();
  current = await startFakeQwen(opts);
}

/** Inside a describe: a new fake server for every test, so scripted queues and records never leak between tests. */
export function useFreshFake(): void {
  beforeEach(async () => {
    current = await startFakeQwen();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}

export function post(body: unknown, opts: { path?: string; key?: string | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? 'sk-test'}`;
  const url = opts.path ? `http://127.0.0.1:${fake().port}${opts.path}` : `${fake().baseUrl}/chat/completions`;
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export const streamBody = (model: string, extra: object = {}) => ({ model, messages: [user()], stream: true, stream_options: { include_usage: true }, ...extra });

/** Splits an SSE body into its `data: ` payloads, asserting the framing on the way. */
export function frames(text: string): string[] {
  assert.ok(text.endsWith('\n\n'), 'every event ends with a blank line');
  return text.slice(0, -2).split('\n\n').map((f) => {
    assert.ok(f.startsWith('data: '), `frame starts with "data: ": ${f.slice(0, 40)}`);
    return f.slice('data: '.length);
  });
}

export async function streamed(body: unknown): Promise<{ text: string; chunks: Chunk[] }> {
  const res = await post(body);
  assert.equal(res.status, 200);
  const text = await res.text();
  return { text, chunks: frames(text).filter((f) => f.startsWith('{')).map((f) => JSON.parse(f) as Chunk) };
}

export const deltas = (chunks: Chunk[]): Delta[] => chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
export const callDeltas = (chunks: Chunk[]): ToolDelta[] => deltas(chunks).flatMap((d) => d.tool_calls ?? []);

/** The client's rule: merge by index, take id/name only when non-empty, append arguments. */
export function mergeCalls(list: ToolDelta[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const d of list) {
    const c = (calls[d.index ?? 0] ??= { id: '', name: '', arguments: '' });
    if (d.id) c.id = d.id;
    if (d.function?.name) c.name = d.function.name;
    c.arguments += d.function?.arguments ?? '';
  }
  return calls;
}

/** A value's structure with every leaf replaced by its type: equal shapes mean same keys, same order, same nulls. */
export function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return v === null ? null : typeof v;
}

export async function errorOf(res: Response): Promise<{ code: string; message: string; type: string }> {
  const body = (await res.json()) as { error: { code: string; message: string; type: string } };
  return body.error;
}
