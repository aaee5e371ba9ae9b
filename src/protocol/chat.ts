/**
 * What the chat view shows, as plain data: the host owns and persists conversations in this shape and sends it to
 * the webview as is. No functions, no classes — everything here crosses `postMessage` and lands in JSON on disk.
 */
import type { ErrorActionId } from './actions';

export type MessageStatus =
  /** Text is still arriving. Only ever seen live; a stored message in this state was cut by a crash (see `partial`). */
  | 'streaming'
  | 'done'
  /** The user pressed Stop: the text is what arrived before. */
  | 'stopped'
  /** The request failed (see `error`); the text is what arrived before. */
  | 'error'
  /** The window closed or crashed while this message streamed; restored as it was last saved. */
  | 'interrupted';

/** Context attached to a user message (issue 3: the selection; issue 5 adds files, problems, terminal). */
export interface AttachmentView {
  id: string;
  kind: 'selection' | 'file' | 'problems' | 'terminal';
  /** Workspace-relative path (or a label for non-file kinds), shown on the chip. */
  label: string;
  /** VS Code language id, when known. */
  language?: string;
  /** 1-based inclusive line range, for selections. */
  startLine?: number;
  endLine?: number;
  /** The attached text itself (the user's own code; never a secret from SecretStorage). */
  text: string;
  /** True when `text` was cut to the attachment size cap. */
  truncated?: boolean;
}

export interface ErrorActionView {
  id: ErrorActionId;
  label: string;
}

export interface ErrorView {
  kind: string;
  /** One or two sentences for the user, naming the endpoint where it matters (401). */
  message: string;
  /** Only the last answer of a conversation offers `retry`: the host removes it from older cards. */
  actions: ErrorActionView[];
  /**
   * Epoch ms on the host's clock after which a retry makes sense (429 countdown). The messages carrying it
   * (`snapshot`, `turnEnded`) also carry the host's `hostNow`, so a view on another machine's clock can convert it.
   */
  retryAt?: number;
  status?: number;
  code?: string;
}

export interface MessageMetricsView {
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  durationMs?: number;
  /** Formatted cost (`¥0.0123`), absent when the price is unknown — never shown as 0. */
  cost?: string;
  /** Prompt tokens written to the explicit cache by this request (`cache_creation_input_tokens`). */
  cacheCreationTokens?: number;
  /** The cost as a number, with `currency`; absent when the price is unknown. Summed into the chat's total. */
  costAmount?: number;
  currency?: 'CNY' | 'USD';
  /**
   * Money caching saved on this request against the same request uncached (negative when it only wrote to the
   * cache: creation costs 125%); in `currency`. Absent when the price is unknown.
   */
  savedAmount?: number;
  /** How many `cache_control` markers the request carried (0 or absent: implicit caching only). */
  cacheMarkers?: number;
  /** The context budget of the request that produced this reply. */
  context?: ContextUseView;
}

/** How much of the model's context window one request used, and what had to be left out to fit. */
export interface ContextUseView {
  /** Prompt tokens sent: the server's `usage.prompt_tokens` once known, else the estimate. */
  promptTokens: number;
  /** Output tokens kept free for the reply (`max_tokens`). */
  reservedOutput: number;
  /** The model's context window. */
  window: number;
  /** `(promptTokens + reservedOutput) / window`, percent with one decimal. */
  percent: number;
  /** Earlier messages left out of this request to fit (the chat keeps them on disk and on screen). */
  dropped: number;
  /** Earlier messages a compaction summary stood in for. */
  summarised: number;
}

export type ToolCallStatus =
  /** Waiting for the calls before it (writes and commands run one at a time). */
  | 'queued'
  | 'awaitingApproval'
  | 'running'
  | 'done'
  /** The call failed or was refused by a check (bad arguments, a path outside the workspace): `summary` says why. */
  | 'failed'
  /** The user said no (`summary` carries the reason given). */
  | 'denied'
  /** Stopped by the user before or while it ran. */
  | 'cancelled';

/** One tool call of an assistant reply, as its card shows it. */
export interface ToolCallView {
  id: string;
  name: string;
  /** The arguments exactly as the model wrote them (shown in the card's details). */
  argumentsText: string;
  /** What the call is about in a few words: a path, a pattern, a command. */
  subject?: string;
  status: ToolCallStatus;
  /** One line for the card: "Read src/a.ts lines 1–120", "Denied: not now". */
  summary?: string;
  /**
   * What went back to the model as the tool message: kept with the chat so the next request's history is rebuilt
   * exactly, and shown folded on the card.
   */
  result?: string;
  /** Workspace-relative paths the call touched: links on the card. */
  paths?: string[];
  /** While `awaitingApproval`: what the user is asked to allow. */
  approval?: ToolApprovalView;
}

export interface ToolApprovalView {
  kind: 'edit' | 'command' | 'secretRead';
  /** "Apply this edit to src/a.ts?" */
  question: string;
  /** The command line, or "+3 −1 lines" for an edit. */
  detail?: string;
  /** An edit's diff can be opened again from the card. */
  canShowDiff?: boolean;
}

/** Why an agent run stopped before the model finished (turn cap, spend cap, the same call failing): shown under the answer. */
export interface AgentStopView {
  /** `spendUnchecked`: not a stop — the run went on, but `qwen.tools.spendCap` could not be checked (unknown price). */
  reason: 'maxTurns' | 'spendCap' | 'runaway' | 'truncated' | 'spendUnchecked';
  message: string;
}

export interface ChatMessageView {
  id: string;
  role: 'user' | 'assistant';
  /** The prompt (user) or the answer markdown (assistant). */
  text: string;
  /** Assistant only: the model's `reasoning_content`, kept with the message. */
  reasoning?: string;
  /** Milliseconds the model spent reasoning (first reasoning token → first answer token or end). */
  reasoningMs?: number;
  attachments?: AttachmentView[];
  status: MessageStatus;
  error?: ErrorView;
  metrics?: MessageMetricsView;
  /** Assistant only: the tool calls of this reply, in order, with their results. */
  toolCalls?: ToolCallView[];
  /** Assistant only: set on the last reply of an agent run that was stopped by a limit. */
  agentStop?: AgentStopView;
  /** Model that produced an assistant message. */
  model?: string;
  /** User only: the message began with `/think` or `/no_think` (stripped from `text`) on a hybrid model. */
  thinkingOverride?: 'on' | 'off';
  /**
   * User only: a `/think` / `/no_think` prefix that could not apply (the model always thinks, or never does): the
   * sentence the view shows under the prompt.
   */
  thinkingOverrideNote?: string;
  createdAt: number;
}

/**
 * The conversation's compaction: a summary (made by a side call) that stands in, in requests, for every message up
 * to and including `throughMessageId`. The messages themselves stay in the chat and on disk.
 */
export interface CompactionView {
  text: string;
  throughMessageId: string;
  /** How many chat messages it covers (for the notice). */
  messageCount: number;
  model: string;
  createdAt: number;
}

export interface ConversationView {
  id: string;
  title: string;
  messages: ChatMessageView[];
  /** Set by Compact conversation; later compactions replace it. */
  compaction?: CompactionView;
  createdAt: number;
  updatedAt: number;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

export type ThinkingModeView = 'auto' | 'on' | 'off';

export interface ModelChoiceView {
  id: string;
  label: string;
  /** `none` | `hybrid-on` | `hybrid-off` | `always` | `unknown` (see src/core/models.ts). */
  thinking: string;
}

/** What the next request will do, in the user's words — the header and composer show it. */
export interface SettingsView {
  model: string;
  modelLabel: string;
  thinkingMode: ThinkingModeView;
  /** Whether the next request will think. */
  thinkingOn: boolean;
  /** The user cannot change thinking for this model (thinking-only, or no thinking at all). */
  thinkingFixed: boolean;
  /** E.g. "qwq-plus always thinks", "qwen3-coder-plus does not think", "Thinking on (budget 4,096 tokens)". */
  thinkingNote: string;
  /** `Model Studio (Singapore)` or the custom base URL's host. */
  endpointLabel: string;
  /** Where the key comes from; never the key itself. `none`: requests cannot be sent until a key is set. */
  keySource: 'secret' | 'env' | 'none' | 'notNeeded';
  region: 'singapore' | 'beijing' | 'virginia';
  customBaseUrl: boolean;
  models: ModelChoiceView[];
  /** `qwen.thinkingBudget` (0: the model's default). */
  thinkingBudget: number;
  /** Largest budget the model takes; absent when the model takes no `thinking_budget` (the control is hidden). */
  thinkingBudgetMax?: number;
  /** The model's context window in tokens (for "context used" before the first reply). */
  contextWindow: number;
  /** `qwen.cache.explicit` and the model honours markers: requests carry `cache_control`. */
  explicitCache: boolean;
  /** `qwen.spendCap` (per chat), in `spendCurrency`; absent: no cap. */
  chatSpendCap?: number;
  /** Currency of the model's known price; absent when the price is unknown. */
  spendCurrency?: 'CNY' | 'USD';
}

/** Everything the view needs to draw itself from nothing (first load, reload, hidden → shown). */
export interface ChatSnapshot {
  conversation: ConversationView;
  conversations: ConversationSummary[];
  settings: SettingsView;
  /** Attachments waiting in the composer for the next prompt. */
  pendingAttachments: AttachmentView[];
  /** The request streaming into `conversation` right now, if any. */
  activeRequestId?: string;
  /** How far that request has got, so a view rebuilt mid-answer shows the right running timers. */
  activeTurn?: TurnProgressView;
}

/** Durations measured by the host when the snapshot was taken (durations survive clocks that disagree). */
export interface TurnProgressView {
  /** Since the request started. */
  elapsedMs: number;
  /** Since the first reasoning text, once there is some. */
  reasoningElapsedMs?: number;
  /** Since the first answer text, once there is some. */
  answerElapsedMs?: number;
}
