import assert from 'node:assert/strict';
import type { ChatMessageView } from '../../../src/protocol/chat';
import { contextBlock, historyFor } from '../../../src/core/chat/history';
import { UNANSWERED_TOOL_CALL_RESULT } from '../../../src/core/messages';

let n = 0;
const user = (text: string, extra: Partial<ChatMessageView> = {}): ChatMessageView => ({ id: `u${++n}`, role: 'user', text, status: 'done', createdAt: n, ...extra });
const answer = (text: string, extra: Partial<ChatMessageView> = {}): ChatMessageView => ({ id: `a${++n}`, role: 'assistant', text, status: 'done', createdAt: n, ...extra });

describe('Chat history as the model reads it', () => {
  it('keeps prompts, answers and their reasoning in order', () => {
    assert.deepEqual(historyFor([user('q1'), answer('a1', { reasoning: 'r1' }), user('q2')]), [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1', reasoning: 'r1' },
      { role: 'user', content: 'q2' },
    ]);
  });

  it('keeps partial answers (stopped, cut, interrupted) but leaves out exchanges that produced nothing', () => {
    const history = historyFor([
      user('no key yet'),
      answer('', { status: 'error', error: { kind: 'missingKey', message: 'x', actions: [] } }),
      user('stopped early'),
      answer('', { status: 'stopped' }),
      user('cut'),
      answer('Half', { status: 'error' }),
      user('crash'),
      answer('', { status: 'interrupted', reasoning: 'was thinking' }),
      user('now'),
    ]);
    assert.deepEqual(history, [
      { role: 'user', content: 'cut' },
      { role: 'assistant', content: 'Half' },
      { role: 'user', content: 'crash' },
      { role: 'assistant', content: '', reasoning: 'was thinking' },
      { role: 'user', content: 'now' },
    ]);
  });

  it('leaves out an exchange content inspection flagged, prompt and partial answer, so the next request can pass', () => {
    const flagged = { kind: 'contentInspection', message: 'x', actions: [] };
    const history = historyFor([
      user('fine'),
      answer('ok'),
      user('flagged prompt'),
      answer('flagged half', { status: 'error', error: flagged }),
      user('next'),
    ]);
    assert.deepEqual(history.map((m) => m.content), ['fine', 'ok', 'next']);
  });

  it('formats attachments as fenced context blocks the attached text cannot close', () => {
    assert.equal(
      contextBlock({ id: 'a', kind: 'selection', label: 'README.md', language: 'markdown', startLine: 7, endLine: 7, text: 'Run:\n````sh\nnpm test\n````', truncated: true }),
      'Context from `README.md` (markdown, line 7), cut to fit:\n`````markdown\nRun:\n````sh\nnpm test\n````\n`````',
    );
    assert.equal(contextBlock({ id: 'b', kind: 'terminal', label: 'Terminal', text: 'ok' }), 'Context from `Terminal`:\n```\nok\n```');
    const [prompt] = historyFor([user('Why?', { attachments: [{ id: 'c', kind: 'file', label: 'a.py', language: 'python', text: 'x = 1' }] })]);
    assert.deepEqual(prompt, { role: 'user', content: 'Context from `a.py` (python):\n```python\nx = 1\n```\n\nWhy?' });
  });

  it('an agent run: each reply with its tool calls, then one result per call in call order (a call never answered gets the unanswered text)', () => {
    const calls = [
      { id: 'call_1', name: 'read_file', argumentsText: '{"path":"a.ts"}', status: 'done' as const, result: '1| x' },
      { id: 'call_2', name: 'search_text', argumentsText: '{"query":"x"', status: 'failed' as const, result: 'not valid JSON' },
      { id: 'call_3', name: 'edit_file', argumentsText: '{}', status: 'cancelled' as const },
    ];
    const history = historyFor([user('fix it'), answer('', { toolCalls: calls, reasoning: 'look first' }), answer('Done.')]);
    assert.deepEqual(history, [
      { role: 'user', content: 'fix it' },
      {
        role: 'assistant',
        content: '',
        reasoning: 'look first',
        toolCalls: calls.map((c) => ({ id: c.id, name: c.name, argumentsText: c.argumentsText })),
      },
      { role: 'tool', toolCallId: 'call_1', name: 'read_file', content: '1| x' },
      { role: 'tool', toolCallId: 'call_2', name: 'search_text', content: 'not valid JSON' },
      { role: 'tool', toolCallId: 'call_3', name: 'edit_file', content: UNANSWERED_TOOL_CALL_RESULT },
      { role: 'assistant', content: 'Done.' },
    ]);
    // a reply with calls and no text is not "an answer that produced nothing", even when the run was stopped
    assert.equal(historyFor([user('q'), answer('', { status: 'stopped', toolCalls: calls.slice(0, 1) })]).length, 3);
  });
});
