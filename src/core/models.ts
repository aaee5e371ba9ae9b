/**
 * The model catalog: what the extension must know per model to build a request the server accepts.
 *
 * Sources: ../shared/QWEN-API-NOTES.md ("notes") and the seed documents in ../shared/seeds/
 * (000 FAQ, 001 text-chat guide, 002 streaming, 003 deep thinking). A number marked
 * `not documented: conservative` is our own choice, deliberately low: a context window that is too small only
 * trims history early, a max output that is too large makes the server refuse `max_tokens`.
 */

export type ModelFamily = 'coder' | 'general' | 'reasoning' | 'unknown';

/**
 * How a model thinks: `none` never (never send `enable_thinking`), `hybrid-on`/`hybrid-off` switchable with
 * `enable_thinking` (on or off by default), `always` thinking-only (the flag is not accepted), `unknown` not in the
 * catalog (send no thinking flags; show reasoning if it comes).
 */
export type ThinkingSupport = 'none' | 'hybrid-on' | 'hybrid-off' | 'always' | 'unknown';

export interface ModelInfo {
  /** The catalog id (lower case), or the id as given for models not in the catalog. */
  id: string;
  label: string;
  family: ModelFamily;
  /** Input + output tokens. */
  contextWindow: number;
  /** Largest prompt the server accepts. */
  maxInputTokens: number;
  /** Largest `max_tokens` the server accepts. */
  maxOutputTokens: number;
  /** `max_tokens` sent when the user set none: we always send one, so a runaway reply has a cap. */
  defaultMaxOutputTokens: number;
  thinking: ThinkingSupport;
  /** Largest `thinking_budget`; undefined when the model does not take `thinking_budget` at all. */
  maxThinkingBudget?: number;
  supportsTools: boolean;
  supportsParallelToolCalls: boolean;
  /** Accepts `preserve_thinking: true` (reads earlier `reasoning_content`). */
  supportsPreserveThinking: boolean;
  /** Honours `cache_control: {type: 'ephemeral'}` markers on content parts. */
  explicitCache: boolean;
  /** Fails or answers empty without `stream: true` (seed 000: QwQ; seed 002: open-source Qwen3, QwQ). */
  streamingOnly: boolean;
  /** True for catalog ids and their dated snapshots; false when the facts are inferred or defaults. */
  known: boolean;
}

/** Cap for the default `max_tokens`: enough for a long file rewrite, not the model's full budget (cost). */
export const DEFAULT_OUTPUT_CAP = 32_768;

/**
 * `thinking_budget` ceiling where the model's maximum chain-of-thought length is not documented
 * (seed 003: "defaults to the model's maximum chain-of-thought length; check the console"). Not documented:
 * conservative — a budget above the model's maximum is refused, one below it only shortens reasoning.
 */
export const CONSERVATIVE_THINKING_BUDGET = 32_768;

/** Facts for ids we know nothing about (custom endpoints). */
export const UNKNOWN_MODEL_DEFAULTS = {
  contextWindow: 131_072,
  maxOutputTokens: 8_192,
} as const;

const M = 1_000_000;
const K128 = 131_072;

interface EntryInit {
  id: string;
  label: string;
  family: ModelFamily;
  contextWindow: number;
  /** Omitted when not documented: then context − max output, so prompt + reply always fit. */
  maxInputTokens?: number;
  maxOutputTokens: number;
  thinking: ThinkingSupport;
  /** Omit for models that take no `thinking_budget`. */
  maxThinkingBudget?: number;
  supportsPreserveThinking?: boolean;
  explicitCache?: boolean;
  streamingOnly?: boolean;
}

function entry(e: EntryInit): ModelInfo {
  const info: ModelInfo = {
    id: e.id,
    label: e.label,
    family: e.family,
    contextWindow: e.contextWindow,
    maxInputTokens: e.maxInputTokens ?? e.contextWindow - e.maxOutputTokens,
    maxOutputTokens: e.maxOutputTokens,
    defaultMaxOutputTokens: Math.min(e.maxOutputTokens, DEFAULT_OUTPUT_CAP),
    thinking: e.thinking,
    ...(e.maxThinkingBudget !== undefined && { maxThinkingBudget: e.maxThinkingBudget }),
    // Seed 001: function calling on Qwen-Max/Plus/Flash/Turbo, Qwen3.5/3/2.5; notes: `parallel_tool_calls` supported.
    supportsTools: true,
    supportsParallelToolCalls: true,
    supportsPreserveThinking: e.supportsPreserveThinking ?? false,
    explicitCache: e.explicitCache ?? false,
    streamingOnly: e.streamingOnly ?? false,
    known: true,
  };
  return Object.freeze(info);
}

const BUDGET = CONSERVATIVE_THINKING_BUDGET;

const CATALOG: readonly ModelInfo[] = [
  // Coder: notes table (context, input, output; thinking none); explicit cache on qwen3-coder-plus (notes).
  entry({ id: 'qwen3-coder-plus', label: 'Qwen3 Coder Plus', family: 'coder', contextWindow: M, maxInputTokens: 997_952, maxOutputTokens: 65_536, thinking: 'none', explicitCache: true }),
  entry({ id: 'qwen3-coder-flash', label: 'Qwen3 Coder Flash', family: 'coder', contextWindow: M, maxOutputTokens: 65_536, thinking: 'none' }), // max input not documented: conservative
  entry({ id: 'qwen3-coder-next', label: 'Qwen3 Coder Next', family: 'coder', contextWindow: 262_144, maxOutputTokens: 65_536, thinking: 'none' }), // max input not documented: conservative

  // Qwen3.6 / 3.5: hybrid, thinking on by default (seed 001, seed 003); 1M and 65,536 out (notes, seed 001).
  // preserve_thinking: qwen3.6-plus (seed 003); explicit cache: qwen3.6-plus (notes). Max input not documented: conservative.
  // thinking_budget: "supported by Qwen3 (in thinking mode)" (seed 003); its maximum is not documented: conservative.
  entry({ id: 'qwen3.6-plus', label: 'Qwen3.6 Plus', family: 'general', contextWindow: M, maxOutputTokens: 65_536, thinking: 'hybrid-on', maxThinkingBudget: BUDGET, supportsPreserveThinking: true, explicitCache: true }),
  entry({ id: 'qwen3.6-flash', label: 'Qwen3.6 Flash', family: 'general', contextWindow: M, maxOutputTokens: 65_536, thinking: 'hybrid-on', maxThinkingBudget: BUDGET }),
  entry({ id: 'qwen3.5-plus', label: 'Qwen3.5 Plus', family: 'general', contextWindow: M, maxOutputTokens: 65_536, thinking: 'hybrid-on', maxThinkingBudget: BUDGET }),
  entry({ id: 'qwen3.5-flash', label: 'Qwen3.5 Flash', family: 'general', contextWindow: M, maxOutputTokens: 65_536, thinking: 'hybrid-on', maxThinkingBudget: BUDGET }),

  // Qwen3.7 and the Max previews: thinking mode and preserve_thinking from seed 003; context and output
  // not documented: conservative.
  entry({ id: 'qwen3.7-plus', label: 'Qwen3.7 Plus', family: 'general', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'hybrid-on', maxThinkingBudget: BUDGET, supportsPreserveThinking: true }),
  entry({ id: 'qwen3.7-max', label: 'Qwen3.7 Max', family: 'general', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'hybrid-on', maxThinkingBudget: BUDGET, supportsPreserveThinking: true }),
  entry({ id: 'qwen3.7-max-preview', label: 'Qwen3.7 Max Preview', family: 'reasoning', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'always', maxThinkingBudget: BUDGET, supportsPreserveThinking: true }),
  // A dated snapshot that differs from its family: thinking-only while qwen3.7-max is hybrid (seed 003).
  entry({ id: 'qwen3.7-max-2026-05-17', label: 'Qwen3.7 Max (2026-05-17)', family: 'reasoning', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'always', maxThinkingBudget: BUDGET, supportsPreserveThinking: true }),
  entry({ id: 'qwen3.6-max-preview', label: 'Qwen3.6 Max Preview', family: 'general', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'hybrid-on', maxThinkingBudget: BUDGET, supportsPreserveThinking: true }),

  // Qwen3 commercial: hybrid, thinking off by default (seed 001, seed 003). Explicit cache: qwen3-max, qwen-flash (notes).
  // Not in the seeds: the public model list gives qwen3-max 256K context / 64K output and qwen-flash 1M / 32K;
  // qwen-plus and qwen-turbo are not documented: conservative.
  entry({ id: 'qwen3-max', label: 'Qwen3 Max', family: 'general', contextWindow: 262_144, maxOutputTokens: 65_536, thinking: 'hybrid-off', maxThinkingBudget: BUDGET, explicitCache: true }),
  entry({ id: 'qwen-plus', label: 'Qwen Plus', family: 'general', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'hybrid-off', maxThinkingBudget: BUDGET }),
  entry({ id: 'qwen-flash', label: 'Qwen Flash', family: 'general', contextWindow: M, maxOutputTokens: 32_768, thinking: 'hybrid-off', maxThinkingBudget: BUDGET, explicitCache: true }),
  entry({ id: 'qwen-turbo', label: 'Qwen Turbo', family: 'general', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'hybrid-off', maxThinkingBudget: BUDGET }),

  // QwQ: thinking-only and streaming-only (seed 000, seed 003). Based on Qwen2.5, so no thinking_budget
  // (seed 003: Qwen3 and Kimi only). Context and output not documented: conservative.
  entry({ id: 'qwq-plus', label: 'QwQ Plus', family: 'reasoning', contextWindow: K128, maxOutputTokens: 8_192, thinking: 'always', streamingOnly: true }),

  // Open-source Qwen3 on Model Studio: thinking-only ids and hybrid ids (seed 003); streaming-only (seed 002).
  // Context and output not documented: conservative.
  ...['qwen3-235b-a22b-thinking-2507', 'qwen3-30b-a3b-thinking-2507', 'qwen3-next-80b-a3b-thinking'].map((id) =>
    entry({ id, label: id, family: 'reasoning', contextWindow: K128, maxOutputTokens: 16_384, thinking: 'always', maxThinkingBudget: BUDGET, streamingOnly: true }),
  ),
  ...['qwen3-235b-a22b', 'qwen3-32b', 'qwen3-30b-a3b', 'qwen3-14b', 'qwen3-8b'].map((id) =>
    entry({ id, label: id, family: 'general', contextWindow: K128, maxOutputTokens: 8_192, thinking: 'hybrid-on', maxThinkingBudget: BUDGET, streamingOnly: true }),
  ),
  // Open-source Qwen3.5 / 3.6: hybrid, on by default (seed 003); whether they are streaming-only is not documented.
  ...['qwen3.5-397b-a17b', 'qwen3.5-122b-a10b', 'qwen3.5-27b', 'qwen3.5-35b-a3b', 'qwen3.6-35b-a3b'].map((id) =>
    entry({ id, label: id, family: 'general', contextWindow: K128, maxOutputTokens: 8_192, thinking: 'hybrid-on', maxThinkingBudget: BUDGET }),
  ),
];

const BY_ID: ReadonlyMap<string, ModelInfo> = new Map(CATALOG.map((m) => [m.id, m]));

/**
 * Snapshots older than these dates predate hybrid thinking (seed 003 lists "qwen-plus-2025-04-28 and later",
 * "qwen-flash-2025-07-28 and later", and qwen3-max-2026-01-23 as the hybrid qwen3-max snapshot).
 */
const HYBRID_SINCE: Readonly<Record<string, string>> = {
  'qwen-plus': '2025-04-28',
  'qwen-flash': '2025-07-28',
  'qwen3-max': '2026-01-23',
};

/** Every catalog model, in display order (coder first). */
export function listModels(): readonly ModelInfo[] {
  return CATALOG;
}

/**
 * Split a model id as servers spell it: case-insensitive, an org prefix (`Qwen/…`, vLLM, Hugging Face) and an
 * Ollama `:tag` are not part of the model name. `full` keeps the tag (it can say `thinking`) for the name rules.
 */
export function normaliseModelId(id: string): { name: string; full: string; local: boolean } {
  const lower = id.trim().toLowerCase();
  const slash = lower.lastIndexOf('/');
  const withoutOrg = slash >= 0 ? lower.slice(slash + 1) : lower;
  const colon = withoutOrg.indexOf(':');
  const name = colon >= 0 ? withoutOrg.slice(0, colon) : withoutOrg;
  const full = withoutOrg.replace(/:/g, '-');
  return { name, full, local: slash >= 0 || colon >= 0 };
}

/**
 * Facts for a model id, never undefined: exact catalog id, then dated snapshots (`qwen-plus-2025-07-28`,
 * `qwen-plus-latest`, `qwen3-max-preview`) with their family's facts, then name rules (`-thinking` always thinks, `-instruct` and
 * coder models never do, QwQ always does), then safe defaults.
 * Ids served by another server (`Qwen/Qwen3-32B`, `qwen3-coder:30b`) take thinking behaviour from the catalog or the
 * rules but never its limits: that server has its own.
 */
export function getModel(id: string): ModelInfo {
  const { name, full, local } = normaliseModelId(id);
  const catalog = BY_ID.get(name) ?? snapshotOf(name);
  if (catalog && !local) return catalog;
  if (catalog) return inferred(id, catalog.family, catalog.thinking);

  const segments = full.split(/[-_.]/);
  if (/^qwen[\d.]*-?coder/.test(full)) return inferred(id, 'coder', 'none');
  if (segments.includes('thinking')) return inferred(id, 'reasoning', 'always');
  if (segments.includes('instruct')) return inferred(id, 'unknown', 'none');
  if (/^qwq/.test(full)) return inferred(id, 'reasoning', 'always');
  return inferred(id, 'unknown', 'unknown');
}

const SNAPSHOT = /^(.+?)-(\d{4}-\d{2}-\d{2}|latest|preview)$/;

function snapshotOf(name: string): ModelInfo | undefined {
  const match = SNAPSHOT.exec(name);
  if (!match) return undefined;
  const [, base = '', date = ''] = match;
  const family = BY_ID.get(base);
  if (!family) return undefined;
  const since = HYBRID_SINCE[base];
  const predatesThinking = since !== undefined && /^\d/.test(date) && date < since;
  const { maxThinkingBudget: _budget, ...rest } = family;
  return Object.freeze({
    ...(predatesThinking ? rest : family),
    id: name,
    label: `${family.label} (${date})`,
    ...(predatesThinking && { thinking: 'none' as const }),
    // The notes name explicit caching for the family ids only; a snapshot may not honour the markers.
    explicitCache: false,
  });
}

function inferred(id: string, family: ModelFamily, thinking: ThinkingSupport): ModelInfo {
  const { contextWindow, maxOutputTokens } = UNKNOWN_MODEL_DEFAULTS;
  return Object.freeze({
    id: id.trim(),
    label: id.trim(),
    family,
    contextWindow,
    maxInputTokens: contextWindow - maxOutputTokens,
    maxOutputTokens,
    defaultMaxOutputTokens: maxOutputTokens,
    thinking,
    supportsTools: true,
    supportsParallelToolCalls: true,
    supportsPreserveThinking: false,
    explicitCache: false,
    streamingOnly: false,
    known: false,
  });
}
