/**
 * Explicit context caching: `cache_control: {type: "ephemeral"}` on a content part caches the prompt up to and
 * including that part (seed 000, notes): at most 4 markers, a cached block of ≥ 1,024 tokens, 5 minutes, reset on a
 * hit; creation costs 125% of input, a hit 10%. One hit pays for the creation, so we mark what the NEXT request
 * will send again unchanged:
 *
 * 1. the end of this request's prompt (its last user message): written now, read by the next turn, whose prompt
 *    starts with exactly these messages — the marker moves forward one turn each request;
 * 2. the previous user message: where the previous request wrote its block, so this request reads it;
 * 3. the system message (system prompt, summary; tool definitions render into it): stable for the whole chat, it
 *    still hits when the user edits or retries an earlier message;
 * 4. the latest earlier user message that is long on its own (an attached file, a pasted log).
 *
 * Markers go on system and user messages only: the seeds and notes document content arrays of text parts, and those
 * two roles take them in every OpenAI-compatible server; assistant and tool content stays a string (in an agent
 * run the latest user message is still the anchor, so the tool rounds after it are not cached explicitly).
 * A marker whose block (tokens since the previous marker) is under 1,024 is skipped: the server would not cache
 * it, and it would use up one of the four.
 */
import type { ApiMessage, ContentPart } from '../messages';
import type { ModelInfo } from '../models';
import type { ApiTool } from '../requestBuilder';
import { contentText, estimateTokens, MESSAGE_OVERHEAD, TOOLS_PREAMBLE } from './estimate';

export const MAX_CACHE_MARKERS = 4;
export const MIN_CACHE_BLOCK_TOKENS = 1024;

export type MarkerReason = 'latest' | 'previous-turn' | 'system' | 'long-message';

export interface CacheMarker {
  /** Index in the returned `messages`. */
  index: number;
  reason: MarkerReason;
  /** Estimated prompt tokens up to and including the marked message (tools included). */
  prefixTokens: number;
}

export interface CacheMarkerInput {
  model: Pick<ModelInfo, 'explicitCache'>;
  /** The request's messages, as `toApiMessages` returns them. */
  messages: readonly ApiMessage[];
  /** The request's tools: they come before the messages in the prompt, so they count towards the first block. */
  tools?: readonly ApiTool[];
  /** The `qwen.cache.explicit` setting. @default true */
  enabled?: boolean;
  /** Token count of one message's text; a Calibrator's correction can be passed in. @default estimateTokens */
  countTokens?: (text: string) => number;
}

export interface CacheMarkerResult {
  /** The messages with markers (marked messages carry content parts); other messages are the same objects. */
  messages: ApiMessage[];
  /** Ascending by index. */
  markers: CacheMarker[];
}

const EPHEMERAL = { type: 'ephemeral' } as const;

export function placeCacheMarkers(input: CacheMarkerInput): CacheMarkerResult {
  const messages = input.messages.map(withoutMarkers);
  if (!input.model.explicitCache || input.enabled === false) return { messages, markers: [] };
  const count = input.countTokens ?? estimateTokens;

  const toolTokens = (input.tools?.length ?? 0) > 0 ? TOOLS_PREAMBLE + count(JSON.stringify(input.tools)) : 0;
  const prefix: number[] = [];
  let running = toolTokens;
  for (const m of messages) {
    running += MESSAGE_OVERHEAD + count(contentText(m.content)) + (m.role === 'assistant' && m.tool_calls ? count(JSON.stringify(m.tool_calls)) : 0);
    prefix.push(running);
  }

  const users = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  const latest = users.at(-1);
  // The previous request's last user message is the last one answered by the assistant (an attachments message
  // right before the latest question is not it).
  const previous = users.filter((i) => i !== latest && messages[i + 1]?.role !== 'user').at(-1);
  const longEarlier = users
    .slice(0, -1)
    .filter((i) => count(contentText(messages[i]?.content ?? '')) >= MIN_CACHE_BLOCK_TOKENS)
    .at(-1);
  const wanted: [number | undefined, MarkerReason][] = [
    [latest, 'latest'],
    [previous, 'previous-turn'],
    [messages[0]?.role === 'system' ? 0 : undefined, 'system'],
    [longEarlier, 'long-message'],
  ];

  const chosen: CacheMarker[] = [];
  for (const [index, reason] of wanted) {
    if (index === undefined || chosen.length >= MAX_CACHE_MARKERS || chosen.some((c) => c.index === index)) continue;
    const candidate = { index, reason, prefixTokens: prefix[index] ?? 0 };
    const sorted = [...chosen, candidate].sort((a, b) => a.index - b.index);
    if (blocksLargeEnough(sorted)) chosen.splice(0, chosen.length, ...sorted);
  }

  for (const marker of chosen) messages[marker.index] = marked(messages[marker.index] as ApiMessage);
  return { messages, markers: chosen };
}

/** Every block — from the start to the first marker, then between markers — holds at least the minimum. */
function blocksLargeEnough(sorted: readonly CacheMarker[]): boolean {
  let before = 0;
  for (const m of sorted) {
    if (m.prefixTokens - before < MIN_CACHE_BLOCK_TOKENS) return false;
    before = m.prefixTokens;
  }
  return true;
}

/** Only system and user messages are ever marked (see the top of this file). */
function marked(message: ApiMessage): ApiMessage {
  if (message.role !== 'system' && message.role !== 'user') return message;
  const parts: ContentPart[] =
    typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content.map((p) => ({ ...p }));
  const last = parts.at(-1);
  if (last) last.cache_control = EPHEMERAL;
  return { ...message, content: parts };
}

/** Markers from elsewhere (an earlier request's parts kept in history) would break the limit of four. */
function withoutMarkers(message: ApiMessage): ApiMessage {
  if ((message.role !== 'system' && message.role !== 'user') || typeof message.content === 'string') return message;
  if (!message.content.some((p) => p.cache_control)) return message;
  return { ...message, content: message.content.map(({ cache_control: _marker, ...part }) => part) };
}

/** Markers in a request body, for tests and the request log. */
export function countCacheMarkers(messages: readonly ApiMessage[]): number {
  return messages.reduce(
    (n, m) => n + (typeof m.content === 'string' ? 0 : m.content.filter((p) => p.cache_control !== undefined).length),
    0,
  );
}
