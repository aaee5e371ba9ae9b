import assert from 'node:assert/strict';
import { errors } from '../../fakes/fakeQwenServer';
import { ask, deltasOf, nextRequestId, useChatServer } from './harness';

const REASONING = 'The user asks for a greeting. A short friendly answer is best; no code is needed here at all.';
const ANSWER = 'Hello! How can I help you with your code today? Ask me anything about this workspace.';

describe('Chat turns against the fake Qwen server', () => {
  const qwen = useChatServer();

  it('streams reasoning and answer as separate coalesced deltas, then ends with metrics', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    qwen.server.script({ kind: 'thinking', reasoning: REASONING, text: ANSWER, chunkSize: 3, usage: { promptTokens: 120, completionTokens: 60, reasoningTokens: 25, cachedTokens: 64 } });
    const { requestId, ended } = await ask(rig, 'Say hello');

    const started = rig.host.all('turnStarted')[0];
    assert.equal(started?.requestId, requestId);
    assert.equal(started.user.text, 'Say hello');
    assert.equal(started.assistant.status, 'streaming');

    const deltas = deltasOf(rig.host, requestId);
    assert.equal(deltas.map((d) => d.reasoning).join(''), REASONING);
    assert.equal(deltas.map((d) => d.content).join(''), ANSWER);
    const chunks = Math.ceil(REASONING.length / 3) + Math.ceil(ANSWER.length / 3);
    assert.ok(deltas.length < chunks / 2, `${deltas.length} deltas for ${chunks} chunks: coalesced`);
    const firstContent = deltas.findIndex((d) => d.content !== '');
    assert.ok(deltas.slice(firstContent + 1).every((d) => d.reasoning === ''), 'no reasoning after the answer started');
    assert.ok(rig.host.posted.indexOf(deltas.at(-1)!) < rig.host.posted.indexOf(ended), 'every delta before turnEnded');

    const m = ended.message;
    assert.equal(m.status, 'done');
    assert.equal(m.text, ANSWER);
    assert.equal(m.reasoning, REASONING);
    assert.equal(m.model, 'qwen3.6-plus');
    assert.equal(m.id, started.assistant.id, 'same message id from start to end');
    assert.ok(typeof m.reasoningMs === 'number' && m.reasoningMs >= 0);
    assert.deepEqual(
      [m.metrics?.promptTokens, m.metrics?.completionTokens, m.metrics?.reasoningTokens, m.metrics?.cachedTokens],
      [120, 60, 25, 64],
    );
    assert.ok((m.metrics?.durationMs ?? -1) >= 0 && m.metrics?.timeToFirstTokenMs !== undefined);
    assert.equal(m.metrics?.cost, undefined, 'no price for a custom server: cost absent, not 0');
  });

  it('prices a reply where the price is known (qwen3-coder-plus in Beijing)', async () => {
    const rig = qwen.rig({ regional: true, settings: { region: 'beijing', model: 'qwen3-coder-plus' } });
    qwen.server.script({ kind: 'text', text: 'ok', usage: { promptTokens: 10_000, completionTokens: 1_000 } });
    const { ended } = await ask(rig, 'price me');
    // 10K in at ¥4/M + 1K out at ¥16/M = ¥0.056
    assert.equal(ended.message.metrics?.cost, '¥0.06');
  });

  it('stop mid-stream aborts the HTTP request and keeps partial reasoning and text', async () => {
    const rig = qwen.rig({ settings: { model: 'qwen3.6-plus' } });
    qwen.server.script({ kind: 'thinking', reasoning: REASONING, text: ANSWER, chunkSize: 4, tokensPerSecond: 100 });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'Think slowly' });
    await rig.host.waitFor('turnDelta', (d) => d.requestId === requestId && d.reasoning !== '');
    assert.equal(rig.chat.streaming, true);
    await rig.chat.handle({ type: 'stop', requestId: 'someone-else' });
    await rig.chat.handle({ type: 'stop', requestId });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(ended.message.status, 'stopped');
    assert.equal(ended.message.error, undefined);
    assert.ok(ended.message.reasoning && REASONING.startsWith(ended.message.reasoning) && ended.message.reasoning.length < REASONING.length);
    assert.equal(rig.chat.streaming, false);
    await waitUntil(() => qwen.server.requests[0]?.closedBeforeEnd === true, 'the server saw the connection close');
    const snapshot = await rig.chat.snapshot();
    assert.equal(snapshot.conversation.messages.at(-1)?.status, 'stopped');
    assert.equal(snapshot.activeRequestId, undefined);
  });

  it('qwen.stop stops a request that has not answered yet', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'stall', afterText: 'Partial answer', stallMs: 10_000 });
    const requestId = nextRequestId();
    const states: boolean[] = [];
    rig.chat.onDidChangeStreaming((s) => states.push(s));
    await rig.chat.handle({ type: 'send', requestId, text: 'stall please' });
    await rig.host.waitFor('turnDelta', (d) => d.content.includes('Partial'));
    rig.chat.stop();
    const ended = await rig.host.waitFor('turnEnded');
    assert.deepEqual([ended.message.status, ended.message.text], ['stopped', 'Partial answer']);
    assert.deepEqual(states, [true, false]);
  });

  it('stop right after send, before the request is on its way, ends the turn as stopped', async () => {
    const rig = qwen.rig();
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'never mind' });
    await rig.chat.handle({ type: 'stop', requestId });
    const ended = await rig.host.waitFor('turnEnded');
    assert.deepEqual([ended.message.status, ended.message.text], ['stopped', '']);
    assert.equal(rig.chat.streaming, false);
    // The next prompt goes through, without the empty exchange.
    const next = await ask(rig, 'go on');
    assert.equal(next.ended.message.status, 'done');
    const last = qwen.server.requests.at(-1)?.body.messages as { content: string }[];
    assert.deepEqual(last.map((m) => m.content), ['go on']);
  });

  it('refuses a second prompt while one is answering, with a reply naming the request', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'stall', afterText: 'Working', stallMs: 10_000 });
    const first = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId: first, text: 'one' });
    await rig.host.waitFor('turnDelta', (d) => d.content.includes('Working'));
    const second = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId: second, text: 'two' });
    assert.equal(rig.host.all('turnStarted').length, 1);
    const rejected = rig.host.all('requestRejected');
    assert.deepEqual(rejected.map((r) => r.requestId), [second]);
    assert.match(rejected[0]?.reason ?? '', /still answering/);
    await rig.chat.handle({ type: 'stop', requestId: first });
    await rig.host.waitFor('turnEnded');
    assert.equal(qwen.server.requests.length, 1);
  });

  it('401: an error card naming the region and its URL, with Set API key and Switch region', async () => {
    const rig = qwen.rig({ regional: true, apiKey: 'sk-from-another-region' });
    const { ended } = await ask(rig, 'hello?');
    const m = ended.message;
    assert.equal(m.status, 'error');
    assert.equal(m.error?.kind, 'auth');
    assert.equal(m.error?.status, 401);
    assert.match(m.error?.message ?? '', /Model Studio \(Singapore\) at https:\/\/dashscope-intl\.aliyuncs\.com\/compatible-mode\/v1\./);
    assert.deepEqual(m.error?.actions.map((a) => a.id), ['setApiKey', 'switchRegion']);
    assert.equal(qwen.server.requests.length, 1, 'the request reached the (fake) Singapore endpoint');
  });

  it('429: posts a retry countdown, then the answer', async () => {
    const rig = qwen.rig();
    qwen.server.script(errors.throttled(), { kind: 'text', text: 'After the wait.' });
    const { requestId, ended } = await ask(rig, 'busy?');
    const retry = rig.host.all('turnRetry')[0];
    assert.equal(retry?.requestId, requestId);
    assert.equal(retry.attempt, 1);
    assert.ok(retry.delayMs >= 0);
    assert.match(retry.message, /Rate limit/);
    assert.equal(ended.message.status, 'done');
    assert.equal(ended.message.text, 'After the wait.');
    assert.equal(qwen.server.requests.length, 2);
  });

  it('429 with a long Retry-After: an error card with the time a retry makes sense', async () => {
    const rig = qwen.rig();
    qwen.server.script(errors.throttled(120));
    const before = Date.now();
    const { ended } = await ask(rig, 'busy?');
    const error = ended.message.error;
    assert.equal(error?.kind, 'rateLimit');
    assert.ok(error.retryAt !== undefined && error.retryAt >= before + 119_000 && error.retryAt <= Date.now() + 120_000, String(error.retryAt));
    assert.ok(error.actions.some((a) => a.id === 'retry'));
  });

  it('no key for Model Studio: no request is made, the card offers Set API key and Switch region', async () => {
    const rig = qwen.rig({ regional: true, apiKey: null });
    await rig.chat.handle({ type: 'ready' });
    const snapshot = await rig.host.waitFor('snapshot');
    assert.equal(snapshot.snapshot.settings.keySource, 'none');
    const { ended } = await ask(rig, 'hello');
    assert.equal(qwen.server.requests.length, 0);
    assert.equal(ended.message.status, 'error');
    assert.equal(ended.message.error?.kind, 'missingKey');
    assert.match(ended.message.error?.message ?? '', /Model Studio \(Singapore\)/);
    assert.deepEqual(ended.message.error?.actions.map((a) => a.id), ['setApiKey', 'switchRegion']);
  });

  it('a secret storage that fails: the view still draws, a send explains it, nothing is sent', async () => {
    const rig = qwen.rig({ regional: true });
    rig.host.lookupKey = () => Promise.reject(new Error('keyring locked'));
    await rig.chat.handle({ type: 'ready' });
    assert.equal((await rig.host.waitFor('snapshot')).snapshot.settings.keySource, 'none');
    const { ended } = await ask(rig, 'hello');
    assert.equal(ended.message.error?.kind, 'keyUnavailable');
    assert.deepEqual(ended.message.error?.actions.map((a) => a.id), ['setApiKey', 'showLog']);
    assert.ok(rig.host.logs.some((l) => l.includes('keyring locked')));
    assert.equal(qwen.server.requests.length, 0);
  });

  it('a bad region or base URL: a card with Open settings, and no request', async () => {
    const rig = qwen.rig({ regional: true, settings: { region: 'mars' } });
    const { ended } = await ask(rig, 'hello');
    assert.equal(ended.message.error?.kind, 'invalidEndpoint');
    assert.match(ended.message.error?.message ?? '', /Unknown region "mars"/);
    assert.deepEqual(ended.message.error?.actions.map((a) => a.id), ['openSettings']);
    rig.host.settings.baseUrl = 'localhost:11434/v1';
    const second = await ask(rig, 'again');
    assert.match(second.ended.message.error?.message ?? '', /has no scheme/);
    assert.equal(qwen.server.requests.length, 0);
  });

  it('a stream cut mid-answer keeps the partial text; retry re-sends the identical messages', async () => {
    const rig = qwen.rig();
    qwen.server.script({ kind: 'cut', afterText: 'The first half of' });
    const first = await ask(rig, 'Explain closures');
    assert.equal(first.ended.message.status, 'error');
    assert.equal(first.ended.message.text, 'The first half of');
    assert.ok(first.ended.message.error?.actions.some((a) => a.id === 'retry'));

    qwen.server.script({ kind: 'text', text: 'Closures capture variables.' });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId, messageId: first.ended.message.id });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(ended.message.status, 'done');
    assert.equal(qwen.server.requests.length, 2);
    assert.deepEqual(qwen.server.requests[1]?.body.messages, qwen.server.requests[0]?.body.messages);

    const messages = (await rig.chat.snapshot()).conversation.messages;
    assert.deepEqual(messages.map((m) => [m.role, m.status]), [['user', 'done'], ['assistant', 'done']], 'the failed answer was replaced');
    const started = rig.host.all('turnStarted').at(-1);
    assert.equal(started?.user.id, messages[0]?.id, 'the retry repeats the same user message');
    const snapshots = rig.host.posted.flatMap((m, i) => (m.type === 'snapshot' ? [i] : []));
    assert.ok(started && snapshots.length === 1 && (snapshots[0] ?? -1) < rig.host.posted.indexOf(started), 'views first get the chat without the failed answer');
    assert.equal(rig.host.all('snapshot')[0]?.snapshot.conversation.messages.length, 1);

    // Regenerate the good answer: the same history again.
    qwen.server.script({ kind: 'text', text: 'Closures keep their scope.' });
    const again = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId: again, messageId: ended.message.id });
    await rig.host.waitFor('turnEnded', (m) => m.requestId === again);
    assert.deepEqual(qwen.server.requests[2]?.body.messages, qwen.server.requests[0]?.body.messages);
  });

  it('reads settings for every request: a model change applies to the next send', async () => {
    const rig = qwen.rig();
    await ask(rig, 'first');
    rig.host.settings.model = 'qwen-plus';
    rig.host.settings.thinking = 'on';
    rig.host.settings.thinkingBudget = 4096;
    rig.host.settings.temperature = 0.3;
    const second = await ask(rig, 'second');
    const [a, b] = qwen.server.requests.map((r) => r.body);
    assert.equal(a.model, 'qwen3-coder-plus');
    assert.equal(a.enable_thinking, undefined);
    assert.deepEqual([b.model, b.enable_thinking, b.thinking_budget, b.temperature], ['qwen-plus', true, 4096, 0.3]);
    assert.deepEqual(
      b.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
      [['user', 'first'], ['assistant', 'Hello from fake Qwen.'], ['user', 'second']],
    );
    assert.equal(second.ended.message.model, 'qwen-plus');
  });

  it('sends pending attachments as fenced context with the next prompt, then clears them', async () => {
    const rig = qwen.rig();
    const selection = { id: 'sel-1', kind: 'selection' as const, label: 'src/math.ts', language: 'typescript', startLine: 3, endLine: 5, text: 'const a = "```";\nexport const add = (x, y) => x + y;' };
    rig.chat.addAttachment(selection);
    rig.chat.addAttachment({ id: 'sel-2', kind: 'selection', label: 'other.ts', text: 'x' });
    await rig.chat.handle({ type: 'removeAttachment', attachmentId: 'sel-2' });
    assert.deepEqual(rig.host.all('attachments').at(-1)?.attachments.map((a) => a.id), ['sel-1']);

    const { ended } = await ask(rig, 'What does add do?');
    assert.equal(ended.message.status, 'done');
    const content = qwen.server.requests[0]?.body.messages[0].content as string;
    assert.equal(
      content,
      'Context from `src/math.ts` (typescript, lines 3-5):\n````typescript\nconst a = "```";\nexport const add = (x, y) => x + y;\n````\n\nWhat does add do?',
    );
    assert.deepEqual(rig.host.all('attachments').at(-1)?.attachments, []);
    const snapshot = await rig.chat.snapshot();
    assert.deepEqual(snapshot.pendingAttachments, []);
    assert.deepEqual(snapshot.conversation.messages[0]?.attachments, [selection]);
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
