import assert from 'node:assert/strict';
import { estimateTokens, formatMetrics, formatSeconds, secondsLeft } from '../../../webview/format';

describe('webview formatting', () => {
  it('formats durations', () => {
    assert.equal(formatSeconds(4200), '4.2 s');
    assert.equal(formatSeconds(12_400), '12 s');
    assert.equal(formatSeconds(125_000), '2 min 5 s');
    assert.equal(formatSeconds(-5), '0.0 s');
  });

  it('formats the metrics line, leaving out what is unknown and never showing a cost of 0', () => {
    assert.equal(
      formatMetrics({ promptTokens: 1234, completionTokens: 567, cachedTokens: 1000, reasoningTokens: 310, timeToFirstTokenMs: 820, tokensPerSecond: 42.4, cost: '¥0.0123' }),
      '1,234 in · 567 out · 310 reasoning · TTFT 0.8 s · 42 tok/s · ¥0.0123 · cache 1.0K read',
    );
    assert.equal(
      formatMetrics({ promptTokens: 42_000, completionTokens: 100, cachedTokens: 40_100, cost: '¥0.0031', costAmount: 0.0031, currency: 'CNY', savedAmount: 0.0012 }),
      '42,000 in · 100 out · ¥0.0031 · cache 40.1K read · saved ¥0.0012',
    );
    assert.equal(
      formatMetrics({ promptTokens: 2400, completionTokens: 10, cacheCreationTokens: 2300, costAmount: 0.002, currency: 'USD', savedAmount: -0.0004 }),
      '2,400 in · 10 out · cache 2.3K written · saved −$0.0004',
    );
    assert.equal(formatMetrics({ promptTokens: 10, completionTokens: 2, cachedTokens: 0, tokensPerSecond: 5.25 }), '10 in · 2 out · 5.3 tok/s');
  });

  it('estimates tokens and counts down whole seconds', () => {
    assert.equal(estimateTokens('12345678'), 2);
    assert.equal(secondsLeft(10_500, 10_000), 1);
    assert.equal(secondsLeft(9_000, 10_000), 0);
  });
});
