import assert from 'node:assert/strict';
import { QwenError } from '../../src/core/errors';
import type { ChatMessage } from '../../src/core/messages';
import { getModel, type ModelInfo } from '../../src/core/models';
import {
  buildChatRequest,
  buildSideRequest,
  effectiveThinking,
  type ChatCompletionBody,
  type ThinkingMode,
  type ToolDefinition,
} from '../../src/core/requestBuilder';

const messages: ChatMessage[] = [{ role: 'user', content: 'hi' }];
const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Read a file',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

/** The thinking-related keys of a body, for compact comparisons. */
function thinkingKeys(body: ChatCompletionBody): Partial<ChatCompletionBody> {
  const out: Partial<ChatCompletionBody> = {};
  if ('enable_thinking' in body) out.enable_thinking = body.enable_thinking;
  if ('thinking_budget' in body) out.thinking_budget = body.thinking_budget;
  if ('preserve_thinking' in body) out.preserve_thinking = body.preserve_thinking;
  return out;
}

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof QwenError, 'a QwenError');
    assert.equal(e.kind, 'invalidRequest');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('requestBuilder', () => {
  describe('common shape', () => {
    it('always streams with usage, sets max_tokens, leaves temperature unset', () => {
      const body = buildChatRequest({ model: 'qwen3-coder-plus', messages });
      assert.deepEqual(body, {
        model: 'qwen3-coder-plus',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 32_768,
      });
    });

    it('sends the model id as given (snapshots, custom ids)', () => {
      assert.equal(buildChatRequest({ model: 'Qwen/Qwen3-32B', messages }).model, 'Qwen/Qwen3-32B');
    });

    it('puts the system prompt first', () => {
      const body = buildChatRequest({ model: 'qwen-plus', messages, system: 'be brief' });
      assert.deepEqual(body.messages[0], { role: 'system', content: 'be brief' });
    });

    it('sends temperature only when given, and refuses an out-of-range one', () => {
      assert.equal(buildChatRequest({ model: 'qwen-plus', messages, temperature: 0 }).temperature, 0);
      refused(() => buildChatRequest({ model: 'qwen-plus', messages, temperature: 2 }), /Temperature 2/);
      refused(() => buildChatRequest({ model: 'qwen-plus', messages, temperature: -0.1 }), /qwen\.temperature/);
    });
  });

  describe('thinking matrix', () => {
    const cases: Array<[string, ThinkingMode, Partial<ChatCompletionBody>, boolean | 'unknown']> = [
      // coder: never a thinking flag
      ['qwen3-coder-plus', 'auto', {}, false],
      ['qwen3-coder-plus', 'on', {}, false],
      ['qwen3-coder-plus', 'off', {}, false],
      // hybrid, on by default: only "off" changes anything
      ['qwen3.6-plus', 'auto', {}, true],
      ['qwen3.6-plus', 'on', {}, true],
      ['qwen3.6-plus', 'off', { enable_thinking: false }, false],
      // hybrid, off by default: only "on" changes anything
      ['qwen-plus', 'auto', {}, false],
      ['qwen-plus', 'on', { enable_thinking: true }, true],
      ['qwen-plus', 'off', {}, false],
      // thinking-only: the flag is not accepted
      ['qwq-plus', 'auto', {}, true],
      ['qwq-plus', 'on', {}, true],
      ['qwq-plus', 'off', {}, true],
      // unknown: nothing sent
      ['custom-model', 'auto', {}, 'unknown'],
      ['custom-model', 'on', {}, 'unknown'],
      ['custom-model', 'off', {}, 'unknown'],
    ];
    for (const [model, mode, expected, thinks] of cases) {
      it(`${model} × ${mode} → ${JSON.stringify(expected)}`, () => {
        const body = buildChatRequest({ model, messages, thinking: mode });
        assert.deepEqual(thinkingKeys(body), expected);
        assert.equal(body.stream, true);
        assert.equal(effectiveThinking(getModel(model), mode).thinking, thinks);
      });
    }
  });

  describe('effectiveThinking', () => {
    it('explains fixed behaviour for the UI', () => {
      assert.deepEqual(effectiveThinking(getModel('qwen3-coder-plus'), 'on'), {
        thinking: false,
        locked: true,
        reason: 'qwen3-coder-plus does not think',
      });
      assert.deepEqual(effectiveThinking(getModel('qwq-plus'), 'off'), { thinking: true, locked: true, reason: 'qwq-plus always thinks' });
      const unknown = effectiveThinking(getModel('custom-model'), 'auto');
      assert.equal(unknown.locked, true);
      assert.match(unknown.reason, /not a known model/);
    });

    it('describes hybrid defaults and overrides', () => {
      assert.equal(effectiveThinking(getModel('qwen3.6-plus'), 'auto').reason, 'qwen3.6-plus thinks by default');
      assert.equal(effectiveThinking(getModel('qwen-plus'), 'auto').reason, 'qwen-plus does not think by default');
      assert.deepEqual(effectiveThinking(getModel('qwen-plus'), 'on'), { thinking: true, locked: false, reason: 'Thinking on for qwen-plus' });
    });
  });

  describe('thinking_budget and preserve_thinking', () => {
    it('sends the budget only when thinking is on', () => {
      assert.equal(buildChatRequest({ model: 'qwen-plus', messages, thinking: 'on', thinkingBudget: 50 }).thinking_budget, 50);
      assert.equal('thinking_budget' in buildChatRequest({ model: 'qwen-plus', messages, thinkingBudget: 50 }), false);
      assert.equal('thinking_budget' in buildChatRequest({ model: 'qwen3.6-plus', messages, thinking: 'off', thinkingBudget: 50 }), false);
      assert.equal(buildChatRequest({ model: 'qwen3.6-plus', messages, thinkingBudget: 50 }).thinking_budget, 50);
    });

    it('clamps the budget to the model maximum and ignores non-positive values', () => {
      const max = getModel('qwen-plus').maxThinkingBudget;
      assert.equal(buildChatRequest({ model: 'qwen-plus', messages, thinking: 'on', thinkingBudget: 10_000_000 }).thinking_budget, max);
      assert.equal(buildChatRequest({ model: 'qwen-plus', messages, thinking: 'on', thinkingBudget: 100.7 }).thinking_budget, 100);
      assert.equal('thinking_budget' in buildChatRequest({ model: 'qwen-plus', messages, thinking: 'on', thinkingBudget: 0 }), false);
    });

    it('never sends a budget to models that do not take one', () => {
      for (const model of ['qwq-plus', 'qwen3-coder-plus', 'custom-model']) {
        assert.equal('thinking_budget' in buildChatRequest({ model, messages, thinking: 'on', thinkingBudget: 100 }), false, model);
      }
    });

    it('sends the budget to thinking-only Qwen3 models', () => {
      assert.equal(buildChatRequest({ model: 'qwen3-235b-a22b-thinking-2507', messages, thinkingBudget: 1_000 }).thinking_budget, 1_000);
    });

    it('sends preserve_thinking only where supported, thinking is on, and it was asked for', () => {
      assert.equal(buildChatRequest({ model: 'qwen3.6-plus', messages, preserveThinking: true }).preserve_thinking, true);
      assert.equal('preserve_thinking' in buildChatRequest({ model: 'qwen3.6-plus', messages }), false);
      assert.equal('preserve_thinking' in buildChatRequest({ model: 'qwen3.6-plus', messages, thinking: 'off', preserveThinking: true }), false);
      assert.equal('preserve_thinking' in buildChatRequest({ model: 'qwen3.5-plus', messages, preserveThinking: true }), false);
      assert.equal('preserve_thinking' in buildChatRequest({ model: 'qwen-plus', messages, thinking: 'on', preserveThinking: true }), false);
    });
  });

  describe('reasoning in history', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', reasoning: 'r' },
      { role: 'user', content: 'q2' },
    ];
    it('sends reasoning_content back when thinking is on', () => {
      assert.deepEqual(buildChatRequest({ model: 'qwen3.6-plus', messages: history }).messages[1], { role: 'assistant', content: 'a', reasoning_content: 'r' });
    });
    it('leaves it out when thinking is off or unknown', () => {
      assert.deepEqual(buildChatRequest({ model: 'qwen3.6-plus', messages: history, thinking: 'off' }).messages[1], { role: 'assistant', content: 'a' });
      assert.deepEqual(buildChatRequest({ model: 'custom-model', messages: history }).messages[1], { role: 'assistant', content: 'a' });
    });
  });

  describe('max_tokens', () => {
    it('uses the model default when unset or invalid', () => {
      assert.equal(buildChatRequest({ model: 'qwq-plus', messages }).max_tokens, 8_192);
      assert.equal(buildChatRequest({ model: 'custom-model', messages }).max_tokens, 8_192);
      assert.equal(buildChatRequest({ model: 'qwen3-coder-plus', messages, maxOutputTokens: 0 }).max_tokens, 32_768);
      assert.equal(buildChatRequest({ model: 'qwen3-coder-plus', messages, maxOutputTokens: Number.NaN }).max_tokens, 32_768);
    });

    it('keeps a value within the model maximum and clamps a larger one', () => {
      assert.equal(buildChatRequest({ model: 'qwen3-coder-plus', messages, maxOutputTokens: 4_000 }).max_tokens, 4_000);
      assert.equal(buildChatRequest({ model: 'qwen3-coder-plus', messages, maxOutputTokens: 65_536 }).max_tokens, 65_536);
      assert.equal(buildChatRequest({ model: 'qwen3-coder-plus', messages, maxOutputTokens: 200_000 }).max_tokens, 65_536);
      assert.equal(buildChatRequest({ model: 'qwq-plus', messages, maxOutputTokens: 50_000 }).max_tokens, 8_192);
    });
  });

  describe('tools', () => {
    it('maps tools to the OpenAI shape with choice and parallel calls', () => {
      const body = buildChatRequest({ model: 'qwen3-coder-plus', messages, tools: [readFile], toolChoice: 'auto', parallelToolCalls: true });
      assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: readFile.parameters } }]);
      assert.equal(body.tool_choice, 'auto');
      assert.equal(body.parallel_tool_calls, true);
    });

    it('omits tool_choice and parallel_tool_calls without tools', () => {
      const body = buildChatRequest({ model: 'qwen3-coder-plus', messages, tools: [], toolChoice: 'required', parallelToolCalls: true });
      assert.equal('tools' in body, false);
      assert.equal('tool_choice' in body, false);
      assert.equal('parallel_tool_calls' in body, false);
    });

    it('maps a named tool choice', () => {
      const body = buildChatRequest({ model: 'qwen3-coder-plus', messages, tools: [readFile], toolChoice: { name: 'read_file' } });
      assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'read_file' } });
    });

    it('allows required/named on a hybrid model with thinking off', () => {
      const body = buildChatRequest({ model: 'qwen3.6-plus', messages, thinking: 'off', tools: [readFile], toolChoice: 'required' });
      assert.equal(body.tool_choice, 'required');
      assert.equal(body.enable_thinking, false);
    });

    it('refuses required or a named tool while thinking, saying how to fix it', () => {
      refused(() => buildChatRequest({ model: 'qwen3.6-plus', messages, tools: [readFile], toolChoice: 'required' }), /Turn thinking off/);
      refused(() => buildChatRequest({ model: 'qwen-plus', messages, thinking: 'on', tools: [readFile], toolChoice: { name: 'read_file' } }), /"read_file"/);
      refused(() => buildChatRequest({ model: 'qwq-plus', messages, tools: [readFile], toolChoice: 'required' }), /always thinks/);
    });

    it('allows auto and none while thinking', () => {
      assert.equal(buildChatRequest({ model: 'qwq-plus', messages, tools: [readFile], toolChoice: 'none' }).tool_choice, 'none');
    });

    it('refuses a named tool that was not sent', () => {
      refused(() => buildChatRequest({ model: 'qwen3-coder-plus', messages, tools: [readFile], toolChoice: { name: 'write_file' } }), /not among the tools/);
    });

    it('refuses tools for a model without function calling', () => {
      const noTools: ModelInfo = { ...getModel('custom-model'), supportsTools: false };
      refused(() => buildChatRequest({ model: 'custom-model', modelInfo: noTools, messages, tools: [readFile] }), /cannot call tools/);
    });

    it('does not ask for parallel calls from a model that cannot make them', () => {
      const serial: ModelInfo = { ...getModel('custom-model'), supportsParallelToolCalls: false };
      assert.equal('parallel_tool_calls' in buildChatRequest({ model: 'm', modelInfo: serial, messages, tools: [readFile], parallelToolCalls: true }), false);
      assert.equal(buildChatRequest({ model: 'm', modelInfo: serial, messages, tools: [readFile], parallelToolCalls: false }).parallel_tool_calls, false);
    });
  });

  describe('buildSideRequest', () => {
    it('does not stream and has no stream_options', () => {
      const body = buildSideRequest({ model: 'qwen3-coder-flash', messages, maxOutputTokens: 100 });
      assert.deepEqual(body, { model: 'qwen3-coder-flash', messages: [{ role: 'user', content: 'hi' }], stream: false, max_tokens: 100 });
    });

    it('turns thinking off on hybrid models, whatever their default', () => {
      assert.equal(buildSideRequest({ model: 'qwen3.6-plus', messages }).enable_thinking, false);
      assert.equal(buildSideRequest({ model: 'qwen-plus', messages }).enable_thinking, false);
    });

    it('sends no thinking flag to coder or unknown models', () => {
      assert.equal('enable_thinking' in buildSideRequest({ model: 'qwen3-coder-plus', messages }), false);
      assert.equal('enable_thinking' in buildSideRequest({ model: 'custom-model', messages }), false);
    });

    it('refuses always-thinking and streaming-only models with a clear error', () => {
      refused(() => buildSideRequest({ model: 'qwq-plus', messages }), /qwq-plus always thinks/);
      refused(() => buildSideRequest({ model: 'qwen3-235b-a22b-thinking-2507', messages }), /does not stream/);
      refused(() => buildSideRequest({ model: 'qwen3-32b', messages }), /only answers streaming requests/);
    });

    it('drops reasoning from the history and keeps the system prompt', () => {
      const body = buildSideRequest({
        model: 'qwen-flash',
        system: 'Write a title',
        messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', reasoning: 'r' }],
        temperature: 0.2,
      });
      assert.deepEqual(body.messages, [
        { role: 'system', content: 'Write a title' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ]);
      assert.equal(body.temperature, 0.2);
      assert.equal(body.max_tokens, 32_768);
    });
  });
});
