import assert from 'node:assert/strict';
import { ChatLedger, formatLedger, ledgerEntry } from '../../../src/core/context/ledger';
import type { Usage } from '../../../src/core/events';

const usage = (promptTokens: number, cachedTokens = 0, cacheCreationTokens = 0, completionTokens = 0): Usage => ({
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
  cachedTokens,
  cacheCreationTokens,
  reasoningTokens: 0,
});
const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

// qwen3-coder-plus, Beijing (notes): CNY per 1M input 4 up to 32K, 6 to 128K, 10 to 256K, 20 beyond.
describe('context: cache ledger', () => {
  it('prices each request in the tier of its own prompt size, at the boundaries', () => {
    const cases: [number, number][] = [
      [32_000, 4],
      [32_001, 6],
      [128_000, 6],
      [128_001, 10],
      [256_000, 10],
      [256_001, 20],
    ];
    for (const [prompt, price] of cases) {
      const e = ledgerEntry(usage(prompt, 10_000), 'qwen3-coder-plus', 'beijing', true);
      assert.equal(e.price?.tier.inputPerMillion, price, `${prompt} tokens`);
      close(e.price?.saved, (10_000 * price * 0.9) / 1e6); // explicit hit: 10% instead of 100%
    }
  });

  it('explicit hits save 90%, implicit hits 80%, creation costs 25% extra (negative savings)', () => {
    close(ledgerEntry(usage(20_000, 10_000), 'qwen3-coder-plus', 'beijing', true).price?.saved, 0.036);
    close(ledgerEntry(usage(20_000, 10_000), 'qwen3-coder-plus', 'beijing', false).price?.saved, 0.032);
    close(ledgerEntry(usage(20_000, 0, 20_000), 'qwen3-coder-plus', 'beijing', true).price?.saved, -0.02);
    close(ledgerEntry(usage(40_000, 30_000, 8_000), 'qwen3-coder-plus', 'beijing', true).price?.saved, (30_000 * 6 * 0.9 - 8_000 * 6 * 0.25) / 1e6);
  });

  it('the cost bills explicit hits at 10%, creation at 125%, output at the tier’s output price', () => {
    const e = ledgerEntry(usage(32_001, 10_000, 2_000, 1_000), 'qwen3-coder-plus', 'beijing', true);
    close(e.price?.cost, (20_001 * 6 + 10_000 * 6 * 0.1 + 2_000 * 6 * 1.25 + 1_000 * 24) / 1e6);
    assert.equal(e.price?.currency, 'CNY');
    const implicit = ledgerEntry(usage(32_001, 10_000, 0, 1_000), 'qwen3-coder-plus', 'beijing', false);
    close(implicit.price?.cost, (22_001 * 6 + 10_000 * 6 * 0.2 + 1_000 * 24) / 1e6);
  });

  it('an unknown price is unknown, never 0: another model, another region, a local server', () => {
    for (const [model, region] of [['qwen-plus', 'beijing'], ['qwen3-coder-plus', 'singapore'], ['Qwen/qwen3-coder-plus', 'beijing']] as const) {
      const e = ledgerEntry(usage(20_000, 10_000), model, region, false);
      assert.equal(e.price, undefined, `${model} ${region}`);
      assert.equal(e.cachedTokens, 10_000, 'the tokens are still counted');
    }
    const ledger = new ChatLedger();
    ledger.add(usage(20_000, 10_000), 'qwen-plus', 'beijing', false);
    assert.deepEqual(ledger.summary().saved, {});
    assert.equal(ledger.summary().unknownPrice, 1);
    assert.equal(formatLedger(ledger.summary()), 'cache 10.0K read · 0 written · saved unknown');
    ledger.add(usage(20_000, 10_000), 'qwen3-coder-plus', 'beijing', true);
    assert.equal(formatLedger(ledger.summary()), 'cache 20.0K read · 0 written · saved ¥0.04 + unknown');
  });

  it('sums a chat: tokens, hit rate, savings and cost per currency; a first turn that only writes shows a negative saving', () => {
    const ledger = new ChatLedger();
    ledger.add(usage(30_000, 0, 28_000, 500), 'qwen3-coder-plus', 'beijing', true);
    assert.equal(formatLedger(ledger.summary()), 'cache 0 read · 28.0K written · saved −¥0.03');
    ledger.add(usage(33_000, 28_000, 4_000, 500), 'qwen3-coder-plus', 'beijing', true);
    const s = ledger.summary();
    assert.equal(s.requests, 2);
    assert.equal(s.cachedTokens, 28_000);
    assert.equal(s.cacheCreationTokens, 32_000);
    assert.equal(s.hitRate, 28_000 / 63_000);
    close(s.saved.CNY, (-28_000 * 4 * 0.25 + 28_000 * 6 * 0.9 - 4_000 * 6 * 0.25) / 1e6);
    close(s.cost.CNY, (2_000 * 4 + 28_000 * 4 * 1.25 + 500 * 16 + 1_000 * 6 + 28_000 * 6 * 0.1 + 4_000 * 6 * 1.25 + 500 * 24) / 1e6);
    assert.equal(ledger.entries.length, 2);
  });
});
