// `/think` and `/no_think` at the start of a prompt: stripped, and on a hybrid model they switch thinking for that
// request (and a retry of its answer) only; elsewhere the prompt says why they changed nothing.
import assert from 'node:assert/strict';
import { blobName } from '../../../src/core/chat/conversationStore';
import { createChatController } from '../../../src/core/chat/chatController';
import { parseConversation } from '../../../src/core/chat/storedChats';
import { MemoryStorage } from '../../support/memoryChatHost';
import { ask, nextRequestId, useChatServer } from './harness';

/** The text of every message of a recorded request body, joined. */
const textOf = (body: { messages: { content: unknown }[] }): string => JSON.stringify(body.messages.map((m) => m.content));

describe('Chat: /think and /no_think per message', () => {
  const qwen = useChatServer();

  it('/no_think on qwen3.6-plus (thinks by default): enable_thinking false for that request only, prefix stripped', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    const first = await ask(rig, '/no_think  what is 2+2?');
    assert.equal(first.ended.message.status, 'done');
    const body = qwen.server.requests[0]!.body;
    assert.equal(body.enable_thinking, false);
    assert.doesNotMatch(textOf(body), /no_think/);
    assert.match(textOf(body), /what is 2\+2\?/);

    const user = (await rig.chat.snapshot()).conversation.messages[0]!;
    assert.equal(user.text, 'what is 2+2?');
    assert.equal(user.thinkingOverride, 'off');
    assert.equal(user.thinkingOverrideNote, undefined);
    assert.equal(rig.host.all('turnStarted')[0]!.user.thinkingOverride, 'off', 'the view gets it with the message');
    assert.equal((await rig.chat.snapshot()).conversation.title, 'what is 2+2?', 'the title comes from the stripped text');

    await ask(rig, 'and 3+3?');
    assert.equal(qwen.server.requests[1]!.body.enable_thinking, undefined, 'the next prompt thinks as the setting says');
  });

  it('/think on qwen-plus (does not think by default): enable_thinking true', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen-plus', thinking: 'off' } });
    await ask(rig, '/think\nexplain closures');
    const body = qwen.server.requests[0]!.body;
    assert.equal(body.enable_thinking, true);
    assert.equal(body.stream, true);
    assert.doesNotMatch(textOf(body), /\/think/);
    const [user, answer] = (await rig.chat.snapshot()).conversation.messages;
    assert.equal(user?.text, 'explain closures');
    assert.equal(user?.thinkingOverride, 'on');
    assert.ok(answer?.reasoning, 'a thinking answer');
  });

  it('a retry of that answer keeps the override', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    const first = await ask(rig, '/no_think quick one');
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId, messageId: first.ended.message.id });
    await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(qwen.server.requests.length, 2);
    assert.equal(qwen.server.requests[1]!.body.enable_thinking, false);
    assert.doesNotMatch(textOf(qwen.server.requests[1]!.body), /no_think/);
  });

  it('the override survives a reload (saved with the message)', async () => {
    const storage = new MemoryStorage();
    const rig = qwen.rig({ storage, settings: { model: 'qwen3.6-plus' } });
    const first = await ask(rig, '/no_think saved');
    await rig.chat.dispose();
    const conversationId = rig.host.all('turnStarted')[0]!.conversationId;
    const parsed = parseConversation(JSON.parse(storage.files.get(blobName(conversationId))!), conversationId);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.repairs, []);
    assert.equal(parsed.value.conversation.messages[0]?.thinkingOverride, 'off');

    const again = createChatController({ ...rig.host, storage }, { client: { retry: { baseDelayMs: 5, maxDelayMs: 20 } } });
    try {
      await again.handle({ type: 'openConversation', conversationId });
      const requestId = nextRequestId();
      await again.handle({ type: 'retry', requestId, messageId: first.ended.message.id });
      await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
      assert.equal(qwen.server.requests.at(-1)!.body.enable_thinking, false);
    } finally {
      await again.dispose();
    }
  });

  it('/think on qwen3-coder-plus (never thinks): no thinking flag, the prompt says it was ignored', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3-coder-plus' } });
    const first = await ask(rig, '/think write a loop');
    assert.equal(first.ended.message.status, 'done');
    const body = qwen.server.requests[0]!.body;
    assert.equal('enable_thinking' in body, false);
    assert.doesNotMatch(textOf(body), /\/think/);
    const user = (await rig.chat.snapshot()).conversation.messages[0]!;
    assert.equal(user.text, 'write a loop');
    assert.equal(user.thinkingOverride, undefined);
    assert.equal(user.thinkingOverrideNote, 'Qwen3 Coder Plus does not think: /think was ignored.');
  });

  it('/no_think on qwq-plus (always thinks): ignored with a note', async () => {
    const rig = qwen.rig({ settings: { model: 'qwq-plus' } });
    await ask(rig, '/no_think hello');
    const body = qwen.server.requests[0]!.body;
    assert.equal('enable_thinking' in body, false);
    const user = (await rig.chat.snapshot()).conversation.messages[0]!;
    assert.equal(user.text, 'hello');
    assert.match(user.thinkingOverrideNote ?? '', /QwQ Plus always thinks: \/no_think was ignored\./);
  });

  it('only a whole word at the very start counts: /thinking and a later /think are prompt text', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    await ask(rig, '/thinking about it');
    await ask(rig, 'please /no_think');
    const [a, , b] = (await rig.chat.snapshot()).conversation.messages;
    assert.equal(a?.text, '/thinking about it');
    assert.equal(b?.text, 'please /no_think');
    assert.equal(a?.thinkingOverride, undefined);
    assert.equal(qwen.server.requests[0]!.body.enable_thinking, undefined);
    assert.equal(qwen.server.requests[1]!.body.enable_thinking, undefined);
  });

  it('a bare /think with nothing after it is refused, nothing sent', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: '/think  ' });
    const rejected = await rig.host.waitFor('requestRejected', (m) => m.requestId === requestId);
    assert.match(rejected.reason, /nothing to send/);
    assert.equal(qwen.server.requests.length, 0);
    assert.equal((await rig.chat.snapshot()).conversation.messages.length, 0);
  });
});
