// Chat titles from a fast model after the first answer: a non-streaming side call with thinking off, Model Studio only.
import assert from 'node:assert/strict';
import { cleanTitle } from '../../../src/core/chat/titles';
import { ask, useChatServer } from './harness';

describe('Chat titles by a fast model', function () {
  this.timeout(30_000);
  const qwen = useChatServer();

  it('after the first answer on Model Studio: qwen-flash, non-streaming, thinking off; the title replaces the prompt\'s', async () => {
    const rig = qwen.rig({ regional: true, settings: { model: 'qwen3.6-plus' }, controller: { titles: true } });
    qwen.server.script({ kind: 'text', text: 'Use a timer per call site.' }, { kind: 'text', text: 'Title: "Debounce helper in TypeScript."' });
    await ask(rig, 'how do I write a debounce helper that keeps this and the arguments?');
    const renamed = await rig.host.waitFor('conversations', (c) => c.conversations.some((x) => x.title === 'Debounce helper in TypeScript'));
    assert.ok(renamed);
    const side = qwen.server.requests.at(-1)?.body;
    assert.equal(side.model, 'qwen-flash');
    assert.equal(side.stream, false);
    assert.equal(side.enable_thinking, false);
    for (const key of ['thinking_budget', 'preserve_thinking', 'stream_options']) assert.equal(key in side, false, `no ${key}`);
    assert.match(JSON.stringify(side.messages), /debounce helper/);

    // the second answer does not rename again
    const before = qwen.server.requests.length;
    await ask(rig, 'and with a leading edge?');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(qwen.server.requests.length, before + 1, 'one request: the answer, no title call');
  });

  it('a custom server keeps the prompt\'s title: no side request', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3-coder-plus' }, controller: { titles: true } });
    const before = qwen.server.requests.length;
    await ask(rig, 'name me');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(qwen.server.requests.length, before + 1);
    assert.equal((await rig.chat.snapshot()).conversation.title, 'name me');
  });

  it('cleans what models write around a title', () => {
    assert.equal(cleanTitle('Title: "Fix the retry loop."\nBecause…'), 'Fix the retry loop');
    assert.equal(cleanTitle('**Debounce helper**'), 'Debounce helper');
    assert.equal(cleanTitle('  \n '), undefined);
    assert.equal(cleanTitle('x'.repeat(80))?.length, 60);
  });
});
