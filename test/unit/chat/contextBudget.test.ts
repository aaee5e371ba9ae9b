// The context budget on real requests: earlier turns are left out (oldest first) when the window would overflow,
// the chat keeps them, and the reply says how much of the window its request used.
import assert from 'node:assert/strict';
import { ask, useChatServer } from './harness';

type Sent = { role: string; content: unknown };
const text = (m: Sent): string => (typeof m.content === 'string' ? m.content : (m.content as { text: string }[]).map((p) => p.text).join(''));

describe('Context budget of chat requests', function () {
  this.timeout(60_000);
  const qwen = useChatServer();

  it('a chat that outgrows the window sends only the newest turns, says how many were left out, and keeps them all', async () => {
    // qwen-plus: 131,072-token window, 16,384 kept for the answer → 114,688 for the prompt.
    const rig = qwen.rig({ settings: { model: 'qwen-plus' } });
    const chunk = (n: number) => `Log part ${n}:\n${`line ${n} of the build log, nothing unusual here\n`.repeat(3_000)}`; // ~35K tokens
    const ended = [];
    for (let turn = 1; turn <= 4; turn++) ended.push((await ask(rig, chunk(turn))).ended.message);
    const requests = qwen.server.requests.slice(-4).map((r) => r.body.messages as Sent[]);

    assert.equal(requests[0]!.length, 1);
    assert.equal(requests[2]!.length, 5, 'three turns fit: nothing left out yet');
    const last = requests[3]!;
    assert.ok(!last.some((m) => text(m).startsWith('Log part 1:')), 'the oldest turn is left out of the fourth request');
    assert.ok(text(last.at(-1)!).startsWith('Log part 4:'), 'the latest message is always sent');
    assert.equal(last[0]?.role, 'user', 'what is sent starts with a user message, never with an orphan answer');
    assert.equal(ended[3]?.metrics?.context?.dropped, 2, 'the oldest prompt and its answer');
    assert.equal(ended[2]?.metrics?.context?.dropped, 0);
    const ctx = ended[3]!.metrics!.context!;
    assert.equal(ctx.window, 131_072);
    assert.equal(ctx.promptTokens, ended[3]!.metrics!.promptTokens, "the server's count replaces the estimate");
    assert.ok(ctx.percent > 60 && ctx.percent <= 100, `context used ${ctx.percent}%`);
    assert.equal((await rig.chat.snapshot()).conversation.messages.length, 8, 'the chat keeps every message');
  });

  it('a single message larger than the window is refused before sending, with a card that says why', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen-plus' } });
    const before = qwen.server.requests.length;
    const { ended } = await ask(rig, 'x '.repeat(400_000));
    assert.equal(ended.message.status, 'error');
    assert.equal(ended.message.error?.kind, 'contextTooLarge');
    assert.match(ended.message.error?.message ?? '', /too large for Qwen Plus/);
    assert.equal(qwen.server.requests.length, before, 'nothing was sent');
  });
});
