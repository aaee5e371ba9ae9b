// qwen.spendCap: a chat pauses before the request that would pass its cap, and says how to go on.
import assert from 'node:assert/strict';
import { ask, useChatServer } from './harness';

describe('Per-chat spend cap (qwen.spendCap)', function () {
  this.timeout(30_000);
  const qwen = useChatServer();

  it('the request that would pass the cap is not sent; the card says what was spent; a raised cap lets Retry go on', async () => {
    const settings = { region: 'beijing', model: 'qwen3-coder-plus', spendCap: 0.06 };
    const rig = qwen.rig({ regional: true, settings });
    qwen.server.script({ kind: 'text', text: 'first', usage: { promptTokens: 10_000, completionTokens: 1_000 } });
    const first = (await ask(rig, 'one')).ended.message;
    assert.equal(first.metrics?.cost, '¥0.06'); // ¥0.056: under the cap, so it went
    const sent = qwen.server.requests.length;

    const second = (await ask(rig, 'two '.repeat(3_000))).ended.message;
    assert.equal(second.status, 'error');
    assert.equal(second.error?.kind, 'spendCap');
    assert.match(second.error?.message ?? '', /spent ¥0\.06.*spend cap of ¥0\.06/);
    assert.deepEqual(second.error?.actions.map((a) => a.id), ['openSettings', 'retry', 'newChat']);
    assert.equal(qwen.server.requests.length, sent, 'nothing was sent');

    rig.host.settings.spendCap = 1;
    qwen.server.script({ kind: 'text', text: 'second' });
    await rig.chat.handle({ type: 'retry', requestId: 'retry-after-cap', messageId: second.id });
    const retried = await rig.host.waitFor('turnEnded', (e) => e.requestId === 'retry-after-cap');
    assert.equal(retried.message.status, 'done');
  });

  it('a model without a known price is not capped (nothing to compare with): the chat goes on', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3-coder-plus', spendCap: 0.0001 } });
    const { ended } = await ask(rig, 'custom server, unknown price');
    assert.equal(ended.message.status, 'done');
    assert.equal(ended.message.metrics?.costAmount, undefined);
  });
});
