/**
 * Which part of a conversation fits the model: system + tools + history + attachments + reserved output ≤ window.
 * The full history stays on disk; this only decides what one request carries, so the chat can say
 * "n earlier messages left out to fit" and show the context used.
 *
 * Rules, in the order they bind: the system prompt, the tool definitions, system messages of the history, a summary
 * of earlier messages and the latest turn's user message are always sent; whole earlier turns go first, oldest
 * first; an assistant message with tool calls and its tool results go (or stay) together, since an orphan either way
 * is a 400; inside the latest turn (an agent run) the oldest tool rounds go before the newest.
 */
import type { ChatMessage } from '../messages';
import type { ModelInfo } from '../models';
import type { ToolDefinition } from '../requestBuilder';
import type { TokenEstimator } from './estimate';

export interface Attachment {
  /** Shown to the model before the text, e.g. a workspace-relative path. */
  name: string;
  text: string;
}

/** A summary that stands for the first `covers` messages of the history (from an earlier compaction). */
export interface ContextSummary {
  text: string;
  covers: number;
}

export interface ContextPlanInput {
  model: ModelInfo;
  system: string;
  tools: readonly ToolDefinition[];
  history: readonly ChatMessage[];
  /** Files attached to the latest user message; always sent (the user asked about them). */
  attachments?: readonly Attachment[];
  /** Output tokens kept free for the reply (the request's `max_tokens`). */
  reserveOutput: number;
  estimator: TokenEstimator;
  summary?: ContextSummary;
}

export interface ContextPlan {
  /** The history to send: the summary message first when there is one, the attachments just before the latest user message. */
  messages: ChatMessage[];
  /** History messages left out to fit (not counting those the summary covers). */
  dropped: number;
  /** The messages left out, oldest first: what `compactionPrompt` summarises. */
  droppedMessages: ChatMessage[];
  /** History messages the summary stands for. */
  summarised: number;
  /** Estimated prompt tokens of what is sent (system, tools, messages, attachments). */
  usedTokens: number;
  /** The model's context window. */
  window: number;
  /** Prompt tokens allowed: the window minus the reserved output, and at most the model's max input. */
  budget: number;
  /** Context used, `usedTokens + reserveOutput` of the window, in percent (one decimal). */
  percent: number;
  /** False when even the kept minimum (system, tools, attachments, latest turn) is over the budget. */
  fits: boolean;
}

/** A block that is dropped or kept as a whole: one message, or an assistant tool-call message with its results. */
interface Unit {
  start: number;
  end: number; // exclusive
  tokens: number;
}

export function planContext(input: ContextPlanInput): ContextPlan {
  const { model, estimator } = input;
  const window = model.contextWindow;
  const budget = Math.max(0, Math.min(model.maxInputTokens, window - Math.max(0, input.reserveOutput)));
  const covers = Math.min(Math.max(0, input.summary?.covers ?? 0), input.history.length);
  const rest = input.history.slice(covers);
  const summary = input.summary && covers > 0 ? [summaryMessage(input.summary.text, covers)] : [];

  const attached = input.attachments?.length ? [attachmentsMessage(input.attachments)] : [];
  const fixedMessages: ChatMessage[] = [
    ...(input.system.trim() ? [{ role: 'system' as const, content: input.system }] : []),
    ...summary,
    ...attached,
  ];
  // The part that is always sent: system prompt, summary, attachments, tool definitions and the reply primer.
  let used = estimator.messages(fixedMessages, input.tools);

  const lastUser = findLastIndex(rest, (m) => m.role === 'user');
  const units = toUnits(rest, estimator);
  const pinned = (u: Unit) => rest[u.start]?.role === 'system' || (lastUser >= 0 && u.start === lastUser);
  used += units.reduce((n, u) => n + u.tokens, 0);

  const drop = new Set<Unit>();
  // Earlier turns first (everything before the latest user message), oldest first, then the latest turn's older tool
  // rounds; the newest unit of the latest turn stays, it is what the model must answer.
  const earlier = units.filter((u) => u.start < Math.max(0, lastUser) && !pinned(u));
  const latest = units.filter((u) => u.start > lastUser && !pinned(u)).slice(0, -1);
  for (const unit of [...earlier, ...latest]) {
    if (used <= budget) break;
    drop.add(unit);
    used -= unit.tokens;
  }
  // A turn never starts with its reply: once a turn's user message is gone, its replies go too.
  for (const unit of earlier) {
    if (drop.has(unit) || rest[unit.start]?.role === 'user' || rest[unit.start]?.role === 'system') continue;
    const owner = findLastIndex(rest.slice(0, unit.start), (m) => m.role === 'user');
    const ownerUnit = units.find((u) => u.start === owner);
    if (ownerUnit && drop.has(ownerUnit)) {
      drop.add(unit);
      used -= unit.tokens;
    }
  }

  const kept: ChatMessage[] = [];
  const droppedMessages: ChatMessage[] = [];
  for (const unit of units) {
    if (unit.start === lastUser) kept.push(...attached);
    (drop.has(unit) ? droppedMessages : kept).push(...rest.slice(unit.start, unit.end));
  }
  if (lastUser < 0) kept.push(...attached);
  return {
    messages: [...summary, ...kept],
    dropped: droppedMessages.length,
    droppedMessages,
    summarised: summary.length > 0 ? covers : 0,
    usedTokens: used,
    window,
    budget,
    percent: window > 0 ? Math.round(((used + Math.max(0, input.reserveOutput)) / window) * 1000) / 10 : 100,
    fits: used <= budget,
  };
}

function toUnits(messages: readonly ChatMessage[], estimator: TokenEstimator): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < messages.length; ) {
    const m = messages[i];
    let end = i + 1;
    if (m?.role === 'assistant' && (m.toolCalls?.length ?? 0) > 0) {
      while (messages[end]?.role === 'tool') end++;
    }
    const tokens = messages.slice(i, end).reduce((n, x) => n + estimator.message(x), 0);
    units.push({ start: i, end, tokens });
    i = end;
  }
  return units;
}

function findLastIndex<T>(list: readonly T[], test: (t: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i] as T)) return i;
  return -1;
}

/**
 * Attachments go as one user message of their own just before the latest user message: an earlier turn's
 * attachments then stay byte-identical in later requests (cacheable), and the question stays last.
 */
export function attachmentsMessage(attachments: readonly Attachment[]): ChatMessage {
  return { role: 'user', content: attachments.map((a) => `<file name="${a.name}">\n${a.text}\n</file>`).join('\n\n') };
}

export const SUMMARY_HEADING = 'Summary of the earlier conversation';

/**
 * The summary goes in as a system message: `toApiMessages` merges it into `messages[0]` right after the system
 * prompt (system is only allowed there), so roles still alternate and the prefix up to it stays stable — and cacheable
 * — until the next compaction.
 */
export function summaryMessage(text: string, covers: number): ChatMessage {
  return { role: 'system', content: `${SUMMARY_HEADING} (${covers} messages, not shown):\n${text.trim()}` };
}

export interface CompactionOptions {
  /** Characters kept of each tool result; the start says what the tool found, the rest rarely matters. @default 1500 */
  maxToolResultChars?: number;
  /** Characters of transcript sent in all; the oldest part is cut first. @default 120000 */
  maxTranscriptChars?: number;
}

/**
 * The side call that summarises `dropped` (send it non-streaming with thinking off, to a fast model). The reply's
 * text becomes `ContextSummary.text`, covering the history up to and including the last dropped message.
 */
export function compactionPrompt(dropped: readonly ChatMessage[], opts: CompactionOptions = {}): ChatMessage[] {
  const maxTool = opts.maxToolResultChars ?? 1500;
  const maxAll = opts.maxTranscriptChars ?? 120_000;
  const lines = dropped.map((m) => {
    switch (m.role) {
      case 'assistant': {
        const calls = (m.toolCalls ?? []).map((c) => `\n[called ${c.name} ${c.argumentsText}]`).join('');
        return `ASSISTANT: ${m.content}${calls}`;
      }
      case 'tool':
        return `TOOL RESULT${m.name ? ` (${m.name})` : ''}: ${cut(m.content, maxTool)}`;
      case 'user':
        return `USER: ${typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join('')}`;
      case 'system':
        return `NOTE: ${m.content}`;
    }
  });
  let transcript = lines.join('\n\n');
  if (transcript.length > maxAll) transcript = `[… earliest part cut …]\n${transcript.slice(transcript.length - maxAll)}`;
  return [
    {
      role: 'system',
      content:
        'You summarise the earlier part of a conversation between a developer and a coding assistant, so the ' +
        'conversation can continue without it. Keep: the goal and decisions, file paths, names of functions and ' +
        'settings, commands run and their outcome, errors still open, and what the user asked not to do. Drop ' +
        'pleasantries and text that was superseded. Write plain text, at most 300 words, no preamble.',
    },
    { role: 'user', content: `Summarise this conversation:\n\n${transcript}` },
  ];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)} […${text.length - max} characters cut]`;
}
