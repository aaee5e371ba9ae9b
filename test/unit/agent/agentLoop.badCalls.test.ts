/**
 * Calls the loop must not run — cut JSON, a made-up tool, a missing or mistyped parameter, a reply cut by the output
 * limit — go back to the model as tool errors it can read, and the model's next reply corrects itself.
 */
import assert from 'node:assert/strict';
import { apiCall, fileTools, observerLog, useAgentServer, user } from '../../support/agentHarness';

describe('agent loop: bad calls become tool errors', function () {
  this.timeout(20_000);
  const h = useAgentServer();

  it('bad JSON, an unknown tool, a missing and a mistyped parameter: none run, the model reads why and retries', async () => {
    const files = new Map([['a.ts', 'export const a = 1;']]);
    let runs = 0;
    const tools = fileTools(files).map((t) => ({ ...t, run: (...args: Parameters<typeof t.run>) => (runs++, t.run(...args)) }));
    h.server.script(
      {
        kind: 'toolCalls',
        calls: [
          { id: 'call_json', name: 'read_file', arguments: '{"path": "a.ts"' },
          { id: 'call_name', name: 'read_files', arguments: '{"path":"a.ts"}' },
          { id: 'call_missing', name: 'read_file', arguments: '{}' },
          { id: 'call_type', name: 'read_file', arguments: '{"path": 5}' },
        ],
      },
      { kind: 'toolCalls', calls: [{ id: 'call_ok', name: 'read_file', arguments: '{"path":"a.ts"}' }] },
      { kind: 'text', text: 'a.ts exports a.' },
    );
    const { observer, log } = observerLog();
    const result = await h.run({ history: [user('Read a.ts')], tools, observer });

    assert.equal(result.stop.reason, 'done');
    assert.equal(runs, 1, 'only the corrected call ran');
    const second = h.sent()[1] ?? [];
    assert.deepEqual(second[2], {
      role: 'assistant',
      content: '',
      tool_calls: [
        // Bad JSON is wrapped so the server accepts the history; the model still sees what it wrote.
        apiCall('call_json', 'read_file', JSON.stringify({ invalid_arguments: '{"path": "a.ts"' })),
        apiCall('call_name', 'read_files', '{"path":"a.ts"}'),
        apiCall('call_missing', 'read_file', '{}'),
        apiCall('call_type', 'read_file', '{"path": 5}'),
      ],
    });
    const answers = second.slice(3);
    assert.deepEqual(answers.map((m) => m['tool_call_id']), ['call_json', 'call_name', 'call_missing', 'call_type']);
    const text = answers.map((m) => String(m['content']));
    assert.match(text[0] ?? '', /^The tool call arguments are not valid JSON \(.+\)\. Send the call again/);
    assert.equal(
      text[1],
      'There is no tool named "read_files". The available tools are: read_file, search_text, edit_file, get_diagnostics. Call one of them by its exact name.',
    );
    assert.equal(
      text[2],
      'The arguments of read_file are not valid: the required parameter "path" is missing. Its parameters are path (string, required). Send the call again with corrected arguments.',
    );
    assert.equal(
      text[3],
      'The arguments of read_file are not valid: "path" must be a string, not an integer. Its parameters are path (string, required). Send the call again with corrected arguments.',
    );
    assert.deepEqual(h.sent()[2]?.slice(-1), [{ role: 'tool', tool_call_id: 'call_ok', content: 'export const a = 1;' }]);
    assert.equal(log.filter((l) => l.endsWith('error')).length, 4, 'every refused call still had its card');
    assert.equal(result.results.get('call_name')?.summary, 'Unknown tool "read_files"');
  });

  it('a reply cut by the output limit runs nothing, stops `truncated`, and "continue" goes on from a valid history', async () => {
    const files = new Map([['a.ts', 'old']]);
    h.server.script({
      kind: 'toolCalls',
      finishReason: 'length',
      calls: [
        { id: 'call_read', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { id: 'call_edit', name: 'edit_file', arguments: '{"path":"a.ts","old":"old","new":"ne' },
      ],
    });
    const { observer, log } = observerLog();
    const first = await h.run({ history: [user('Edit a.ts')], tools: fileTools(files), observer });

    assert.equal(first.stop.reason, 'truncated');
    assert.match(first.stop.message, /output limit in the middle of 2 tool calls, so nothing of it was run\. Raise qwen\.maxOutputTokens/);
    assert.equal(files.get('a.ts'), 'old');
    assert.deepEqual(log, ['started call_read r0', 'ended call_read r0 error', 'started call_edit r0', 'ended call_edit r0 error']);
    assert.deepEqual(first.appended.slice(1).map((m) => m.role === 'tool' && m.toolCallId), ['call_read', 'call_edit']);
    assert.match(first.results.get('call_edit')?.content ?? '', /^The tool call was not run: the reply reached the output token limit/);

    h.server.script(
      { kind: 'toolCalls', calls: [{ id: 'call_edit2', name: 'edit_file', arguments: '{"path":"a.ts","old":"old","new":"new"}' }] },
      { kind: 'text', text: 'Edited.' },
    );
    const history = [user('Edit a.ts'), ...first.appended, user('continue')];
    const second = await h.run({ history, tools: fileTools(files) });
    assert.equal(second.stop.reason, 'done', second.stop.message);
    assert.equal(files.get('a.ts'), 'new');
    // The server (which rejects unanswered calls and orphan results) accepted the history with the cut calls.
    assert.equal(h.server.requests.length, 3);
  });

  it('a reply that fails mid-stream keeps its text, not its calls, and stops with the error', async () => {
    h.server.script({ kind: 'cut', afterText: 'Let me look' });
    const result = await h.run({ history: [user('Hi')], tools: fileTools(new Map()) });
    assert.equal(result.stop.reason, 'error');
    assert.match(result.stop.message, /^The reply failed: The connection to .* was cut mid-answer/);
    assert.deepEqual(result.appended, [{ role: 'assistant', content: 'Let me look' }]);
    assert.equal(result.replies[0]?.partial, true);
  });

  it('an HTTP error before any output appends nothing', async () => {
    h.server.script({ kind: 'http', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error', code: 'invalid_parameter_error' } } });
    const result = await h.run({ history: [user('Hi')], tools: fileTools(new Map()) });
    assert.equal(result.stop.reason, 'error');
    assert.deepEqual(result.appended, []);
    assert.equal(result.replies.length, 1);
  });
});
