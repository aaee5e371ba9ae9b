import assert from 'node:assert/strict';
import { compactionPrompt, planContext, SUMMARY_HEADING, type ContextPlanInput } from '../../../src/core/context/budget';
import { plainEstimator, type TokenEstimator } from '../../../src/core/context/estimate';
import type { ChatMessage } from '../../../src/core/messages';
import { getModel, type ModelInfo } from '../../../src/core/models';
import { toApiMessages } from '../../../src/core/messages';
import { checkRequest } from '../../fakes/validate';

/** Every message costs 100 tokens, the prompt's fixed part 50 (+ 100 per fixed message): the arithmetic is exact. */
const flat: TokenEstimator = {
  message: () => 100,
  messages: (ms) => 50 + ms.length * 100,
  tools: () => 0,
};
const model = (contextWindow: number): ModelInfo => ({ ...getModel('qwen3-coder-plus'), contextWindow, maxInputTokens: contextWindow });

const u = (text: string): ChatMessage => ({ role: 'user', content: text });
const a = (text: string): ChatMessage => ({ role: 'assistant', content: text });
const call = (id: string): ChatMessage => ({ role: 'assistant', content: '', toolCalls: [{ id, name: 'read_file', argumentsText: '{"path":"a.ts"}' }] });
const result = (id: string): ChatMessage => ({ role: 'tool', toolCallId: id, content: `result ${id}` });

/** Three turns; the second has a tool round. 8 messages. */
const HISTORY: ChatMessage[] = [u('q1'), a('a1'), u('q2'), call('c1'), result('c1'), a('a2'), u('q3'), a('a3')];
const input = (over: Partial<ContextPlanInput>): ContextPlanInput => ({
  model: model(10_000),
  system: 'You are a coding assistant.',
  tools: [],
  history: [...HISTORY, u('q4')],
  reserveOutput: 1000,
  estimator: flat,
  ...over,
});
const texts = (ms: readonly ChatMessage[]) => ms.map((m) => (m.role === 'tool' ? `tool:${m.toolCallId}` : typeof m.content === 'string' ? m.content || `call` : 'parts'));

describe('context: budget', () => {
  it('sends everything when it fits, and reports the use of the window', () => {
    const plan = planContext(input({}));
    assert.equal(plan.dropped, 0);
    assert.deepEqual(texts(plan.messages), texts([...HISTORY, u('q4')]));
    // system 50 + 100, nine messages 900
    assert.equal(plan.usedTokens, 1050);
    assert.equal(plan.window, 10_000);
    assert.equal(plan.budget, 9000);
    assert.equal(plan.percent, 20.5); // (1050 + 1000 reserved) / 10,000
    assert.equal(plan.fits, true);
  });

  it('drops whole oldest turns first and keeps the system prompt and the latest user message', () => {
    // budget 1800 - 1000 = 800: system 150 + q4 100 leave room for 5 history messages
    const plan = planContext(input({ model: model(1800) }));
    assert.equal(plan.budget, 800);
    // q1, a1, q2 are enough to fit; q2's tool round and a2 then go with their question
    assert.deepEqual(texts(plan.messages), ['q3', 'a3', 'q4']);
    assert.equal(plan.usedTokens, 450);
    assert.equal(plan.messages.at(-1)?.role, 'user');
    assert.equal((plan.messages.at(-1) as { content: string }).content, 'q4');
    assert.equal(plan.dropped + plan.messages.length, 9);
    assert.deepEqual(texts(plan.droppedMessages).slice(0, 2), ['q1', 'a1'], 'oldest first');
    // the kept history starts with a user message: no reply without its question
    assert.equal(plan.messages[0]?.role, 'user');
  });

  it('never splits an assistant tool call from its results, at any budget', () => {
    for (let window = 1200; window <= 2200; window += 100) {
      const plan = planContext(input({ model: model(window) }));
      const ids = plan.messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : []));
      const results = plan.messages.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : []));
      assert.deepEqual(ids, results, `window ${window}: calls ${ids.join()} results ${results.join()}`);
      // and the server agrees
      const body = { model: 'qwen3-coder-plus', stream: true, messages: toApiMessages(plan.messages, { system: 'S', includeReasoning: false }) };
      assert.equal(checkRequest({ authorization: 'Bearer k' }, body, 'k').error, undefined, `window ${window}`);
    }
  });

  it('never drops the last user message, even when nothing fits', () => {
    const plan = planContext(input({ model: model(1100) }));
    assert.deepEqual(texts(plan.messages), ['q4']);
    assert.equal(plan.dropped, 8);
    assert.equal(plan.fits, false);
    assert.ok(plan.percent > 100);
  });

  it('in an agent run, drops the latest turn’s oldest tool rounds but keeps its question and newest round', () => {
    const run: ChatMessage[] = [u('q1'), a('a1'), u('fix it'), call('r1'), result('r1'), call('r2'), result('r2'), call('r3'), result('r3')];
    // budget 900: system 150 + question 100 + newest round 200 = 450; room for two more rounds of 200 → one round goes
    const plan = planContext(input({ model: model(1700), reserveOutput: 1000, history: run }));
    assert.deepEqual(texts(plan.messages), ['fix it', 'call', 'tool:r2', 'call', 'tool:r3']);
    assert.deepEqual(texts(plan.droppedMessages), ['q1', 'a1', 'call', 'tool:r1']);
  });

  it('keeps system messages of the history, and counts the window with the model’s max input', () => {
    const history: ChatMessage[] = [{ role: 'system', content: 'Project rules' }, u('q1'), a('a1'), u('q2')];
    const plan = planContext(input({ model: { ...model(1500), maxInputTokens: 450 }, history }));
    assert.equal(plan.budget, 450);
    assert.deepEqual(texts(plan.messages), ['Project rules', 'q2']);
  });

  it('puts a summary first (as a system message) in place of the messages it covers', () => {
    const plan = planContext(input({ summary: { text: 'We fixed the parser.', covers: 6 } }));
    assert.equal(plan.summarised, 6);
    assert.equal(plan.dropped, 0);
    const [first, ...rest] = plan.messages;
    assert.equal(first?.role, 'system');
    assert.match(String(first?.content), new RegExp(`^${SUMMARY_HEADING} \\(6 messages, not shown\\):\\nWe fixed the parser\\.$`));
    assert.deepEqual(texts(rest), ['q3', 'a3', 'q4']);
    // toApiMessages merges it into messages[0], after the system prompt
    const api = toApiMessages(plan.messages, { system: 'You are a coding assistant.', includeReasoning: false });
    assert.equal(api.filter((m) => m.role === 'system').length, 1);
    assert.match(String(api[0]?.content), /^You are a coding assistant\.\n\nSummary of the earlier conversation/);
  });

  it('sends attachments as one user message just before the latest question, counted in the budget', () => {
    const plan = planContext(input({ attachments: [{ name: 'src/a.ts', text: 'export const a = 1;' }] }));
    assert.equal(plan.usedTokens, 1150);
    const [attached, question] = plan.messages.slice(-2);
    assert.match(String(attached?.content), /^<file name="src\/a\.ts">\nexport const a = 1;\n<\/file>$/);
    assert.equal(question?.content, 'q4');
  });

  it('with the real estimator, a long history is trimmed to the budget of a real model', () => {
    const long = Array.from({ length: 40 }, (_, i) => [u(`question ${i} `.repeat(400)), a(`answer ${i} `.repeat(800))]).flat();
    const plan = planContext(input({ model: { ...getModel('qwen-plus'), contextWindow: 100_000, maxInputTokens: 90_000 }, history: [...long, u('now')], estimator: plainEstimator, reserveOutput: 16_384 }));
    assert.ok(plan.dropped > 0);
    assert.ok(plan.usedTokens <= plan.budget && plan.usedTokens > plan.budget * 0.9, `${plan.usedTokens} of ${plan.budget}`);
    assert.equal(plan.dropped % 2, 0, 'whole turns');
  });

  it('compactionPrompt: a side-call prompt with the dropped transcript, long tool results cut', () => {
    const prompt = compactionPrompt([u('Fix the parser'), call('c1'), { role: 'tool', toolCallId: 'c1', name: 'read_file', content: 'x'.repeat(5000) }, a('Done.')]);
    assert.equal(prompt.length, 2);
    assert.equal(prompt[0]?.role, 'system');
    const text = String(prompt[1]?.content);
    assert.match(text, /USER: Fix the parser/);
    assert.match(text, /\[called read_file \{"path":"a\.ts"\}\]/);
    assert.match(text, /TOOL RESULT \(read_file\): x{1500} \[…3500 characters cut\]/);
    assert.match(text, /ASSISTANT: Done\./);
    const capped = compactionPrompt([u('y'.repeat(500))], { maxTranscriptChars: 100 });
    assert.match(String(capped[1]?.content), /\[… earliest part cut …\]\ny{100}$/);
  });
});
