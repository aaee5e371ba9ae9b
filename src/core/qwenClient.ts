/**
 * Talks to Qwen's OpenAI-compatible endpoint through the `openai` SDK and yields `StreamEvent`s.
 *
 * The SDK does the HTTP and SSE framing; this adds what Qwen needs on top: our own retry policy (the SDK's retries
 * are off so a 429 countdown can be shown), an idle timeout between chunks (proxies silently drop idle streams),
 * a total timeout, one AbortSignal from the Stop button down to the socket, and typed errors that keep the partial
 * answer.
 */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { QwenError, classifyHttpFailure, cancelledError, withSuggestedWait } from './errors';
import { describeEndpoint } from './endpoints';
import type { AssistantTurn, StreamEvent } from './events';
import type { ChatCompletionBody } from './requestBuilder';
import { DEFAULT_RETRY_POLICY, retryDelay, sleep, type RetryPolicy } from './retry';
import { StreamAccumulator } from './streamAccumulator';
import { AttemptGuard, type StopReason } from './attemptGuard';

/** `qwen.requestTimeoutSeconds` when unset (package.json says the same; a test checks). */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 600;

export interface QwenClientOptions {
  /** Base URL ending in `/compatible-mode/v1` (DashScope) or `/v1` (vLLM, Ollama, LM Studio). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`. Local servers that need none may omit it. */
  apiKey?: string;
  /** Injected fetch (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Longest silence between two chunks (and before the first) before the request is given up. @default 60000 */
  idleTimeoutMs?: number;
  /** Longest a whole request may take, retries included. @default DEFAULT_REQUEST_TIMEOUT_SECONDS × 1000 */
  totalTimeoutMs?: number;
  /** @default DEFAULT_RETRY_POLICY */
  retry?: Partial<RetryPolicy>;
  /** Injected randomness for backoff jitter. @default Math.random */
  random?: () => number;
  /** Injected clock for metrics. @default Date.now */
  now?: () => number;
  /** Where diagnostic lines go (never given the key). */
  log?: (line: string) => void;
  /** `baseUrl` is the user's `qwen.baseUrl` rather than the region's (see `QwenErrorInit.customEndpoint`). */
  customEndpoint?: boolean;
}

export interface StreamOptions {
  /** Stops the request (and any backoff wait) when aborted. */
  signal?: AbortSignal;
  /** Tool names offered to the model, to recognise calls it writes as text. */
  toolNames?: readonly string[];
}

export class QwenClient {
  private readonly policy: RetryPolicy;
  private readonly idleTimeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: QwenClientOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Streams one reply. Yields events as they arrive and returns the accumulated turn. Never throws: every failure
   * ends in one `error` event, with the partial text kept in the returned turn.
   */
  async *stream(body: ChatCompletionBody, opts: StreamOptions = {}): AsyncGenerator<StreamEvent, AssistantTurn, void> {
    const started = this.now();
    const newAccumulator = () => new StreamAccumulator({ now: this.now, startedAt: started, ...(opts.toolNames && { toolNames: opts.toolNames }) });
    let acc = newAccumulator();
    const deadline = started + this.totalTimeoutMs;
    const request = { ...body, stream: true } as unknown as OpenAI.ChatCompletionCreateParamsStreaming;

    attempts: for (let attempt = 1; ; attempt++) {
      const guard = new AttemptGuard(opts.signal, this.idleTimeoutMs, Math.max(0, deadline - this.now()));
      const sdk = this.sdk();
      let produced = false;
      try {
        const stream = await sdk.client.chat.completions.create(request, { signal: guard.signal, maxRetries: 0, timeout: this.totalTimeoutMs });
        guard.touch();
        for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
          guard.touch();
          const events = acc.push(chunk);
          // An error chunk in DashScope's own shape ({code, message}, no `error` object) reaches the accumulator,
          // not the SDK: retried here like a failed request when nothing has reached the user yet.
          const failure = events.find((e) => e.type === 'error');
          const early = failure?.type === 'error' && !produced && events.every((e) => e.type === 'error' || e.type === 'usage');
          const delay = early ? this.backoff(failure.error, attempt, guard.stopReason, false, deadline) : undefined;
          if (early && delay === undefined) {
            const suggested = this.withSuggestedWait(failure.error, attempt);
            if (suggested !== failure.error) {
              events[events.indexOf(failure)] = { type: 'error', error: suggested };
              acc.turn.error = suggested;
            }
          }
          if (early && delay !== undefined) {
            yield { type: 'retry', attempt, delayMs: delay, error: failure.error };
            acc = newAccumulator(); // the failed one has ended; nothing of it was shown
            if (await this.waitUnlessStopped(delay, opts.signal)) continue attempts;
            yield* acc.fail(cancelledError());
            return acc.turn;
          }
          for (const event of events) {
            produced ||= event.type !== 'usage';
            yield event;
          }
          if (acc.turn.error) return acc.turn;
        }
        // The SDK ends iteration quietly when the request is aborted: find out whether it was.
        if (guard.stopReason) throw this.stopError(guard.stopReason);
        if (!acc.sawFinishReason) {
          throw new QwenError({
            kind: 'malformedStream',
            endpoint: this.options.baseUrl,
            message: 'The connection closed before the answer finished. The text received so far is kept.',
          });
        }
        yield* acc.finish();
        return acc.turn;
      } catch (e) {
        const error = this.toQwenError(e, guard.stopReason, produced, sdk.errorBody());
        const delay = this.backoff(error, attempt, guard.stopReason, produced, deadline);
        if (delay !== undefined) {
          yield { type: 'retry', attempt, delayMs: delay, error };
          if (await this.waitUnlessStopped(delay, opts.signal)) {
            // Nothing of the failed attempt was shown; text it held back (a possible tool call) must not leak into
            // the next one, and time to first token is the answering attempt's.
            acc = newAccumulator();
            continue;
          }
        }
        yield* acc.fail(delay === undefined ? this.withSuggestedWait(error, attempt) : cancelledError());
        return acc.turn;
      } finally {
        guard.dispose();
      }
    }
  }

  /**
   * A non-streaming side call (chat titles, JSON repair). The body must have thinking off on hybrid models
   * (`buildSideRequest` does that). Retries like `stream`; never throws.
   */
  async complete(body: ChatCompletionBody, opts: StreamOptions = {}): Promise<AssistantTurn> {
    const started = this.now();
    const acc = new StreamAccumulator({ now: this.now, startedAt: started, ...(opts.toolNames && { toolNames: opts.toolNames }) });
    const deadline = started + this.totalTimeoutMs;
    // stream_options is only valid on streaming calls; the server refuses it otherwise.
    const { stream_options: _streamOptions, ...rest } = body;
    const request = { ...rest, stream: false } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    for (let attempt = 1; ; attempt++) {
      // No chunks to wait between: the idle limit is the whole remaining time.
      const remaining = Math.max(0, deadline - this.now());
      const guard = new AttemptGuard(opts.signal, remaining, remaining);
      const sdk = this.sdk();
      try {
        const completion = await sdk.client.chat.completions.create(request, { signal: guard.signal, maxRetries: 0, timeout: this.totalTimeoutMs });
        // A whole `chat.completion` is one big chunk to the accumulator (choices[0].message instead of delta).
        acc.push(completion);
        acc.finish();
        return acc.turn;
      } catch (e) {
        const error = this.toQwenError(e, guard.stopReason, false, sdk.errorBody());
        const delay = this.backoff(error, attempt, guard.stopReason, false, deadline);
        if (delay !== undefined && (await this.waitUnlessStopped(delay, opts.signal))) continue;
        acc.fail(delay === undefined ? this.withSuggestedWait(error, attempt) : cancelledError());
        return acc.turn;
      } finally {
        guard.dispose();
      }
    }
  }

  /**
   * The wait before the next attempt, or `undefined` to give up now: never once output has reached the user (the
   * partial answer stays and they decide), never after Stop, never past the total deadline.
   */
  private backoff(error: QwenError, attempt: number, stop: StopReason | undefined, produced: boolean, deadline: number): number | undefined {
    const delay = produced || stop === 'cancelled' ? undefined : retryDelay(error, attempt, this.policy, this.options.random);
    if (delay === undefined || this.now() + delay >= deadline) {
      this.log(`request failed (${error.kind}${error.status ? ` ${error.status}` : ''}): ${error.serverMessage ?? error.message}`);
      return undefined;
    }
    this.log(`retry ${attempt} in ${delay} ms after ${error.kind}: ${error.message}`);
    return delay;
  }

  /**
   * A 429 that named no wait gets ours, the next backoff step, so the card can count down to a retry that makes
   * sense instead of inviting an immediate one.
   */
  private withSuggestedWait(error: QwenError, attempt: number): QwenError {
    if (error.kind !== 'rateLimit' || error.retryAfterMs !== undefined) return error;
    const wait = retryDelay(error, attempt, { ...this.policy, maxRetries: attempt }, this.options.random);
    return wait === undefined ? error : withSuggestedWait(error, wait);
  }

  /** Sleeps before a retry; false when Stop came first. */
  private async waitUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A fresh SDK client per attempt: cheap, and its fetch closure keeps the raw error body of that attempt, because
   * the SDK only understands OpenAI's `{error: {...}}` shape and DashScope also answers `{code, message, request_id}`.
   */
  private sdk(): { client: OpenAI; errorBody: () => Record<string, unknown> | undefined } {
    const baseFetch = this.options.fetch ?? globalThis.fetch;
    let errorBody: Record<string, unknown> | undefined;
    const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await baseFetch(input, init);
      if (!response.ok) {
        try {
          const parsed: unknown = await response.clone().json();
          if (parsed && typeof parsed === 'object') errorBody = parsed as Record<string, unknown>;
        } catch {
          // Not JSON (an HTML error page from a proxy): the SDK keeps the text as the message.
        }
      }
      return response;
    };
    const client = new OpenAI({
      apiKey: this.options.apiKey || 'none',
      baseURL: this.options.baseUrl,
      organization: null,
      project: null,
      maxRetries: 0,
      logLevel: 'off',
      fetch: recordingFetch,
    });
    return { client, errorBody: () => errorBody };
  }

  private stopError(reason: StopReason): QwenError {
    const endpoint = this.options.baseUrl;
    switch (reason) {
      case 'cancelled':
        return cancelledError();
      case 'idle':
        return new QwenError({
          kind: 'idleTimeout',
          endpoint,
          message:
            `No data from ${describeEndpoint(endpoint)} for ${Math.round(this.idleTimeoutMs / 1000)} s, so the request was ` +
            'stopped. A proxy or firewall may be closing idle connections. The text received so far is kept.',
        });
      case 'total':
        return new QwenError({
          kind: 'timeout',
          endpoint,
          message: `The request took longer than ${Math.round(this.totalTimeoutMs / 1000)} s and was stopped. The text received so far is kept.`,
        });
    }
  }

  private toQwenError(e: unknown, stop: StopReason | undefined, produced: boolean, rawBody?: Record<string, unknown>): QwenError {
    if (stop) return this.stopError(stop);
    if (e instanceof QwenError) return e;
    const endpoint = this.options.baseUrl;
    if (e instanceof APIUserAbortError) return cancelledError();
    // Connection failures are APIErrors without a status too: tell them apart from in-stream error events.
    if (e instanceof APIError && !(e instanceof APIConnectionError)) {
      // HTTP errors: prefer the raw body; in-stream errors (no status): the SDK hands us the `error` object.
      const outer = e.status !== undefined ? rawBody : undefined;
      const inner = asRecord(outer?.['error']) ?? asRecord(e.error) ?? outer ?? {};
      const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      const code = str(inner['code']) ?? str(outer?.['code']);
      const type = str(inner['type']);
      const requestId = str(outer?.['request_id']) ?? e.headers?.get('x-request-id') ?? undefined;
      return classifyHttpFailure({
        ...(e.status !== undefined && { status: e.status }),
        ...(code !== undefined && { code }),
        ...(type !== undefined && { type }),
        message: str(inner['message']) ?? str(outer?.['message']) ?? e.message,
        ...(requestId !== undefined && { requestId }),
        retryAfter: e.headers?.get('retry-after') ?? null,
        endpoint,
        ...(this.options.customEndpoint === true && { customEndpoint: true }),
      });
    }
    if (e instanceof SyntaxError) {
      return new QwenError({
        kind: 'malformedStream',
        endpoint,
        cause: e,
        message: 'The server sent a chunk that is not valid JSON, so the answer was stopped. The text received so far is kept.',
      });
    }
    const detail = describeCause(e);
    return new QwenError({
      kind: 'network',
      endpoint,
      cause: e,
      message: produced
        ? `The connection to ${describeEndpoint(endpoint)} was cut mid-answer (${detail}). The text received so far is kept.`
        : `Could not reach ${describeEndpoint(endpoint)} (${detail}). Check the network, proxy settings and the base URL.`,
    });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** Drains a stream, returning its turn (for callers that only want the result). */
export async function collectTurn(stream: AsyncGenerator<StreamEvent, AssistantTurn, void>): Promise<AssistantTurn> {
  for (;;) {
    const next = await stream.next();
    if (next.done) return next.value;
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

/** What Node's and undici's network error codes mean, for a user reading an error card. */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'the server closed the connection',
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'nothing is listening there',
  ENOTFOUND: 'the host name is not known',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server sent no response in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending',
  EPIPE: 'the connection was closed while sending',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server has a self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: "a self-signed certificate is in the server's TLS chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
};

/** The innermost causes in words (the code kept, for searching the log or the web). */
function describeCause(e: unknown): string {
  let cur: unknown = e;
  const parts: string[] = [];
  for (let depth = 0; cur && depth < 4; depth++) {
    const err = cur as { code?: unknown; message?: unknown; cause?: unknown };
    const text = typeof err.code === 'string' ? err.code : typeof err.message === 'string' ? err.message : '';
    if (text && !parts.includes(text)) parts.push(text);
    cur = err.cause;
  }
  const last = parts.slice(-2);
  const code = last.find((p) => NETWORK_CODES[p] !== undefined);
  if (code !== undefined) return `${NETWORK_CODES[code]}, ${code}`;
  return last.join(': ') || 'unknown error';
}
