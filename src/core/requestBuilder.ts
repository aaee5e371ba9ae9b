/**
 * Builds the chat-completions body for a model, applying the Qwen rules the server enforces with a 400:
 * thinking flags only where the model takes them, thinking only with streaming, no forced tool choice while
 * thinking. Combinations the server would refuse are refused here first, with a message that says how to fix them.
 */
import { QwenError } from './errors';
import { toApiMessages, type ApiMessage, type ChatMessage } from './messages';
import { getModel, type ModelInfo } from './models';

export type ThinkingMode = 'auto' | 'on' | 'off';

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ChatRequestOptions {
  model: string;
  /** Facts to use instead of the catalog's, e.g. for a custom model the user described. Defaults to `getModel(model)`. */
  modelInfo?: ModelInfo;
  messages: readonly ChatMessage[];
  /** System prompt, placed at `messages[0]` (history system messages are merged after it). */
  system?: string;
  /**
   * `auto` keeps the model's default; `on`/`off` override it on hybrid models only.
   * @default 'auto'
   */
  thinking?: ThinkingMode;
  /** Cap on reasoning tokens; sent only when thinking is on and the model takes it, clamped to its maximum. ≤ 0 means no cap. */
  thinkingBudget?: number;
  /**
   * Ask the model to read earlier `reasoning_content` (only qwen3.6-plus, qwen3.7-* and a few others take it).
   * @default false
   */
  preserveThinking?: boolean;
  /** Cap on output tokens, clamped to the model's maximum. @default the model's `defaultMaxOutputTokens` */
  maxOutputTokens?: number;
  /** Sampling temperature in [0, 2). Omitted when not given, so the model's default applies. */
  temperature?: number;
  tools?: readonly ToolDefinition[];
  /** Only sent with tools. @default server default ('auto') */
  toolChoice?: ToolChoice;
  /** Only sent with tools. */
  parallelToolCalls?: boolean;
}

export interface ApiTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export type ApiToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

/** The body sent to `/chat/completions`. DashScope's thinking keys are top level in compatible mode. */
export interface ChatCompletionBody {
  model: string;
  messages: ApiMessage[];
  stream: boolean;
  stream_options?: { include_usage: true };
  max_tokens: number;
  temperature?: number;
  tools?: ApiTool[];
  tool_choice?: ApiToolChoice;
  parallel_tool_calls?: boolean;
  enable_thinking?: boolean;
  thinking_budget?: number;
  preserve_thinking?: boolean;
}

export interface EffectiveThinking {
  /** Whether the reply will think; `'unknown'` for models not in the catalog. */
  thinking: boolean | 'unknown';
  /** True when the user's choice cannot change it (the toggle should show as fixed). */
  locked: boolean;
  /** For the UI, e.g. "qwen3-coder-plus does not think". */
  reason: string;
}

/** What the model will do with this thinking mode. */
export function effectiveThinking(model: ModelInfo, mode: ThinkingMode): EffectiveThinking {
  const id = model.id;
  switch (model.thinking) {
    case 'none':
      return { thinking: false, locked: true, reason: `${id} does not think` };
    case 'always':
      return { thinking: true, locked: true, reason: `${id} always thinks` };
    case 'unknown':
      return {
        thinking: 'unknown',
        locked: true,
        reason: `${id} is not a known model: the thinking setting is not sent, and reasoning is shown if the server returns it`,
      };
    case 'hybrid-on':
    case 'hybrid-off': {
      const byDefault = model.thinking === 'hybrid-on';
      if (mode === 'auto') {
        return { thinking: byDefault, locked: false, reason: `${id} ${byDefault ? 'thinks' : 'does not think'} by default` };
      }
      const on = mode === 'on';
      return { thinking: on, locked: false, reason: `Thinking ${on ? 'on' : 'off'} for ${id}` };
    }
  }
}

/** The streaming request for a chat turn or an agent step. */
export function buildChatRequest(opts: ChatRequestOptions): ChatCompletionBody {
  const model = opts.modelInfo ?? getModel(opts.model);
  const mode = opts.thinking ?? 'auto';
  const effective = effectiveThinking(model, mode);
  const thinkingOn = effective.thinking === true;

  const body: ChatCompletionBody = {
    model: opts.model,
    messages: toApiMessages(opts.messages, withSystem(opts.system, { includeReasoning: thinkingOn })),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens(model, opts.maxOutputTokens),
  };
  if (opts.temperature !== undefined) body.temperature = checkedTemperature(opts.temperature);

  // Only hybrids take the flag, and only a change from the default is sent. Unknown models get nothing: vLLM
  // reads it only inside `chat_template_kwargs`, Ollama has its own `think`, and some strict servers reject
  // unknown keys, so sending it would do nothing at best.
  const isHybrid = model.thinking === 'hybrid-on' || model.thinking === 'hybrid-off';
  if (isHybrid && mode !== 'auto' && thinkingOn !== (model.thinking === 'hybrid-on')) body.enable_thinking = thinkingOn;

  const budget = thinkingBudget(model, opts.thinkingBudget);
  if (thinkingOn && budget !== undefined) body.thinking_budget = budget;
  if (thinkingOn && opts.preserveThinking === true && model.supportsPreserveThinking) body.preserve_thinking = true;

  const tools = opts.tools ?? [];
  if (tools.length > 0) {
    if (!model.supportsTools) {
      throw invalid(`${model.id} cannot call tools. Pick a model with function calling (for example qwen3-coder-plus) or turn the agent tools off.`);
    }
    body.tools = tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    if (opts.toolChoice !== undefined) body.tool_choice = toolChoice(opts.toolChoice, tools, model, effective);
    if (opts.parallelToolCalls !== undefined && (model.supportsParallelToolCalls || !opts.parallelToolCalls)) {
      body.parallel_tool_calls = opts.parallelToolCalls;
    }
  }
  return body;
}

export interface SideRequestOptions {
  model: string;
  /** Facts to use instead of the catalog's. Defaults to `getModel(model)`. */
  modelInfo?: ModelInfo;
  messages: readonly ChatMessage[];
  system?: string;
  /** @default the model's `defaultMaxOutputTokens` */
  maxOutputTokens?: number;
  temperature?: number;
}

/**
 * A non-streaming side call (chat title, commit message, JSON repair). Thinking on + non-streaming is a 400, so
 * hybrids get `enable_thinking: false` and models that always think or only stream are refused.
 */
export function buildSideRequest(opts: SideRequestOptions): ChatCompletionBody {
  const model = opts.modelInfo ?? getModel(opts.model);
  if (model.thinking === 'always' || model.streamingOnly) {
    const why = model.thinking === 'always' ? 'always thinks, so it only answers streaming requests' : 'only answers streaming requests';
    throw invalid(
      `${model.id} ${why}, and this background request (title, commit message, JSON repair) does not stream. ` +
        'Pick a model that can answer without thinking, such as qwen3-coder-flash or qwen-flash.',
    );
  }
  const body: ChatCompletionBody = {
    model: opts.model,
    messages: toApiMessages(opts.messages, withSystem(opts.system, { includeReasoning: false })),
    stream: false,
    max_tokens: maxTokens(model, opts.maxOutputTokens),
  };
  if (opts.temperature !== undefined) body.temperature = checkedTemperature(opts.temperature);
  // Sent to hybrid-off models too: explicit is cheap, and a snapshot whose default changed would otherwise 400.
  if (model.thinking === 'hybrid-on' || model.thinking === 'hybrid-off') body.enable_thinking = false;
  return body;
}

function withSystem(system: string | undefined, rest: { includeReasoning: boolean }): { system?: string; includeReasoning: boolean } {
  return system === undefined ? rest : { ...rest, system };
}

/** The user's cap clamped to the model's maximum, else the model's default. Non-positive or NaN counts as unset. */
export function maxTokens(model: ModelInfo, requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested) || requested < 1) return model.defaultMaxOutputTokens;
  return Math.min(Math.floor(requested), model.maxOutputTokens);
}

function thinkingBudget(model: ModelInfo, requested: number | undefined): number | undefined {
  if (model.maxThinkingBudget === undefined) return undefined;
  if (requested === undefined || !Number.isFinite(requested) || requested < 1) return undefined;
  return Math.min(Math.floor(requested), model.maxThinkingBudget);
}

/** Model Studio's documented range is [0, 2); package.json's schema for qwen.temperature says the same (a test checks). */
export const TEMPERATURE_RANGE = { minimum: 0, exclusiveMaximum: 2 } as const;

function checkedTemperature(t: number): number {
  if (!Number.isFinite(t) || t < TEMPERATURE_RANGE.minimum || t >= TEMPERATURE_RANGE.exclusiveMaximum) {
    throw invalid(`Temperature ${t} is out of range: Qwen accepts 0 up to (not including) 2. Change qwen.temperature.`);
  }
  return t;
}

function toolChoice(
  choice: ToolChoice,
  tools: readonly ToolDefinition[],
  model: ModelInfo,
  effective: EffectiveThinking,
): ApiToolChoice {
  const forced = choice === 'required' || typeof choice === 'object';
  if (forced && effective.thinking === true) {
    const what = typeof choice === 'object' ? `the tool "${choice.name}"` : 'a tool call ("required")';
    const fix = effective.locked
      ? `${model.id} always thinks: pick a non-thinking model, or let the model choose (tool choice "auto").`
      : 'Turn thinking off (qwen.thinking: off) for this request, or let the model choose (tool choice "auto").';
    throw invalid(`Qwen rejects forcing ${what} while the model is thinking. ${fix}`);
  }
  if (typeof choice === 'object') {
    if (!tools.some((t) => t.name === choice.name)) {
      throw invalid(`Tool choice names "${choice.name}", which is not among the tools sent (${tools.map((t) => t.name).join(', ')}).`);
    }
    return { type: 'function', function: { name: choice.name } };
  }
  return choice;
}

function invalid(message: string): QwenError {
  return new QwenError({ kind: 'invalidRequest', message });
}
