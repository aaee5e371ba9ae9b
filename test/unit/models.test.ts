import assert from 'node:assert/strict';
import { CONSERVATIVE_THINKING_BUDGET, DEFAULT_OUTPUT_CAP, getModel, listModels, normaliseModelId } from '../../src/core/models';

describe('models', () => {
  describe('catalog', () => {
    it('has every model the extension offers', () => {
      const ids = listModels().map((m) => m.id);
      for (const id of [
        'qwen3-coder-plus',
        'qwen3-coder-flash',
        'qwen3-coder-next',
        'qwen3.6-plus',
        'qwen3.6-flash',
        'qwen3.5-plus',
        'qwen3.5-flash',
        'qwen3.7-plus',
        'qwen3-max',
        'qwen-plus',
        'qwen-flash',
        'qwen-turbo',
        'qwq-plus',
        'qwen3-235b-a22b-thinking-2507',
        'qwen3-30b-a3b-thinking-2507',
      ]) {
        assert.ok(ids.includes(id), id);
      }
    });

    it('has unique ids and consistent limits', () => {
      const ids = listModels().map((m) => m.id);
      assert.equal(new Set(ids).size, ids.length);
      for (const m of listModels()) {
        assert.equal(m.known, true, m.id);
        assert.ok(m.maxInputTokens + m.maxOutputTokens <= m.contextWindow || m.id === 'qwen3-coder-plus', m.id);
        assert.ok(m.defaultMaxOutputTokens <= m.maxOutputTokens, m.id);
        assert.ok(m.defaultMaxOutputTokens <= DEFAULT_OUTPUT_CAP, m.id);
        if (m.thinking === 'none') assert.equal(m.maxThinkingBudget, undefined, m.id);
        if (m.supportsPreserveThinking) assert.notEqual(m.thinking, 'none', m.id);
      }
    });

    it('qwen3-coder-plus: 1M context, 997,952 input, 65,536 output, no thinking, explicit cache (notes)', () => {
      const m = getModel('qwen3-coder-plus');
      assert.equal(m.family, 'coder');
      assert.equal(m.contextWindow, 1_000_000);
      assert.equal(m.maxInputTokens, 997_952);
      assert.equal(m.maxOutputTokens, 65_536);
      assert.equal(m.defaultMaxOutputTokens, 32_768);
      assert.equal(m.thinking, 'none');
      assert.equal(m.explicitCache, true);
      assert.equal(m.supportsTools, true);
    });

    it('qwen3-coder-next has a 262,144 context (notes)', () => {
      assert.equal(getModel('qwen3-coder-next').contextWindow, 262_144);
    });

    it('knows the thinking defaults of each series (seeds 001, 003)', () => {
      assert.equal(getModel('qwen3.6-plus').thinking, 'hybrid-on');
      assert.equal(getModel('qwen3.5-flash').thinking, 'hybrid-on');
      assert.equal(getModel('qwen3.7-plus').thinking, 'hybrid-on');
      assert.equal(getModel('qwen3-max').thinking, 'hybrid-off');
      assert.equal(getModel('qwen-plus').thinking, 'hybrid-off');
      assert.equal(getModel('qwen-turbo').thinking, 'hybrid-off');
      assert.equal(getModel('qwq-plus').thinking, 'always');
      assert.equal(getModel('qwen3-235b-a22b-thinking-2507').thinking, 'always');
    });

    it('offers preserve_thinking only on the models seed 003 lists', () => {
      assert.equal(getModel('qwen3.6-plus').supportsPreserveThinking, true);
      assert.equal(getModel('qwen3.7-plus').supportsPreserveThinking, true);
      assert.equal(getModel('qwen3.5-plus').supportsPreserveThinking, false);
      assert.equal(getModel('qwen-plus').supportsPreserveThinking, false);
    });

    it('offers thinking_budget on Qwen3 thinking models but not on QwQ (seed 003)', () => {
      assert.equal(getModel('qwen-plus').maxThinkingBudget, CONSERVATIVE_THINKING_BUDGET);
      assert.equal(getModel('qwen3-30b-a3b-thinking-2507').maxThinkingBudget, CONSERVATIVE_THINKING_BUDGET);
      assert.equal(getModel('qwq-plus').maxThinkingBudget, undefined);
    });

    it('marks streaming-only models (seeds 000, 002)', () => {
      assert.equal(getModel('qwq-plus').streamingOnly, true);
      assert.equal(getModel('qwen3-32b').streamingOnly, true);
      assert.equal(getModel('qwen3-coder-plus').streamingOnly, false);
    });
  });

  describe('getModel lookups', () => {
    it('is case-insensitive and trims', () => {
      assert.equal(getModel('  QWEN3-Coder-Plus ').id, 'qwen3-coder-plus');
    });

    it('maps dated snapshots to their family facts', () => {
      const plus = getModel('qwen-plus-2025-07-28');
      assert.equal(plus.known, true);
      assert.equal(plus.id, 'qwen-plus-2025-07-28');
      assert.equal(plus.thinking, 'hybrid-off');
      const coder = getModel('qwen3-coder-plus-2025-09-23');
      assert.equal(coder.family, 'coder');
      assert.equal(coder.thinking, 'none');
      assert.equal(coder.contextWindow, 1_000_000);
      assert.equal(coder.explicitCache, false, 'explicit caching is documented for the family id only');
    });

    it('maps -latest and -preview aliases', () => {
      assert.equal(getModel('qwen-plus-latest').thinking, 'hybrid-off');
      assert.equal(getModel('qwen3-max-preview').thinking, 'hybrid-off');
    });

    it('treats snapshots older than hybrid thinking as non-thinking (seed 003 cut-offs)', () => {
      assert.equal(getModel('qwen-plus-2025-01-25').thinking, 'none');
      assert.equal(getModel('qwen-plus-2025-01-25').maxThinkingBudget, undefined);
      assert.equal(getModel('qwen-plus-2025-04-28').thinking, 'hybrid-off');
      assert.equal(getModel('qwen3-max-2025-09-23').thinking, 'none');
      assert.equal(getModel('qwen3-max-2026-01-23').thinking, 'hybrid-off');
    });

    it('prefers an exact snapshot entry over its family', () => {
      assert.equal(getModel('qwen3.7-max-2026-05-17').thinking, 'always');
      assert.equal(getModel('qwen3.7-max-2026-05-20').thinking, 'hybrid-on');
    });

    it('applies suffix rules to ids it does not know', () => {
      const thinking = getModel('qwen3-4b-thinking-2507');
      assert.equal(thinking.thinking, 'always');
      assert.equal(thinking.known, false);
      assert.equal(getModel('qwen3-235b-a22b-instruct-2507').thinking, 'none');
      assert.equal(getModel('qwq-32b').thinking, 'always');
    });

    it('falls back to safe defaults for unknown ids', () => {
      const m = getModel('custom-model');
      assert.deepEqual(
        { ...m },
        {
          id: 'custom-model',
          label: 'custom-model',
          family: 'unknown',
          contextWindow: 131_072,
          maxInputTokens: 131_072 - 8_192,
          maxOutputTokens: 8_192,
          defaultMaxOutputTokens: 8_192,
          thinking: 'unknown',
          supportsTools: true,
          supportsParallelToolCalls: true,
          supportsPreserveThinking: false,
          explicitCache: false,
          streamingOnly: false,
          known: false,
        },
      );
    });

    it('maps Ollama and vLLM ids sensibly without claiming Model Studio limits', () => {
      const ollama = getModel('qwen3-coder:30b');
      assert.equal(ollama.family, 'coder');
      assert.equal(ollama.thinking, 'none');
      assert.equal(ollama.known, false);
      assert.equal(ollama.id, 'qwen3-coder:30b');

      const vllm = getModel('Qwen/Qwen3-Coder-30B-A3B-Instruct');
      assert.equal(vllm.family, 'coder');
      assert.equal(vllm.thinking, 'none');

      const hybrid = getModel('Qwen/Qwen3-32B');
      assert.equal(hybrid.thinking, 'hybrid-on');
      assert.equal(hybrid.known, false);
      assert.equal(hybrid.contextWindow, 131_072);
      assert.equal(hybrid.maxThinkingBudget, undefined);
      assert.equal(hybrid.streamingOnly, false);

      assert.equal(getModel('qwen3:30b-a3b-thinking-2507-q4_K_M').thinking, 'always');
      assert.equal(getModel('Qwen/QwQ-32B').thinking, 'always');
      assert.equal(getModel('qwen2.5-coder:7b').family, 'coder');
    });

    it('returns frozen catalog entries', () => {
      assert.ok(Object.isFrozen(getModel('qwen3-coder-plus')));
      assert.ok(Object.isFrozen(getModel('unknown-thing')));
    });
  });

  describe('normaliseModelId', () => {
    it('strips the org prefix and the tag', () => {
      assert.deepEqual(normaliseModelId('Qwen/Qwen3-Coder:30b'), { name: 'qwen3-coder', full: 'qwen3-coder-30b', local: true });
      assert.deepEqual(normaliseModelId('qwen-plus'), { name: 'qwen-plus', full: 'qwen-plus', local: false });
    });
  });
});
