/**
 * Calls the model wrote as text (qwen3-coder's `<function=…>` form in the content, or a call inside the reasoning)
 * are run like native ones. Their generated ids (`call_text_<n>`, per reply) are renamed when they would collide
 * with an id already in the history, consistently in the assistant message and its tool message.
 */
import assert from 'node:assert/strict';
import { apiCall, fileTools, observerLog, useAgentServer, user } from '../../support/agentHarness';

const textCall = (path: string) => `<function=read_file><parameter=path>${path}</parameter></function>`;

describe('agent loop: tool calls written as text', function () {
  this.timeout(20_000);
  const h = useAgentServer();
  const files = () => new Map([['a.ts', 'A'], ['b.ts', 'B']]);

  it('runs a call found in the content, and renames the next reply’s colliding call_text_0', async () => {
    h.server.script(
      { kind: 'text', text: `Let me read it.\n${textCall('a.ts')}` },
      { kind: 'text', text: textCall('b.ts') },
      { kind: 'text', text: 'A and B.' },
    );
    const { observer, log, calls } = observerLog();
    const result = await h.run({ history: [user('Read a.ts and b.ts')], tools: fileTools(files()), observer });

    assert.equal(result.stop.reason, 'done');
    assert.deepEqual(calls.map((c) => [c.id, c.source, c.arguments]), [
      ['call_text_0', 'text', { path: 'a.ts' }],
      ['call_text_0_r1', 'text', { path: 'b.ts' }],
    ]);
    assert.deepEqual(log, ['started call_text_0 r0', 'ended call_text_0 r0 ok', 'started call_text_0_r1 r1', 'ended call_text_0_r1 r1 ok']);
    const sent = h.sent()[2]?.slice(2);
    assert.deepEqual(sent, [
      { role: 'assistant', content: 'Let me read it.\n', tool_calls: [apiCall('call_text_0', 'read_file', '{"path":"a.ts"}')] },
      { role: 'tool', tool_call_id: 'call_text_0', content: 'A' },
      { role: 'assistant', content: '', tool_calls: [apiCall('call_text_0_r1', 'read_file', '{"path":"b.ts"}')] },
      { role: 'tool', tool_call_id: 'call_text_0_r1', content: 'B' },
    ]);
    assert.deepEqual(result.replies.map((r) => r.toolCalls.map((c) => c.id)), [['call_text_0'], ['call_text_0_r1'], []]);
    assert.deepEqual([...result.results.keys()], ['call_text_0', 'call_text_0_r1']);

    // A later run in the same chat: its first call_text_0 collides with the history's.
    h.server.requests.length = 0;
    h.server.script({ kind: 'text', text: textCall('a.ts') }, { kind: 'text', text: 'Still A.' });
    const history = [user('Read a.ts and b.ts'), ...result.appended, user('And again?')];
    const again = await h.run({ history, tools: fileTools(files()) });
    assert.equal(again.stop.reason, 'done');
    assert.deepEqual(again.appended[0], { role: 'assistant', content: '', toolCalls: [{ id: 'call_text_0_r0', name: 'read_file', argumentsText: '{"path":"a.ts"}' }] });
    assert.deepEqual(again.appended[1], { role: 'tool', toolCallId: 'call_text_0_r0', name: 'read_file', content: 'A' });
  });

  it('runs a call a thinking model wrote into its reasoning', async () => {
    h.server.script(
      { kind: 'thinking', reasoning: `I will read the file.\n<tool_call>\n${textCall('a.ts')}\n</tool_call>`, text: '' },
      { kind: 'thinking', reasoning: 'Got it.', text: 'It contains A.' },
    );
    const result = await h.run({ history: [user('What is in a.ts?')], tools: fileTools(files()), model: 'qwen3.6-plus' });
    assert.equal(result.stop.reason, 'done');
    assert.equal(result.replies[0]?.toolCalls[0]?.source, 'reasoning');
    assert.deepEqual(result.appended[1], { role: 'tool', toolCallId: 'call_text_0', name: 'read_file', content: 'A' });
    assert.equal(result.appended.at(-1)?.content, 'It contains A.');
  });
});
