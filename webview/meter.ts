/**
 * The chat meter in the header, as plain data (pure, unit-tested): how full the context of the last request was,
 * what the chat has cost so far, and what prompt caching read, wrote and saved. Computed from the conversation's
 * messages; a reply whose price is unknown makes the total say so, never count as 0.
 */
import type { ChatMessageView, ContextUseView, SettingsView } from '../src/protocol/chat';
import { formatCount, formatMoney, formatTokens, formatWindow } from './format';

export type Currency = 'CNY' | 'USD';

export interface ChatMeter {
  /** The context use of the last reply that reported it; undefined before any. */
  context: ContextUseView | undefined;
  /** Summed known costs, one entry per currency (in first-seen order). */
  cost: { currency: Currency; amount: number }[];
  /** Some reply with usage has no price: the total is a lower bound. */
  costUnknown: boolean;
  /** Replies that reported usage (`promptTokens`). */
  requests: number;
  cacheRead: number;
  cacheWritten: number;
  /** Summed `savedAmount` per currency (negative: caching cost more than it saved so far). */
  saved: { currency: Currency; amount: number }[];
}

function add(totals: { currency: Currency; amount: number }[], currency: Currency, amount: number): void {
  const entry = totals.find((t) => t.currency === currency);
  if (entry) entry.amount += amount;
  else totals.push({ currency, amount });
}

export function computeMeter(messages: readonly ChatMessageView[]): ChatMeter {
  const meter: ChatMeter = { context: undefined, cost: [], costUnknown: false, requests: 0, cacheRead: 0, cacheWritten: 0, saved: [] };
  for (const message of messages) {
    const m = message.role === 'assistant' ? message.metrics : undefined;
    if (!m) continue;
    if (m.context) meter.context = m.context;
    if (m.promptTokens !== undefined) {
      meter.requests++;
      if (m.costAmount === undefined || m.currency === undefined) meter.costUnknown = true;
    }
    if (m.costAmount !== undefined && m.currency !== undefined) add(meter.cost, m.currency, m.costAmount);
    if (m.savedAmount !== undefined && m.currency !== undefined) add(meter.saved, m.currency, m.savedAmount);
    meter.cacheRead += m.cachedTokens ?? 0;
    meter.cacheWritten += m.cacheCreationTokens ?? 0;
  }
  return meter;
}

/** `12.4%`, `0%`, `100%`. */
function percent(p: number): string {
  const rounded = Math.round(p * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

function moneyList(totals: { currency: Currency; amount: number }[]): string {
  return totals.map((t) => formatMoney(t.amount, t.currency)).join(' + ');
}

/** `¥0.0213`, `¥0.0213 + unknown`, `cost unknown`; undefined when no reply reported usage yet. */
export function costText(meter: ChatMeter): string | undefined {
  if (meter.requests === 0 && meter.cost.length === 0) return undefined;
  if (meter.cost.length === 0) return 'cost unknown';
  return meter.costUnknown ? `${moneyList(meter.cost)} + unknown` : moneyList(meter.cost);
}

/** The meter row's pieces: `Context 12.4%`, `¥0.0213`, `cache 41.2K read`, `saved ¥0.0150`. */
export function meterParts(meter: ChatMeter, settings: Pick<SettingsView, 'contextWindow'>): string[] {
  const parts: string[] = [];
  if (meter.context) parts.push(`Context ${percent(meter.context.percent)}`);
  else parts.push(settings.contextWindow ? `Context 0% of ${formatWindow(settings.contextWindow)}` : 'Context 0%');
  const cost = costText(meter);
  if (cost) parts.push(cost);
  if (meter.cacheRead > 0) parts.push(`cache ${formatTokens(meter.cacheRead)} read`);
  else if (meter.cacheWritten > 0) parts.push(`cache ${formatTokens(meter.cacheWritten)} written`);
  const saved = meter.saved.filter((s) => Math.abs(s.amount) >= 0.00005);
  if (saved.length) parts.push(`saved ${moneyList(saved)}`);
  return parts;
}

/** The subtle line under the meter when the last request had to leave messages out; undefined when it did not. */
export function droppedNote(meter: ChatMeter): string | undefined {
  const c = meter.context;
  if (!c) return undefined;
  const notes: string[] = [];
  if (c.dropped > 0) notes.push(`${formatCount(c.dropped)} earlier ${c.dropped === 1 ? 'message' : 'messages'} left out to fit`);
  if (c.summarised > 0) notes.push(`${formatCount(c.summarised)} summarised`);
  return notes.length ? notes.join(' · ') : undefined;
}

/** The meter's tooltip: every figure behind the row, one per line. */
export function meterTitle(meter: ChatMeter, settings: Pick<SettingsView, 'contextWindow' | 'explicitCache' | 'chatSpendCap' | 'spendCurrency'>): string {
  const lines: string[] = [];
  const c = meter.context;
  if (c) {
    lines.push(`Context of the last request: ${percent(c.percent)} of ${formatWindow(c.window)} tokens`);
    lines.push(`  ${formatCount(c.promptTokens)} prompt + ${formatCount(c.reservedOutput)} kept for the reply`);
    if (c.dropped > 0) lines.push(`  ${formatCount(c.dropped)} earlier messages left out to fit (still in the chat)`);
    if (c.summarised > 0) lines.push(`  ${formatCount(c.summarised)} earlier messages stood in for by a summary`);
  } else {
    lines.push(settings.contextWindow ? `No request yet: the model's context window is ${formatWindow(settings.contextWindow)} tokens` : 'No request yet');
  }
  const cost = costText(meter);
  if (cost) {
    const unknown = meter.costUnknown ? ' (some replies have no known price)' : '';
    lines.push(`Chat cost: ${cost}${unknown} over ${meter.requests} ${meter.requests === 1 ? 'request' : 'requests'}`);
  }
  if (settings.chatSpendCap !== undefined && settings.spendCurrency) lines.push(`Spend cap for this chat: ${formatMoney(settings.chatSpendCap, settings.spendCurrency)}`);
  lines.push(`Cache: ${formatCount(meter.cacheRead)} tokens read, ${formatCount(meter.cacheWritten)} written`);
  if (meter.saved.length) lines.push(`Saved by caching: ${moneyList(meter.saved)}`);
  lines.push(`Explicit caching: ${settings.explicitCache ? 'on' : 'off'}`);
  return lines.join('\n');
}

const BUDGETS = [1024, 4096, 8192, 16_384, 32_768];

/** The thinking-budget choices: Default, then 1K … 32K up to `max`, and the current value when it is a custom one. */
export function budgetChoices(current: number, max: number): { value: number; label: string }[] {
  const values = BUDGETS.filter((b) => b <= max);
  if (current > 0 && !values.includes(current)) values.push(current);
  values.sort((a, b) => a - b);
  return [{ value: 0, label: 'Budget: default' }, ...values.map((v) => ({ value: v, label: `Budget: ${v % 1024 === 0 ? `${v / 1024}K` : formatCount(v)}` }))];
}
