import assert from 'node:assert/strict';
import { UNANSWERED_TOOL_CALL_RESULT, toApiMessages, type ChatMessage } from '../../src/core/messages';
import { historyArguments } from '../../src/core/toolArguments';

const call = (id: string, name = 'read_file', argumentsText = '{"path":"a.ts"}') => ({ id, name, argumentsText });

describe('messages: toApiMessages', () => {
  it('converts a plain exchange', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'again' },
    ];
    assert.deepEqual(toApiMessages(history, { includeReasoning: false }), [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'again' },
    ]);
  });

  describe('system messages', () => {
    it('puts opts.system first, then history system messages in order, as one message at index 0', () => {
      const history: ChatMessage[] = [
        { role: 'user', content: 'q' },
        { role: 'system', content: 'later rule' },
        { role: 'system', content: 'another' },
        { role: 'assistant', content: 'a' },
      ];
      const api = toApiMessages(history, { system: 'base prompt', includeReasoning: false });
      assert.deepEqual(api[0], { role: 'system', content: 'base prompt\n\nlater rule\n\nanother' });
      assert.equal(api.filter((m) => m.role === 'system').length, 1);
      assert.deepEqual(api.slice(1).map((m) => m.role), ['user', 'assistant']);
    });

    it('sends no system message when there is no system text', () => {
      const api = toApiMessages([{ role: 'system', content: '  ' }, { role: 'user', content: 'q' }], { system: '', includeReasoning: false });
      assert.deepEqual(api, [{ role: 'user', content: 'q' }]);
    });

    it('hoists a history system message even without opts.system', () => {
      const api = toApiMessages([{ role: 'user', content: 'q' }, { role: 'system', content: 's' }], { includeReasoning: false });
      assert.deepEqual(api, [{ role: 'system', content: 's' }, { role: 'user', content: 'q' }]);
    });
  });

  it('passes content parts with cache_control through', () => {
    const parts = [{ type: 'text' as const, text: 'big file', cache_control: { type: 'ephemeral' as const } }];
    assert.deepEqual(toApiMessages([{ role: 'user', content: parts }], { includeReasoning: false }), [{ role: 'user', content: parts }]);
  });

  describe('reasoning', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', reasoning: 'because' },
      { role: 'assistant', content: 'b', reasoning: '' },
    ];

    it('keeps non-empty reasoning as reasoning_content when asked', () => {
      const api = toApiMessages(history, { includeReasoning: true });
      assert.deepEqual(api[1], { role: 'assistant', content: 'a', reasoning_content: 'because' });
      assert.deepEqual(api[2], { role: 'assistant', content: 'b' });
    });

    it('drops reasoning when not asked', () => {
      const api = toApiMessages(history, { includeReasoning: false });
      assert.deepEqual(api[1], { role: 'assistant', content: 'a' });
    });
  });

  describe('tool calls', () => {
    it('keeps tool_calls in wire shape, content "" beside them, and results right after', () => {
      const history: ChatMessage[] = [
        { role: 'user', content: 'read it' },
        { role: 'assistant', content: '', reasoning: 'need the file', toolCalls: [call('c1')] },
        { role: 'tool', toolCallId: 'c1', name: 'read_file', content: 'file text' },
        { role: 'assistant', content: 'done' },
      ];
      assert.deepEqual(toApiMessages(history, { includeReasoning: true }), [
        { role: 'user', content: 'read it' },
        {
          role: 'assistant',
          content: '',
          reasoning_content: 'need the file',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'file text' },
        { role: 'assistant', content: 'done' },
      ]);
    });

    it('orders parallel results by call order', () => {
      const history: ChatMessage[] = [
        { role: 'assistant', content: '', toolCalls: [call('a'), call('b')] },
        { role: 'tool', toolCallId: 'b', content: 'B' },
        { role: 'tool', toolCallId: 'a', content: 'A' },
      ];
      const api = toApiMessages(history, { includeReasoning: false });
      assert.deepEqual(api.slice(1), [
        { role: 'tool', tool_call_id: 'a', content: 'A' },
        { role: 'tool', tool_call_id: 'b', content: 'B' },
      ]);
    });

    it('drops tool results that answer no call', () => {
      const history: ChatMessage[] = [
        { role: 'tool', toolCallId: 'ghost', content: 'before anything' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'plain answer' },
        { role: 'tool', toolCallId: 'ghost2', content: 'orphan' },
      ];
      assert.deepEqual(toApiMessages(history, { includeReasoning: false }), [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'plain answer' },
      ]);
    });

    it('adds a synthetic result for a call that was never answered', () => {
      const history: ChatMessage[] = [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'let me look', toolCalls: [call('c1'), call('c2')] },
        { role: 'tool', toolCallId: 'c1', content: 'ok' },
        { role: 'user', content: 'stop, do something else' },
      ];
      const api = toApiMessages(history, { includeReasoning: false });
      assert.deepEqual(api.slice(2), [
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        { role: 'tool', tool_call_id: 'c2', content: UNANSWERED_TOOL_CALL_RESULT },
        { role: 'user', content: 'stop, do something else' },
      ]);
      assert.equal(UNANSWERED_TOOL_CALL_RESULT, 'The tool call was not run (the user stopped it).');
    });

    it('moves a result recorded after a user message up to its call', () => {
      const history: ChatMessage[] = [
        { role: 'assistant', content: '', toolCalls: [call('c1')] },
        { role: 'user', content: 'interjection' },
        { role: 'tool', toolCallId: 'c1', content: 'late result' },
      ];
      assert.deepEqual(toApiMessages(history, { includeReasoning: false }).map((m) => m.role), ['assistant', 'tool', 'user']);
    });

    it('does not take a result from a later turn that reuses the same call id', () => {
      const history: ChatMessage[] = [
        { role: 'assistant', content: '', toolCalls: [call('call_text_0')] },
        { role: 'user', content: 'stopped' },
        { role: 'assistant', content: '', toolCalls: [call('call_text_0')] },
        { role: 'tool', toolCallId: 'call_text_0', content: 'second result' },
      ];
      const api = toApiMessages(history, { includeReasoning: false });
      assert.deepEqual(api[1], { role: 'tool', tool_call_id: 'call_text_0', content: UNANSWERED_TOOL_CALL_RESULT });
      assert.deepEqual(api[4], { role: 'tool', tool_call_id: 'call_text_0', content: 'second result' });
    });

    it('uses each tool message once', () => {
      const history: ChatMessage[] = [
        { role: 'assistant', content: '', toolCalls: [call('dup'), call('dup')] },
        { role: 'tool', toolCallId: 'dup', content: 'only one' },
      ];
      const tools = toApiMessages(history, { includeReasoning: false }).filter((m) => m.role === 'tool');
      assert.deepEqual(tools.map((m) => m.content), ['only one', UNANSWERED_TOOL_CALL_RESULT]);
    });

    it('sends empty arguments as {}', () => {
      const api = toApiMessages([{ role: 'assistant', content: '', toolCalls: [call('c', 'get_open_editors', '')] }], { includeReasoning: false });
      const first = api[0];
      assert.ok(first?.role === 'assistant');
      assert.equal(first.tool_calls?.[0]?.function.arguments, '{}');
    });

    it('every tool message directly follows an assistant message with its call', () => {
      const history: ChatMessage[] = [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: '', toolCalls: [call('x'), call('y')] },
        { role: 'tool', toolCallId: 'y', content: 'Y' },
        { role: 'tool', toolCallId: 'zzz', content: 'orphan' },
        { role: 'assistant', content: '' },
        { role: 'assistant', content: 'ok', toolCalls: [call('z')] },
      ];
      const api = toApiMessages(history, { includeReasoning: false });
      let open: string[] = [];
      for (const m of api) {
        if (m.role === 'assistant') {
          assert.equal(open.length, 0, 'previous calls all answered');
          open = (m.tool_calls ?? []).map((c) => c.id);
        } else if (m.role === 'tool') {
          assert.equal(m.tool_call_id, open.shift());
        } else {
          assert.equal(open.length, 0);
        }
      }
      assert.equal(open.length, 0);
    });
  });

  it('drops assistant messages with neither content nor calls (even with reasoning)', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', reasoning: 'stopped while thinking' },
      { role: 'assistant', content: '  \n' },
      { role: 'user', content: 'q2' },
    ];
    assert.deepEqual(toApiMessages(history, { includeReasoning: true }), [
      { role: 'user', content: 'q' },
      { role: 'user', content: 'q2' },
    ]);
  });
});

describe('historyArguments', () => {
  it('keeps valid object JSON as written, turns empty into {}, and wraps anything else so the history stays valid', () => {
    assert.equal(historyArguments('{"path": "a.ts"}'), '{"path": "a.ts"}');
    assert.equal(historyArguments('  '), '{}');
    assert.deepEqual(JSON.parse(historyArguments('{"path": "a.ts", "content": "x')), { invalid_arguments: '{"path": "a.ts", "content": "x' });
    assert.deepEqual(JSON.parse(historyArguments('[1,2]')), { invalid_arguments: '[1,2]' });
  });
});
