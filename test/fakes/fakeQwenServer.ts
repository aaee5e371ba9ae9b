/**
 * A fake DashScope (Qwen, OpenAI-compatible mode) server: real HTTP on 127.0.0.1, SSE framed byte for byte like the
 * real one, the real server's request rules, and scripted answers for every failure the client must survive.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { planResponse, estimateTokens } from './scenarios';
import type { ResponsePlan, Scenario, RequestInfo } from './scenarios';
import { ExplicitCache, type CacheUse } from './cacheSim';
import { checkRequest } from './validate';

export type { Scenario } from './scenarios';
export { errors } from './scenarios';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // The request body is whatever the client sent: parsed JSON, or the raw text when it was not JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The connection closed before the answer was complete: the client hung up, or a `cut` scenario cut it. */
  closedBeforeEnd: boolean;
  /** With `simulateCache`: what the answer's usage reported as read from and written to the explicit cache. */
  cache?: CacheUse;
}

export interface FakeQwenServer {
  /** `http://127.0.0.1:<port>/compatible-mode/v1` */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Queue scenarios for the next requests, in order; when the queue is empty, `defaultScenario` is used. */
  script(...scenarios: Scenario[]): void;
  /** Initially a short text answer; a thinking-on streaming request gets it as a thinking answer. */
  defaultScenario: Scenario;
  /**
   * Answer `cache_control` markers like Model Studio's explicit cache (test/fakes/cacheSim.ts): usage reports the
   * cached and created tokens, unless the scenario sets them itself. @default false
   */
  simulateCache: boolean;
  /** Scenarios queued but not used, removed: one failing test must not hand its leftovers to the next. */
  unusedScenarios(): Scenario[];
  /** Stops listening and destroys open sockets, so a stalled stream cannot keep the server alive. */
  close(): Promise<void>;
}

export interface FakeQwenOptions {
  /** The accepted key (`Authorization: Bearer <apiKey>`). @default 'sk-test' */
  apiKey?: string;
  /** Enforce DashScope's request rules (auth, messages, thinking, limits). @default true */
  validate?: boolean;
  /** @default 0 (a random free port) */
  port?: number;
}

const PATHS = new Set(['/compatible-mode/v1/chat/completions', '/v1/chat/completions']);
const SSE_HEADERS = { 'content-type': 'text/event-stream;charset=UTF-8', 'cache-control': 'no-cache' };
const JSON_TYPE = 'application/json;charset=UTF-8';
const DEFAULT_REASONING = 'The user wants a short answer. I will greet them and keep it brief.';

export async function startFakeQwen(opts: FakeQwenOptions = {}): Promise<FakeQwenServer> {
  const apiKey = opts.apiKey ?? 'sk-test';
  const validate = opts.validate ?? true;
  const queue: Scenario[] = [];
  const sockets = new Set<Socket>();
  const sleepers = new Set<() => void>();
  let closed = false;
  const cache = new ExplicitCache();

  /** A timer that close() cuts short, so pending delays and stalls never outlive the server. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const fake: FakeQwenServer = {
    baseUrl: '',
    port: 0,
    requests: [],
    defaultScenario: { kind: 'text', text: 'Hello from fake Qwen.' },
    simulateCache: false,
    script: (...scenarios) => void queue.push(...scenarios),
    unusedScenarios: () => queue.splice(0),
    close: () => {
      closed = true;
      for (const wake of [...sleepers]) wake();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = parseJson(raw);
    const record: RecordedRequest = { method: req.method ?? '', path, headers: { ...req.headers }, body, closedBeforeEnd: false };
    fake.requests.push(record);
    // What a real server sees of a Stop or a client timeout: the connection closing before the answer ended.
    res.once('close', () => {
      if (!res.writableEnded) record.closedBeforeEnd = true;
    });
    if (req.method !== 'POST' || !PATHS.has(path)) {
      return sendPlan({ kind: 'json', status: 404, headers: {}, body: JSON.stringify({ error: { message: `No route for ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } }) }, res);
    }
    const verdict = validate ? checkRequest(req.headers, body, apiKey) : { thinkingOn: isThinkingRequest(body) };
    // A rejected request does not consume the queue: the scripted answer is for the next valid request.
    const info = requestInfo(body);
    if (verdict.error) return sendPlan(planResponse(verdict.error, info), res);
    let scenario = queue.shift();
    if (!scenario) {
      const d = fake.defaultScenario;
      scenario = verdict.thinkingOn && info.stream && d.kind === 'text' ? { ...d, kind: 'thinking', reasoning: DEFAULT_REASONING } : d;
    }
    if (fake.simulateCache && (scenario.kind === 'text' || scenario.kind === 'thinking' || scenario.kind === 'toolCalls') && scenario.usage?.cachedTokens === undefined) {
      record.cache = cache.use(body);
      scenario = { ...scenario, usage: { ...scenario.usage, ...record.cache } };
    }
    return sendPlan(planResponse(scenario, info), res);
  };

  const sendPlan = async (plan: ResponsePlan, res: ServerResponse): Promise<void> => {
    let gone = false;
    const goneP = new Promise<void>((resolve) =>
      res.once('close', () => {
        gone = true;
        resolve();
      }),
    );
    // Writes are awaited only under backpressure (fast for 25K-chunk answers); `flushed` lets `cut` destroy the
    // socket only after everything before it reached the wire.
    let flushed = Promise.resolve();
    const write = async (data: string): Promise<void> => {
      if (gone || closed) return;
      let ok = true;
      flushed = new Promise((resolve) => (ok = res.write(data, () => resolve())));
      if (!ok) await Promise.race([once(res, 'drain'), goneP]);
    };
    while (plan.kind === 'delay') {
      await sleep(plan.ms);
      plan = plan.then;
    }
    if (gone || closed) return;
    if (plan.kind === 'destroy') return void res.socket?.destroy();
    if (plan.kind === 'json') {
      res.writeHead(plan.status, { 'content-type': JSON_TYPE, ...plan.headers });
      return void res.end(plan.body);
    }
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    for (const step of plan.steps) {
      if (gone || closed) return;
      if ('chunk' in step) await write(`data: ${JSON.stringify(step.chunk)}\n\n`);
      else if ('raw' in step) await write(step.raw);
      else if ('waitMs' in step) await sleep(step.waitMs);
      else {
        await Promise.race([flushed, goneP]);
        return void res.socket?.destroy();
      }
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ error: { message: `fake Qwen crashed: ${String(err)}`, type: 'internal_error', param: null, code: 'internal_error' } }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  fake.port = typeof address === 'object' && address ? address.port : 0;
  fake.baseUrl = `http://127.0.0.1:${fake.port}/compatible-mode/v1`;
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

const field = (body: unknown, key: string): unknown => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined);

/** Without validation there is no model table to consult: only an explicit flag turns thinking on. */
const isThinkingRequest = (body: unknown): boolean => field(body, 'enable_thinking') === true;

function requestInfo(body: unknown): RequestInfo {
  const model = field(body, 'model');
  const streamOptions = field(body, 'stream_options');
  return {
    model: typeof model === 'string' ? model : 'unknown',
    stream: field(body, 'stream') === true,
    includeUsage: field(streamOptions, 'include_usage') === true,
    // Crude on purpose: a quarter of the characters of what the model reads.
    promptTokens: estimateTokens(JSON.stringify(field(body, 'messages') ?? []) + (JSON.stringify(field(body, 'tools')) ?? '')),
  };
}
