/**
 * The small, typed set of failures a user can meet, each with a message written for them and the actions that fix it.
 * Everything the client throws or reports is a `QwenError`; nothing else escapes the core.
 */
import type { ErrorActionId } from '../protocol/actions';
import { describeEndpoint, regionForBaseUrl } from './endpoints';

export type { ErrorActionId } from '../protocol/actions';

export type QwenErrorKind =
  | 'auth' // 401/403: wrong key, or a key from another region
  | 'rateLimit' // 429 throttling: wait and retry
  | 'quota' // account overdue (Arrearage) or free quota exhausted
  | 'contentInspection' // data_inspection_failed: the same history fails again
  | 'badRequest' // 400 with the server's message (often a thinking/streaming rule)
  | 'modelNotFound' // 404 / model_not_found: the id is not served by this endpoint
  | 'server' // 5xx
  | 'network' // DNS, refused, reset, cut mid-answer
  | 'idleTimeout' // no chunk for too long
  | 'timeout' // the whole request took too long
  | 'cancelled' // the user stopped it
  | 'streamError' // an error event inside a 200 stream
  | 'malformedStream' // a chunk that is not JSON, or a stream that ended without finishing
  | 'invalidRequest'; // refused before sending: a combination the server would reject

export interface ErrorAction {
  id: ErrorActionId;
  label: string;
}

export interface QwenErrorInit {
  kind: QwenErrorKind;
  message: string;
  /** HTTP status, when the server answered with one. */
  status?: number;
  /** The server's error code (`invalid_api_key`, `Throttling`, `data_inspection_failed`, …). */
  code?: string;
  /** The server's own message, kept verbatim for the log and for bad requests. */
  serverMessage?: string;
  requestId?: string;
  /** Milliseconds the server asked us to wait (Retry-After), or our own suggestion. */
  retryAfterMs?: number;
  /** The base URL the request went to: a 401 names it so a region mismatch is obvious. */
  endpoint?: string;
  /**
   * The base URL is the user's `qwen.baseUrl`, not the region's: switching region would not change where requests
   * go, so the fixes point at the settings instead.
   */
  customEndpoint?: boolean;
  cause?: unknown;
}

export class QwenError extends Error {
  readonly kind: QwenErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly serverMessage?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly endpoint?: string;
  readonly customEndpoint: boolean;

  constructor(init: QwenErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'QwenError';
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.serverMessage !== undefined) this.serverMessage = init.serverMessage;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.endpoint !== undefined) this.endpoint = init.endpoint;
    this.customEndpoint = init.customEndpoint === true;
  }

  /** What the user can do about it, most useful first. */
  get actions(): ErrorAction[] {
    const regional = !this.customEndpoint && (this.endpoint === undefined || regionForBaseUrl(this.endpoint) !== undefined);
    return actionsFor(this.kind, regional);
  }

  /** A plain object safe to log or post to a webview (no stack, no cause, never a key). */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      serverMessage: this.serverMessage,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      endpoint: this.endpoint,
    };
  }
}

/** The same rate limit with a wait of our own choosing, for a 429 that named none (the card counts it down). */
export function withSuggestedWait(error: QwenError, retryAfterMs: number): QwenError {
  return new QwenError({
    kind: error.kind,
    message: `${error.message} Try again in about ${Math.ceil(retryAfterMs / 1000)} s.`,
    retryAfterMs,
    customEndpoint: error.customEndpoint,
    ...(error.status !== undefined && { status: error.status }),
    ...(error.code !== undefined && { code: error.code }),
    ...(error.serverMessage !== undefined && { serverMessage: error.serverMessage }),
    ...(error.requestId !== undefined && { requestId: error.requestId }),
    ...(error.endpoint !== undefined && { endpoint: error.endpoint }),
    ...(error.cause !== undefined && { cause: error.cause }),
  });
}

/** `regional`: the endpoint is (or may be) a DashScope region, where switching region can fix a 401 or a 404. */
function actionsFor(kind: QwenErrorKind, regional: boolean): ErrorAction[] {
  const retry: ErrorAction = { id: 'retry', label: 'Retry' };
  const switchRegion: ErrorAction = { id: 'switchRegion', label: 'Switch region' };
  const settings: ErrorAction = { id: 'openSettings', label: 'Open settings' };
  switch (kind) {
    case 'auth':
      return [{ id: 'setApiKey', label: 'Set API key' }, regional ? switchRegion : settings];
    case 'rateLimit':
      return [retry];
    case 'quota':
      return [{ id: 'openBilling', label: 'Open billing console' }, retry];
    case 'contentInspection':
      return [
        { id: 'editPrompt', label: 'Edit the last message' },
        { id: 'newChat', label: 'New chat' },
      ];
    case 'badRequest':
    case 'invalidRequest':
      return [settings, { id: 'showLog', label: 'Show log' }];
    case 'modelNotFound':
      return [{ id: 'selectModel', label: 'Pick another model' }, regional ? switchRegion : settings];
    case 'cancelled':
      return [retry];
    default:
      return [retry, { id: 'showLog', label: 'Show log' }];
  }
}

/** The parts of an HTTP error answer that classification needs. */
export interface HttpFailure {
  status?: number;
  /** OpenAI-style `error.code`, or DashScope's top-level `code`. */
  code?: string;
  /** `error.type`. */
  type?: string;
  message?: string;
  requestId?: string;
  /** The Retry-After header, raw (seconds or an HTTP date). */
  retryAfter?: string | null;
  endpoint?: string;
  /** See `QwenErrorInit.customEndpoint`. */
  customEndpoint?: boolean;
}

/**
 * Turn a server answer (HTTP status and/or error body) into a typed error with a message for the user.
 * Used for error statuses and for error objects that arrive inside a 200 stream (`status` undefined).
 */
export function classifyHttpFailure(f: HttpFailure, now: number = Date.now()): QwenError {
  const code = f.code ?? f.type;
  const serverMessage = f.message?.trim() || undefined;
  const lc = `${code ?? ''} ${serverMessage ?? ''}`.toLowerCase();
  const base = {
    ...(f.status !== undefined && { status: f.status }),
    ...(code !== undefined && { code }),
    ...(serverMessage !== undefined && { serverMessage }),
    ...(f.requestId !== undefined && { requestId: f.requestId }),
    ...(f.endpoint !== undefined && { endpoint: f.endpoint }),
    ...(f.customEndpoint === true && { customEndpoint: true }),
  };
  const said = serverMessage ? ` The server said: ${serverMessage}` : '';

  // Billing first: DashScope sends overdue accounts and exhausted free tiers as 400/403, which are not key problems.
  if (/arrearage|overdue|insufficient.?balance|free.?tier/.test(lc)) {
    return new QwenError({
      ...base,
      kind: 'quota',
      message: `Your Model Studio account cannot be billed for this request (overdue payment or quota exhausted).${said}`,
    });
  }
  if (f.status === 401 || f.status === 403 || /invalid_api_key|invalidapikey|unauthorized/.test(lc)) {
    const regional = f.endpoint !== undefined && regionForBaseUrl(f.endpoint) !== undefined;
    const fix = f.customEndpoint ? ', or change qwen.baseUrl' : ' or switch the region';
    return new QwenError({
      ...base,
      kind: 'auth',
      message: regional
        ? `The API key was rejected by ${named(f.endpoint)}. ` +
          'Keys are region-specific: a Singapore key does not work in Beijing or Virginia. ' +
          `Set the key for this region${fix}.${said}`
        : `The API key was rejected by ${f.endpoint ? named(f.endpoint) : 'the server'}. ` +
          `Set the key this server expects, or check the base URL.${said}`,
    });
  }
  if (/data_inspection_failed|datainspection|inappropriate/.test(lc)) {
    return new QwenError({
      ...base,
      kind: 'contentInspection',
      message:
        'Alibaba Cloud content inspection rejected this request. This prompt and its answer are left out of what ' +
        'is sent with your next message; rephrase it, or start a new chat if an earlier message was the problem.',
    });
  }
  // Any 429 is a rate limit, including DashScope's `insufficient_quota` and `Throttling.AllocationQuota` (per-minute
  // quotas): waiting helps. Billing problems come as 400 Arrearage.
  if (f.status === 429 || /throttl|rate.?limit|too many requests/.test(lc)) {
    const retryAfterMs = parseRetryAfter(f.retryAfter, now);
    const wait = retryAfterMs !== undefined ? ` Try again in ${Math.ceil(retryAfterMs / 1000)} s.` : '';
    return new QwenError({
      ...base,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      kind: 'rateLimit',
      message: `Rate limit reached: the server is throttling requests.${wait}`,
    });
  }
  if (f.status === 404 || /model_not_found|model.?not.?exist|does not exist/.test(lc)) {
    return new QwenError({
      ...base,
      kind: 'modelNotFound',
      message: `This model is not available at ${f.endpoint ? named(f.endpoint) : 'this endpoint'}.${said}`,
    });
  }
  if (f.status !== undefined && f.status >= 500) {
    return new QwenError({ ...base, kind: 'server', message: `The Qwen service had an internal error (HTTP ${f.status}).${said}` });
  }
  if (f.status !== undefined && f.status >= 400) {
    return new QwenError({
      ...base,
      kind: 'badRequest',
      message: `The server refused the request (HTTP ${f.status}).${said || ' No reason was given.'}`,
    });
  }
  // An error object inside a 200 stream.
  return new QwenError({
    ...base,
    kind: 'streamError',
    message: `The answer stopped with an error from the server.${said} The text received so far is kept.`,
  });
}

/** `Model Studio (Singapore) at https://…` for Model Studio, the URL itself for other servers. */
function named(endpoint: string | undefined): string {
  if (endpoint === undefined) return 'the server';
  const label = describeEndpoint(endpoint);
  return label.startsWith('Model Studio') ? `${label} at ${endpoint}` : endpoint;
}

/** Retry-After is seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return undefined;
}

export function cancelledError(): QwenError {
  return new QwenError({ kind: 'cancelled', message: 'Stopped. The text received so far is kept.' });
}
