import assert from 'node:assert/strict';
import type { ConversationView } from '../../../src/protocol/chat';
import { ConversationStore, DEFAULT_TITLE, INDEX_NAME, blobName, titleFromPrompt } from '../../../src/core/chat/conversationStore';
import { MemoryStorage } from '../../support/memoryChatHost';

function store(storage: MemoryStorage, logs: string[] = [], clock = { t: 1000 }, warnings: string[] = []): ConversationStore {
  return new ConversationStore({ storage, log: (l) => logs.push(l), warn: (w) => warnings.push(w), now: () => clock.t++ });
}

function withMessage(c: ConversationView, text: string, status: 'done' | 'streaming' = 'done'): ConversationView {
  c.messages.push({ id: `m${c.messages.length}-${c.id.slice(0, 4)}`, role: 'user', text, status, createdAt: 1 });
  return c;
}

describe('ConversationStore', () => {
  it('titles a chat from the first line of its first prompt, cut near 60 characters with an ellipsis', () => {
    assert.equal(titleFromPrompt('  \n  Explain this regex  \nplease'), 'Explain this regex');
    const long = titleFromPrompt('Why does this function allocate so much memory when called in a tight loop over big inputs?');
    assert.ok(long.length <= 60 && long.endsWith('…'), long);
    assert.ok(long.startsWith('Why does this function allocate'));
    assert.equal(titleFromPrompt('   '), DEFAULT_TITLE);
  });

  it('does not save an empty new chat, and reuses it for another "new chat"', async () => {
    const storage = new MemoryStorage();
    const s = store(storage);
    await s.load();
    const first = s.current;
    assert.equal(s.newConversation(), first);
    await s.save(first);
    assert.equal(storage.files.has(blobName(first.id)), false);
    assert.deepEqual(s.list(), []);
  });

  it('saves, lists most recent first, renames, deletes, and reopens the most recent after a restart', async () => {
    const storage = new MemoryStorage();
    const clock = { t: 1000 };
    const s = store(storage, [], clock);
    await s.load();
    const a = withMessage(s.current, 'first');
    await s.save(a);
    const b = withMessage(s.newConversation(), 'second');
    await s.save(b);
    assert.notEqual(a.id, b.id);
    assert.deepEqual(s.list().map((c) => c.id), [b.id, a.id]);

    assert.equal(await s.rename(a.id, '  Renamed\n chat '), true);
    assert.equal(await s.rename(a.id, '   '), false, 'an empty title is refused');
    assert.deepEqual(s.list().map((c) => [c.id, c.title]), [[a.id, 'Renamed chat'], [b.id, b.title]]);

    const restarted = store(storage, [], clock);
    await restarted.load();
    assert.equal(restarted.current.id, a.id, 'the most recently changed chat is current');
    assert.equal(restarted.current.title, 'Renamed chat');

    await restarted.remove(a.id);
    assert.equal(storage.files.has(blobName(a.id)), false);
    assert.equal(restarted.current.id, b.id, 'deleting the current chat opens the next most recent');
    await restarted.remove(b.id);
    assert.deepEqual(restarted.list(), []);
    assert.equal(restarted.current.messages.length, 0, 'then an empty new chat');
    assert.deepEqual(JSON.parse(storage.files.get(INDEX_NAME) ?? '').conversations, []);
  });

  it('restores a message saved while streaming as it was saved, same id, once (the snapshot shows it interrupted)', async () => {
    const storage = new MemoryStorage();
    const s = store(storage);
    await s.load();
    const c = withMessage(s.current, 'question');
    c.messages.push({ id: 'answer-1', role: 'assistant', text: 'Half an ans', reasoning: 'I think', status: 'streaming', createdAt: 2 });
    await s.save(c);

    const after = store(storage);
    await after.load();
    const restored = after.current.messages;
    assert.equal(restored.length, 2);
    assert.deepEqual(
      restored.filter((m) => m.id === 'answer-1').map((m) => [m.status, m.text, m.reasoning]),
      [['streaming', 'Half an ans', 'I think']],
    );
  });

  it('reports a corrupt blob, keeps it aside, and loads the other chats', async () => {
    const storage = new MemoryStorage();
    const s = store(storage);
    await s.load();
    const good = withMessage(s.current, 'good');
    await s.save(good);
    const bad = withMessage(s.newConversation(), 'bad');
    await s.save(bad);
    storage.files.set(blobName(bad.id), '{"version":1,"conversation":{"id": tru');

    const logs: string[] = [];
    const warnings: string[] = [];
    const after = store(storage, logs, undefined, warnings);
    await after.load();
    assert.equal(warnings.length, 1, 'the user is told once');
    assert.match(warnings[0] ?? '', /could not read one saved chat \(it is not valid JSON\).*kept as corrupt-/);
    assert.equal(after.current.id, good.id);
    assert.deepEqual(after.list().map((c) => c.id), [good.id]);
    assert.ok(logs.some((l) => l.includes(blobName(bad.id)) && l.includes('not valid JSON')), logs.join('\n'));
    await after.flush();
    assert.equal(storage.files.has(blobName(bad.id)), false);
    assert.ok([...storage.files.keys()].some((n) => n.startsWith('corrupt-') && n.endsWith(blobName(bad.id))), 'kept aside');

    const third: string[] = [];
    const thirdWarnings: string[] = [];
    await store(storage, third, undefined, thirdWarnings).load();
    assert.deepEqual([...third, ...thirdWarnings], [], 'reported once, not at every start');
  });

  it('recovers a chat whose blob was written just before a crash, before its index entry', async () => {
    const storage = new MemoryStorage();
    const s = store(storage);
    await s.load();
    const c = withMessage(s.current, 'saved');
    await s.save(c);
    storage.files.set(INDEX_NAME, JSON.stringify({ version: 1, conversations: [] }));
    const after = store(storage);
    await after.load();
    assert.equal(after.current.id, c.id);
    assert.equal(after.list()[0]?.title, c.title);
  });

  it('saves a streaming reply at most once per interval, the last change included', async () => {
    const storage = new MemoryStorage();
    const s = new ConversationStore({ storage, log: () => undefined, streamingSaveMs: 60 });
    await s.load();
    const c = withMessage(s.current, 'q');
    c.messages.push({ id: 'a', role: 'assistant', text: '', status: 'streaming', createdAt: 1 });
    await s.save(c);
    const before = storage.writes.length;
    const answer = c.messages[1];
    assert.ok(answer);
    const started = Date.now();
    while (Date.now() - started < 200) {
      answer.text += 'x';
      s.saveStreaming(c);
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 80));
    await s.flush();
    const blobWrites = storage.writes.slice(before).filter((w) => w.name === blobName(c.id));
    assert.ok(blobWrites.length >= 2 && blobWrites.length <= 6, `${blobWrites.length} saves in 200 ms at one per 60 ms`);
    const last = JSON.parse(blobWrites.at(-1)?.text ?? '{}').conversation.messages[1].text as string;
    assert.equal(last, answer.text, 'the last change is saved');
  });
});

describe('ConversationStore in two windows over one storage', () => {
  it("a save queued behind one that merges the other window's message keeps that message, and its later changes", async () => {
    const storage = new MemoryStorage();
    const a = store(storage);
    await a.load();
    const mine = withMessage(a.current, 'from A');
    await a.save(mine);

    const b = store(storage);
    await b.load();
    const theirs = b.current;
    assert.equal(theirs.id, mine.id);
    theirs.messages.push({ id: 'b-answer', role: 'assistant', text: '', status: 'streaming', createdAt: 2 });
    await b.save(theirs);

    // A saves twice in a row while it streams: the second save waits for the first, which merges in B's message.
    withMessage(mine, 'more from A');
    const first = a.save(mine);
    const second = a.save(mine);
    await Promise.all([first, second]);
    const onDisk = () => (JSON.parse(storage.files.get(blobName(mine.id)) ?? '{}') as { conversation: ConversationView }).conversation.messages;
    assert.deepEqual(onDisk().map((m) => m.id).includes('b-answer'), true, "B's message is still on disk after A's second save");

    const answer = theirs.messages.find((m) => m.id === 'b-answer');
    assert.ok(answer);
    answer.text = 'B done';
    answer.status = 'done';
    await b.save(theirs);
    await a.save(mine);
    assert.deepEqual(onDisk().find((m) => m.id === 'b-answer'), { ...answer }, "A's next save keeps B's finished answer");
    assert.deepEqual(mine.messages.find((m) => m.id === 'b-answer')?.text, 'B done', "A's copy shows it too");
  });
});
