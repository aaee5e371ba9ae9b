/**
 * Two ways to shape what a chat request carries: the per-message `/think` and `/no_think` prefixes, and Compact
 * conversation — a side call that summarises the earlier messages, whose summary then stands in for them in every
 * later request (the messages stay in the chat and on disk).
 */
import type { ChatMessageView, CompactionView, ConversationView } from '../../protocol/chat';
import { compactionPrompt, summaryMessage, type ContextSummary } from '../context/budget';
import { isDashScope, resolveBaseUrl } from '../endpoints';
import { QwenError } from '../errors';
import type { ChatMessage } from '../messages';
import { getModel } from '../models';
import type { QwenClientOptions } from '../qwenClient';
import { buildSideRequest } from '../requestBuilder';
import { openClient } from './client';
import { historyParts } from './history';
import type { ChatHost, ChatSettings } from './ports';

// ---------------------------------------------------------------------------------------------------------------
// /think and /no_think

const PREFIX = /^\s*\/(think|no_think)(?=\s|$)\s*/;

/**
 * Strips a leading `/think` or `/no_think` from a new prompt's text. On a hybrid model the message records the
 * override (its request, and a retry of its answer, think accordingly); on any other model it records why the
 * prefix changed nothing.
 */
export function applyThinkingPrefix(user: ChatMessageView, modelId: string): void {
  const match = PREFIX.exec(user.text);
  if (!match) return;
  const wantsThinking = match[1] === 'think';
  user.text = user.text.slice(match[0].length);
  const command = wantsThinking ? '/think' : '/no_think';
  const model = getModel(modelId);
  switch (model.thinking) {
    case 'hybrid-on':
    case 'hybrid-off':
      user.thinkingOverride = wantsThinking ? 'on' : 'off';
      return;
    case 'always':
      user.thinkingOverrideNote = wantsThinking ? `${model.label} always thinks: ${command} changes nothing.` : `${model.label} always thinks: ${command} was ignored.`;
      return;
    case 'none':
      user.thinkingOverrideNote = wantsThinking ? `${model.label} does not think: ${command} was ignored.` : `${model.label} does not think: ${command} changes nothing.`;
      return;
    case 'unknown':
      user.thinkingOverrideNote = `${model.label} is not a known model, so its thinking cannot be switched: ${command} was ignored.`;
      return;
  }
}

/** The settings of the request answering `user`: its `/think` / `/no_think` applies to this request only. */
export function settingsForTurn(settings: ChatSettings, user: ChatMessageView): ChatSettings {
  const override = user.thinkingOverride;
  if (override === undefined) return settings;
  const thinking = getModel(settings.model).thinking;
  // The model was changed to one that cannot switch since the prompt was sent: the setting applies as it is.
  if (thinking !== 'hybrid-on' && thinking !== 'hybrid-off') return settings;
  return { ...settings, thinking: override };
}

// ---------------------------------------------------------------------------------------------------------------
// Compaction

/**
 * The summary a request of `conversation` carries, covering the history messages made from the chat messages up
 * to and including the compaction's `throughMessageId`. None when there is no compaction, its message is no
 * longer in the chat, or it would cover the whole history (the latest prompt is always sent as it is).
 */
export function summaryFor(conversation: ConversationView): ContextSummary | undefined {
  const compaction = conversation.compaction;
  if (!compaction) return undefined;
  const at = conversation.messages.findIndex((m) => m.id === compaction.throughMessageId);
  if (at < 0) return undefined;
  const parts = historyParts(conversation.messages);
  const covers = count(parts.slice(0, at + 1));
  if (covers === 0 || covers >= count(parts)) return undefined;
  return { text: compaction.text, covers };
}

const count = (parts: readonly ChatMessage[][]): number => parts.reduce((n, p) => n + p.length, 0);

/** Summarises quickly and cheaply; answers non-streaming with thinking off (Model Studio only). */
export const FALLBACK_COMPACTION_MODEL = 'qwen3-coder-flash';
/** Room for the summary (the prompt asks for at most 300 words). */
const SUMMARY_MAX_TOKENS = 2048;

export interface CompactOptions {
  host: ChatHost;
  conversation: ConversationView;
  requestId: string;
  signal?: AbortSignal;
  client?: Partial<Pick<QwenClientOptions, 'retry' | 'idleTimeoutMs' | 'random'>>;
}

export type CompactResult = { ok: true; compaction: CompactionView } | { ok: false; message: string };

/**
 * Summarises every message of `conversation` before its latest exchange (the latest prompt and its answer stay
 * out, they are what the chat is about now) with a side call. A previous compaction's summary stands in for what
 * it covered. Never throws; does not change the conversation.
 */
export async function compactConversation(o: CompactOptions): Promise<CompactResult> {
  const { host, conversation } = o;
  const now = host.now ?? Date.now;
  const messages = conversation.messages;
  let lastUser = messages.length - 1;
  while (lastUser >= 0 && messages[lastUser]?.role !== 'user') lastUser--;
  const through = messages[lastUser - 1];
  if (lastUser <= 0 || through === undefined) return refused('There is nothing to compact yet: only the latest exchange is in this chat, and it is always sent as it is.');
  if (conversation.compaction?.throughMessageId === through.id) return refused('This chat is already compacted up to its latest exchange.');

  const parts = historyParts(messages);
  const previous = conversation.compaction;
  const previousAt = previous ? messages.findIndex((m) => m.id === previous.throughMessageId) : -1;
  const transcript: ChatMessage[] =
    previous && previousAt >= 0 && previousAt < lastUser - 1
      ? [summaryMessage(previous.text, count(parts.slice(0, previousAt + 1))), ...parts.slice(previousAt + 1, lastUser).flat()]
      : parts.slice(0, lastUser).flat();
  if (transcript.length === 0) return refused('There is nothing to compact yet: the earlier messages of this chat have no content to summarise.');

  const settings = host.readSettings();
  const model = sideModel(settings);
  if (typeof model !== 'string') return refused(model.failed);

  const opened = await openClient({ host, settings: { ...settings, model }, requestId: o.requestId, ...(o.client !== undefined && { client: o.client }) });
  if ('failed' in opened) return refused(`Could not compact the chat: ${opened.failed.message}`);
  let body;
  try {
    body = buildSideRequest({ model, messages: compactionPrompt(transcript), maxOutputTokens: SUMMARY_MAX_TOKENS });
  } catch (e) {
    if (e instanceof QwenError) return refused(`Could not compact the chat: ${opened.mask(e.message)}`);
    throw e;
  }
  host.log(`[${o.requestId}] compacting ${lastUser} messages with ${model}`);
  const turn = await opened.client.complete(body, o.signal ? { signal: o.signal } : {});
  if (turn.error) {
    if (turn.error.kind === 'cancelled') return refused('Compacting was stopped; the chat is unchanged.');
    return refused(`Could not compact the chat: ${opened.card(turn.error, now()).message}`);
  }
  const text = turn.content.trim();
  if (text === '') return refused(`Could not compact the chat: ${model} returned an empty summary. The chat is unchanged.`);
  return { ok: true, compaction: { text, throughMessageId: through.id, messageCount: lastUser, model, createdAt: now() } };
}

/** The chat model when it can answer a non-streaming request with thinking off, else a fast one on Model Studio. */
function sideModel(settings: ChatSettings): string | { failed: string } {
  const info = getModel(settings.model);
  if (info.thinking !== 'always' && !info.streamingOnly) return settings.model;
  const endpoint = resolveBaseUrl(settings);
  if (endpoint.ok && isDashScope(endpoint.baseUrl)) return FALLBACK_COMPACTION_MODEL;
  const why = info.thinking === 'always' ? 'always thinks' : 'only answers streaming requests';
  return {
    failed:
      `Could not compact the chat: ${info.label} ${why}, and the summary is a non-streaming request with thinking off. ` +
      'Pick a model that can answer without thinking (on this endpoint) and compact again.',
  };
}

function refused(message: string): CompactResult {
  return { ok: false, message };
}
