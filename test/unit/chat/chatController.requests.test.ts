// What the engine does with each send and retry: only the last answer is retried, a send during a stop waits, every
// refusal gets a reply, and the view's store (the real reducer) ends up free with the prompt back.
import assert from 'node:assert/strict';
import { blobName } from '../../../src/core/chat/conversationStore';
import { errors } from '../../fakes/fakeQwenServer';
import { MemoryStorage } from '../../support/memoryChatHost';
import { initialState, isBusy, reduce, type ChatAction, type ChatState } from '../../../webview/store';
import { ask, nextRequestId, useChatServer, type ChatRig } from './harness';

/** The view's store fed with everything the engine posts, as a page would be. */
function viewOf(rig: ChatRig): { state(): ChatState; apply(a: ChatAction): void } {
  let state: ChatState = initialState;
  let seen = 0;
  const drain = () => {
    for (const m of rig.host.posted.slice(seen)) state = reduce(state, m, Date.now());
    seen = rig.host.posted.length;
  };
  return {
    state: () => (drain(), state),
    apply: (a) => {
      drain();
      state = reduce(state, a, Date.now());
    },
  };
}

describe('Chat requests: retry, refusals and sends during a stop', () => {
  const qwen = useChatServer();

  it('Retry on an older error card is refused with a reply and deletes nothing', async () => {
    const storage = new MemoryStorage();
    const rig = qwen.rig({ storage });
    qwen.server.script(errors.invalidApiKey());
    const failed = await ask(rig, 'q1');
    assert.equal(failed.ended.message.status, 'error');
    await ask(rig, 'q2');
    await ask(rig, 'q3');
    const before = (await rig.chat.snapshot()).conversation.messages.map((m) => m.id);
    const saved = storage.files.get(blobName(rig.host.all('turnStarted')[0]!.conversationId));

    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId, messageId: failed.ended.message.id });
    const rejected = await rig.host.waitFor('requestRejected', (m) => m.requestId === requestId);
    assert.match(rejected.reason, /Only the last answer/);
    assert.deepEqual((await rig.chat.snapshot()).conversation.messages.map((m) => m.id), before, 'nothing removed');
    assert.equal(before.length, 6);
    assert.equal(storage.files.get(blobName(rig.host.all('turnStarted')[0]!.conversationId)), saved, 'nothing saved');
    assert.equal(qwen.server.requests.length, 3);
  });

  it('once a new prompt follows, the older card loses Retry (views redrawn, saved), its other fixes stay', async () => {
    const storage = new MemoryStorage();
    const rig = qwen.rig({ storage });
    qwen.server.script({ kind: 'cut', afterText: 'Half' });
    const cut = await ask(rig, 'first');
    assert.deepEqual(cut.ended.message.error?.actions.map((a) => a.id), ['retry', 'showLog']);
    const { requestId } = await ask(rig, 'second');

    const started = rig.host.all('turnStarted').find((m) => m.requestId === requestId);
    const redraw = rig.host.posted.slice(0, rig.host.posted.indexOf(started!)).filter((m) => m.type === 'snapshot').at(-1);
    assert.ok(redraw?.type === 'snapshot', 'a snapshot before the new turn');
    const old = redraw.snapshot.conversation.messages.find((m) => m.id === cut.ended.message.id);
    assert.deepEqual(old?.error?.actions.map((a) => a.id), ['showLog']);
    assert.equal(old?.text, 'Half', 'the partial answer stays');
    const onDisk = JSON.parse(storage.files.get(blobName(started!.conversationId)) ?? '{}').conversation.messages[1];
    assert.deepEqual(onDisk.error.actions.map((a: { id: string }) => a.id), ['showLog']);
  });

  it('a chat saved with Retry on an older card shows it without (the snapshot applies the rule too)', async () => {
    const storage = new MemoryStorage();
    const card = { kind: 'network', message: 'cut', actions: [{ id: 'retry', label: 'Retry' }, { id: 'showLog', label: 'Show log' }] };
    const messages = [
      { id: 'u1', role: 'user', text: 'one', status: 'done', createdAt: 1 },
      { id: 'a1', role: 'assistant', text: 'Half', status: 'error', error: card, createdAt: 2 },
      { id: 'u2', role: 'user', text: 'two', status: 'done', createdAt: 3 },
      { id: 'a2', role: 'assistant', text: 'Half again', status: 'error', error: card, createdAt: 4 },
    ];
    storage.files.set(blobName('old'), JSON.stringify({ version: 1, conversation: { id: 'old', title: 'Old', createdAt: 1, updatedAt: 4, messages } }));
    const rig = qwen.rig({ storage });
    const shown = (await rig.chat.snapshot()).conversation.messages;
    assert.deepEqual(shown.map((m) => m.error?.actions.map((a) => a.id)), [undefined, ['showLog'], undefined, ['retry', 'showLog']]);
  });

  it('the last answer can still be retried and regenerated', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'cut', afterText: 'Half' }, { kind: 'text', text: 'Whole.' });
    const cut = await ask(rig, 'only');
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId, messageId: cut.ended.message.id });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(ended.message.text, 'Whole.');
    assert.deepEqual(rig.host.all('requestRejected'), []);
  });

  it('Stop then Send at once: the prompt waits for the stopped answer to be saved, then starts', async () => {
    const rig = qwen.rig();
    const view = viewOf(rig);
    qwen.server.script({ kind: 'stall', afterText: 'Working', stallMs: 10_000 }, { kind: 'text', text: 'Second answer.' });
    await rig.chat.handle({ type: 'ready' });
    const a = nextRequestId();
    view.apply({ type: 'ui/send', requestId: a, text: 'one' });
    await rig.chat.handle({ type: 'send', requestId: a, text: 'one' });
    await rig.host.waitFor('turnDelta', (d) => d.content.includes('Working'));
    view.apply({ type: 'ui/stop' });
    void rig.chat.handle({ type: 'stop', requestId: a });
    const b = nextRequestId();
    view.apply({ type: 'ui/send', requestId: b, text: 'two' });
    await rig.chat.handle({ type: 'send', requestId: b, text: 'two' });

    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === b);
    assert.equal(ended.message.text, 'Second answer.');
    assert.deepEqual(rig.host.all('requestRejected'), []);
    assert.ok(rig.host.posted.findIndex((m) => m.type === 'turnEnded' && m.requestId === a) < rig.host.posted.findIndex((m) => m.type === 'turnStarted' && m.requestId === b));
    const sent = qwen.server.requests.at(-1)?.body.messages as { content: string }[];
    assert.deepEqual(sent.map((m) => m.content), ['one', 'Working', 'two']);
    const state = view.state();
    assert.equal(isBusy(state), false);
    assert.deepEqual(state.snapshot?.conversation.messages.map((m) => [m.text, m.status]), [['one', 'done'], ['Working', 'stopped'], ['two', 'done'], ['Second answer.', 'done']]);
  });

  it('a refused send frees the view and gives the prompt back with the reason', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'stall', afterText: 'Busy', stallMs: 10_000 });
    // another view of the same chat is streaming
    await rig.chat.handle({ type: 'send', requestId: nextRequestId(), text: 'from the editor tab' });
    await rig.host.waitFor('turnDelta', (d) => d.content.includes('Busy'));
    // this view was drawn before that turn started (it still looks free) and sends
    const { activeRequestId: _active, activeTurn: _progress, ...idle } = await rig.chat.snapshot();
    const mine = nextRequestId();
    let state = reduce(initialState, { type: 'snapshot', version: '1', hostNow: Date.now(), snapshot: idle }, Date.now());
    state = reduce(state, { type: 'ui/send', requestId: mine, text: 'my prompt' }, Date.now());
    assert.equal(isBusy(state), true);
    await rig.chat.handle({ type: 'send', requestId: mine, text: 'my prompt' });
    const rejected = await rig.host.waitFor('requestRejected', (m) => m.requestId === mine);
    state = reduce(state, rejected, Date.now());
    assert.equal(isBusy(state), false, 'the composer is free');
    assert.equal(state.focus.text, 'my prompt', 'the prompt is back in the composer');
    assert.match(state.composerNote ?? '', /still answering/);
    rig.chat.stop();
  });

  it('a failure before the turn starts gets a reply, not silence', async () => {
    const rig = qwen.rig();
    rig.host.readSettings = () => {
      throw new Error('settings exploded');
    };
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'hello' });
    const rejected = await rig.host.waitFor('requestRejected', (m) => m.requestId === requestId);
    assert.match(rejected.reason, /went wrong/);
    assert.ok(rig.host.logs.some((l) => l.includes('settings exploded')));
    assert.equal(rig.chat.streaming, false);
  });

  it('a turn that fails to start after its prompt was added takes the prompt back out (attachments too)', async () => {
    const rig = qwen.rig();
    rig.chat.addAttachment({ id: 'sel', kind: 'selection', label: 'a.ts', text: 'x' });
    const post = rig.host.post;
    rig.host.post = (m) => {
      if (m.type === 'turnStarted') throw new Error('the view went away');
      post(m);
    };
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'hello' });
    await rig.host.waitFor('requestRejected', (m) => m.requestId === requestId);
    const snapshot = await rig.chat.snapshot();
    assert.deepEqual(snapshot.conversation.messages, [], 'no prompt left behind to be sent twice');
    assert.deepEqual(snapshot.pendingAttachments.map((a) => a.id), ['sel']);
    rig.host.post = post;
    assert.equal((await ask(rig, 'hello')).ended.message.status, 'done');
  });

  it('a retry with nothing to retry gets a reply', async () => {
    const rig = qwen.rig();
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId, messageId: 'no-such-answer' });
    assert.match((await rig.host.waitFor('requestRejected', (m) => m.requestId === requestId)).reason, /no such answer/);
  });

  it('a stop that reaches a prompt still waiting for its turn drops it with a reply', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'stall', afterText: 'Working', stallMs: 10_000 });
    const a = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId: a, text: 'one' });
    await rig.host.waitFor('turnDelta', (d) => d.content.includes('Working'));
    void rig.chat.handle({ type: 'stop', requestId: a });
    const b = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId: b, text: 'two' });
    await rig.chat.handle({ type: 'stop', requestId: b });
    assert.equal((await rig.host.waitFor('requestRejected', (m) => m.requestId === b)).reason, 'Stopped before it started.');
    await rig.host.waitFor('turnEnded', (m) => m.requestId === a);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(rig.host.all('turnStarted').length, 1);
  });

  it('closing the window mid-answer saves it as interrupted, not stopped', async () => {
    const storage = new MemoryStorage();
    const rig = qwen.rig({ storage });
    qwen.server.script({ kind: 'stall', afterText: 'Half an answer', stallMs: 10_000 });
    await rig.chat.handle({ type: 'send', requestId: nextRequestId(), text: 'long one' });
    const started = await rig.host.waitFor('turnStarted');
    await rig.host.waitFor('turnDelta', (d) => d.content.includes('Half'));
    await rig.chat.dispose();
    const saved = JSON.parse(storage.files.get(blobName(started.conversationId)) ?? '{}').conversation.messages.at(-1);
    assert.deepEqual([saved.status, saved.text], ['interrupted', 'Half an answer']);
  });
});
