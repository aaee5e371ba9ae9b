/**
 * The chat files on disk and how they are read back: an index of summaries (`conversations.json`) and one blob per
 * conversation (`conversation-<id>.json`), versioned JSON. Everything read is checked field by field, because a
 * file can be damaged, hand-edited or written by another version: what cannot be used is left out and reported
 * (`repairs`), so one bad field never makes a whole chat, or every later send, fail.
 */
import { isErrorActionId } from '../../protocol/actions';
import type {
  AttachmentView,
  ChatMessageView,
  CompactionView,
  ConversationSummary,
  ConversationView,
  ErrorActionView,
  ErrorView,
  MessageMetricsView,
  MessageStatus,
} from '../../protocol/chat';
import { parseAgentParts } from './storedTools';

export const STORE_VERSION = 1;
export const INDEX_NAME = 'conversations.json';
export const DEFAULT_TITLE = 'New chat';
export const BLOB = /^conversation-([\w.:-]+)\.json$/;

export const blobName = (id: string): string => `conversation-${id}.json`;

export interface StoredIndex {
  version: number;
  conversations: ConversationSummary[];
}

export interface StoredConversation {
  version: number;
  /** New for every write, from any window: a window that finds another one than it last saw merges first. */
  revision: string;
  conversation: ConversationView;
}

export type Parsed<T> = { ok: true; value: T; repairs: string[] } | { ok: false; why: string };

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseIndex(json: unknown): Parsed<ConversationSummary[]> {
  if (!isRecord(json) || json['version'] !== STORE_VERSION || !Array.isArray(json['conversations'])) {
    return { ok: false, why: 'it is not a conversation index this version understands' };
  }
  // The index is only a cache of the blobs (a missing entry is recovered from its blob): bad entries just go.
  return { ok: true, value: json['conversations'].filter(isSummary), repairs: [] };
}

function isSummary(v: unknown): v is ConversationSummary {
  return isRecord(v) && typeof v['id'] === 'string' && typeof v['title'] === 'string' && isNumber(v['updatedAt']) && isNumber(v['messageCount']);
}

/** A conversation blob, for the conversation `id`; parts that cannot be used are left out and listed in `repairs`. */
export function parseConversation(json: unknown, id: string): Parsed<StoredConversation> {
  const c = isRecord(json) ? json['conversation'] : undefined;
  if (!isRecord(json) || json['version'] !== STORE_VERSION || !isRecord(c) || c['id'] !== id || !Array.isArray(c['messages'])) {
    return { ok: false, why: 'it is not a conversation this version understands' };
  }
  const repairs: string[] = [];
  const messages = c['messages'].flatMap((m: unknown) => {
    const message = parseMessage(m, repairs);
    return message ? [message] : [];
  });
  const firstAt = messages[0]?.createdAt ?? 0;
  const title = typeof c['title'] === 'string' ? c['title'] : (repairs.push('the title'), DEFAULT_TITLE);
  const createdAt = isNumber(c['createdAt']) ? c['createdAt'] : (repairs.push('the creation time'), firstAt);
  const updatedAt = isNumber(c['updatedAt']) ? c['updatedAt'] : (repairs.push('the change time'), createdAt);
  const revision = typeof json['revision'] === 'string' ? json['revision'] : '';
  const conversation: ConversationView = { id, title, messages, createdAt, updatedAt };
  if ('compaction' in c) {
    // Without it, requests just send the earlier messages again (or leave them out to fit): nothing is lost.
    const compaction = parseCompaction(c['compaction']);
    if (compaction) conversation.compaction = compaction;
    else repairs.push('the compaction summary');
  }
  return { ok: true, value: { version: STORE_VERSION, revision, conversation }, repairs };
}

function parseCompaction(v: unknown): CompactionView | undefined {
  if (
    !isRecord(v) ||
    typeof v['text'] !== 'string' ||
    v['text'].trim() === '' ||
    typeof v['throughMessageId'] !== 'string' ||
    v['throughMessageId'] === '' ||
    !isNumber(v['messageCount']) ||
    v['messageCount'] < 0 ||
    typeof v['model'] !== 'string' ||
    !isNumber(v['createdAt'])
  ) {
    return undefined;
  }
  return { text: v['text'], throughMessageId: v['throughMessageId'], messageCount: v['messageCount'], model: v['model'], createdAt: v['createdAt'] };
}

const STATUSES: ReadonlySet<unknown> = new Set<MessageStatus>(['streaming', 'done', 'stopped', 'error', 'interrupted']);
const ATTACHMENT_KINDS: ReadonlySet<unknown> = new Set<AttachmentView['kind']>(['selection', 'file', 'problems', 'terminal']);
const METRIC_NUMBERS = ['promptTokens', 'completionTokens', 'cachedTokens', 'reasoningTokens', 'timeToFirstTokenMs', 'tokensPerSecond', 'durationMs'] as const;

function parseMessage(v: unknown, repairs: string[]): ChatMessageView | undefined {
  if (
    !isRecord(v) ||
    typeof v['id'] !== 'string' ||
    v['id'] === '' ||
    (v['role'] !== 'user' && v['role'] !== 'assistant') ||
    typeof v['text'] !== 'string' ||
    !STATUSES.has(v['status']) ||
    !isNumber(v['createdAt'])
  ) {
    repairs.push('a message');
    return undefined;
  }
  const m: ChatMessageView = { id: v['id'], role: v['role'], text: v['text'], status: v['status'] as MessageStatus, createdAt: v['createdAt'] };
  const optional = <K extends 'reasoning' | 'reasoningMs' | 'model' | 'thinkingOverride' | 'thinkingOverrideNote'>(key: K, ok: (x: unknown) => x is ChatMessageView[K]): void => {
    if (!(key in v)) return;
    const value = v[key];
    if (ok(value)) m[key] = value;
    else repairs.push(`a message's ${key}`);
  };
  optional('reasoning', (x): x is string => typeof x === 'string');
  optional('reasoningMs', isNumber);
  optional('model', (x): x is string => typeof x === 'string');
  optional('thinkingOverride', (x): x is 'on' | 'off' => x === 'on' || x === 'off');
  optional('thinkingOverrideNote', (x): x is string => typeof x === 'string');
  if ('attachments' in v) {
    const list = Array.isArray(v['attachments']) ? v['attachments'] : (repairs.push('a message\'s attachments'), []);
    const attachments = list.flatMap((a: unknown) => {
      const attachment = parseAttachment(a);
      if (!attachment) repairs.push('an attachment');
      return attachment ? [attachment] : [];
    });
    if (attachments.length > 0) m.attachments = attachments;
  }
  if ('error' in v) {
    const error = parseError(v['error']);
    if (!error) repairs.push('a message\'s error details');
    if (error) m.error = error;
    else if (m.status === 'error') m.error = { kind: 'unreadable', message: 'This answer failed; the saved details could not be read.', actions: [{ id: 'retry', label: 'Retry' }] };
  }
  if ('metrics' in v) {
    const metrics = parseMetrics(v['metrics']);
    if (metrics) m.metrics = metrics;
    else repairs.push('a message\'s metrics');
  }
  parseAgentParts(v, m, repairs);
  return m;
}

function parseAttachment(v: unknown): AttachmentView | undefined {
  if (!isRecord(v) || typeof v['id'] !== 'string' || !ATTACHMENT_KINDS.has(v['kind']) || typeof v['label'] !== 'string' || typeof v['text'] !== 'string') {
    return undefined;
  }
  const a: AttachmentView = { id: v['id'], kind: v['kind'] as AttachmentView['kind'], label: v['label'], text: v['text'] };
  if (typeof v['language'] === 'string') a.language = v['language'];
  if (isNumber(v['startLine'])) a.startLine = v['startLine'];
  if (isNumber(v['endLine'])) a.endLine = v['endLine'];
  if (typeof v['truncated'] === 'boolean') a.truncated = v['truncated'];
  return a;
}

function parseError(v: unknown): ErrorView | undefined {
  if (!isRecord(v) || typeof v['kind'] !== 'string' || typeof v['message'] !== 'string' || !Array.isArray(v['actions'])) return undefined;
  const actions = v['actions'].filter((a: unknown): a is ErrorActionView => isRecord(a) && isErrorActionId(a['id']) && typeof a['label'] === 'string');
  const e: ErrorView = { kind: v['kind'], message: v['message'], actions: actions.map((a) => ({ id: a.id, label: a.label })) };
  if (isNumber(v['retryAt'])) e.retryAt = v['retryAt'];
  if (isNumber(v['status'])) e.status = v['status'];
  if (typeof v['code'] === 'string') e.code = v['code'];
  return e;
}

function parseMetrics(v: unknown): MessageMetricsView | undefined {
  if (!isRecord(v)) return undefined;
  const out: MessageMetricsView = {};
  for (const key of METRIC_NUMBERS) {
    const value = v[key];
    if (isNumber(value)) out[key] = value;
  }
  if (typeof v['cost'] === 'string') out.cost = v['cost'];
  return out;
}

export function summarize(c: ConversationView): ConversationSummary {
  return { id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length };
}
