// A scripted 10-turn chat on a ~50K-token context against the fake Qwen server, which answers cache_control markers
// like Model Studio's explicit cache. The savings the chat shows are checked against a figure computed here from
// the server's own report and the published prices, not from the ledger code.
import assert from 'node:assert/strict';
import type { ChatMessageView } from '../../../src/protocol/chat';
import { ask, useChatServer } from './harness';

// qwen3-coder-plus, Beijing, CNY per million tokens (QWEN-API-NOTES.md "Pricing is tiered by input length").
const TIERS = [
  { upTo: 32_000, input: 4, output: 16 },
  { upTo: 128_000, input: 6, output: 24 },
];
const price = (prompt: number) => TIERS.find((t) => prompt <= t.upTo) ?? assert.fail(`no tier for ${prompt}`);

/** A source file of about `chars` characters (not repetitive line by line, so nothing compresses it away). */
function bigFile(chars: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < chars; i++) lines.push(`export function step${i}(x: number): number { return x * ${i + 3} + ${(i * 7919) % 1000}; }`);
  return lines.join('\n');
}

describe('Explicit caching over a 10-turn chat (ledger)', function () {
  this.timeout(60_000);
  const qwen = useChatServer();
  afterEach(() => {
    qwen.server.simulateCache = false;
  });

  async function session(explicit: boolean): Promise<{ answers: ChatMessageView[]; bodies: unknown[] }> {
    const rig = qwen.rig({ regional: true, settings: { region: 'beijing', model: 'qwen3-coder-plus', explicitCache: explicit } });
    qwen.server.simulateCache = true;
    const file = bigFile(190_000); // ~47.5K tokens by the server's count
    const answers: ChatMessageView[] = [];
    for (let turn = 1; turn <= 10; turn++) {
      qwen.server.script({ kind: 'text', text: `Answer ${turn}: ${'the function steps compose linearly. '.repeat(40)}`, usage: { completionTokens: 400 } });
      const prompt = turn === 1 ? `Here is the module:\n\n${file}\n\nWhat does step12 do?` : `Question ${turn}: and step${turn * 10}?`;
      const { ended } = await ask(rig, prompt);
      assert.equal(ended.message.status, 'done', ended.message.error?.message);
      answers.push(ended.message);
    }
    return { answers, bodies: qwen.server.requests.slice(-10).map((r) => r.body) };
  }

  it('markers on every request, the prefix read back from turn 2 on, and the savings the chat shows match the prices', async () => {
    const { answers } = await session(true);
    const records = qwen.server.requests.slice(-10);
    let expectedSaved = 0;
    let expectedCost = 0;
    records.forEach((r, i) => {
      const m = answers[i]?.metrics;
      const cache = r.cache ?? assert.fail('the server simulated the cache');
      const markers = (r.body.messages as { content: unknown }[]).flatMap((x) => (Array.isArray(x.content) ? x.content : [])).filter((p: { cache_control?: unknown }) => p.cache_control).length;
      assert.ok(markers >= 1 && markers <= 4, `request ${i + 1} carries 1–4 markers (${markers})`);
      assert.equal(m?.cacheMarkers, markers);
      assert.equal(m?.cachedTokens, cache.cachedTokens);
      assert.equal(m?.cacheCreationTokens ?? 0, cache.cacheCreationTokens);
      const prompt = m?.promptTokens ?? assert.fail('usage reported');
      const tier = price(prompt);
      expectedSaved += (cache.cachedTokens * tier.input * 0.9 - cache.cacheCreationTokens * tier.input * 0.25) / 1e6;
      const uncached = prompt - cache.cachedTokens - cache.cacheCreationTokens;
      expectedCost += (uncached * tier.input + cache.cachedTokens * tier.input * 0.1 + cache.cacheCreationTokens * tier.input * 1.25 + 400 * tier.output) / 1e6;
      if (i === 0) assert.ok(cache.cacheCreationTokens > 45_000 && cache.cachedTokens === 0, 'turn 1 writes the file to the cache');
      else assert.ok(cache.cachedTokens > 45_000 && cache.cacheCreationTokens < 2_000, `turn ${i + 1} reads the prefix back (${cache.cachedTokens} read, ${cache.cacheCreationTokens} written)`);
    });
    const saved = answers.reduce((n, a) => n + (a.metrics?.savedAmount ?? Number.NaN), 0);
    const cost = answers.reduce((n, a) => n + (a.metrics?.costAmount ?? Number.NaN), 0);
    assert.ok(Math.abs(saved - expectedSaved) < 1e-9, `saved ¥${saved} vs expected ¥${expectedSaved}`);
    assert.ok(Math.abs(cost - expectedCost) < 1e-9, `cost ¥${cost} vs expected ¥${expectedCost}`);
    assert.ok(answers[0]!.metrics!.savedAmount! < 0, 'the first turn only pays for writing');
    assert.ok(expectedSaved > 2, `the session saves money overall (¥${expectedSaved.toFixed(4)})`);
    assert.ok(answers.every((a) => a.metrics?.currency === 'CNY'));
    console.log(`      10-turn session: cost ¥${cost.toFixed(4)}, saved ¥${saved.toFixed(4)} by explicit caching`);
  });

  it('qwen.cache.explicit off: no markers are sent and nothing is read from the explicit cache', async () => {
    const { answers, bodies } = await session(false);
    for (const body of bodies) assert.ok(!JSON.stringify(body).includes('cache_control'), 'no marker');
    assert.ok(answers.every((a) => a.metrics?.cachedTokens === 0 && a.metrics.cacheMarkers === undefined && a.metrics.savedAmount === 0));
  });
});
