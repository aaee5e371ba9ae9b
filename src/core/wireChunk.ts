/**
 * One streamed chunk, normalised. The openai SDK hands us `JSON.parse`d objects whose shape depends on the server:
 * OpenAI-compatible `chat.completion.chunk`s, or DashScope-native `{output: {choices: [{message}]}}` chunks (the
 * seed documents show both, and custom endpoints vary). Everything downstream reads only this shape.
 * Never throws: a chunk we cannot read normalises to `{}`.
 */
import type { Usage } from './events';

/** One entry of `delta.tool_calls`, with the empty strings DashScope sends on later deltas already dropped. */
export interface WireToolCallDelta {
  index?: number;
  /** Only when non-empty. */
  id?: string;
  /** Only when non-empty. */
  type?: string;
  /** Only when non-empty. */
  name?: string;
  /** The arguments fragment (may be empty). */
  arguments?: string;
}

export interface WireError {
  code?: string;
  message?: string;
  requestId?: string;
}

export interface WireChunk {
  /** Only when non-empty. */
  reasoning?: string;
  /** Only when non-empty. */
  content?: string;
  toolCalls?: WireToolCallDelta[];
  /** Only a real reason: `null`, `"null"` and `""` are dropped. */
  finishReason?: string;
  usage?: Usage;
  model?: string;
  error?: WireError;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Codes arrive as strings from DashScope and sometimes as numbers from other servers. */
function codeString(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function normalizeWireChunk(raw: unknown): WireChunk {
  if (!isObj(raw)) return {};
  const out: WireChunk = {};

  const model = nonEmptyString(raw['model']);
  if (model !== undefined) out.model = model;

  const usage = normalizeUsage(raw['usage']);
  if (usage !== undefined) out.usage = usage;

  // OpenAI-compatible: choices[0].delta. DashScope native: output.choices[0].message (or output.text).
  let message: Obj | undefined;
  // A whole message (non-streaming reply) lists its calls without `index`: their position is the index.
  let wholeMessage = false;
  let finish: unknown;
  let hasChoices = false;
  const choices = raw['choices'];
  const output = raw['output'];
  if (Array.isArray(choices)) {
    hasChoices = choices.length > 0;
    const choice: unknown = choices[0];
    if (isObj(choice)) {
      message = isObj(choice['delta']) ? choice['delta'] : isObj(choice['message']) ? choice['message'] : undefined;
      wholeMessage = !isObj(choice['delta']) && message !== undefined;
      finish = choice['finish_reason'];
    }
  } else if (isObj(output)) {
    const nativeChoices = output['choices'];
    if (Array.isArray(nativeChoices)) {
      hasChoices = nativeChoices.length > 0;
      const choice: unknown = nativeChoices[0];
      if (isObj(choice)) {
        message = isObj(choice['message']) ? choice['message'] : undefined;
        finish = choice['finish_reason'];
      }
    } else {
      hasChoices = true;
      const text = nonEmptyString(output['text']);
      if (text !== undefined) out.content = text;
      finish = output['finish_reason'];
    }
  }

  if (message) {
    const reasoning = nonEmptyString(message['reasoning_content']) ?? nonEmptyString(message['reasoning']);
    if (reasoning !== undefined) out.reasoning = reasoning;
    const content = nonEmptyString(message['content']);
    if (content !== undefined) out.content = content;
    const toolCalls = normalizeToolCalls(message['tool_calls'], wholeMessage);
    if (toolCalls !== undefined) out.toolCalls = toolCalls;
  }

  if (typeof finish === 'string' && finish !== '' && finish !== 'null') out.finishReason = finish;

  const error = normalizeError(raw, hasChoices);
  if (error !== undefined) out.error = error;
  return out;
}

function normalizeToolCalls(v: unknown, positional: boolean): WireToolCallDelta[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: WireToolCallDelta[] = [];
  for (const [position, item] of v.entries()) {
    if (!isObj(item)) continue;
    const d: WireToolCallDelta = {};
    const index = item['index'];
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0) d.index = index;
    else if (positional) d.index = position;
    const id = nonEmptyString(item['id']);
    if (id !== undefined) d.id = id;
    const type = nonEmptyString(item['type']);
    if (type !== undefined) d.type = type;
    const fn = item['function'];
    if (isObj(fn)) {
      const name = nonEmptyString(fn['name']);
      if (name !== undefined) d.name = name;
      const args = fn['arguments'];
      if (typeof args === 'string') d.arguments = args;
      // Some servers send an already-parsed object instead of the JSON text.
      else if (isObj(args)) d.arguments = JSON.stringify(args);
    }
    out.push(d);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Compatible mode reports `prompt_tokens`/`completion_tokens`; DashScope native reports `input_tokens`/`output_tokens`.
 * Missing details are 0 so cost arithmetic never sees undefined.
 */
export function normalizeUsage(v: unknown): Usage | undefined {
  if (!isObj(v)) return undefined;
  const promptTokens = count(v['prompt_tokens']) ?? count(v['input_tokens']);
  const completionTokens = count(v['completion_tokens']) ?? count(v['output_tokens']);
  const totalTokens = count(v['total_tokens']);
  if (promptTokens === undefined && completionTokens === undefined && totalTokens === undefined) return undefined;
  const promptDetails = isObj(v['prompt_tokens_details']) ? v['prompt_tokens_details'] : {};
  const completionDetails = isObj(v['completion_tokens_details'])
    ? v['completion_tokens_details']
    : isObj(v['output_tokens_details'])
      ? v['output_tokens_details']
      : {};
  const prompt = promptTokens ?? 0;
  const completion = completionTokens ?? 0;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: totalTokens ?? prompt + completion,
    cachedTokens: count(promptDetails['cached_tokens']) ?? 0,
    cacheCreationTokens:
      count(promptDetails['cache_creation_input_tokens']) ?? count(v['cache_creation_input_tokens']) ?? 0,
    reasoningTokens: count(completionDetails['reasoning_tokens']) ?? 0,
  };
}

/**
 * Errors inside a 200 stream: OpenAI style `{error: {code, message}}`, or DashScope style top-level `code` + `message`
 * on a chunk without choices (a normal native chunk has no top-level `code`, so this cannot misfire on data).
 */
function normalizeError(raw: Obj, hasChoices: boolean): WireError | undefined {
  const requestId = nonEmptyString(raw['request_id']);
  const err = raw['error'];
  if (isObj(err)) {
    return withRequestId(
      { code: codeString(err['code']) ?? codeString(err['type']), message: nonEmptyString(err['message']) },
      requestId,
    );
  }
  if (typeof err === 'string' && err.length > 0) return withRequestId({ code: undefined, message: err }, requestId);
  if (!hasChoices) {
    const code = codeString(raw['code']);
    const message = nonEmptyString(raw['message']);
    if (code !== undefined && message !== undefined) return withRequestId({ code, message }, requestId);
  }
  return undefined;
}

function withRequestId(
  e: { code: string | undefined; message: string | undefined },
  requestId: string | undefined,
): WireError {
  const out: WireError = {};
  if (e.code !== undefined) out.code = e.code;
  if (e.message !== undefined) out.message = e.message;
  if (requestId !== undefined) out.requestId = requestId;
  return out;
}
