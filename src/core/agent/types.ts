/**
 * The contract of the agent loop (`runAgent` in ./agentLoop.ts): the chat supplies how one reply is streamed and
 * shown (`sendReply`), how a tool call is run (`makeContext`), and is told about calls as they start and end.
 */
import type { AssistantTurn, ToolCallRequest, Usage } from '../events';
import type { ChatMessage } from '../messages';
import type { ToolDefinition } from '../requestBuilder';
import type { ToolContext, ToolResult, ToolSpec } from '../tools/types';

export interface ReplyRequest {
  /** The whole conversation as the model reads it: the history, then this run's assistant and tool messages. */
  messages: readonly ChatMessage[];
  tools: readonly ToolDefinition[];
  /** 0 for the first reply of the run. */
  replyIndex: number;
  signal: AbortSignal;
}

export interface AgentLimits {
  /** `qwen.tools.maxTurns`: most model replies in one run. */
  maxTurns: number;
  /** Most money one run may spend, in the currency of `costOf`; absent: no cap. */
  spendCap?: number;
  /**
   * The cost of one reply's usage; undefined when the price is unknown. The cap is then checked against the known
   * costs only, and `AgentRunResult.spendUnchecked` says so once.
   */
  costOf?(usage: Usage): number | undefined;
  /** The same failing call (tool + arguments) this many times in a row stops the run. @default 3 */
  repeatedFailures?: number;
}

export interface AgentObserver {
  /**
   * A call is about to run (before its approval is asked, if any): the card appears. Called for every call of a
   * reply, also for those refused or not run (bad arguments, Stop, output limit), each then ended exactly once.
   * `call.id` is the id used in the history, which may differ from the streamed one (see `AgentRunResult.replies`).
   */
  toolCallStarted?(call: ToolCallRequest, replyIndex: number): void;
  toolCallEnded?(call: ToolCallRequest, result: ToolResult, replyIndex: number): void;
}

export interface AgentRunOptions {
  /** The conversation before this run (ends with the user's message). */
  history: readonly ChatMessage[];
  tools: readonly ToolSpec[];
  /** Streams one reply (to the views too) and returns it; an HTTP failure comes back as `turn.error`, not a throw. */
  sendReply(request: ReplyRequest): Promise<AssistantTurn>;
  /** Everything a tool needs for the call `callId`, except the call itself. */
  makeContext(callId: string): ToolContext;
  limits: AgentLimits;
  observer?: AgentObserver;
  signal: AbortSignal;
}

export type AgentStopReason =
  /** The last reply had no tool calls: the model answered. */
  | 'done'
  /** The user pressed Stop. */
  | 'cancelled'
  | 'maxTurns'
  | 'spendCap'
  /** The same call kept failing. */
  | 'runaway'
  /** A reply failed (HTTP, stream cut): see `AssistantTurn.error` of the last reply. */
  | 'error'
  /** A reply was cut by the output limit in the middle of a tool call; nothing of it was run. */
  | 'truncated';

export interface AgentStop {
  reason: AgentStopReason;
  /** For the user: why it stopped and how to go on ("Send “continue” to let it take 10 more turns."). Empty for `done`. */
  message: string;
}

export interface AgentRunResult {
  /** What this run added after `history`: assistant messages (with tool calls and reasoning) and tool results, in order. */
  appended: ChatMessage[];
  /**
   * Each reply as received, except that `toolCalls` carry the ids used in `appended` (a recovered call's id that
   * collided with an earlier one is renamed; `index` and the reply index still identify the call).
   */
  replies: AssistantTurn[];
  /** Every call run or refused in this run, by call id. */
  results: ReadonlyMap<string, ToolResult>;
  stop: AgentStop;
  /** Money spent by this run's replies, when every price was known. */
  spent?: number;
  /**
   * Set when `spendCap` was given but some reply's cost was unknown (no price, or no usage reported): the cap was
   * checked against the known part only. A sentence for the user, to show once with the run's end.
   */
  spendUnchecked?: string;
}
