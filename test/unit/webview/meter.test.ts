import assert from 'node:assert/strict';
import type { ChatMessageView, ContextUseView, MessageMetricsView } from '../../../src/protocol/chat';
import { formatMoney, formatTokens, formatWindow } from '../../../webview/format';
import { budgetChoices, computeMeter, costText, droppedNote, meterParts, meterTitle } from '../../../webview/meter';

let seq = 0;
const user = (): ChatMessageView => ({ id: `u${++seq}`, role: 'user', text: 'q', status: 'done', createdAt: 0 });
const reply = (metrics?: MessageMetricsView): ChatMessageView => ({ id: `a${++seq}`, role: 'assistant', text: 'a', status: 'done', createdAt: 0, ...(metrics ? { metrics } : {}) });
const ctx = (percent: number, extra: Partial<ContextUseView> = {}): ContextUseView => ({ promptTokens: 1000, reservedOutput: 500, window: 1_000_000, percent, dropped: 0, summarised: 0, ...extra });
const SETTINGS = { contextWindow: 1_000_000, explicitCache: true };

describe('the chat meter', () => {
  it('formats money with 4 decimals below 0.01, else 2, and a true minus sign', () => {
    assert.equal(formatMoney(0.0042, 'CNY'), '¥0.0042');
    assert.equal(formatMoney(0.0123, 'CNY'), '¥0.01');
    assert.equal(formatMoney(0.123, 'USD'), '$0.12');
    assert.equal(formatMoney(12.5, 'CNY'), '¥12.50');
    assert.equal(formatMoney(-0.01, 'CNY'), '−¥0.01');
    assert.equal(formatMoney(-0.0042, 'USD'), '−$0.0042');
    assert.equal(formatMoney(-0.000001, 'USD'), '$0.0000', 'no minus on what rounds to zero');
    assert.equal(formatMoney(0, 'USD'), '$0.00');
  });

  it('formats tokens and context windows', () => {
    assert.equal(formatTokens(812), '812');
    assert.equal(formatTokens(41_234), '41.2K');
    assert.equal(formatTokens(1_200_000), '1.20M');
    assert.equal(formatTokens(999_999), '1.00M');
    assert.equal(formatWindow(1_000_000), '1M');
    assert.equal(formatWindow(131_072), '128K');
    assert.equal(formatWindow(262_144), '256K');
  });

  it('before any reply: context 0% of the model window, no cost', () => {
    const meter = computeMeter([user()]);
    assert.deepEqual(meterParts(meter, SETTINGS), ['Context 0% of 1M']);
    assert.equal(costText(meter), undefined);
    assert.equal(droppedNote(meter), undefined);
    assert.match(meterTitle(meter, SETTINGS), /No request yet: the model's context window is 1M tokens/);
    assert.deepEqual(meterParts(meter, { contextWindow: 0 }), ['Context 0%']);
  });

  it('takes the context of the last reply that has one, and sums cost, cache and savings', () => {
    const messages = [
      user(),
      reply({ promptTokens: 1000, costAmount: 0.0031, currency: 'CNY', cacheCreationTokens: 900, savedAmount: -0.0005, context: ctx(3.1) }),
      user(),
      reply({ promptTokens: 42_000, costAmount: 0.0032, currency: 'CNY', cachedTokens: 41_200, savedAmount: 0.0045, context: ctx(12.4, { dropped: 12, promptTokens: 123_456 }) }),
      user(),
      reply({ timeToFirstTokenMs: 5 }), // metrics without usage: not a request
    ];
    const meter = computeMeter(messages);
    assert.equal(meter.context?.percent, 12.4);
    assert.equal(meter.requests, 2);
    assert.equal(meter.cacheRead, 41_200);
    assert.equal(meter.cacheWritten, 900);
    assert.deepEqual(meterParts(meter, SETTINGS), ['Context 12.4%', '¥0.0063', 'cache 41.2K read', 'saved ¥0.0040']);
    assert.equal(droppedNote(meter), '12 earlier messages left out to fit');
    const title = meterTitle(meter, { ...SETTINGS, explicitCache: false, chatSpendCap: 1, spendCurrency: 'CNY' });
    assert.match(title, /12\.4% of 1M tokens/);
    assert.match(title, /123,456 prompt \+ 500 kept for the reply/);
    assert.match(title, /12 earlier messages left out/);
    assert.match(title, /41,200 tokens read, 900 written/);
    assert.match(title, /Explicit caching: off/);
    assert.match(title, /Spend cap for this chat: ¥1\.00/);
    assert.match(title, /over 2 requests/);
  });

  it('a later reply without context keeps the last one that had it', () => {
    const meter = computeMeter([reply({ promptTokens: 1, costAmount: 0.001, currency: 'USD', context: ctx(50, { dropped: 1, summarised: 3 }) }), reply({ promptTokens: 1, costAmount: 0.001, currency: 'USD' })]);
    assert.equal(meter.context?.percent, 50);
    assert.equal(droppedNote(meter), '1 earlier message left out to fit · 3 summarised');
    assert.deepEqual(meterParts(meter, SETTINGS), ['Context 50%', '$0.0020']);
  });

  it('never shows 0 for an unknown price: "+ unknown", or "cost unknown" when nothing is known', () => {
    const some = computeMeter([reply({ promptTokens: 10, costAmount: 0.0213, currency: 'CNY' }), reply({ promptTokens: 10 })]);
    assert.equal(costText(some), '¥0.02 + unknown');
    assert.match(meterTitle(some, SETTINGS), /some replies have no known price/);
    const none = computeMeter([reply({ promptTokens: 10 }), reply({ promptTokens: 20, cachedTokens: 5 })]);
    assert.equal(costText(none), 'cost unknown');
    assert.deepEqual(meterParts(none, SETTINGS), ['Context 0% of 1M', 'cost unknown', 'cache 5 read']);
  });

  it('keeps currencies apart, shows a negative saving with a minus and only writes when nothing was read', () => {
    const meter = computeMeter([
      reply({ promptTokens: 10, costAmount: 0.02, currency: 'CNY', cacheCreationTokens: 2300, savedAmount: -0.01 }),
      reply({ promptTokens: 10, costAmount: 0.5, currency: 'USD' }),
    ]);
    assert.deepEqual(meterParts(meter, SETTINGS), ['Context 0% of 1M', '¥0.02 + $0.50', 'cache 2.3K written', 'saved −¥0.01']);
  });

  it('ignores user messages and replies without metrics', () => {
    const meter = computeMeter([user(), reply()]);
    assert.equal(meter.requests, 0);
    assert.equal(costText(meter), undefined);
  });

  it('offers thinking budgets up to the model maximum, keeping a custom current value', () => {
    assert.deepEqual(budgetChoices(0, 32_768).map((c) => c.value), [0, 1024, 4096, 8192, 16_384, 32_768]);
    assert.deepEqual(budgetChoices(4096, 8192).map((c) => c.label), ['Budget: default', 'Budget: 1K', 'Budget: 4K', 'Budget: 8K']);
    assert.deepEqual(budgetChoices(6000, 8192).map((c) => c.value), [0, 1024, 4096, 6000, 8192]);
    assert.equal(budgetChoices(6000, 8192).find((c) => c.value === 6000)?.label, 'Budget: 6,000');
  });
});
