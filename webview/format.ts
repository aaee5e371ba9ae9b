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

/** The per-message line: `1,234 in · 567 out · 1,000 cached · 310 reasoning · TTFT 0.8 s · 42 tok/s · ¥0.0123`. */
export function formatMetrics(m: MessageMetricsView): string {
  const parts: string[] = [];
  if (m.promptTokens !== undefined) parts.push(`${formatCount(m.promptTokens)} in`);
  if (m.completionTokens !== undefined) parts.push(`${formatCount(m.completionTokens)} out`);
  if (m.cachedTokens) parts.push(`${formatCount(m.cachedTokens)} cached`);
  if (m.reasoningTokens) parts.push(`${formatCount(m.reasoningTokens)} reasoning`);
  if (m.timeToFirstTokenMs !== undefined) parts.push(`TTFT ${formatSeconds(m.timeToFirstTokenMs)}`);
  if (m.tokensPerSecond !== undefined) parts.push(`${m.tokensPerSecond.toFixed(m.tokensPerSecond < 10 ? 1 : 0)} tok/s`);
  if (m.cost !== undefined) parts.push(m.cost);
  return parts.join(' · ');
}

/** Whole seconds left until `until`, at least 0. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}
