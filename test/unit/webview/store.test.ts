import assert from 'node:assert/strict';
import type { ChatMessageView, ChatSnapshot, SettingsView } from '../../../src/protocol/chat';
import { initialState, isBusy, reduce, type ChatAction, type ChatState } from '../../../webview/store';

const settings: SettingsView = {
  model: 'qwen3-coder-plus',
  modelLabel: 'Qwen3 Coder Plus',
  thinkingMode: 'auto',
  thinkingOn: false,
  thinkingFixed: true,
  thinkingNote: 'qwen3-coder-plus does not think',
  endpointLabel: 'Model Studio (Singapore)',
  keySource: 'secret',
  region: 'singapore',
  thinkingBudget: 0,
  contextWindow: 1_000_000,
  explicitCache: true,
  customBaseUrl: false,
  models: [{ id: 'qwen3-coder-plus', label: 'Qwen3 Coder Plus', thinking: 'none' }],
};

function msg(id: string, role: 'user' | 'assistant', text = '', status: ChatMessageView['status'] = 'done'): ChatMessageView {
  return { id, role, text, status, createdAt: 1 };
}

function snapshot(messages: ChatMessageView[] = [], extra: Partial<ChatSnapshot> = {}): ChatSnapshot {
  return {
    conversation: { id: 'c1', title: 'T', messages, createdAt: 1, updatedAt: 1 },
    conversations: [{ id: 'c1', title: 'T', updatedAt: 1, messageCount: messages.length }],
    settings,
    pendingAttachments: [],
    ...extra,
  };
}

function run(...actions: ChatAction[]): ChatState {
  return actions.reduce((s, a, i) => reduce(s, a, 1000 + i * 100), initialState);
}

const loaded: ChatAction = { type: 'snapshot', version: '0.1.0', hostNow: 1000, snapshot: snapshot([msg('u0', 'user', 'hi'), msg('a0', 'assistant', 'hello')]) };
const started = (requestId = 'r1', userId = 'u1', assistantId = 'a1'): ChatAction => ({
  type: 'turnStarted',
  requestId,
  conversationId: 'c1',
  user: msg(userId, 'user', 'question'),
  assistant: msg(assistantId, 'assistant', '', 'streaming'),
});
const delta = (requestId: string, content: string, reasoning = ''): ChatAction => ({ type: 'turnDelta', requestId, content, reasoning });
const messages = (s: ChatState) => s.snapshot?.conversation.messages ?? [];
const byId = (s: ChatState, id: string) => messages(s).find((m) => m.id === id);

describe('webview store', () => {
  it('takes a snapshot whole, with its version, and follows its active request', () => {
    const s = run(loaded);
    assert.equal(s.version, '0.1.0');
    assert.deepEqual(messages(s).map((m) => m.id), ['u0', 'a0']);
    assert.equal(isBusy(s), false);
    const streaming = run({ type: 'snapshot', version: '1', hostNow: 1000, snapshot: snapshot([msg('u', 'user'), msg('a', 'assistant', 'par', 'streaming')], { activeRequestId: 'r9' }) });
    assert.equal(streaming.activeRequestId, 'r9');
    assert.equal(streaming.live?.messageId, 'a');
    assert.equal(byId(reduce(streaming, delta('r9', 'tial'), 5000), 'a')?.text, 'partial');
  });

  it('patches settings, conversations and attachments, and ignores them before any snapshot', () => {
    const s = run(
      loaded,
      { type: 'settings', settings: { ...settings, model: 'qwq-plus' } },
      { type: 'conversations', conversations: [] },
      { type: 'attachments', attachments: [{ id: 'x', kind: 'selection', label: 'a.ts', text: 'a' }] },
    );
    assert.equal(s.snapshot?.settings.model, 'qwq-plus');
    assert.deepEqual(s.snapshot?.conversations, []);
    assert.equal(s.snapshot?.pendingAttachments[0]?.id, 'x');
    assert.equal(messages(s).length, 2, 'the conversation is untouched');
    assert.equal(run({ type: 'settings', settings }).snapshot, undefined);
  });

  it('sends: remembers the prompt, is busy until the turn starts, and ignores empty or concurrent sends', () => {
    const sent = run(loaded, { type: 'ui/send', requestId: 'r1', text: 'question' });
    assert.equal(sent.pendingRequestId, 'r1');
    assert.equal(sent.lastPrompt, 'question');
    assert.equal(isBusy(sent), true);
    assert.equal(reduce(sent, { type: 'ui/send', requestId: 'r2', text: 'again' }, 0), sent, 'no second send while busy');
    const idle = run(loaded);
    assert.equal(reduce(idle, { type: 'ui/send', requestId: 'r2', text: '  \n' }, 0), idle, 'blank prompt');
    assert.equal(reduce(initialState, { type: 'ui/send', requestId: 'r2', text: 'x' }, 0), initialState, 'nothing loaded yet');
    const s = reduce(sent, started('r1'), 2000);
    assert.equal(s.pendingRequestId, undefined);
    assert.equal(s.activeRequestId, 'r1');
    assert.deepEqual(messages(s).map((m) => m.id), ['u0', 'a0', 'u1', 'a1']);
    assert.deepEqual(s.live, { requestId: 'r1', messageId: 'a1', startedAt: 2000 });
  });

  it('appends deltas to the streaming message only, timing reasoning and answer', () => {
    const s = run(loaded, started('r1'), delta('r1', '', 'Let me '), delta('r1', '', 'think.'), delta('r1', 'Hel'), delta('r1', 'lo'), delta('r1', '', ''));
    const a1 = byId(s, 'a1');
    assert.equal(a1?.reasoning, 'Let me think.');
    assert.equal(a1?.text, 'Hello');
    assert.equal(byId(s, 'a0')?.text, 'hello', 'the earlier answer is untouched');
    assert.equal(s.live?.reasoningStartedAt, 1200);
    assert.equal(s.live?.answerStartedAt, 1400);
  });

  it('ignores streamed messages of a request it does not follow', () => {
    const s = run(loaded, started('r1'), delta('r1', 'A'));
    assert.equal(reduce(s, delta('old', 'X'), 0), s);
    assert.equal(reduce(s, { type: 'turnRetry', requestId: 'old', attempt: 1, delayMs: 1000, message: 'x' }, 0), s);
    assert.equal(reduce(s, { ...started('r2'), conversationId: 'other' } as ChatAction, 0), s, 'a turn of another conversation');
    const ended = reduce(s, { type: 'turnEnded', hostNow: 1000, requestId: 'old', message: msg('nope', 'assistant', 'X') }, 0);
    assert.equal(ended, s, 'an unknown message of an unknown request');
  });

  it('shows a retry countdown until the next delta', () => {
    const s = run(loaded, started('r1'), { type: 'turnRetry', requestId: 'r1', attempt: 2, delayMs: 3000, message: 'Rate limited.' });
    assert.deepEqual(s.live?.retry, { attempt: 2, until: 1200 + 3000, message: 'Rate limited.' });
    assert.equal(reduce(s, delta('r1', 'ok'), 5000).live?.retry, undefined);
  });

  it('ends a turn with the host copy of the message and announces it', () => {
    const final = { ...msg('a1', 'assistant', 'Hello!'), metrics: { completionTokens: 3 } };
    const s = run(loaded, started('r1'), delta('r1', 'Hel'), { type: 'turnEnded', hostNow: 1000, requestId: 'r1', message: final });
    assert.deepEqual(byId(s, 'a1'), final);
    assert.equal(isBusy(s), false);
    assert.equal(s.live, undefined);
    assert.equal(s.announcement?.text, 'Answer complete');
    const failed = run(loaded, started('r1'), {
      type: 'turnEnded',
      hostNow: 1000,
      requestId: 'r1',
      message: { ...msg('a1', 'assistant', '', 'error'), error: { kind: 'auth', message: 'Invalid API key for Model Studio (Singapore).', actions: [] } },
    });
    assert.equal(failed.announcement?.text, 'Error: Invalid API key for Model Studio (Singapore).');
    assert.notEqual(failed.announcement?.seq, undefined);
  });

  it('stops at once: keeps the partial answer, drops later deltas, then takes the host final copy', () => {
    const s = run(loaded, started('r1'), delta('r1', 'Partial'), { type: 'ui/stop' });
    assert.equal(isBusy(s), false);
    assert.equal(byId(s, 'a1')?.status, 'stopped');
    assert.equal(byId(s, 'a1')?.text, 'Partial');
    assert.equal(reduce(s, delta('r1', ' late'), 0), s, 'a late delta of the stopped request');
    const ended = reduce(s, { type: 'turnEnded', hostNow: 1000, requestId: 'r1', message: msg('a1', 'assistant', 'Partial answer', 'stopped') }, 0);
    assert.equal(byId(ended, 'a1')?.text, 'Partial answer');
    const next = run(loaded, started('r1'), delta('r1', 'P'), { type: 'ui/stop' }, { type: 'ui/send', requestId: 'r2', text: 'next' }, started('r2', 'u2', 'a2'), delta('r1', 'old'), delta('r2', 'new'));
    assert.equal(byId(next, 'a1')?.text, 'P');
    assert.equal(byId(next, 'a2')?.text, 'new');
  });

  it('retries and regenerates from the existing user message, replacing what followed', () => {
    const s = run(loaded, { type: 'ui/retry', requestId: 'r5', messageId: 'a0' });
    assert.equal(s.pendingRequestId, 'r5');
    const restarted = reduce(s, { type: 'turnStarted', requestId: 'r5', conversationId: 'c1', user: msg('u0', 'user', 'hi'), assistant: msg('a5', 'assistant', '', 'streaming') }, 0);
    assert.deepEqual(messages(restarted).map((m) => m.id), ['u0', 'a5']);
    assert.equal(restarted.activeRequestId, 'r5');
    const busy = run(loaded, started('r1'));
    assert.equal(reduce(busy, { type: 'ui/retry', requestId: 'r6', messageId: 'a0' }, 0), busy);
  });

  it('focuses the composer, with text when given', () => {
    const s = run(loaded, { type: 'focusComposer', text: 'edit me' });
    assert.deepEqual(s.focus, { seq: 1, text: 'edit me' });
    assert.deepEqual(reduce(s, { type: 'focusComposer' }, 0).focus, { seq: 2 });
  });

  it('opens and closes history, and restores a saved snapshot only before the host sends one', () => {
    assert.equal(run(loaded, { type: 'ui/history', open: true }).historyOpen, true);
    const saved = snapshot([msg('s1', 'user', 'saved')]);
    assert.equal(run({ type: 'ui/restore', snapshot: saved }).snapshot, saved);
    const fresh = run(loaded);
    assert.equal(reduce(fresh, { type: 'ui/restore', snapshot: saved }, 0), fresh);
  });

  it('a new snapshot keeps a pending send unless it already streams it', () => {
    const s = run(loaded, { type: 'ui/send', requestId: 'r1', text: 'q' }, loaded);
    assert.equal(s.pendingRequestId, 'r1');
    const streaming = reduce(s, { type: 'snapshot', version: '1', hostNow: 1000, snapshot: snapshot([msg('u1', 'user'), msg('a1', 'assistant', '', 'streaming')], { activeRequestId: 'r1' }) }, 0);
    assert.equal(streaming.pendingRequestId, undefined);
    assert.equal(streaming.activeRequestId, 'r1');
  });

  it('a retry whose redraw comes before turnStarted stays busy until it starts', () => {
    const s = run(loaded, { type: 'ui/retry', requestId: 'r1', messageId: 'a0' });
    // the host redraws the chat without the old answer, already naming the request, then starts it
    const redrawn = reduce(s, { type: 'snapshot', version: '1', hostNow: 1000, snapshot: snapshot([msg('u0', 'user', 'hi')], { activeRequestId: 'r1' }) }, 1200);
    assert.equal(isBusy(redrawn), true);
    const started = reduce(redrawn, { type: 'turnStarted', requestId: 'r1', conversationId: 'c1', user: msg('u0', 'user', 'hi'), assistant: msg('a9', 'assistant', '', 'streaming') }, 1300);
    assert.deepEqual([started.pendingRequestId, started.activeRequestId], [undefined, 'r1']);
  });

  it('a refused send frees the composer, gives the prompt back and says why; a refusal for another view changes nothing', () => {
    const sent = run(loaded, { type: 'ui/send', requestId: 'r1', text: 'my long prompt' });
    assert.equal(isBusy(sent), true);
    const other = reduce(sent, { type: 'requestRejected', requestId: 'someone-else', reason: 'no' }, 2000);
    assert.equal(other, sent);
    const refused = reduce(sent, { type: 'requestRejected', requestId: 'r1', reason: 'Qwen is still answering.' }, 2000);
    assert.equal(isBusy(refused), false);
    assert.deepEqual(refused.focus, { seq: sent.focus.seq + 1, text: 'my long prompt' });
    assert.equal(refused.composerNote, 'Qwen is still answering.');
    assert.equal(refused.announcement?.text, 'Qwen is still answering.');
    // the next send clears the note
    assert.equal(reduce(refused, { type: 'ui/send', requestId: 'r2', text: 'again' }, 2100).composerNote, undefined);
  });

  it('a refused retry frees the view without touching the composer text', () => {
    const refused = run(loaded, { type: 'ui/retry', requestId: 'r1', messageId: 'a0' }, { type: 'requestRejected', requestId: 'r1', reason: 'Only the last answer can be retried or regenerated.' });
    assert.equal(isBusy(refused), false);
    assert.equal(refused.focus.text, undefined);
    assert.match(refused.composerNote ?? '', /Only the last answer/);
  });

  it('a send stopped before it started: the refusal that follows still gives the prompt back', () => {
    const s = run(loaded, { type: 'ui/send', requestId: 'r1', text: 'never mind' }, { type: 'ui/stop' }, { type: 'requestRejected', requestId: 'r1', reason: 'Stopped before it started.' });
    assert.equal(s.focus.text, 'never mind');
  });

  it('ignores a message type it does not know (a newer host) instead of losing its state', () => {
    const s = run(loaded);
    assert.equal(reduce(s, { type: 'somethingNew' } as unknown as ChatAction, 2000), s);
  });

  it("moves the host's retry times onto this view's clock", () => {
    const failed = { ...msg('a0', 'assistant', '', 'error'), error: { kind: 'rateLimit', message: 'wait', actions: [], retryAt: 1_000_000 + 30_000 } };
    // the host's clock reads 1,000,000 when the view's reads 5,000
    const s = reduce(initialState, { type: 'snapshot', version: '1', hostNow: 1_000_000, snapshot: snapshot([msg('u0', 'user'), failed]) }, 5000);
    assert.equal(byId(s, 'a0')?.error?.retryAt, 35_000);
    const ended = reduce(s, { type: 'turnEnded', requestId: 'x', hostNow: 2_000_000, message: { ...failed, error: { ...failed.error, retryAt: 2_000_010 } } }, 6000);
    assert.equal(byId(ended, 'a0')?.error?.retryAt, 6010);
  });

  it('a view built mid-answer starts its timers from how long the host says the turn has run', () => {
    const streaming = snapshot([msg('u1', 'user'), msg('a1', 'assistant', '', 'streaming')], { activeRequestId: 'r1', activeTurn: { elapsedMs: 9000, reasoningElapsedMs: 8000 } });
    const s = reduce(initialState, { type: 'snapshot', version: '1', hostNow: 0, snapshot: streaming }, 100_000);
    assert.deepEqual([s.live?.startedAt, s.live?.reasoningStartedAt, s.live?.answerStartedAt], [91_000, 92_000, undefined]);
  });

  it('an agent run: tool cards are upserted by id, the next reply takes over the stream, an approval question is announced once', () => {
    const card = (status: 'queued' | 'awaitingApproval' | 'running' | 'done', extra = {}) => ({ id: 'call_1', name: 'edit_file', argumentsText: '{}', status, ...extra });
    const ask = { kind: 'edit' as const, question: 'Apply this edit to a.ts?', detail: '+1 −1 lines', canShowDiff: true };
    let s = run(loaded, { type: 'ui/send', requestId: 'r1', text: 'question' }, started(), delta('r1', 'Let me edit.'));
    s = reduce(s, { type: 'toolCall', requestId: 'r1', messageId: 'a1', call: card('queued') }, 2000);
    s = reduce(s, { type: 'toolCall', requestId: 'r1', messageId: 'a1', call: card('awaitingApproval', { approval: ask }) }, 2001);
    assert.equal(s.announcement?.text, 'Apply this edit to a.ts?');
    const seq = s.announcement?.seq;
    s = reduce(s, { type: 'toolCall', requestId: 'r1', messageId: 'a1', call: card('awaitingApproval', { approval: ask }) }, 2002);
    assert.equal(s.announcement?.seq, seq, 'the same question is not announced again');
    s = reduce(s, { type: 'toolCall', requestId: 'r1', messageId: 'a1', call: card('done', { summary: 'Edited a.ts' }) }, 2003);
    assert.deepEqual(byId(s, 'a1')?.toolCalls?.map((c) => [c.id, c.status, c.summary]), [['call_1', 'done', 'Edited a.ts']]);

    const previous = { ...msg('a1', 'assistant', 'Let me edit.'), toolCalls: [card('done', { summary: 'Edited a.ts' })] };
    s = reduce(s, { type: 'replyStarted', requestId: 'r1', previous, assistant: msg('a2', 'assistant', '', 'streaming') }, 2100);
    assert.equal(s.live?.messageId, 'a2');
    assert.equal(byId(s, 'a1')?.status, 'done');
    s = reduce(s, delta('r1', 'All done.'), 2200);
    assert.equal(byId(s, 'a2')?.text, 'All done.');
    assert.equal(byId(s, 'a1')?.text, 'Let me edit.', 'the earlier reply gets no more text');
    assert.deepEqual(messages(s).map((m) => m.id), ['u0', 'a0', 'u1', 'a1', 'a2']);
    // a reply of a request this view does not follow is ignored
    const other = reduce(s, { type: 'replyStarted', requestId: 'r9', previous, assistant: msg('a9', 'assistant', '', 'streaming') }, 2300);
    assert.equal(other, s);
  });

  it('a retry of a later agent reply keeps the run before it (turnStarted after the earlier reply)', () => {
    const shown = snapshot([msg('u0', 'user', 'fix'), { ...msg('a0', 'assistant', ''), toolCalls: [{ id: 'c', name: 'read_file', argumentsText: '{}', status: 'done' }] }]);
    const s = run({ type: 'snapshot', version: '1', hostNow: 1000, snapshot: shown }, { type: 'ui/retry', requestId: 'r2', messageId: 'x' }, {
      type: 'turnStarted',
      requestId: 'r2',
      conversationId: 'c1',
      user: msg('u0', 'user', 'fix'),
      assistant: msg('a2', 'assistant', '', 'streaming'),
      after: 'a0',
    });
    assert.deepEqual(messages(s).map((m) => m.id), ['u0', 'a0', 'a2']);
    assert.equal(byId(s, 'a0')?.toolCalls?.length, 1);
    assert.equal(s.live?.messageId, 'a2');
  });
});
