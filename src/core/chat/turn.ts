/**
 * One chat request: settings as they are now, the endpoint and key they point at, the conversation as the model
 * reads it; stream events become coalesced `turnDelta`s and `turnRetry` countdowns, and the end becomes the final
 * assistant message (done, stopped or error, with metrics). Never throws: every failure ends as an error card.
 */
import type { ChatMessageView, ErrorView, MessageMetricsView } from '../../protocol/chat';
import { QwenError } from '../errors';
import { isDashScope, resolveBaseUrl, type Region } from '../endpoints';
import type { AssistantTurn } from '../events';
import type { ChatMessage } from '../messages';
import { estimateCost, formatCost, priceFor } from '../pricing';
import { QwenClient, type QwenClientOptions } from '../qwenClient';
import { buildChatRequest, type ChatCompletionBody } from '../requestBuilder';
import type { DeltaCoalescer } from './deltaCoalescer';
import { badEndpointError, errorViewFrom, keyUnreadableError, missingKeyError } from './errorView';
import type { ChatHost, ChatSettings, KeyLookup } from './ports';
import { endpointLabel } from './settingsView';

export interface TurnOptions {
  host: ChatHost;
  settings: ChatSettings;
  requestId: string;
  /** The conversation before the reply. */
  history: ChatMessage[];
  /** The assistant message being filled: text and reasoning grow in place, so a save mid-stream keeps them. */
  draft: ChatMessageView;
  signal: AbortSignal;
  /** Called after new text arrived in `draft`. */
  onProgress: () => void;
  /** Where the text goes on its way to the views (the controller flushes it before a snapshot). */
  coalescer: DeltaCoalescer;
  /** Client settings for tests (fast retries, short idle timeout). */
  client?: Partial<Pick<QwenClientOptions, 'retry' | 'idleTimeoutMs' | 'random'>>;
}

const DEFAULT_TIMEOUT_SECONDS = 600;

/** Streams one reply into `draft` and returns the final assistant message. */
export async function runTurn(o: TurnOptions): Promise<ChatMessageView> {
  const now = o.host.now ?? Date.now;
  const started = now();
  const { host, settings } = o;
  const endpoint = resolveBaseUrl(settings);
  if (!endpoint.ok) return failed(o.draft, badEndpointError(endpoint.message));

  let key: KeyLookup;
  try {
    key = await host.lookupKey(settings);
  } catch (e) {
    host.log(`[${o.requestId}] could not read the API key: ${e instanceof Error ? e.message : String(e)}`);
    return failed(o.draft, keyUnreadableError());
  }
  const apiKey = key.apiKey !== undefined && key.apiKey !== '' ? key.apiKey : undefined;
  // Local servers (Ollama, vLLM) may need no key; Model Studio always does, so don't send a request bound to fail.
  if (apiKey === undefined && isDashScope(endpoint.baseUrl)) return failed(o.draft, missingKeyError(settings));

  let body: ChatCompletionBody;
  try {
    body = buildChatRequest({
      model: settings.model,
      messages: o.history,
      thinking: settings.thinking,
      ...(settings.thinkingBudget !== undefined && { thinkingBudget: settings.thinkingBudget }),
      ...(settings.maxOutputTokens !== undefined && { maxOutputTokens: settings.maxOutputTokens }),
      ...(settings.temperature !== undefined && { temperature: settings.temperature }),
    });
  } catch (e) {
    if (e instanceof QwenError) return failed(o.draft, errorViewFrom(e, now()));
    throw e;
  }

  const seconds = settings.requestTimeoutSeconds > 0 ? settings.requestTimeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  const client = new QwenClient({
    baseUrl: endpoint.baseUrl,
    ...(apiKey !== undefined && { apiKey }),
    ...(host.fetch !== undefined && { fetch: host.fetch }),
    totalTimeoutMs: seconds * 1000,
    now,
    log: (line) => host.log(`[${o.requestId}] ${line}`),
    ...o.client,
  });
  host.log(`[${o.requestId}] ${settings.model} at ${endpointLabel(settings)}, ${body.messages.length} messages`);

  const coalescer = o.coalescer;
  let reasoningStart: number | undefined;
  let reasoningEnd: number | undefined;
  const stream = client.stream(body, { signal: o.signal });
  let turn: AssistantTurn;
  for (;;) {
    const next = await stream.next();
    if (next.done) {
      turn = next.value;
      break;
    }
    const event = next.value;
    if (event.type === 'reasoning') {
      reasoningStart ??= now();
      o.draft.reasoning = (o.draft.reasoning ?? '') + event.text;
      coalescer.push('reasoning', event.text);
      o.onProgress();
    } else if (event.type === 'content') {
      if (reasoningStart !== undefined) reasoningEnd ??= now();
      o.draft.text += event.text;
      coalescer.push('content', event.text);
      o.onProgress();
    } else if (event.type === 'retry') {
      coalescer.flush();
      host.post({ type: 'turnRetry', requestId: o.requestId, attempt: event.attempt, delayMs: event.delayMs, message: event.error.message });
    }
  }
  coalescer.flush();

  const ended = now();
  const region = endpoint.region;
  const final: ChatMessageView = {
    ...o.draft,
    text: turn.content,
    status: turn.error ? (turn.error.kind === 'cancelled' ? 'stopped' : 'error') : 'done',
    metrics: metricsView(turn, settings.model, region, ended - started),
  };
  if (turn.reasoning !== '') final.reasoning = turn.reasoning;
  else delete final.reasoning;
  if (reasoningStart !== undefined) final.reasoningMs = (reasoningEnd ?? ended) - reasoningStart;
  if (turn.error && turn.error.kind !== 'cancelled') final.error = errorViewFrom(turn.error, ended);
  host.log(`[${o.requestId}] ${final.status} after ${ended - started} ms`);
  return final;
}

function failed(draft: ChatMessageView, error: ErrorView): ChatMessageView {
  return { ...draft, status: 'error', error };
}

/** Token counts, speed and cost (only where the price is known: an unknown price is absent, never 0). */
export function metricsView(turn: AssistantTurn, model: string, region: Region | undefined, elapsedMs: number): MessageMetricsView {
  const view: MessageMetricsView = { durationMs: turn.metrics?.durationMs ?? elapsedMs };
  const m = turn.metrics;
  if (m?.timeToFirstTokenMs !== undefined) view.timeToFirstTokenMs = m.timeToFirstTokenMs;
  if (m?.tokensPerSecond !== undefined && Number.isFinite(m.tokensPerSecond)) view.tokensPerSecond = Math.round(m.tokensPerSecond * 10) / 10;
  const usage = turn.usage;
  if (usage) {
    view.promptTokens = usage.promptTokens;
    view.completionTokens = usage.completionTokens;
    view.cachedTokens = usage.cachedTokens;
    view.reasoningTokens = usage.reasoningTokens;
    const price = region === undefined ? undefined : priceFor(model, region);
    if (price) view.cost = formatCost(estimateCost(usage, price));
  }
  return view;
}
