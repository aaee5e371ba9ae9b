/**
 * The client of one request (a chat turn, an agent run, an editor rewrite): the endpoint and the key checked once,
 * errors turned into cards with the key masked, and the request body built from the current settings.
 */
import type { ErrorView } from '../../protocol/chat';
import { isDashScope, resolveBaseUrl } from '../endpoints';
import { QwenError } from '../errors';
import { QwenClient, type QwenClientOptions } from '../qwenClient';
import { redactSecrets } from '../redact';
import { buildChatRequest, type ChatCompletionBody, type ChatRequestOptions } from '../requestBuilder';
import { badEndpointError, errorViewFrom, keyUnreadableError, missingKeyError } from './errorView';
import type { ChatHost, ChatSettings, KeyLookup } from './ports';

export type BodyRequest = Pick<ChatRequestOptions, 'messages' | 'tools' | 'system' | 'parallelToolCalls' | 'preserveThinking' | 'thinking'>;

export interface OpenedClient {
  client: QwenClient;
  endpoint: Extract<ReturnType<typeof resolveBaseUrl>, { ok: true }>;
  /** Text as safe to show or log: the key masked. */
  mask(text: string): string;
  /** A failure as the card the user sees. */
  card(error: QwenError, at: number): ErrorView;
  /** The body for `request` with the user's model, thinking, budget, output cap and temperature. */
  build(request: BodyRequest): { body: ChatCompletionBody } | { failed: ErrorView };
}

export interface OpenClientOptions {
  host: ChatHost;
  settings: ChatSettings;
  /** Prefixes the log lines. */
  requestId: string;
  /** Client settings for tests (fast retries, short idle timeout). */
  client?: Partial<Pick<QwenClientOptions, 'retry' | 'idleTimeoutMs' | 'random'>>;
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
      const body = buildChatRequest({
        thinking: settings.thinking,
        ...request,
        model: settings.model,
        ...(settings.thinkingBudget !== undefined && { thinkingBudget: settings.thinkingBudget }),
        ...(settings.maxOutputTokens !== undefined && { maxOutputTokens: settings.maxOutputTokens }),
        ...(settings.temperature !== undefined && { temperature: settings.temperature }),
      });
      return { body };
    } catch (e) {
      if (e instanceof QwenError) return { failed: card(e, now()) };
      throw e;
    }
  };
  return { client, endpoint, mask, card, build };
}
