import assert from 'node:assert/strict';
import type { Usage } from '../../src/core/events';
import {
  EXPLICIT_CACHE_CREATION_FACTOR,
  IMPLICIT_CACHE_HIT_FACTOR,
  estimateCost,
  formatCost,
  priceFor,
  tierFor,
  type ModelPrice,
} from '../../src/core/pricing';

function usage(partial: Partial<Usage>): Usage {
  const u: Usage = {
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    cacheCreationTokens: 0,
    reasoningTokens: 0,
    ...partial,
  };
  u.totalTokens = u.promptTokens + u.completionTokens;
  return u;
}

function coderBeijing(): ModelPrice {
  const p = priceFor('qwen3-coder-plus', 'beijing');
  assert.ok(p);
  return p;
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('pricing', () => {
  describe('priceFor', () => {
    it('has the documented qwen3-coder-plus Beijing price in CNY', () => {
      const p = coderBeijing();
      assert.equal(p.currency, 'CNY');
      assert.deepEqual(
        p.tiers.map((t) => [t.upToInputTokens, t.inputPerMillion, t.outputPerMillion]),
        [
          [32_000, 4, 16],
          [128_000, 6, 24],
          [256_000, 10, 40],
          [Infinity, 20, 200],
        ],
      );
    });

    it('matches case-insensitively', () => {
      assert.ok(priceFor(' Qwen3-Coder-Plus', 'beijing'));
    });

    it('returns undefined (never 0) for undocumented prices', () => {
      assert.equal(priceFor('qwen3-coder-plus', 'singapore'), undefined);
      assert.equal(priceFor('qwen3-coder-plus', 'virginia'), undefined);
      assert.equal(priceFor('qwen-plus', 'beijing'), undefined);
      assert.equal(priceFor('custom-model', 'beijing'), undefined);
    });

    it('does not price snapshots or models served elsewhere', () => {
      assert.equal(priceFor('qwen3-coder-plus-2025-09-23', 'beijing'), undefined);
      assert.equal(priceFor('Qwen/qwen3-coder-plus', 'beijing'), undefined);
    });
  });

  describe('tiers (K read as 1,000)', () => {
    it('bills exactly 32,000 prompt tokens in the first tier and 32,001 in the second', () => {
      const p = coderBeijing();
      assert.equal(tierFor(p, 32_000).inputPerMillion, 4);
      assert.equal(tierFor(p, 32_001).inputPerMillion, 6);
    });

    it('switches at 128,000 / 128,001 and 256,000 / 256,001', () => {
      const p = coderBeijing();
      assert.equal(tierFor(p, 128_000).inputPerMillion, 6);
      assert.equal(tierFor(p, 128_001).inputPerMillion, 10);
      assert.equal(tierFor(p, 256_000).inputPerMillion, 10);
      assert.equal(tierFor(p, 256_001).inputPerMillion, 20);
      assert.equal(tierFor(p, 5_000_000).inputPerMillion, 20);
    });

    it('puts an empty prompt in the first tier', () => {
      assert.equal(tierFor(coderBeijing(), 0).inputPerMillion, 4);
    });
  });

  describe('estimateCost', () => {
    it('bills input and output per million tokens', () => {
      const cost = estimateCost(usage({ promptTokens: 10_000, completionTokens: 1_000 }), coderBeijing());
      close(cost.amount, (10_000 * 4 + 1_000 * 16) / 1e6);
      assert.equal(cost.currency, 'CNY');
      assert.equal(cost.tier.inputPerMillion, 4);
    });

    it('chooses the tier by prompt tokens', () => {
      const cost = estimateCost(usage({ promptTokens: 300_000, completionTokens: 100 }), coderBeijing());
      close(cost.amount, (300_000 * 20 + 100 * 200) / 1e6);
    });

    it('bills reasoning tokens as output (they are part of completionTokens)', () => {
      const withReasoning = estimateCost(usage({ promptTokens: 100, completionTokens: 500, reasoningTokens: 400 }), coderBeijing());
      close(withReasoning.amount, (100 * 4 + 500 * 16) / 1e6);
    });

    it('bills cached tokens at the implicit-cache rate (20%)', () => {
      assert.equal(IMPLICIT_CACHE_HIT_FACTOR, 0.2);
      const cost = estimateCost(usage({ promptTokens: 10_000, cachedTokens: 8_000 }), coderBeijing());
      close(cost.amount, (2_000 * 4 + 8_000 * 4 * 0.2) / 1e6);
    });

    it('bills explicit cache creation at 125%', () => {
      assert.equal(EXPLICIT_CACHE_CREATION_FACTOR, 1.25);
      const cost = estimateCost(usage({ promptTokens: 10_000, cacheCreationTokens: 4_000 }), coderBeijing());
      close(cost.amount, (6_000 * 4 + 4_000 * 4 * 1.25) / 1e6);
    });

    it('never bills negative uncached input when the counts disagree', () => {
      const cost = estimateCost(usage({ promptTokens: 100, cachedTokens: 200 }), coderBeijing());
      close(cost.amount, (200 * 4 * 0.2) / 1e6);
    });

    it('uses the tier cache factor and thinking output price when a tier has them', () => {
      const price: ModelPrice = {
        model: 'x',
        region: 'singapore',
        currency: 'USD',
        tiers: [{ upToInputTokens: Infinity, inputPerMillion: 1, outputPerMillion: 2, outputThinkingPerMillion: 8, cacheHitFactor: 0.1 }],
      };
      close(estimateCost(usage({ promptTokens: 1_000, cachedTokens: 1_000, completionTokens: 10 }), price).amount, (1_000 * 0.1 + 10 * 2) / 1e6);
      close(estimateCost(usage({ promptTokens: 0, completionTokens: 10, reasoningTokens: 5 }), price).amount, (10 * 8) / 1e6);
    });
  });

  it('formats costs', () => {
    assert.equal(formatCost({ amount: 1.5, currency: 'CNY' }), '¥1.50');
    assert.equal(formatCost({ amount: 0.00123, currency: 'USD' }), '$0.0012');
    assert.equal(formatCost({ amount: 0, currency: 'USD' }), '$0.00');
  });
});
