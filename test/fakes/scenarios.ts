/**
 * What the fake Qwen server answers, and how a scenario becomes bytes-to-be: a `ResponsePlan` the server executes.
 * Chunk objects copy the key order and null fields of the recorded DashScope streams (test/fixtures/recorded), so a
 * client that works here has seen the real shapes.
 */
import { randomUUID } from 'node:crypto';
import { markdownAnswer } from './markdown';

/** Options shared by the streaming scenarios. */
export interface StreamShape {
  /** Characters per content/reasoning delta. @default 8 */
  chunkSize?: number;
  /** Slow drip: every chunk counts as one token, sent 1000/tokensPerSecond ms apart. @default no delay */
  tokensPerSecond?: number;
  /** The `model` field of the chunks. @default the request's model */
  model?: string;
}

/** Replaces the crude ceil(chars/4) token counts in the usage chunk. */
export interface UsageOverride {
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  /** Sent as `prompt_tokens_details.cache_creation_input_tokens` (explicit cache writes) when given. */
  cacheCreationTokens?: number;
  reasoningTokens?: number;
}

export interface ToolCallSpec {
  /** @default a fresh `call_<24 hex>` like DashScope's */
  id?: string;
  name: string;
  /** The JSON arguments as the model writes them (need not be valid JSON). */
  arguments: string;
}

/** How the tool-call deltas are cut: the shapes seen from DashScope and from other OpenAI-compatible servers. */
export type ToolCallVariant = 'dashscope' | 'indexOnly' | 'nameThenWholeArgs' | 'emptyFunction';

interface Answered extends StreamShape {
  usage?: UsageOverride;
  /** @default 'stop', or 'tool_calls' for toolCalls */
  finishReason?: string;
}

export type Scenario =
  | ({ kind: 'text'; text: string } & Answered)
  | ({ kind: 'thinking'; reasoning: string; text: string } & Answered)
  | ({
      kind: 'toolCalls';
      calls: ToolCallSpec[];
      /** @default 'dashscope' */
      variant?: ToolCallVariant;
      content?: string;
      reasoning?: string;
      /** Characters per arguments fragment. @default 10 */
      argChunkSize?: number;
    } & Answered)
  | { kind: 'replay'; lines: string[]; done?: boolean; tokensPerSecond?: number }
  | { kind: 'http'; status: number; body: unknown; headers?: Record<string, string> }
  | ({ kind: 'streamError'; afterText: string; error: { code: string; message: string; type?: string } } & StreamShape)
  | ({ kind: 'cut'; afterText: string } & StreamShape)
  | ({ kind: 'stall'; afterText: string; stallMs: number } & StreamShape)
  | ({ kind: 'malformed'; afterText: string } & StreamShape)
  | ({ kind: 'noDone'; text: string } & Answered)
  | ({ kind: 'large'; chars: number } & Answered)
  | { kind: 'delay'; ms: number; then: Scenario };

/** What the scenario needs to know about the request it answers. */
export interface RequestInfo {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
}

export type SseStep = { chunk: object } | { raw: string } | { waitMs: number } | { cut: true };

export type ResponsePlan =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'sse'; steps: SseStep[] }
  | { kind: 'delay'; ms: number; then: ResponsePlan }
  /** Close the connection without an answer (a non-streaming request meeting `cut`). */
  | { kind: 'destroy' };

// ---------------------------------------------------------------- errors (DashScope's exact bodies)

type HttpScenario = Extract<Scenario, { kind: 'http' }>;

/** `withId`: DashScope adds `id: chatcmpl-<request id>` to the errors raised by the model service itself. */
function errorScenario(status: number, code: string, type: string, message: string, withId: boolean, headers?: Record<string, string>): HttpScenario {
  const requestId = randomUUID();
  const body = { error: { message, type, param: null, code }, ...(withId ? { id: `chatcmpl-${requestId}` } : {}), request_id: requestId };
  return headers ? { kind: 'http', status, body, headers } : { kind: 'http', status, body };
}

export const errors = {
  invalidApiKey: (): HttpScenario => errorScenario(401, 'invalid_api_key', 'invalid_request_error', 'Incorrect API key provided. ', false),
  invalidParameter: (message: string): HttpScenario => errorScenario(400, 'invalid_parameter_error', 'invalid_request_error', message, false),
  modelNotFound: (model: string): HttpScenario =>
    errorScenario(404, 'model_not_found', 'invalid_request_error', `The model \`${model}\` does not exist or you do not have access to it.`, false),
  dataInspection: (): HttpScenario =>
    errorScenario(400, 'data_inspection_failed', 'data_inspection_failed', 'Input data may contain inappropriate content.', true),
  arrearage: (): HttpScenario =>
    errorScenario(400, 'Arrearage', 'Arrearage', 'Access denied, please make sure your account is in good standing.', true),
  throttled: (retryAfterSeconds?: number): HttpScenario =>
    errorScenario(429, 'Throttling', 'Throttling', 'Requests rate limit exceeded, please try again later.', true,
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) }),
  server: (status: 500 | 503 = 500): HttpScenario =>
    status === 503
      ? errorScenario(503, 'ServiceUnavailable', 'ServiceUnavailable', 'The service is temporarily unavailable, please try again later.', true)
      : errorScenario(500, 'internal_error', 'internal_error', 'An internal error has occured, please try again later or contact service support.', true),
};

// ---------------------------------------------------------------- chunks

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
  prompt_tokens_details: { cached_tokens: number; cache_creation_input_tokens?: number };
}

/** Makes chunks that share one completion id, creation time and model, as a real stream does. */
export class ChunkFactory {
  readonly id = `chatcmpl-${randomUUID()}`;
  readonly created = Math.floor(Date.now() / 1000);
  constructor(readonly model: string) {}

  // The choice's key order follows the recordings: it differs between the opening, middle and finishing chunks.
  opening(delta: object): object {
    return this.withChoice({ delta, index: 0, logprobs: null, finish_reason: null });
  }

  chunk(delta: object): object {
    return this.withChoice({ delta, finish_reason: null, index: 0, logprobs: null });
  }

  finish(delta: object, finishReason: string): object {
    return this.withChoice({ finish_reason: finishReason, delta, index: 0, logprobs: null });
  }

  /** A chunk with a hand-shaped choice (DashScope omits `logprobs`/`finish_reason` on some tool-call chunks). */
  withChoice(choice: object): object {
    return { choices: [choice], object: 'chat.completion.chunk', usage: null, created: this.created, system_fingerprint: null, model: this.model, id: this.id };
  }

  usage(usage: Usage): object {
    return { choices: [], object: 'chat.completion.chunk', usage, created: this.created, system_fingerprint: null, model: this.model, id: this.id };
  }
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** Splits by code point so a delta never ends in half a surrogate pair (the real server sends whole characters). */
export function pieces(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) out.push(chars.slice(i, i + Math.max(1, size)).join(''));
  return out;
}

/** One complete assistant answer: the common ground of text, thinking, tool calls and the broken-stream scenarios. */
interface Answer {
  reasoning?: string;
  content: string;
  calls: ToolCallSpec[];
  variant: ToolCallVariant;
  argChunkSize: number;
  finishReason: string;
  usage: UsageOverride;
}

function usageOf(answer: Answer, req: RequestInfo, calls: Required<ToolCallSpec>[]): Usage {
  const o = answer.usage;
  const reasoningTokens = o.reasoningTokens ?? (answer.reasoning !== undefined ? estimateTokens(answer.reasoning) : undefined);
  const completion =
    o.completionTokens ??
    (reasoningTokens ?? 0) + estimateTokens(answer.content) + calls.reduce((n, c) => n + estimateTokens(c.name + c.arguments), 0);
  const prompt = o.promptTokens ?? req.promptTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
    prompt_tokens_details: {
      cached_tokens: o.cachedTokens ?? 0,
      ...(o.cacheCreationTokens !== undefined && { cache_creation_input_tokens: o.cacheCreationTokens }),
    },
  };
}

const withIds = (calls: ToolCallSpec[]): Required<ToolCallSpec>[] =>
  calls.map((c) => ({ id: c.id ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`, name: c.name, arguments: c.arguments }));

/** The chunks of an answer up to (not including) the finish chunk. */
function bodyChunks(f: ChunkFactory, a: Answer, chunkSize: number, calls: Required<ToolCallSpec>[]): object[] {
  const out: object[] = [];
  const thinking = a.reasoning !== undefined;
  if (thinking) {
    out.push(f.opening({ content: null, role: 'assistant', reasoning_content: '' }));
    for (const p of pieces(a.reasoning ?? '', chunkSize)) out.push(f.chunk({ content: null, reasoning_content: p }));
  } else if (a.content !== '' || calls.length === 0) {
    out.push(f.opening({ content: '', role: 'assistant' }));
  }
  for (const p of pieces(a.content, chunkSize)) out.push(f.chunk(thinking ? { content: p, reasoning_content: null } : { content: p }));
  const deltas = toolCallDeltas(calls, a.variant, a.argChunkSize);
  deltas.forEach((d, i) => {
    // The role rides on the very first delta when nothing came before the calls.
    const role = i === 0 && out.length === 0 ? { role: 'assistant' } : {};
    if (d.bare) out.push(f.withChoice({ delta: { tool_calls: [d.call], ...role }, index: 0 }));
    else out.push(f.chunk({ content: null, tool_calls: [d.call], ...role }));
  });
  return out;
}

function finishChunk(f: ChunkFactory, a: Answer, hasCalls: boolean): object {
  if (hasCalls) return f.finish({}, a.finishReason);
  return f.finish(a.reasoning !== undefined ? { content: '', reasoning_content: null } : { content: '' }, a.finishReason);
}

/** `bare`: DashScope's trailing delta, whose choice has no `logprobs`/`finish_reason` and whose delta has no content. */
interface CallDelta {
  call: object;
  bare?: boolean;
}

function toolCallDeltas(calls: Required<ToolCallSpec>[], variant: ToolCallVariant, argSize: number): CallDelta[] {
  const head = (c: Required<ToolCallSpec>, index: number): object => ({ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } });
  const frag = (index: number, args: string): object => ({ index, id: '', type: 'function', function: { arguments: args } });
  const out: CallDelta[] = [];
  if (variant === 'indexOnly') {
    // Round-robin over the calls, so deltas of different calls interleave as in parallel calls.
    const queues = calls.map((c, i) => [head(c, i), ...pieces(c.arguments, argSize).map((p) => ({ index: i, function: { arguments: p } }))]);
    while (queues.some((q) => q.length > 0)) {
      for (const q of queues) {
        const next = q.shift();
        if (next) out.push({ call: next });
      }
    }
    return out;
  }
  calls.forEach((c, i) => {
    out.push({ call: head(c, i) });
    if (variant === 'nameThenWholeArgs') {
      out.push({ call: { index: i, id: c.id, type: 'function', function: { arguments: c.arguments } } });
      return;
    }
    if (variant === 'emptyFunction') out.push({ call: { index: i, id: '', type: 'function', function: {} } });
    for (const p of pieces(c.arguments, argSize)) out.push({ call: frag(i, p) });
  });
  const last = calls.length - 1;
  if (last >= 0 && (variant === 'dashscope' || variant === 'emptyFunction')) {
    const fn = variant === 'emptyFunction' ? {} : { arguments: '' };
    out.push({ call: { function: fn, index: last, id: '', type: 'function' }, bare: true });
  }
  return out;
}

function answerOf(s: Scenario): Answer | undefined {
  const base = (o: Answered, content: string, reasoning: string | undefined, finish = 'stop'): Answer => ({
    ...(reasoning !== undefined ? { reasoning } : {}),
    content,
    calls: [],
    variant: 'dashscope',
    argChunkSize: 10,
    finishReason: o.finishReason ?? finish,
    usage: o.usage ?? {},
  });
  switch (s.kind) {
    case 'text':
    case 'noDone':
      return base(s, s.text, undefined);
    case 'thinking':
      return base(s, s.text, s.reasoning);
    case 'large':
      return base(s, markdownAnswer(s.chars), undefined);
    case 'toolCalls':
      return { ...base(s, s.content ?? '', s.reasoning, 'tool_calls'), calls: s.calls, variant: s.variant ?? 'dashscope', argChunkSize: s.argChunkSize ?? 10 };
    case 'streamError':
    case 'cut':
    case 'stall':
    case 'malformed':
      return base({}, s.afterText, undefined);
    default:
      return undefined;
  }
}

function drip(chunks: SseStep[], tokensPerSecond: number | undefined): SseStep[] {
  if (!tokensPerSecond || tokensPerSecond <= 0) return chunks;
  const waitMs = 1000 / tokensPerSecond;
  return chunks.flatMap((c, i) => (i === 0 ? [c] : [{ waitMs }, c]));
}

/** Turns a scenario into what the server must do for this request. */
export function planResponse(s: Scenario, req: RequestInfo): ResponsePlan {
  if (s.kind === 'delay') return { kind: 'delay', ms: s.ms, then: planResponse(s.then, req) };
  if (s.kind === 'http') {
    const body = typeof s.body === 'string' ? s.body : JSON.stringify(s.body);
    return { kind: 'json', status: s.status, headers: s.headers ?? {}, body };
  }
  if (s.kind === 'replay') {
    const steps: SseStep[] = s.lines.map((l) => ({ raw: `data: ${l}\n\n` }));
    if (s.done !== false) steps.push({ raw: 'data: [DONE]\n\n' });
    return req.stream ? { kind: 'sse', steps: drip(steps, s.tokensPerSecond) } : notStreamable('replay');
  }
  const answer = answerOf(s);
  if (!answer) return notStreamable(s.kind);
  const f = new ChunkFactory(s.model ?? req.model);
  const calls = withIds(answer.calls);
  if (!req.stream) return completionPlan(s, f, answer, calls, req);

  const chunks = bodyChunks(f, answer, s.chunkSize ?? 8, calls);
  const ending: SseStep[] = [{ chunk: finishChunk(f, answer, calls.length > 0) }];
  if (req.includeUsage) ending.push({ chunk: f.usage(usageOf(answer, req, calls)) });
  const done: SseStep = { raw: 'data: [DONE]\n\n' };
  const steps: SseStep[] = chunks.map((chunk) => ({ chunk }));
  switch (s.kind) {
    case 'streamError': {
      const requestId = f.id.slice('chatcmpl-'.length);
      const error = { message: s.error.message, type: s.error.type ?? s.error.code, code: s.error.code };
      steps.push({ raw: `data: ${JSON.stringify({ error, request_id: requestId })}\n\n` });
      break;
    }
    case 'cut':
      steps.push({ cut: true });
      break;
    case 'stall':
      steps.push({ waitMs: s.stallMs }, ...ending, done);
      break;
    case 'malformed':
      steps.push({ raw: 'data: {"choices":[{"delta":{"content":"x"\n\n' }, ...ending, done);
      break;
    case 'noDone':
      steps.push(...ending);
      break;
    default:
      steps.push(...ending, done);
  }
  return { kind: 'sse', steps: drip(steps, s.tokensPerSecond) };
}

function notStreamable(kind: string): ResponsePlan {
  return { kind: 'json', status: 400, headers: {}, body: JSON.stringify(errors.invalidParameter(`fake Qwen: the '${kind}' scenario needs stream: true`).body) };
}

/** A non-streaming request: the whole answer as one `chat.completion`, shaped like alibaba-issue-18759.json. */
function completionPlan(s: Scenario, f: ChunkFactory, a: Answer, calls: Required<ToolCallSpec>[], req: RequestInfo): ResponsePlan {
  if (s.kind === 'cut') return { kind: 'destroy' };
  if (s.kind === 'malformed') return { kind: 'json', status: 200, headers: {}, body: '{"choices":[{"message":{"content":"x"' };
  if (s.kind === 'streamError') {
    const status = s.error.code === 'Throttling' ? 429 : /internal|unavailable/i.test(s.error.code) ? 500 : 400;
    return { kind: 'json', status, headers: {}, body: JSON.stringify({ error: { message: s.error.message, type: s.error.type ?? s.error.code, param: null, code: s.error.code }, request_id: randomUUID() }) };
  }
  const message = {
    content: a.content,
    ...(a.reasoning !== undefined ? { reasoning_content: a.reasoning } : {}),
    role: 'assistant',
    ...(calls.length > 0 ? { tool_calls: calls.map((c, index) => ({ function: { name: c.name, arguments: c.arguments }, index, id: c.id, type: 'function' })) } : {}),
  };
  const completion = {
    choices: [{ message, finish_reason: a.finishReason, index: 0, logprobs: null }],
    object: 'chat.completion',
    usage: usageOf(a, req, calls),
    created: f.created,
    system_fingerprint: null,
    model: f.model,
    id: f.id,
  };
  const json: ResponsePlan = { kind: 'json', status: 200, headers: {}, body: JSON.stringify(completion) };
  return s.kind === 'stall' ? { kind: 'delay', ms: s.stallMs, then: json } : json;
}
