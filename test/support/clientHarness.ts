/**
 * Shared by the client's fault-matrix suites: a fake Qwen server per suite, a client factory with fast retries,
 * and helpers to drain a stream. Each suite also fails on any unhandled promise rejection.
 */
import assert from 'node:assert/strict';
import { QwenClient, type QwenClientOptions } from '../../src/core/qwenClient';
import type { QwenError } from '../../src/core/errors';
import type { AssistantTurn, StreamEvent } from '../../src/core/events';
import type { ChatCompletionBody } from '../../src/core/requestBuilder';
import type { Scenario } from '../fakes/scenarios';
import { startFakeQwen, type FakeQwenServer } from '../fakes/fakeQwenServer';

export const KEY = 'sk-test';

export function body(model = 'qwen3-coder-plus', extra: Partial<ChatCompletionBody> = {}): ChatCompletionBody {
  return {
    model,
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 1024,
    ...extra,
  };
}

export async function run(client: QwenClient, b: ChatCompletionBody, signal?: AbortSignal): Promise<{ events: StreamEvent[]; turn: AssistantTurn }> {
  const events: StreamEvent[] = [];
  const gen = client.stream(b, signal ? { signal } : {});
  for (;;) {
    const next = await gen.next();
    if (next.done) return { events, turn: next.value };
    events.push(next.value);
  }
}

export const types = (events: StreamEvent[]) => events.map((e) => e.type);

export function lastError(events: StreamEvent[]): QwenError {
  const e = events.at(-1);
  assert.ok(e?.type === 'error', `last event should be an error, got ${types(events).join(',')}`);
  return e.error;
}

export interface ClientHarness {
  readonly server: FakeQwenServer;
  client(opts?: Partial<QwenClientOptions>): QwenClient;
  script(...s: Scenario[]): void;
}

/**
 * Call inside a `describe`: one fake server for the suite with `apiKey`, its request log cleared before each test,
 * and a failure on any unhandled rejection. `cleanup` runs after each test, before that check.
 */
export function fakeQwenSuite(apiKey: string, cleanup?: () => Promise<unknown>): () => FakeQwenServer {
  let server: FakeQwenServer | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startFakeQwen({ apiKey });
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server?.close();
  });
  beforeEach(() => {
    if (server) server.requests.length = 0;
  });
  afterEach(async function () {
    await cleanup?.();
    const unused = server?.unusedScenarios() ?? [];
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
    // a failed test often leaves scenarios queued; that is its own failure, not the next test's
    if (this.currentTest?.state === 'passed') assert.deepEqual(unused.map((u) => u.kind), [], 'every scripted scenario was used');
  });
  return () => {
    if (!server) throw new Error('the fake server starts in before()');
    return server;
  };
}

/** Call inside a `describe`: starts the fake server for the suite and checks for unhandled rejections after each test. */
export function useFakeQwen(): ClientHarness {
  const server = fakeQwenSuite(KEY);
  const harness: ClientHarness = {
    get server() {
      return server();
    },
    client: (opts = {}) =>
      new QwenClient({ baseUrl: harness.server.baseUrl, apiKey: KEY, retry: { baseDelayMs: 5, maxDelayMs: 20 }, idleTimeoutMs: 2000, ...opts }),
    script: (...s) => harness.server.script(...s),
  };
  return harness;
}
