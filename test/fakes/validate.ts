/**
 * The request rules the real DashScope server enforces, so a client bug is a loud 400 here rather than in production.
 * The model table is deliberately independent of src/core: if the two disagree, a test should notice.
 */
import { errors } from './scenarios';
import type { Scenario } from './scenarios';

type Thinking = 'none' | 'hybridOn' | 'hybridOff' | 'always';

interface ModelRule {
  thinking: Thinking;
  maxOutput: number;
}

const MODELS: Record<string, ModelRule> = {
  'qwen3-coder-plus': { thinking: 'none', maxOutput: 65536 },
  'qwen3-coder-flash': { thinking: 'none', maxOutput: 65536 },
  'qwen3-coder-next': { thinking: 'none', maxOutput: 65536 },
  'qwen3.6-plus': { thinking: 'hybridOn', maxOutput: 65536 },
  'qwen3.5-plus': { thinking: 'hybridOn', maxOutput: 65536 },
  'qwen3.5-flash': { thinking: 'hybridOn', maxOutput: 65536 },
  'qwen3.6-flash': { thinking: 'hybridOn', maxOutput: 65536 },
  'qwen3-max': { thinking: 'hybridOff', maxOutput: 65536 },
  'qwen-plus': { thinking: 'hybridOff', maxOutput: 32768 },
  'qwen-flash': { thinking: 'hybridOff', maxOutput: 32768 },
  'qwen-turbo': { thinking: 'hybridOff', maxOutput: 16384 },
  'qwq-plus': { thinking: 'always', maxOutput: 8192 },
};

/** `any`: a `custom-` id, served with no rules (stands in for vLLM, Ollama and other custom endpoints). */
export function modelRule(id: string): ModelRule | 'any' | undefined {
  if (id.startsWith('custom-')) return 'any';
  const exact = MODELS[id] ?? MODELS[id.replace(/-(latest|\d{4}-\d{2}-\d{2})$/, '')];
  if (exact) return exact;
  if (id.endsWith('-thinking') || id.includes('-thinking-')) return { thinking: 'always', maxOutput: 32768 };
  // Stricter than the real API, which ignores enable_thinking on coder snapshots: sending it is our bug.
  if (id.startsWith('qwen3-coder-')) return { thinking: 'none', maxOutput: 65536 };
  return undefined;
}

export interface Verdict {
  /** The error answer, when the request breaks a rule. */
  error?: Extract<Scenario, { kind: 'http' }>;
  /** Whether the model will think for this request (decides the default answer). */
  thinkingOn: boolean;
}

type Headers = Record<string, string | string[] | undefined>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function thinkingOn(rule: ModelRule | 'any' | undefined, enableThinking: unknown): boolean {
  if (rule === undefined || rule === 'any' || rule.thinking === 'none') return enableThinking === true;
  if (rule.thinking === 'always') return true;
  return typeof enableThinking === 'boolean' ? enableThinking : rule.thinking === 'hybridOn';
}

/** Checks one request; `body` is the parsed JSON (or the raw text when it was not JSON). */
export function checkRequest(headers: Headers, body: unknown, apiKey: string): Verdict {
  const bad = (message: string): Verdict => ({ error: errors.invalidParameter(message), thinkingOn: false });
  if (headers.authorization !== `Bearer ${apiKey}`) return { error: errors.invalidApiKey(), thinkingOn: false };
  if (!isObject(body)) return bad('The request body is not a valid JSON object.');
  const model = body.model;
  if (typeof model !== 'string' || model === '') return bad('Parameter `model` is required and must be a string.');
  const rule = modelRule(model);
  if (rule === undefined) return { error: errors.modelNotFound(model), thinkingOn: false };

  const messagesError = checkMessages(body.messages);
  if (messagesError) return bad(messagesError);

  const on = thinkingOn(rule, body.enable_thinking);
  if (rule === 'any') return { thinkingOn: on };
  const stream = body.stream === true;
  if (body.stream_options !== undefined && !stream) return bad('parameter.stream_options is only allowed when parameter.stream is true.');
  if (body.enable_thinking !== undefined) {
    if (rule.thinking === 'none' || rule.thinking === 'always') {
      return bad(`parameter.enable_thinking is not supported by model ${model}: ${rule.thinking === 'always' ? 'it always thinks' : 'it has no thinking mode'}.`);
    }
    if (typeof body.enable_thinking !== 'boolean') return bad('parameter.enable_thinking must be a boolean.');
  }
  if (on && !stream) return bad('parameter.enable_thinking must be set to false for non-streaming calls.');
  if (on && (body.tool_choice === 'required' || isObject(body.tool_choice))) {
    return bad('parameter.tool_choice "required" or a specific function is not supported in thinking mode.');
  }
  const maxTokens = body.max_tokens;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > rule.maxOutput)) {
    return bad(`Range of max_tokens should be [1, ${rule.maxOutput}] for model ${model}.`);
  }
  return { thinkingOn: on };
}

/** The message-order rules; returns the broken rule's message. */
function checkMessages(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return 'parameter.messages must be a non-empty array.';
  const contentError = checkContent(messages);
  if (contentError) return contentError;
  // Ids of the latest assistant tool_calls still waiting for their tool message.
  let pending = new Set<string>();
  const unanswered = (): string =>
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. Missing responses for: ${[...pending].join(', ')}.`;
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || typeof m.role !== 'string') return `messages[${i}] must be an object with a string role.`;
    switch (m.role) {
      case 'system':
        if (i !== 0) return 'System message must be at the beginning.';
        break;
      case 'user':
        if (pending.size > 0) return unanswered();
        break;
      case 'assistant': {
        if (pending.size > 0) return unanswered();
        const calls: unknown[] = Array.isArray(m.tool_calls) ? m.tool_calls : [];
        // Stricter than documented on purpose: servers that render the chat template parse these arguments.
        const badArgs = calls.findIndex((c) => !isObject(c) || !isObject(c.function) || !isJsonObjectText(c.function.arguments));
        if (badArgs >= 0) return `messages[${i}].tool_calls[${badArgs}].function.arguments must be a JSON object string.`;
        pending = new Set(calls.map((c) => (isObject(c) && typeof c.id === 'string' ? c.id : '')));
        break;
      }
      case 'tool': {
        const id = m.tool_call_id;
        if (typeof id !== 'string' || !pending.has(id)) {
          return "messages with role 'tool' must be a response to a preceding message with 'tool_calls'.";
        }
        pending.delete(id);
        break;
      }
      default:
        return `messages[${i}].role must be one of system, user, assistant, tool.`;
    }
  }
  return pending.size > 0 ? unanswered() : undefined;
}

/** Explicit cache markers: at most 4 per request (seed 000, notes), each `{type: "ephemeral"}` on a text part. */
export const MAX_CACHE_MARKERS = 4;

/** Content is a string or an array of text parts; `cache_control` only as `{type: "ephemeral"}`, at most 4 in all. */
function checkContent(messages: unknown[]): string | undefined {
  let markers = 0;
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || !Array.isArray(m.content)) continue;
    if (m.content.length === 0) return `messages[${i}].content must not be an empty array.`;
    for (const [j, part] of m.content.entries()) {
      if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
        return `messages[${i}].content[${j}] must be a text part: {"type": "text", "text": "..."}.`;
      }
      if (part.cache_control === undefined) continue;
      if (!isObject(part.cache_control) || part.cache_control.type !== 'ephemeral') {
        return `messages[${i}].content[${j}].cache_control.type must be "ephemeral".`;
      }
      markers++;
    }
  }
  return markers > MAX_CACHE_MARKERS ? `A request may carry at most ${MAX_CACHE_MARKERS} cache_control markers; this one has ${markers}.` : undefined;
}

function isJsonObjectText(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(v);
    return isObject(parsed) && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
