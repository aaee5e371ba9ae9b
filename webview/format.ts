/** Numbers and durations in the user's words (pure, unit-tested). */
import type { MessageMetricsView } from '../src/protocol/chat';

const INTEGER = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return INTEGER.format(Math.round(n));
}

/** `0.8 s`, `4.2 s`, `12 s`, `2 min 5 s`. */
export function formatSeconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** Tokens are about four characters of English or code; shown with `~` until the server's count arrives. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The per-message line: `1,234 in · 567 out · 310 reasoning · TTFT 0.8 s · 42 tok/s · ¥0.0123 · cache 1K read ·
 * saved ¥0.0021` (cache written instead of read when the request only wrote to the cache).
 */
export function formatMetrics(m: MessageMetricsView): string {
  const parts: string[] = [];
  if (m.promptTokens !== undefined) parts.push(`${formatCount(m.promptTokens)} in`);
  if (m.completionTokens !== undefined) parts.push(`${formatCount(m.completionTokens)} out`);
  if (m.reasoningTokens) parts.push(`${formatCount(m.reasoningTokens)} reasoning`);
  if (m.timeToFirstTokenMs !== undefined) parts.push(`TTFT ${formatSeconds(m.timeToFirstTokenMs)}`);
  if (m.tokensPerSecond !== undefined) parts.push(`${m.tokensPerSecond.toFixed(m.tokensPerSecond < 10 ? 1 : 0)} tok/s`);
  if (m.cost !== undefined) parts.push(m.cost);
  if (m.cachedTokens) parts.push(`cache ${formatTokens(m.cachedTokens)} read`);
  if (m.cacheCreationTokens) parts.push(`cache ${formatTokens(m.cacheCreationTokens)} written`);
  if (m.savedAmount !== undefined && m.currency !== undefined && (m.cachedTokens || m.cacheCreationTokens)) {
    parts.push(`saved ${formatMoney(m.savedAmount, m.currency)}`);
  }
  return parts.join(' · ');
}

const SYMBOL: Record<'CNY' | 'USD', string> = { CNY: '¥', USD: '$' };

/**
 * `¥0.0042`, `$0.12`, `−¥0.01`: four decimals below 0.01 (a cent would round most requests to 0), else two — the
 * rule of the host's `formatCost` (src/core/pricing.ts), so a message's cost and the chat's total read alike.
 */
export function formatMoney(amount: number, currency: 'CNY' | 'USD'): string {
  const abs = Math.abs(amount);
  const digits = abs !== 0 && abs < 0.01 ? 4 : 2;
  const text = `${SYMBOL[currency]}${abs.toFixed(digits)}`;
  return amount < 0 && Number(abs.toFixed(digits)) !== 0 ? `\u2212${text}` : text;
}

/** `812`, `41.2K`, `1.20M`. */
export function formatTokens(n: number): string {
  const v = Math.max(0, Math.round(n));
  if (v < 1000) return String(v);
  if (v < 999_950) return `${(v / 1000).toFixed(1)}K`;
  return `${(v / 1_000_000).toFixed(2)}M`;
}

/** A context window the way models are named: `1M`, `128K`, `256K` (powers of two read as K), else `formatTokens`. */
export function formatWindow(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n === 1_048_576) return '1M';
  if (n >= 1024 && n % 1024 === 0 && n < 1_048_576) return `${n / 1024}K`;
  if (n >= 1000 && n % 1000 === 0 && n < 1_000_000) return `${n / 1000}K`;
  return formatTokens(n);
}

/** Whole seconds left until `until`, at least 0. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}
