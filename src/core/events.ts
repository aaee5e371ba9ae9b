/**
 * The stream of one model reply, as everything downstream (chat session, webview, agent) sees it.
 * Produced by `StreamAccumulator` from wire chunks; the client yields these from an async generator.
 */
import type { QwenError } from './errors';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'unknown';

/** Token counts as reported by the server's last (usage-only) chunk. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** `prompt_tokens_details.cached_tokens`: input served from cache (implicit or explicit). */
  cachedTokens: number;
  /** `prompt_tokens_details.cache_creation_input_tokens`: input written to an explicit cache. */
  cacheCreationTokens: number;
  /** `completion_tokens_details.reasoning_tokens`: part of completionTokens, billed as output. */
  reasoningTokens: number;
}

/** Where a tool call was found. Only `native` came through `tool_calls`; the others were recovered from text. */
export type ToolCallSource = 'native' | 'text' | 'reasoning';

/** A complete tool call, ready for the agent to validate and run (or to report back as an error). */
export interface ToolCallRequest {
  /** Position in the reply (the wire `index` for native calls, order of appearance otherwise). */
  index: number;
  /** Server id for native calls; a generated `call_text_<n>` id for recovered ones. */
  id: string;
  name: string;
  /** Raw arguments text as received. */
  argumentsText: string;
  /** Parsed arguments when `argumentsText` is a JSON object (empty text parses as `{}`). */
  arguments?: Record<string, unknown>;
  /** Why the arguments could not be parsed; the call must go back to the model as a tool error. */
  parseError?: string;
  source: ToolCallSource;
  /** The reply ended with `finish_reason: "length"`: the arguments may be cut, never execute it. */
  truncated?: boolean;
}

export interface StreamMetrics {
  /** Milliseconds from request start to the first reasoning or content text. */
  timeToFirstTokenMs?: number;
  /** Milliseconds from request start to the end of the stream. */
  durationMs: number;
  /** Output tokens (usage.completionTokens) per second of generation (after the first token). */
  tokensPerSecond?: number;
}

export type StreamEvent =
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  /** A tool call is being streamed; `argumentsDelta` is the newly received fragment. */
  | { type: 'toolCallDelta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'toolCall'; call: ToolCallRequest }
  | { type: 'usage'; usage: Usage }
  /** The request failed before any output and will be sent again after `delayMs` (a countdown for the UI). */
  | { type: 'retry'; attempt: number; delayMs: number; error: QwenError }
  | { type: 'finish'; reason: FinishReason; metrics: StreamMetrics }
  /** The reply failed; text received so far stays in the turn (`AssistantTurn.partial`). */
  | { type: 'error'; error: QwenError };

/** Everything one reply produced, accumulated from its events. */
export interface AssistantTurn {
  reasoning: string;
  content: string;
  toolCalls: ToolCallRequest[];
  usage?: Usage;
  finishReason?: FinishReason;
  metrics?: StreamMetrics;
  /** Set when the reply ended in an error; `content`/`reasoning` keep the partial text. */
  error?: QwenError;
  /** True when the reply did not complete (error or cancel): the text is partial. */
  partial: boolean;
  /** Model id reported by the server, when it reported one. */
  model?: string;
}
