/**
 * The conversation as the extension stores it, and its conversion to the `messages` array the server accepts.
 * The API is stateless and strict about shape: one system message at index 0, every assistant `tool_calls` answered
 * by one tool message per call directly after it, no tool message without its call (each is a 400).
 */
import { historyArguments } from './toolArguments';

export interface ToolCallRecord {
  id: string;
  name: string;
  /** Raw JSON arguments text as the model produced it. */
  argumentsText: string;
}

/** A text content part; `cache_control` marks the end of an explicitly cached prefix. */
export type ContentPart = { type: 'text'; text: string; cache_control?: { type: 'ephemeral' } };

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string; reasoning?: string; toolCalls?: ToolCallRecord[] }
  | { role: 'tool'; toolCallId: string; name?: string; content: string };

export interface ApiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Content parts only when explicit cache markers are placed on it (src/core/context/cacheMarkers.ts). */
export type ApiSystemMessage = { role: 'system'; content: string | ContentPart[] };
export type ApiUserMessage = { role: 'user'; content: string | ContentPart[] };
export type ApiAssistantMessage = {
  role: 'assistant';
  content: string;
  reasoning_content?: string;
  tool_calls?: ApiToolCall[];
};
export type ApiToolMessage = { role: 'tool'; tool_call_id: string; content: string };

/** The wire shapes of OpenAI-compatible chat messages, as DashScope reads them. */
export type ApiMessage = ApiSystemMessage | ApiUserMessage | ApiAssistantMessage | ApiToolMessage;

/** Sent for a call whose result was never recorded, so the server never sees an unanswered call. */
export const UNANSWERED_TOOL_CALL_RESULT = 'The tool call was not run (the user stopped it).';

export interface ToApiMessagesOptions {
  /** System prompt placed first; system messages in the history are merged after it. */
  system?: string;
  /**
   * Send each assistant message's reasoning back as `reasoning_content`. Wanted when thinking is on (with tools,
   * accuracy drops without it; with `preserve_thinking` the model reads it); pointless otherwise.
   */
  includeReasoning: boolean;
}

/**
 * Convert the stored conversation to API messages:
 * - one system message at index 0 when any system text exists (`opts.system` first, then the history's system
 *   messages in order, joined by a blank line), never a system message later;
 * - assistant messages keep `tool_calls` and, when asked and non-empty, `reasoning_content`; an assistant message
 *   with neither text nor calls is dropped (a reply stopped before any output);
 * - each call's result directly follows its assistant message, in call order, taken from the tool messages after
 *   it and before the next assistant message; a call without a result gets `UNANSWERED_TOOL_CALL_RESULT`;
 *   tool messages that answer no call are dropped.
 */
export function toApiMessages(messages: readonly ChatMessage[], opts: ToApiMessagesOptions): ApiMessage[] {
  const out: ApiMessage[] = [];
  const systemTexts = [opts.system ?? '', ...messages.flatMap((m) => (m.role === 'system' ? [m.content] : []))].filter(
    (t) => t.trim() !== '',
  );
  if (systemTexts.length > 0) out.push({ role: 'system', content: systemTexts.join('\n\n') });

  const used = new Set<number>();
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'tool':
        return; // Hoisted above, or placed after its call below.
      case 'user':
        out.push({ role: 'user', content: message.content });
        return;
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        if (message.content.trim() === '' && calls.length === 0) return;
        out.push(assistantMessage(message, opts.includeReasoning));
        for (const call of calls) {
          const resultIndex = findResult(messages, index, call.id, used);
          const result = resultIndex === undefined ? undefined : messages[resultIndex];
          if (resultIndex !== undefined) used.add(resultIndex);
          out.push({
            role: 'tool',
            tool_call_id: call.id,
            content: result?.role === 'tool' ? result.content : UNANSWERED_TOOL_CALL_RESULT,
          });
        }
        return;
      }
    }
  });
  return out;
}

function assistantMessage(
  message: Extract<ChatMessage, { role: 'assistant' }>,
  includeReasoning: boolean,
): ApiAssistantMessage {
  // `content` stays a string ("" beside tool calls) rather than null: it is what DashScope itself returns for a
  // tool-call turn, and some OpenAI-compatible servers reject a null content.
  const api: ApiAssistantMessage = { role: 'assistant', content: message.content };
  if (includeReasoning && message.reasoning) api.reasoning_content = message.reasoning;
  const calls = message.toolCalls ?? [];
  if (calls.length > 0) {
    api.tool_calls = calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: historyArguments(c.argumentsText) },
    }));
  }
  return api;
}

/**
 * The first unused tool message answering `callId` after the assistant message at `from` and before the next
 * assistant message. The window matters: recovered text calls get ids like `call_text_0` in every reply.
 */
function findResult(messages: readonly ChatMessage[], from: number, callId: string, used: ReadonlySet<number>): number | undefined {
  for (let i = from + 1; i < messages.length; i++) {
    const m = messages[i];
    if (!m || m.role === 'assistant') return undefined;
    if (m.role === 'tool' && m.toolCallId === callId && !used.has(i)) return i;
  }
  return undefined;
}
