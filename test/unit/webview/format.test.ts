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
      '1,234 in · 567 out · 1,000 cached · 310 reasoning · TTFT 0.8 s · 42 tok/s · ¥0.0123',
    );
    assert.equal(formatMetrics({ promptTokens: 10, completionTokens: 2, cachedTokens: 0, tokensPerSecond: 5.25 }), '10 in · 2 out · 5.3 tok/s');
  });

  it('estimates tokens and counts down whole seconds', () => {
    assert.equal(estimateTokens('12345678'), 2);
    assert.equal(secondsLeft(10_500, 10_000), 1);
    assert.equal(secondsLeft(9_000, 10_000), 0);
  });
});
