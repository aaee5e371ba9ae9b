// Two windows of the editor share one extension storage folder: two controllers over one real FolderStorage.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INDEX_NAME, blobName } from '../../../src/core/chat/conversationStore';
import type { KeyValueStorage } from '../../../src/core/chat/ports';
import { FolderStorage } from '../../../src/vscode/storage';
import { MemoryStorage } from '../../support/memoryChatHost';
import { ask, nextRequestId, useChatServer, type ChatRig } from './harness';

interface StoredMessage {
  role: string;
  text: string;
  status: string;
}

describe('Chat in two windows over one storage folder', () => {
  const qwen = useChatServer();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qwen-two-windows-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const window = (): ChatRig => qwen.rig({ storage: new FolderStorage(dir) });
  const onDisk = (conversationId: string): StoredMessage[] =>
    (JSON.parse(readFileSync(join(dir, blobName(conversationId)), 'utf8')) as { conversation: { messages: StoredMessage[] } }).conversation.messages;
  const listed = (): string[] =>
    (JSON.parse(readFileSync(join(dir, INDEX_NAME), 'utf8')) as { conversations: { title: string }[] }).conversations.map((c) => c.title).sort();
  const texts = (messages: { text: string }[]) => messages.map((m) => m.text);

  it('both windows continue one chat: each picks up the other before its turn, nothing is overwritten', async () => {
    const a = window();
    qwen.server.script({ kind: 'text', text: 'A one' });
    const first = await ask(a, 'a1');
    const id = a.host.all('turnStarted')[0]!.conversationId;

    const b = window();
    await b.chat.handle({ type: 'ready' });
    assert.deepEqual(texts((await b.host.waitFor('snapshot')).snapshot.conversation.messages), ['a1', 'A one']);

    qwen.server.script({ kind: 'text', text: 'A two' });
    await ask(a, 'a2');
    qwen.server.script({ kind: 'text', text: 'B one' });
    const fromB = await ask(b, 'b1');
    assert.equal(fromB.ended.message.status, 'done');

    const sentByB = qwen.server.requests.at(-1)?.body.messages as { content: string }[];
    assert.deepEqual(sentByB.map((m) => m.content), ['a1', 'A one', 'a2', 'A two', 'b1'], 'B sent the chat as A left it');
    const redraw = b.host.all('snapshot').at(-1)?.snapshot.conversation.messages ?? [];
    assert.deepEqual(texts(redraw), ['a1', 'A one', 'a2', 'A two', 'b1'], "B's view was redrawn with A's messages before its turn");
    assert.deepEqual(texts(onDisk(id)), ['a1', 'A one', 'a2', 'A two', 'b1', 'B one']);

    await a.chat.handle({ type: 'ready' });
    assert.deepEqual(texts(a.host.all('snapshot').at(-1)?.snapshot.conversation.messages ?? []), ['a1', 'A one', 'a2', 'A two', 'b1', 'B one']);
    assert.equal(first.ended.message.text, 'A one');
  });

  it('a chat deleted in one window does not come back when the other saves', async () => {
    const a = window();
    await ask(a, 'Chat X');
    const x = a.host.all('turnStarted')[0]!.conversationId;
    await a.chat.handle({ type: 'newChat' });
    await ask(a, 'Chat Y');
    const b = window();
    await b.chat.handle({ type: 'ready' });
    assert.deepEqual((await b.host.waitFor('snapshot')).snapshot.conversations.map((c) => c.title).sort(), ['Chat X', 'Chat Y']);

    await a.chat.handle({ type: 'deleteConversation', conversationId: x });
    assert.deepEqual(listed(), ['Chat Y']);
    await ask(b, 'more in Y');
    assert.deepEqual(listed(), ['Chat Y'], 'X did not come back');
    assert.deepEqual(b.host.all('conversations').at(-1)?.conversations.map((c) => c.title), ['Chat Y']);
    assert.throws(() => readFileSync(join(dir, blobName(x))), /ENOENT/);
    await a.chat.handle({ type: 'ready' });
    assert.deepEqual(a.host.all('snapshot').at(-1)?.snapshot.conversations.map((c) => c.title), ['Chat Y']);
  });

  it('two windows each start a chat: both are listed in both', async () => {
    const a = window();
    const b = window();
    await a.chat.handle({ type: 'ready' });
    await b.chat.handle({ type: 'ready' });
    await ask(a, 'From A');
    await ask(b, 'From B');
    assert.deepEqual(listed(), ['From A', 'From B']);
    await a.chat.handle({ type: 'ready' });
    assert.deepEqual(a.host.all('snapshot').at(-1)?.snapshot.conversations.map((c) => c.title).sort(), ['From A', 'From B']);
  });

  it("a window saving while it streams merges the other window's messages instead of overwriting them", async () => {
    const a = qwen.rig({ storage: new FolderStorage(dir), controller: { streamingSaveMs: 30 } });
    qwen.server.script({ kind: 'text', text: 'first answer' });
    await ask(a, 'start');
    const id = a.host.all('turnStarted')[0]!.conversationId;
    const b = window();
    await b.chat.handle({ type: 'ready' });

    qwen.server.script({ kind: 'text', text: 'slow answer from A '.repeat(20), chunkSize: 8, tokensPerSecond: 150 });
    const slow = nextRequestId();
    await a.chat.handle({ type: 'send', requestId: slow, text: 'slow one' });
    await a.host.waitFor('turnDelta', (d) => d.requestId === slow && d.content !== '');
    qwen.server.script({ kind: 'text', text: 'B meanwhile' });
    await ask(b, 'from B meanwhile');
    const ended = await a.host.waitFor('turnEnded', (m) => m.requestId === slow, 10_000);

    const stored = onDisk(id);
    assert.deepEqual(
      stored.map((m) => [m.role, m.text.slice(0, 19), m.status]),
      [
        ['user', 'start', 'done'],
        ['assistant', 'first answer', 'done'],
        ['user', 'slow one', 'done'],
        ['assistant', 'slow answer from A ', 'done'],
        ['user', 'from B meanwhile', 'done'],
        ['assistant', 'B meanwhile', 'done'],
      ],
    );
    assert.equal(stored[3]?.text, ended.message.text, "A's whole answer is on disk");
    const shown = a.host.all('snapshot').at(-1)?.snapshot.conversation.messages ?? [];
    assert.ok(texts(shown).includes('B meanwhile'), "A's view was redrawn with B's messages");
  });

  it('touches no storage until a view or a command needs the chats, and writes nothing when it only reads', async () => {
    const storage = new MemoryStorage();
    const first = qwen.rig({ storage });
    await ask(first, 'saved earlier');
    await first.chat.dispose();

    const calls: string[] = [];
    const watched: KeyValueStorage = {
      read: (name) => (calls.push(`read ${name}`), storage.read(name)),
      write: (name, text) => (calls.push(`write ${name}`), storage.write(name, text)),
      remove: (name) => (calls.push(`remove ${name}`), storage.remove(name)),
      list: () => (calls.push('list'), storage.list()),
      update: (name, change) => (calls.push(`update ${name}`), storage.update(name, change)),
    };
    const second = qwen.rig({ storage: watched });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(calls, [], 'nothing at activation');
    await second.chat.handle({ type: 'ready' });
    assert.equal((await second.host.waitFor('snapshot')).snapshot.conversation.messages.length, 2);
    assert.deepEqual(calls.filter((c: string) => !c.startsWith('read') && c !== 'list'), [], 'a view opening writes nothing');
  });
});
