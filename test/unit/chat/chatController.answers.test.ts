// What an answer and its card hold: text kept verbatim, flagged exchanges left out, countdowns and timers that
// survive clocks and rebuilt views, the fixes that fit the endpoint, and no key anywhere.
import assert from 'node:assert/strict';
import { REGION_BASE_URLS } from '../../../src/core/endpoints';
import { errors } from '../../fakes/fakeQwenServer';
import { initialState, reduce } from '../../../webview/store';
import { KEY, ask, nextRequestId, useChatServer } from './harness';

describe('Chat answers and their cards', () => {
  const qwen = useChatServer();

  for (const [form, text] of [
    ['<function=…>', 'To read it, the agent would call:\n\n<function=read_file>\n<parameter=path>src/app.ts</parameter>\n</function>\n\nbut here is the answer.'],
    ['<tool_call>', 'Example output:\n<tool_call>\n{"name": "search", "arguments": {"q": "x"}}\n</tool_call>\nThat is all.'],
  ] as const) {
    it(`keeps text that looks like a ${form} tool call: no tools are offered, so it is answer text`, async () => {
      const rig = qwen.rig();
      qwen.server.script({ kind: 'text', text, chunkSize: 5 });
      const { requestId, ended } = await ask(rig, 'Show me a tool call');
      assert.equal(ended.message.text, text);
      const streamed = rig.host.all('turnDelta').filter((d) => d.requestId === requestId).map((d) => d.content).join('');
      assert.equal(streamed, text);
    });
  }

  it('after content inspection flags an answer, the next prompt is sent without that exchange, and the card says so', async () => {
    const rig = qwen.rig();
    qwen.server.script(
      { kind: 'text', text: 'Fine answer.' },
      { kind: 'streamError', afterText: 'Flagged half', error: { code: 'data_inspection_failed', message: 'Output data may contain inappropriate content.' } },
      { kind: 'text', text: 'Next answer.' },
    );
    await ask(rig, 'harmless');
    const flagged = await ask(rig, 'the flagged one');
    assert.equal(flagged.ended.message.error?.kind, 'contentInspection');
    assert.equal(flagged.ended.message.text, 'Flagged half', 'the partial text stays on screen');
    assert.match(flagged.ended.message.error?.message ?? '', /left out of what is sent with your next message/);
    await ask(rig, 'next question');
    const sent = qwen.server.requests.at(-1)?.body.messages as { content: string }[];
    assert.deepEqual(sent.map((m) => m.content), ['harmless', 'Fine answer.', 'next question']);
  });

  it('a 429 that persists without Retry-After still gets a countdown on its card', async () => {
    const rig = qwen.rig();
    qwen.server.script(errors.throttled(), errors.throttled(), errors.throttled(), errors.throttled());
    const before = Date.now();
    const { ended } = await ask(rig, 'busy?');
    const error = ended.message.error;
    assert.equal(error?.kind, 'rateLimit');
    assert.ok(error.retryAt !== undefined && error.retryAt > before, String(error.retryAt));
    assert.ok(typeof ended.hostNow === 'number' && ended.hostNow >= before);
  });

  it("a view on another clock counts down the host's wait, not the difference between the clocks", async () => {
    const rig = qwen.rig();
    qwen.server.script(errors.throttled(120));
    const { ended } = await ask(rig, 'busy?');
    await rig.chat.handle({ type: 'ready' });
    const snapshot = rig.host.all('snapshot').at(-1)!;
    const viewClock = snapshot.hostNow - 3_600_000; // the page's machine is an hour behind
    let state = reduce(initialState, snapshot, viewClock);
    const retryAt = state.snapshot?.conversation.messages.at(-1)?.error?.retryAt ?? 0;
    assert.ok(Math.abs(retryAt - viewClock - 120_000) < 2000, `${retryAt - viewClock} ms left on the view's clock`);
    state = reduce(state, ended, viewClock);
    assert.ok(Math.abs((state.snapshot?.conversation.messages.at(-1)?.error?.retryAt ?? 0) - viewClock - 120_000) < 2000);
  });

  it('a view rebuilt mid-answer gets how long the turn has been reasoning, so its timer does not restart', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    qwen.server.script({ kind: 'thinking', reasoning: 'Thinking slowly about it. '.repeat(40), text: 'Done.', chunkSize: 4, tokensPerSecond: 200 });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'think' });
    await rig.host.waitFor('turnDelta', (d) => d.requestId === requestId && d.reasoning !== '');
    await new Promise((r) => setTimeout(r, 300));
    await rig.chat.handle({ type: 'ready' });
    const snapshot = rig.host.all('snapshot').at(-1)!;
    const progress = snapshot.snapshot.activeTurn;
    assert.equal(snapshot.snapshot.activeRequestId, requestId);
    assert.ok(progress && progress.elapsedMs >= 300 && (progress.reasoningElapsedMs ?? 0) >= 250, JSON.stringify(progress));
    const now = 50_000;
    const live = reduce(initialState, snapshot, now).live;
    assert.equal(live?.reasoningStartedAt, now - (progress.reasoningElapsedMs ?? 0));
    assert.equal(live?.startedAt, now - progress.elapsedMs);
    rig.chat.stop();
  });

  it('with qwen.baseUrl set to a regional URL, a 401 card offers Open settings, not Switch region', async () => {
    const rig = qwen.rig({ regional: true, apiKey: 'sk-from-another-region', settings: { baseUrl: REGION_BASE_URLS.beijing } });
    const { ended } = await ask(rig, 'hello?');
    assert.equal(ended.message.error?.kind, 'auth');
    assert.deepEqual(ended.message.error?.actions.map((a) => a.id), ['setApiKey', 'openSettings']);
    assert.doesNotMatch(ended.message.error?.message ?? '', /switch the region/);
  });

  it('the no-key card offers Switch region for a region, Open settings for a Model Studio base URL', async () => {
    const region = qwen.rig({ regional: true, apiKey: null });
    assert.deepEqual((await ask(region, 'hello')).ended.message.error?.actions.map((a) => a.id), ['setApiKey', 'switchRegion']);
    const custom = qwen.rig({ regional: true, apiKey: null, settings: { baseUrl: 'https://ws1.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1' } });
    const card = (await ask(custom, 'hello')).ended.message.error;
    assert.deepEqual(card?.actions.map((a) => a.id), ['setApiKey', 'openSettings']);
    assert.doesNotMatch(card?.message ?? '', /switch to the region/);
    assert.equal(qwen.server.requests.length, 0);
  });

  it('a server that quotes the key back: the key is masked in the card, the saved chat and the log', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'http', status: 400, body: { error: { message: `Key ${KEY} is not valid for this model`, code: 'invalid_parameter_error', type: 'invalid_request_error' } } });
    await rig.chat.handle({ type: 'ready' });
    const { ended } = await ask(rig, 'hello');
    assert.match(ended.message.error?.message ?? '', /Key sk-…d04f is not valid/);
    await rig.chat.dispose();
    const haystacks = [...rig.host.storage.files.values(), ...rig.host.posted.map((m) => JSON.stringify(m)), ...rig.host.logs];
    assert.deepEqual(haystacks.filter((h) => h.includes(KEY)), []);
  });

  it('a base URL with a key in its query: the card and the log never repeat the key', async () => {
    const rig = qwen.rig({ settings: { baseUrl: 'https://proxy.example.com/v1?api_key=sk-in-the-url-77c1#x' } });
    const { ended } = await ask(rig, 'hello');
    assert.equal(ended.message.error?.kind, 'invalidEndpoint');
    assert.match(ended.message.error?.message ?? '', /api_key=…/);
    const haystacks = [...rig.host.posted.map((m) => JSON.stringify(m)), ...rig.host.logs];
    assert.deepEqual(haystacks.filter((h) => h.includes('sk-in-the-url')), []);
  });
});
