/**
 * The sample streams printed in the API documents (test/fixtures/seeds, see its README) replayed through the
 * reference SSE parser and the accumulator: both the OpenAI-compatible and the DashScope-native protocol.
 */
import assert from 'node:assert/strict';
import type { StreamEvent, Usage } from '../../src/core/events';
import { StreamAccumulator } from '../../src/core/streamAccumulator';
import { loadSeedSse, parseSseText, toSse } from '../support/fixtures';

function replay(name: string, skipInvalid = false) {
  const acc = new StreamAccumulator();
  const events: StreamEvent[] = [];
  for (const chunk of parseSseText(loadSeedSse(name), { skipInvalid })) events.push(...acc.push(chunk));
  events.push(...acc.finish());
  return { acc, events, turn: acc.turn };
}

function usage(prompt: number, completion: number, total: number, reasoning = 0): Usage {
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: total,
    cachedTokens: 0,
    cacheCreationTokens: 0,
    reasoningTokens: reasoning,
  };
}

interface Expected {
  reasoning: string;
  content: string;
  usage: Usage;
  model?: string;
}

const SEEDS: Record<string, Expected> = {
  '002-compat-text': {
    reasoning: '',
    content: 'I am a large-scale language model from Alibaba Cloud, and my name is Qwen.',
    usage: usage(22, 17, 39),
    model: 'qwen-plus',
  },
  '002-native-text': {
    reasoning: '',
    content: 'I am Qwen, an Alibaba or need help, feel free to ask me!',
    usage: usage(26, 66, 92),
  },
  '002-compat-thinking': { reasoning: '', content: '', usage: usage(10, 360, 370), model: 'qwen-plus' },
  '002-native-thinking': {
    reasoning: "Hmm, the user is asking '",
    content: ' help, feel free to let me know!',
    usage: usage(11, 367, 378),
  },
  '003-native-thinking': {
    reasoning: 'Hmm,userasks“',
    content: 'help,Please feel freetolet me know!',
    usage: usage(11, 367, 378),
  },
  '003-native-thinking-2': {
    reasoning: 'Hmm,user asks "',
    content: 'help, feel free to let me know!',
    usage: usage(11, 367, 378),
  },
  '003-native-thinking-budget': { reasoning: 'Okay,', content: '!', usage: usage(11, 138, 149, 50) },
  '003-compat-preserve-thinking': { reasoning: '', content: '', usage: usage(3463, 2387, 5850), model: 'qwen3.7-plus' },
};

describe('seed document samples', () => {
  for (const [name, expected] of Object.entries(SEEDS)) {
    it(`${name} yields the documented text, usage and stop`, () => {
      const { acc, events, turn } = replay(name);
      assert.equal(turn.reasoning, expected.reasoning);
      assert.equal(turn.content, expected.content);
      assert.deepEqual(turn.usage, expected.usage);
      assert.equal(turn.finishReason, 'stop');
      assert.equal(acc.sawFinishReason, true);
      assert.equal(turn.partial, false);
      assert.equal(turn.model, expected.model);
      assert.deepEqual(turn.toolCalls, []);
      // One usage event even though native chunks repeat a running total on every chunk.
      assert.equal(events.filter((e) => e.type === 'usage').length, 1);
      assert.equal(events.at(-1)?.type, 'finish');
      let reasoning = '';
      let content = '';
      for (const e of events) {
        if (e.type === 'reasoning') reasoning += e.text;
        if (e.type === 'content') content += e.text;
      }
      assert.deepEqual([reasoning, content], [expected.reasoning, expected.content]);
    });
  }

  it('native thinking samples: reasoning phase strictly before the answer', () => {
    for (const name of ['002-native-thinking', '003-native-thinking', '003-native-thinking-budget']) {
      const types = replay(name).events.map((e) => e.type).filter((t) => t === 'reasoning' || t === 'content');
      assert.ok(types.lastIndexOf('reasoning') < types.indexOf('content'), name);
    }
  });

  it('003-native-preserve-thinking: the document prints invalid JSON in two chunks; the rest still reads', () => {
    assert.throws(() => parseSseText(loadSeedSse('003-native-preserve-thinking')), /not JSON/);
    const { turn } = replay('003-native-preserve-thinking', true);
    assert.deepEqual(turn.usage, usage(3463, 2387, 5850, 1347));
    assert.equal(turn.finishReason, 'stop');
  });

  it('the reference SSE parser: with or without the space, comments and [DONE]', () => {
    const text = ': comment\nid:1\nevent:result\ndata:{"a":1}\n\ndata: {"b":2}\r\n\r\ndata: [DONE]\n\ndata: {"c":3}\n\n';
    assert.deepEqual(parseSseText(text), [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(parseSseText(toSse(['{"x":1}', '{"y":2}'])), [{ x: 1 }, { y: 2 }]);
    assert.equal(toSse(['{}'], { done: false }), 'data: {}\n\n');
  });
});
