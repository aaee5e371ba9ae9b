/**
 * A whole agent run over HTTP: the model reads, searches, edits, checks diagnostics and answers, and the server sees
 * exactly the history the API requires on every request (each assistant `tool_calls` followed by one tool message
 * per call, reasoning sent back to a thinking model).
 */
import assert from 'node:assert/strict';
import { SYSTEM, apiCall, fileTools, observerLog, useAgentServer, user } from '../../support/agentHarness';

describe('agent loop: a scripted run over the fake server', function () {
  this.timeout(20_000);
  const h = useAgentServer();

  it('read → search → edit → diagnostics → answer, with the exact messages sent each time', async () => {
    const files = new Map([
      ['src/a.ts', 'export const a = 1; // TODO rename'],
      ['src/b.ts', 'import { a } from "./a";'],
    ]);
    h.server.script(
      { kind: 'toolCalls', calls: [{ id: 'call_read', name: 'read_file', arguments: '{"path":"src/a.ts"}' }] },
      { kind: 'toolCalls', content: 'Looking for users of it.', calls: [{ id: 'call_search', name: 'search_text', arguments: '{"query":"a"}' }] },
      {
        kind: 'toolCalls',
        variant: 'indexOnly',
        calls: [{ id: 'call_edit', name: 'edit_file', arguments: '{"path":"src/a.ts","old":" // TODO rename","new":""}' }],
      },
      { kind: 'toolCalls', variant: 'nameThenWholeArgs', calls: [{ id: 'call_diag', name: 'get_diagnostics', arguments: '' }] },
      { kind: 'text', text: 'Removed the TODO from src/a.ts; no problems left.' },
    );
    const { observer, log } = observerLog();
    const result = await h.run({ history: [user('Clean up src/a.ts')], tools: fileTools(files), observer });

    assert.deepEqual(result.stop, { reason: 'done', message: '' });
    assert.equal(files.get('src/a.ts'), 'export const a = 1;');
    const sent = h.sent();
    assert.equal(sent.length, 5);
    const system = { role: 'system', content: SYSTEM };
    const first = [system, { role: 'user', content: 'Clean up src/a.ts' }];
    assert.deepEqual(sent[0], first);
    const afterRead = [
      ...first,
      { role: 'assistant', content: '', tool_calls: [apiCall('call_read', 'read_file', '{"path":"src/a.ts"}')] },
      { role: 'tool', tool_call_id: 'call_read', content: 'export const a = 1; // TODO rename' },
    ];
    assert.deepEqual(sent[1], afterRead);
    const afterSearch = [
      ...afterRead,
      { role: 'assistant', content: 'Looking for users of it.', tool_calls: [apiCall('call_search', 'search_text', '{"query":"a"}')] },
      { role: 'tool', tool_call_id: 'call_search', content: 'src/a.ts\nsrc/b.ts' },
    ];
    assert.deepEqual(sent[2], afterSearch);
    const afterEdit = [
      ...afterSearch,
      { role: 'assistant', content: '', tool_calls: [apiCall('call_edit', 'edit_file', '{"path":"src/a.ts","old":" // TODO rename","new":""}')] },
      { role: 'tool', tool_call_id: 'call_edit', content: 'Edited src/a.ts' },
    ];
    assert.deepEqual(sent[3], afterEdit);
    // A call with no arguments goes back as "{}", never as empty text.
    assert.deepEqual(sent[4], [
      ...afterEdit,
      { role: 'assistant', content: '', tool_calls: [apiCall('call_diag', 'get_diagnostics', '{}')] },
      { role: 'tool', tool_call_id: 'call_diag', content: 'No problems' },
    ]);

    assert.deepEqual(log, [
      'started call_read r0', 'ended call_read r0 ok',
      'started call_search r1', 'ended call_search r1 ok',
      'started call_edit r2', 'ended call_edit r2 ok',
      'started call_diag r3', 'ended call_diag r3 ok',
    ]);
    assert.equal(result.replies.length, 5);
    assert.equal(result.replies[4]?.content, 'Removed the TODO from src/a.ts; no problems left.');
    assert.deepEqual([...result.results.keys()], ['call_read', 'call_search', 'call_edit', 'call_diag']);
    assert.equal(result.results.get('call_edit')?.summary, 'Edited src/a.ts');
    assert.equal(result.spent, undefined, 'no costOf: nothing known about money');
    // What the run appended is the stored form of the same history.
    assert.equal(result.appended.length, 9);
    assert.deepEqual(result.appended[0], { role: 'assistant', content: '', toolCalls: [{ id: 'call_read', name: 'read_file', argumentsText: '{"path":"src/a.ts"}' }] });
    assert.deepEqual(result.appended[1], { role: 'tool', toolCallId: 'call_read', name: 'read_file', content: 'export const a = 1; // TODO rename' });
    assert.deepEqual(result.appended[8], { role: 'assistant', content: 'Removed the TODO from src/a.ts; no problems left.' });
  });

  it('a thinking model gets its reasoning back as reasoning_content, with preserve_thinking', async () => {
    const files = new Map([['a.ts', 'export const a = 1;']]);
    h.server.script(
      { kind: 'toolCalls', reasoning: 'I need to read a.ts first.', calls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }] },
      { kind: 'thinking', reasoning: 'It exports a.', text: 'a.ts exports `a`.' },
    );
    const result = await h.run({
      history: [user('What does a.ts export?')],
      tools: fileTools(files),
      model: 'qwen3.6-plus',
      reply: { preserveThinking: true },
    });

    assert.equal(result.stop.reason, 'done');
    const bodies = h.server.requests.map((r) => r.body as Record<string, unknown>);
    assert.equal(bodies[1]?.['preserve_thinking'], true);
    assert.deepEqual(h.sent()[1]?.slice(2), [
      { role: 'assistant', content: '', reasoning_content: 'I need to read a.ts first.', tool_calls: [apiCall('call_1', 'read_file', '{"path":"a.ts"}')] },
      { role: 'tool', tool_call_id: 'call_1', content: 'export const a = 1;' },
    ]);
    assert.deepEqual(result.appended.at(-1), { role: 'assistant', content: 'a.ts exports `a`.', reasoning: 'It exports a.' });
  });

  it('with thinking off the reasoning is kept in the history but not sent', async () => {
    h.server.script(
      { kind: 'toolCalls', reasoning: 'Stray reasoning.', calls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }] },
      { kind: 'text', text: 'Done.' },
    );
    const result = await h.run({ history: [user('Read a.ts')], tools: fileTools(new Map([['a.ts', 'x']])), model: 'qwen3.6-plus', reply: { thinking: 'off' } });
    assert.deepEqual(h.sent()[1]?.[2], { role: 'assistant', content: '', tool_calls: [apiCall('call_1', 'read_file', '{"path":"a.ts"}')] });
    assert.equal(result.appended[0]?.role === 'assistant' && result.appended[0].reasoning, 'Stray reasoning.');
  });
});
