// Compact conversation: a non-streaming side call summarises the messages before the latest exchange; the summary
// is kept with the chat and later requests send it instead of those messages.
import assert from 'node:assert/strict';
import { blobName } from '../../../src/core/chat/conversationStore';
import { parseConversation } from '../../../src/core/chat/storedChats';
import { SUMMARY_HEADING } from '../../../src/core/context/budget';
import { errors } from '../../fakes/fakeQwenServer';
import { MemoryStorage } from '../../support/memoryChatHost';
import { ask, nextRequestId, useChatServer, type ChatRig } from './harness';

const SUMMARY = 'The user is building a parser in src/parse.ts; decided on a recursive descent design.';

function withWarnings(rig: ChatRig): string[] {
  const warnings: string[] = [];
  rig.host.warn = (message) => void warnings.push(message);
  return warnings;
}

const contents = (body: { messages: { role: string; content: unknown }[] }): string[] => body.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

describe('Chat: Compact conversation', () => {
  const qwen = useChatServer();

  async function threeExchanges(rig: ChatRig): Promise<void> {
    qwen.server.script({ kind: 'text', text: 'answer one' }, { kind: 'text', text: 'answer two' }, { kind: 'text', text: 'answer three' });
    await ask(rig, 'first question');
    await ask(rig, 'second question');
    await ask(rig, 'third question');
  }

  it('summarises all but the last exchange with a non-streaming, thinking-off side call; the next request sends the summary instead', async () => {
    const storage = new MemoryStorage();
    const rig = qwen.rig({ storage, settings: { model: 'qwen3.6-plus' } });
    const warnings = withWarnings(rig);
    await threeExchanges(rig);
    const messages = (await rig.chat.snapshot()).conversation.messages;
    assert.equal(messages.length, 6);

    qwen.server.script({ kind: 'text', text: SUMMARY });
    await rig.chat.handle({ type: 'compact' });
    assert.deepEqual(warnings, []);

    const side = qwen.server.requests[3]!.body;
    assert.equal(side.stream, false);
    assert.equal(side.enable_thinking, false, 'a hybrid model is told not to think');
    assert.equal('thinking_budget' in side, false);
    assert.equal('preserve_thinking' in side, false);
    assert.equal('stream_options' in side, false);
    assert.equal(side.model, 'qwen3.6-plus');
    const prompt = contents(side).join('\n');
    assert.match(prompt, /first question/);
    assert.match(prompt, /answer two/);
    assert.doesNotMatch(prompt, /third question|answer three/, 'the latest exchange stays out of the summary');

    const snapshot = rig.host.all('snapshot').at(-1)!.snapshot;
    const compaction = snapshot.conversation.compaction;
    assert.ok(compaction, 'the snapshot shows the compaction');
    assert.equal(compaction.text, SUMMARY);
    assert.equal(compaction.throughMessageId, messages[3]!.id);
    assert.equal(compaction.messageCount, 4);
    assert.equal(compaction.model, 'qwen3.6-plus');
    assert.equal(snapshot.conversation.messages.length, 6, 'the messages stay in the chat');

    const conversationId = snapshot.conversation.id;
    const saved = parseConversation(JSON.parse(storage.files.get(blobName(conversationId))!), conversationId);
    assert.ok(saved.ok);
    assert.deepEqual(saved.value.conversation.compaction, compaction, 'saved with the chat');

    await ask(rig, 'fourth question');
    const next = qwen.server.requests[4]!.body;
    assert.equal(next.stream, true);
    assert.equal(next.messages[0].role, 'system');
    assert.match(contents(next)[0]!, new RegExp(`${SUMMARY_HEADING}[\\s\\S]*recursive descent`));
    const sent = contents(next).join('\n');
    assert.doesNotMatch(sent, /first question|answer one|second question|answer two/, 'the compacted messages are not sent');
    assert.match(sent, /third question/);
    assert.match(sent, /answer three/);
    assert.match(sent, /fourth question/);
  });

  it('a thinking-only model on a custom endpoint cannot compact: a clear message, the chat unchanged', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    const warnings = withWarnings(rig);
    await threeExchanges(rig);
    rig.host.settings.model = 'qwq-plus';
    await rig.chat.handle({ type: 'compact' });
    assert.equal(qwen.server.requests.length, 3, 'no side call');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /QwQ Plus always thinks/);
    assert.equal((await rig.chat.snapshot()).conversation.compaction, undefined);
  });

  it('a thinking-only model on Model Studio compacts with qwen3-coder-flash', async () => {
    const rig = qwen.rig({ regional: true, settings: { model: 'qwen3.6-plus' } });
    withWarnings(rig);
    await threeExchanges(rig);
    rig.host.settings.model = 'qwq-plus';
    qwen.server.script({ kind: 'text', text: SUMMARY });
    await rig.chat.handle({ type: 'compact' });
    const side = qwen.server.requests[3]!.body;
    assert.equal(side.model, 'qwen3-coder-flash');
    assert.equal(side.stream, false);
    assert.equal('enable_thinking' in side, false, 'a model that never thinks gets no thinking flag');
    assert.equal((await rig.chat.snapshot()).conversation.compaction?.model, 'qwen3-coder-flash');
  });

  it('a failed side call: the error is shown, the chat unchanged', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen-plus' } });
    const warnings = withWarnings(rig);
    await threeExchanges(rig);
    qwen.server.script(errors.invalidApiKey());
    await rig.chat.handle({ type: 'compact' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^Could not compact the chat: /);
    assert.equal((await rig.chat.snapshot()).conversation.compaction, undefined);
    // and the next prompt sends the whole history
    await ask(rig, 'fourth question');
    assert.match(contents(qwen.server.requests.at(-1)!.body).join('\n'), /first question/);
  });

  it('refused while an answer streams, and when there is only one exchange', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen-plus' } });
    const warnings = withWarnings(rig);
    await ask(rig, 'only question');
    await rig.chat.handle({ type: 'compact' });
    assert.match(warnings[0] ?? '', /nothing to compact/);

    qwen.server.script({ kind: 'stall', afterText: 'Half', stallMs: 2000 });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'second' });
    await rig.host.waitFor('turnDelta', (m) => m.requestId === requestId && m.content !== '');
    await rig.chat.handle({ type: 'compact' });
    assert.match(warnings[1] ?? '', /still answering/);
    rig.chat.stop();
    await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(qwen.server.requests.filter((r) => r.body?.stream === false).length, 0, 'no side call');
    assert.equal((await rig.chat.snapshot()).conversation.compaction, undefined);
  });

  it('another window with the chat open takes the compaction in before its next request, and keeps it on disk', async () => {
    const storage = new MemoryStorage();
    const a = qwen.rig({ storage, settings: { model: 'qwen-plus' } });
    await threeExchanges(a);
    const conversationId = a.host.all('turnStarted')[0]!.conversationId;
    const b = qwen.rig({ storage, settings: { model: 'qwen-plus' } });
    await b.chat.handle({ type: 'openConversation', conversationId });

    qwen.server.script({ kind: 'text', text: SUMMARY });
    await a.chat.handle({ type: 'compact' });
    await ask(b, 'fourth question');
    const sent = contents(qwen.server.requests.at(-1)!.body);
    assert.match(sent[0]!, new RegExp(SUMMARY_HEADING));
    assert.doesNotMatch(sent.join('\n'), /first question/);
    const saved = parseConversation(JSON.parse(storage.files.get(blobName(conversationId))!), conversationId);
    assert.ok(saved.ok);
    assert.equal(saved.value.conversation.compaction?.text, SUMMARY, "window B's write kept it");
    assert.equal(saved.value.conversation.messages.length, 8);
  });

  it('a saved compaction that cannot be read is dropped with a repair note; one whose message is gone is ignored', async () => {
    const base = (compaction: unknown) => ({
      version: 1,
      conversation: {
        id: 'c1',
        title: 'T',
        createdAt: 1,
        updatedAt: 2,
        messages: [
          { id: 'u1', role: 'user', text: 'one', status: 'done', createdAt: 1 },
          { id: 'a1', role: 'assistant', text: 'uno', status: 'done', createdAt: 2 },
          { id: 'u2', role: 'user', text: 'two', status: 'done', createdAt: 3 },
          { id: 'a2', role: 'assistant', text: 'dos', status: 'done', createdAt: 4 },
        ],
        compaction,
      },
    });
    const bad = parseConversation(base({ text: 5, throughMessageId: 'a1' }), 'c1');
    assert.ok(bad.ok);
    assert.equal(bad.value.conversation.compaction, undefined);
    assert.deepEqual(bad.repairs, ['the compaction summary']);
    const good = { text: 'S', throughMessageId: 'a1', messageCount: 2, model: 'qwen-plus', createdAt: 5 };
    const ok = parseConversation(base(good), 'c1');
    assert.ok(ok.ok);
    assert.deepEqual(ok.value.conversation.compaction, good);
    assert.deepEqual(ok.repairs, []);

    // The compacted message was deleted (another window's retry): requests send the history as it is.
    const storage = new MemoryStorage();
    storage.files.set(blobName('c1'), JSON.stringify(base({ ...good, throughMessageId: 'gone' })));
    const rig = qwen.rig({ storage, settings: { model: 'qwen-plus' } });
    await rig.chat.handle({ type: 'openConversation', conversationId: 'c1' });
    await ask(rig, 'three');
    const sent = contents(qwen.server.requests.at(-1)!.body);
    assert.doesNotMatch(sent.join('\n'), new RegExp(SUMMARY_HEADING));
    assert.match(sent.join('\n'), /one[\s\S]*uno[\s\S]*two[\s\S]*dos[\s\S]*three/);
  });
});
