// Saved chats that are damaged, and a disk that refuses writes: the chat keeps working, the user hears once.
import assert from 'node:assert/strict';
import { ConversationStore, INDEX_NAME, blobName } from '../../../src/core/chat/conversationStore';
import { MemoryStorage } from '../../support/memoryChatHost';
import { ask, useChatServer } from './harness';

const ID = 'c-damaged';
const good = { id: 'm1', role: 'user', text: 'question', status: 'done', createdAt: 1 };
const answer = { id: 'm2', role: 'assistant', text: 'answer', status: 'done', createdAt: 2 };

function blob(messages: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, conversation: { id: ID, title: 'Damaged chat', createdAt: 1, updatedAt: 2, messages, ...extra } });
}

function storageWith(files: Record<string, string>): MemoryStorage {
  const storage = new MemoryStorage();
  for (const [name, text] of Object.entries(files)) storage.files.set(name, text);
  storage.files.set(INDEX_NAME, JSON.stringify({ version: 1, conversations: [{ id: ID, title: 'Damaged chat', updatedAt: 2, messageCount: 2 }] }));
  return storage;
}

function store(storage: MemoryStorage, warnings: string[], logs: string[] = []): ConversationStore {
  return new ConversationStore({ storage, log: (l) => logs.push(l), warn: (w) => warnings.push(w), saveRetryMs: 20 });
}

describe('ConversationStore with damaged files and a failing disk', () => {
  const qwen = useChatServer();

  const damaged: [string, unknown][] = [
    ['attachments that are not a list', { ...good, attachments: 'x' }],
    ['an attachment that is null', { ...good, attachments: [null, { id: 'a', kind: 'selection', label: 'a.ts', text: 'x' }] }],
    ['reasoning that is a number', { ...answer, reasoning: 5 }],
    ['an error that is an empty object', { ...answer, status: 'error', error: {} }],
    ['metrics that are a string', { ...answer, metrics: 'fast' }],
  ];
  for (const [what, message] of damaged) {
    it(`${what}: the chat opens without that part, the user is told once, the original is kept, sending works`, async () => {
      const messages = message && (message as { role: string }).role === 'user' ? [message, answer] : [good, message];
      const storage = storageWith({ [blobName(ID)]: blob(messages) });
      const warnings: string[] = [];
      const s = store(storage, warnings);
      await s.load();
      assert.equal(s.current.id, ID);
      assert.deepEqual(s.current.messages.map((m) => m.text), ['question', 'answer']);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0] ?? '', /repaired a saved chat: these parts could not be read: .*kept as corrupt-/);
      assert.ok([...storage.files.keys()].some((n) => n.startsWith('corrupt-') && n.endsWith(blobName(ID))), 'the original is kept aside');

      const again: string[] = [];
      await store(storage, again).load();
      assert.deepEqual(again, [], 'reported once, not at every start');

      // the engine sends the repaired chat: no throw on every send
      const rig = qwen.rig({ storage });
      const { ended } = await ask(rig, 'and now?');
      assert.equal(ended.message.status, 'done');
      const sent = qwen.server.requests.at(-1)?.body.messages as { content: string }[];
      assert.deepEqual(sent.map((m) => m.content.replace(/^Context from [\s\S]*\n\n/, '')), ['question', 'answer', 'and now?']);
    });
  }

  it('a message without the fields every message has is left out; the rest of the chat stays', async () => {
    const storage = storageWith({ [blobName(ID)]: blob([good, null, { id: 'x', role: 'robot', text: 1 }, answer]) });
    const warnings: string[] = [];
    const s = store(storage, warnings);
    await s.load();
    assert.deepEqual(s.current.messages.map((m) => m.id), ['m1', 'm2']);
    assert.equal(warnings.length, 1);
  });

  it('files whose content is JSON null: set aside with a warning each, never a throw', async () => {
    const storage = storageWith({ [blobName(ID)]: 'null' });
    storage.files.set(INDEX_NAME, 'null');
    storage.files.set(blobName('c-fine'), JSON.stringify({ version: 1, conversation: { id: 'c-fine', title: 'Fine', createdAt: 1, updatedAt: 5, messages: [good] } }));
    const warnings: string[] = [];
    const s = store(storage, warnings);
    await s.load();
    assert.deepEqual(s.list().map((c) => c.title), ['Fine'], 'the readable chat is found again');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings.join('\n'), /list of saved chats/);
    assert.match(warnings.join('\n'), /could not read one saved chat/);
  });

  it('saves that fail: the user is told once, saving is tried again until it works', async () => {
    const storage = new MemoryStorage();
    let failing = true;
    const write = storage.write.bind(storage);
    storage.write = async (name, text) => {
      if (failing) throw new Error('ENOSPC: no space left on device');
      return write(name, text);
    };
    const warnings: string[] = [];
    const rig = qwen.rig({ storage, controller: { saveRetryMs: 20 } });
    rig.host.warn = (w) => warnings.push(w);
    await ask(rig, 'one');
    await ask(rig, 'two');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /cannot save chats right now \(ENOSPC: no space left on device\).*tried again/);
    assert.equal(storage.files.size, 0);

    failing = false;
    const id = rig.host.all('turnStarted')[0]!.conversationId;
    const start = Date.now();
    while (!storage.files.has(blobName(id)) && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 10));
    const saved = JSON.parse(storage.files.get(blobName(id)) ?? '{}').conversation;
    assert.deepEqual(saved?.messages.map((m: { text: string }) => m.text), ['one', 'Hello from fake Qwen.', 'two', 'Hello from fake Qwen.']);
    assert.ok(storage.files.has(INDEX_NAME));
  });
});
