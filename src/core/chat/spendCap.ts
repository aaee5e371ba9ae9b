/**
 * `qwen.spendCap`, the most one chat may spend: before each request, what the chat has spent (the costs its replies
 * carry) plus what this request's prompt will cost at least (its estimated tokens at the input price of its tier) is
 * checked against the cap. Over it, the request is not sent: the card says what was spent and how to go on (raise
 * the cap, or a new chat). A chat on a model without a known price cannot be capped, and the card says that instead
 * of letting it run unchecked silently — once per chat, as a note on the reply.
 */
import type { ChatMessageView, ErrorView } from '../../protocol/chat';
import type { Region } from '../endpoints';
import { formatCost, priceFor, tierFor, TOKENS_PER_PRICE_UNIT } from '../pricing';

export interface SpendCheck {
  /** The chat's messages before the new reply. */
  messages: readonly ChatMessageView[];
  model: string;
  region: Region | undefined;
  cap: number;
  /** Estimated prompt tokens of the request about to be sent. */
  promptTokens: number;
}

/** The card that pauses the chat, or undefined when the request may go. */
export function spendCapCard(c: SpendCheck): ErrorView | undefined {
  const price = c.region === undefined ? undefined : priceFor(c.model, c.region);
  if (!price) return undefined;
  const spent = c.messages.reduce((n, m) => n + (m.metrics?.currency === price.currency ? (m.metrics.costAmount ?? 0) : 0), 0);
  const next = (c.promptTokens * tierFor(price, c.promptTokens).inputPerMillion) / TOKENS_PER_PRICE_UNIT;
  if (spent + next <= c.cap) return undefined;
  const money = (amount: number) => formatCost({ amount, currency: price.currency });
  return {
    kind: 'spendCap',
    message:
      `Paused: this chat has spent ${money(spent)}, and the next request (at least ${money(next)}) would pass its spend cap of ${money(c.cap)} ` +
      '(qwen.spendCap). Raise the cap in Settings and retry, or start a new chat.',
    actions: [
      { id: 'openSettings', label: 'Open settings' },
      { id: 'retry', label: 'Retry' },
      { id: 'newChat', label: 'New chat' },
    ],
  };
}
