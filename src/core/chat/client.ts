/**
 * The client of one request (a chat turn, an agent run, an editor rewrite): the endpoint and the key checked once,
 * errors turned into cards with the key masked, and the request body built from the current settings.
 */
import type { ChatMessageView, ContextUseView, ErrorView } from '../../protocol/chat';
import { planContext, type ContextSummary } from '../context/budget';
import { countCacheMarkers, placeCacheMarkers } from '../context/cacheMarkers';
import { Calibrator } from '../context/estimate';
import { getModel } from '../models';
import { isDashScope, resolveBaseUrl } from '../endpoints';
import { QwenError } from '../errors';
import { QwenClient, type QwenClientOptions } from '../qwenClient';
import { redactSecrets } from '../redact';
import { buildChatRequest, maxTokens, type ChatCompletionBody, type ChatRequestOptions } from '../requestBuilder';
import { badEndpointError, errorViewFrom, keyUnreadableError, missingKeyError } from './errorView';
import type { ChatHost, ChatSettings, KeyLookup } from './ports';
import { spendCapCard } from './spendCap';

export type BodyRequest = Pick<ChatRequestOptions, 'messages' | 'tools' | 'system' | 'parallelToolCalls' | 'preserveThinking' | 'thinking'> & {
  /** A compaction summary standing in for the first `covers` messages. */
  summary?: ContextSummary;
};

/** What a built body carries beyond the wire format: how much of the window it uses and how it is cached. */
export interface BuiltBody {
  body: ChatCompletionBody;
  /** The estimate (the server's count replaces it once the reply reports usage). */
  context: ContextUseView;
  /** `cache_control` markers in `body` (0: implicit caching only). */
  cacheMarkers: number;
  /** Teach the estimator the server's count for this body (call with `usage.prompt_tokens`). */
  observe(promptTokens: number): void;
}

export interface OpenedClient {
  client: QwenClient;
  endpoint: Extract<ReturnType<typeof resolveBaseUrl>, { ok: true }>;
  /** Text as safe to show or log: the key masked. */
  mask(text: string): string;
  /** A failure as the card the user sees. */
  card(error: QwenError, at: number): ErrorView;
  /**
   * The body for `request` with the user's model, thinking, budget, output cap and temperature; earlier messages
   * left out to fit the context window, and cache markers on the stable prefix where the model honours them.
   */
  build(request: BodyRequest): BuiltBody | { failed: ErrorView };
}

export interface OpenClientOptions {
  host: ChatHost;
  settings: ChatSettings;
  /** Prefixes the log lines. */
  requestId: string;
  /** Client settings for tests (fast retries, short idle timeout). */
  client?: Partial<Pick<QwenClientOptions, 'retry' | 'idleTimeoutMs' | 'random'>>;
  /** The chat's messages so far, for `qwen.spendCap` (absent: no per-chat cap, e.g. an editor rewrite). */
  chatMessages?: () => readonly ChatMessageView[];
}

export async function openClient(o: OpenClientOptions): Promise<OpenedClient | { failed: ErrorView }> {
  const now = o.host.now ?? Date.now;
  const { host, settings } = o;
  const endpoint = resolveBaseUrl(settings);
  if (!endpoint.ok) return { failed: badEndpointError(endpoint.message) };

  let key: KeyLookup;
  try {
    key = await host.lookupKey(settings);
  } catch (e) {
    host.log(`[${o.requestId}] could not read the API key: ${e instanceof Error ? e.message : String(e)}`);
    return { failed: keyUnreadableError() };
  }
  const apiKey = key.apiKey !== undefined && key.apiKey !== '' ? key.apiKey : undefined;
  // Local servers (Ollama, vLLM) may need no key; Model Studio always does, so don't send a request bound to fail.
  if (apiKey === undefined && isDashScope(endpoint.baseUrl)) return { failed: missingKeyError(settings) };
  // A server may quote the key back in an error: it must not reach a card, the saved chat or the log.
  const mask = (text: string): string => redactSecrets(text, apiKey);
  const card = (error: QwenError, at: number): ErrorView => {
    const view = errorViewFrom(error, at, settings);
    return { ...view, message: mask(view.message) };
  };
  const client = new QwenClient({
    baseUrl: endpoint.baseUrl,
    ...(apiKey !== undefined && { apiKey }),
    ...(host.fetch !== undefined && { fetch: host.fetch }),
    totalTimeoutMs: settings.requestTimeoutSeconds * 1000,
    customEndpoint: endpoint.custom,
    now,
    log: (line) => host.log(mask(`[${o.requestId}] ${line}`)),
    ...o.client,
  });

  const build: OpenedClient['build'] = (request) => {
    try {
      const options = {
        thinking: settings.thinking,
        ...request,
        model: settings.model,
        ...(settings.thinkingBudget !== undefined && { thinkingBudget: settings.thinkingBudget }),
        ...(settings.maxOutputTokens !== undefined && { maxOutputTokens: settings.maxOutputTokens }),
        ...(settings.temperature !== undefined && { temperature: settings.temperature }),
      };
      const model = getModel(settings.model);
      const reserveOutput = maxTokens(model, options.maxOutputTokens);
      const estimator = calibratorFor(settings.model);
      const plan = planContext({
        model,
        system: request.system ?? '',
        tools: request.tools ?? [],
        history: request.messages,
        reserveOutput,
        estimator,
        ...(request.summary !== undefined && { summary: request.summary }),
      });
      if (!plan.fits) return { failed: tooLarge(model.label, plan.usedTokens, plan.budget) };
      if (settings.spendCap !== undefined && o.chatMessages) {
        const paused = spendCapCard({ messages: o.chatMessages(), model: settings.model, region: endpoint.region, cap: settings.spendCap, promptTokens: plan.usedTokens });
        if (paused) return { failed: paused };
      }
      const body = buildChatRequest({ ...options, messages: plan.messages });
      const cached = placeCacheMarkers({ model, messages: body.messages, ...(body.tools && { tools: body.tools }), enabled: settings.explicitCache !== false });
      body.messages = cached.messages;
      const context: ContextUseView = {
        promptTokens: plan.usedTokens,
        reservedOutput: reserveOutput,
        window: plan.window,
        percent: plan.percent,
        dropped: plan.dropped,
        summarised: plan.summarised,
      };
      return { body, context, cacheMarkers: countCacheMarkers(body.messages), observe: (tokens) => estimator.observeCorrected(plan.usedTokens, tokens) };
    } catch (e) {
      if (e instanceof QwenError) return { failed: card(e, now()) };
      throw e;
    }
  };
  return { client, endpoint, mask, card, build };
}

/**
 * One calibrator per model id for the life of the extension host: a chat's text (code or prose) and the model's
 * tokenizer stay the same from request to request, so the ratio learned from the last requests predicts the next.
 */
const calibrators = new Map<string, Calibrator>();

function calibratorFor(model: string): Calibrator {
  const id = model.trim().toLowerCase();
  let calibrator = calibrators.get(id);
  if (!calibrator) calibrators.set(id, (calibrator = new Calibrator()));
  return calibrator;
}

/** Even the part that is always sent (system prompt, tools, the latest message with its attachments) is over the window. */
function tooLarge(model: string, used: number, budget: number): ErrorView {
  const n = (x: number) => x.toLocaleString('en-US');
  return {
    kind: 'contextTooLarge',
    message:
      `This request is too large for ${model}: the latest message with its attachments, the system prompt and the tools come to about ` +
      `${n(used)} tokens, and ${n(budget)} fit once room for the answer is kept. Remove an attachment, shorten the message, or pick a model with a larger context window.`,
    actions: [
      { id: 'editPrompt', label: 'Edit prompt' },
      { id: 'selectModel', label: 'Select model' },
    ],
  };
}
