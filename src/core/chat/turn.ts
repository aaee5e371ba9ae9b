/**
 * One chat request: settings as they are now, the endpoint and key they point at, the conversation as the model
 * reads it; stream events become coalesced `turnDelta`s and `turnRetry` countdowns, and the end becomes the final
 * assistant message (done, stopped or error, with metrics). Never throws: every failure ends as an error card.
 */
import type { ChatMessageView, ErrorView, MessageMetricsView } from '../../protocol/chat';
import { endpointLabel, type Region } from '../endpoints';
import type { AssistantTurn } from '../events';
import type { ChatMessage } from '../messages';
import type { ContextSummary } from '../context/budget';
import { ledgerEntry } from '../context/ledger';
import { formatCost } from '../pricing';
import type { QwenClientOptions } from '../qwenClient';
import { openClient, type BuiltBody, type OpenedClient } from './client';
import type { DeltaCoalescer } from './deltaCoalescer';
import type { ChatHost, ChatSettings } from './ports';

/** When the turn started and when its reasoning and its answer began (host clock): live timers and `reasoningMs`. */
export interface TurnTiming {
  startedAt: number;
  reasoningStartedAt?: number;
  answerStartedAt?: number;
}

export interface TurnOptions {
  host: ChatHost;
  settings: ChatSettings;
  requestId: string;
  /** The conversation before the reply. */
  history: ChatMessage[];
  /** A compaction summary standing in for the first `summary.covers` messages of `history`. */
  summary?: ContextSummary;
  /**
   * The assistant message being filled: the chat's only copy of the streamed text, grown in place so a save
   * mid-stream keeps it, and the text of the final message.
   */
  draft: ChatMessageView;
  /** Filled in as the reply arrives. */
  timing: TurnTiming;
  signal: AbortSignal;
  /** Called after new text arrived in `draft`. */
  onProgress: () => void;
  /** Where the text goes on its way to the views (the controller flushes it before a snapshot). */
  coalescer: DeltaCoalescer;
  /** Client settings for tests (fast retries, short idle timeout). */
  client?: Partial<Pick<QwenClientOptions, 'retry' | 'idleTimeoutMs' | 'random'>>;
  /** The chat's messages, for the per-chat spend cap. */
  chatMessages?: () => readonly ChatMessageView[];
}

/** Streams one reply into `draft` and returns the final assistant message. */
export async function runTurn(o: TurnOptions): Promise<ChatMessageView> {
  const connection = await connect(o);
  if ('failed' in connection) return failed(o.draft, connection.failed);
  const body = connection.build({ messages: o.history, ...(o.summary && { summary: o.summary }) });
  if ('failed' in body) return failed(o.draft, body.failed);
  // No tools are offered: text that looks like a tool call (`<function=…>`, `<tool_call>`) is answer text.
  return (await connection.stream(body, o.draft, [])).final;
}

/** The endpoint and key of one run, checked once; every reply of an agent run is streamed through it. */
export interface Connection {
  build: OpenedClient['build'];
  /** Streams one reply into `draft` (text, reasoning, timing); returns the final message and the whole reply. */
  stream(built: BuiltBody, draft: ChatMessageView, toolNames: readonly string[]): Promise<{ final: ChatMessageView; turn?: AssistantTurn }>;
}

export async function connect(o: Omit<TurnOptions, 'history' | 'draft'>): Promise<Connection | { failed: ErrorView }> {
  const now = o.host.now ?? Date.now;
  const { host, settings } = o;
  const opened = await openClient(o);
  if ('failed' in opened) return opened;
  const { client, mask, card, build, endpoint } = opened;

  const stream: Connection['stream'] = async (built, draft, toolNames) => {
    const { timing, coalescer } = o;
    const { body } = built;
    host.log(
      `[${o.requestId}] ${settings.model} at ${endpointLabel(settings)}, ${body.messages.length} messages, ~${built.context.promptTokens} prompt tokens` +
        `${built.context.dropped > 0 ? `, ${built.context.dropped} earlier messages left out to fit` : ''}${built.cacheMarkers > 0 ? `, ${built.cacheMarkers} cache markers` : ''}`,
    );
    const events = client.stream(body, { signal: o.signal, toolNames });
    let turn: AssistantTurn;
    for (;;) {
      const next = await events.next();
      if (next.done) {
        turn = next.value;
        break;
      }
      const event = next.value;
      if (event.type === 'reasoning') {
        timing.reasoningStartedAt ??= now();
        draft.reasoning = (draft.reasoning ?? '') + event.text;
        coalescer.push('reasoning', event.text);
        o.onProgress();
      } else if (event.type === 'content') {
        timing.answerStartedAt ??= now();
        draft.text += event.text;
        coalescer.push('content', event.text);
        o.onProgress();
      } else if (event.type === 'retry') {
        coalescer.flush();
        host.post({ type: 'turnRetry', requestId: o.requestId, attempt: event.attempt, delayMs: event.delayMs, message: mask(event.error.message) });
      }
    }
    coalescer.flush();

    const ended = now();
    const final: ChatMessageView = {
      ...draft,
      status: turn.error ? (turn.error.kind === 'cancelled' ? 'stopped' : 'error') : 'done',
      metrics: metricsView(turn, settings.model, endpoint.region, ended - timing.startedAt, built),
    };
    if (turn.usage && turn.usage.promptTokens > 0) built.observe(turn.usage.promptTokens);
    if (final.reasoning === '') delete final.reasoning;
    const { reasoningStartedAt: thought, answerStartedAt: answered } = timing;
    if (thought !== undefined) final.reasoningMs = (answered !== undefined && answered >= thought ? answered : ended) - thought;
    if (turn.error && turn.error.kind !== 'cancelled') final.error = card(turn.error, ended);
    host.log(`[${o.requestId}] ${final.status} after ${ended - timing.startedAt} ms`);
    return { final, turn };
  };

  return { build, stream };
}

function failed(draft: ChatMessageView, error: ErrorView): ChatMessageView {
  return { ...draft, status: 'error', error };
}

/**
 * Token counts, speed, cost and what caching saved (only where the price is known: an unknown price is absent,
 * never 0), and the context the request used — the server's prompt count once it reported one.
 */
export function metricsView(
  turn: AssistantTurn,
  model: string,
  region: Region | undefined,
  elapsedMs: number,
  built?: Pick<BuiltBody, 'context' | 'cacheMarkers'>,
): MessageMetricsView {
  const view: MessageMetricsView = { durationMs: turn.metrics?.durationMs ?? elapsedMs };
  const m = turn.metrics;
  if (m?.timeToFirstTokenMs !== undefined) view.timeToFirstTokenMs = m.timeToFirstTokenMs;
  if (m?.tokensPerSecond !== undefined && Number.isFinite(m.tokensPerSecond)) view.tokensPerSecond = Math.round(m.tokensPerSecond * 10) / 10;
  const markers = built?.cacheMarkers ?? 0;
  if (markers > 0) view.cacheMarkers = markers;
  if (built) view.context = { ...built.context };
  const usage = turn.usage;
  if (usage) {
    view.promptTokens = usage.promptTokens;
    view.completionTokens = usage.completionTokens;
    view.cachedTokens = usage.cachedTokens;
    view.reasoningTokens = usage.reasoningTokens;
    if (usage.cacheCreationTokens > 0) view.cacheCreationTokens = usage.cacheCreationTokens;
    if (view.context && usage.promptTokens > 0) {
      const c = view.context;
      c.promptTokens = usage.promptTokens;
      c.percent = c.window > 0 ? Math.round(((c.promptTokens + c.reservedOutput) / c.window) * 1000) / 10 : 100;
    }
    const entry = region === undefined ? undefined : ledgerEntry(usage, model, region, markers > 0);
    if (entry?.price) {
      view.cost = formatCost({ amount: entry.price.cost, currency: entry.price.currency });
      view.costAmount = entry.price.cost;
      view.currency = entry.price.currency;
      view.savedAmount = entry.price.saved;
    }
  }
  return view;
}
