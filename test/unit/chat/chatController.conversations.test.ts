import assert from 'node:assert/strict';
import { blobName } from '../../../src/core/chat/conversationStore';
import { MemoryStorage } from '../../support/memoryChatHost';
import { KEY, ask, nextRequestId, useChatServer } from './harness';

describe('Chat conversations: persistence, restore, history list', () => {
  const qwen = useChatServer();

  it('a second controller over the same storage restores the conversation with its reasoning', async () => {
    const storage = new MemoryStorage();
    const first = qwen.rig({ storage, settings: { model: 'qwen3.6-plus' } });
    qwen.server.script({ kind: 'thinking', reasoning: 'Consider the loop.', text: 'Use a map.' });
    await ask(first, 'How do I speed this up?');
    await first.chat.dispose();

    const second = qwen.rig({ storage });
    await second.chat.handle({ type: 'ready' });
    const { snapshot } = await second.host.waitFor('snapshot');
    assert.equal(snapshot.conversation.title, 'How do I speed this up?');
    assert.deepEqual(
      snapshot.conversation.messages.map((m) => [m.role, m.text, m.reasoning, m.status]),
      [
        ['user', 'How do I speed this up?', undefined, 'done'],
        ['assistant', 'Use a map.', 'Consider the loop.', 'done'],
      ],
    );
    assert.deepEqual(snapshot.conversations.map((c) => c.messageCount), [2]);
  });

  it('a reply cut by a crash is saved while streaming and restored as interrupted, once', async () => {
    const storage = new MemoryStorage();
    const rig = qwen.rig({ storage, controller: { streamingSaveMs: 20 } });
    qwen.server.script({ kind: 'stall', afterText: 'Half of the answer', stallMs: 10_000 });
    await rig.chat.handle({ type: 'send', requestId: nextRequestId(), text: 'Long question' });
    const started = await rig.host.waitFor('turnStarted');
    const saved = await waitForSaved(storage, started.conversationId, (text) => text.includes('Half of the answer'));
    assert.equal(saved.messages.at(-1)?.status, 'streaming');

    // The window dies here: a new controller starts from what reached storage.
    const crashed = new MemoryStorage();
    for (const [name, text] of storage.files) crashed.files.set(name, text);
    const restarted = qwen.rig({ storage: crashed });
    await restarted.chat.handle({ type: 'ready' });
    const { snapshot } = await restarted.host.waitFor('snapshot');
    const answers = snapshot.conversation.messages.filter((m) => m.role === 'assistant');
    assert.deepEqual(answers.map((m) => [m.id, m.status, m.text]), [[started.assistant.id, 'interrupted', 'Half of the answer']]);
    assert.equal(snapshot.activeRequestId, undefined);

    // It can be retried like any failed answer.
    const requestId = nextRequestId();
    await restarted.chat.handle({ type: 'retry', requestId, messageId: started.assistant.id });
    const ended = await restarted.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(ended.message.status, 'done');
    rig.chat.stop();
  });

  it('a snapshot taken mid-stream holds the text so far, and later deltas only add to it', async () => {
    // A coalescer timer that never fires: text stays buffered until something flushes it.
    const rig = qwen.rig({ controller: { timer: { set: () => 0, clear: () => undefined } } });
    qwen.server.script({ kind: 'text', text: 'abcdefghijklmnopqrstuvwxyz'.repeat(4), chunkSize: 2, tokensPerSecond: 200 });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'alphabet' });
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(rig.host.all('turnDelta').length, 0, 'still buffered');
    await rig.chat.handle({ type: 'ready' });
    const { snapshot } = await rig.host.waitFor('snapshot');
    assert.equal(snapshot.activeRequestId, requestId);
    assert.ok((snapshot.conversation.messages.at(-1)?.text ?? '').length > 0, 'the snapshot has text so far');
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId, 10_000);
    const at = rig.host.posted.findIndex((m) => m.type === 'snapshot');
    const after = rig.host.posted.slice(at).flatMap((m) => (m.type === 'turnDelta' ? [m.content] : []));
    assert.equal((snapshot.conversation.messages.at(-1)?.text ?? '') + after.join(''), ended.message.text);
  });

  it('new chat, history list, open, rename and delete', async () => {
    const rig = qwen.rig();
    await ask(rig, 'First topic\nwith details');
    await rig.chat.handle({ type: 'newChat' });
    let snap = rig.host.all('snapshot').at(-1)?.snapshot;
    assert.equal(snap?.conversation.messages.length, 0);
    assert.deepEqual(snap?.conversations.map((c) => c.title), ['First topic'], 'the empty new chat is not listed');
    await ask(rig, 'Second topic');
    const list = (await rig.chat.snapshot()).conversations;
    assert.deepEqual(list.map((c) => c.title), ['Second topic', 'First topic']);
    const [second, first] = list;
    assert.ok(first && second);

    await rig.chat.handle({ type: 'openConversation', conversationId: first.id });
    snap = rig.host.all('snapshot').at(-1)?.snapshot;
    assert.equal(snap?.conversation.id, first.id);
    assert.equal(snap?.conversation.messages[0]?.text, 'First topic\nwith details');

    await rig.chat.handle({ type: 'renameConversation', conversationId: first.id, title: 'Closures' });
    assert.deepEqual(rig.host.all('conversations').at(-1)?.conversations.map((c) => c.title).sort(), ['Closures', 'Second topic']);

    await rig.chat.handle({ type: 'deleteConversation', conversationId: second.id });
    assert.deepEqual(rig.host.all('conversations').at(-1)?.conversations.map((c) => c.title), ['Closures']);
    assert.equal(rig.host.storage.files.has(blobName(second.id)), false);

    await rig.chat.handle({ type: 'deleteConversation', conversationId: first.id });
    snap = rig.host.all('snapshot').at(-1)?.snapshot;
    assert.deepEqual([snap?.conversations, snap?.conversation.messages], [[], []]);

    await rig.chat.handle({ type: 'openConversation', conversationId: 'no-such-chat' });
    assert.ok(rig.host.logs.some((l) => l.includes('no-such-chat')));
    // An id the storage could not even name is simply unknown.
    await rig.chat.handle({ type: 'deleteConversation', conversationId: 'a:b' });
  });

  it('a new chat while an answer streams stops it first and keeps the partial answer in the old chat', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'stall', afterText: 'Partial', stallMs: 10_000 });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'Old topic' });
    const started = await rig.host.waitFor('turnStarted');
    await rig.host.waitFor('turnDelta', (d) => d.content === 'Partial');
    await rig.chat.handle({ type: 'newChat' });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.deepEqual([ended.message.status, ended.message.text], ['stopped', 'Partial']);
    const snapshot = rig.host.all('snapshot').at(-1)?.snapshot;
    assert.deepEqual([snapshot?.conversation.messages.length, snapshot?.activeRequestId], [0, undefined]);
    assert.ok(rig.host.posted.indexOf(ended) < rig.host.posted.lastIndexOf(rig.host.all('snapshot').at(-1)!), 'the old turn ends before the new chat shows');
    const saved = JSON.parse(rig.host.storage.files.get(blobName(started.conversationId)) ?? '{}').conversation;
    assert.deepEqual(saved.messages.map((m: { status: string }) => m.status), ['done', 'stopped']);
  });

  it('the key is in no stored file, posted message or log line', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    qwen.server.script(
      { kind: 'thinking', reasoning: 'Reasoning.', text: 'Answer.' },
      { kind: 'http', status: 500, body: { error: { message: 'boom', code: 'internal_error' } } },
      { kind: 'text', text: 'Recovered.' },
      { kind: 'cut', afterText: 'Cut' },
    );
    await rig.chat.handle({ type: 'ready' });
    await ask(rig, 'one');
    await ask(rig, 'two');
    await ask(rig, 'three');
    rig.host.key = { apiKey: 'sk-wrong-key-8c1d', source: 'env' };
    const denied = await ask(rig, 'four');
    assert.equal(denied.ended.message.error?.kind, 'auth');
    await rig.chat.refreshSettings();
    await rig.chat.dispose();

    assert.ok(qwen.server.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`), 'the key was used');
    const haystacks = [
      ...[...rig.host.storage.files].map(([name, text]) => `${name}: ${text}`),
      ...rig.host.posted.map((m) => JSON.stringify(m)),
      ...rig.host.logs,
    ];
    assert.ok(haystacks.length > 20);
    for (const secret of [KEY, 'sk-wrong-key-8c1d', KEY.slice(3, 15)]) {
      assert.deepEqual(haystacks.filter((h) => h.includes(secret)), [], `"${secret}" leaked`);
    }
  });
});

interface SavedConversation {
  messages: { status: string; text: string }[];
}

async function waitForSaved(storage: MemoryStorage, id: string, match: (text: string) => boolean): Promise<SavedConversation> {
  const start = Date.now();
  for (;;) {
    const text = storage.files.get(blobName(id));
    if (text !== undefined && match(text)) return (JSON.parse(text) as { conversation: SavedConversation }).conversation;
    if (Date.now() - start > 3000) throw new Error(`not saved in time: ${text}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
