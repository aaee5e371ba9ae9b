/**
 * One reply with several calls: reads run together, a write waits for everything before it and runs alone, results
 * go back in call order whatever order the tools finished in. Overlap is proven by a barrier (each read waits until
 * the other has started), never by timing.
 */
import assert from 'node:assert/strict';
import type { ToolResult } from '../../../src/core/tools/types';
import { apiCall, observerLog, ok, tool, useAgentServer, user } from '../../support/agentHarness';

/** Resolves when `n` parties have arrived, or reports that they never all did (so a serial run fails, not hangs). */
function barrier(n: number, timeoutMs = 2000): () => Promise<boolean> {
  let arrived = 0;
  let release: (all: boolean) => void = () => undefined;
  const all = new Promise<boolean>((resolve) => (release = resolve));
  const timer = setTimeout(() => release(false), timeoutMs);
  return () => {
    if (++arrived === n) {
      clearTimeout(timer);
      release(true);
    }
    return all;
  };
}

describe('agent loop: which calls run together', function () {
  this.timeout(20_000);
  const h = useAgentServer();

  it('reads overlap, a write waits for them and runs alone, a later read waits for the write', async () => {
    const events: string[] = [];
    let active = 0;
    const arrive = barrier(2);
    const overlapped: boolean[] = [];
    const activeAtWrite: number[] = [];
    const read = tool('read_file', 'read', { path: { type: 'string' } }, ['path'], async (a) => {
      const path = String(a['path']);
      active++;
      events.push(`start ${path}`);
      if (path !== 'd.ts') overlapped.push(await arrive());
      // The second read finishes first: results must still go back in call order.
      if (path === 'a.ts') await new Promise((r) => setTimeout(r, 20));
      events.push(`end ${path}`);
      active--;
      return ok(`text of ${path}`);
    });
    const edit = tool('edit_file', 'write', { path: { type: 'string' } }, ['path'], async (a) => {
      activeAtWrite.push(active);
      events.push('start edit');
      await new Promise((r) => setTimeout(r, 10));
      events.push('end edit');
      return ok(`Edited ${String(a['path'])}`);
    });
    h.server.script(
      {
        kind: 'toolCalls',
        variant: 'indexOnly',
        calls: [
          { id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' },
          { id: 'call_b', name: 'read_file', arguments: '{"path":"b.ts"}' },
          { id: 'call_e', name: 'edit_file', arguments: '{"path":"c.ts"}' },
          { id: 'call_d', name: 'read_file', arguments: '{"path":"d.ts"}' },
        ],
      },
      { kind: 'text', text: 'Done.' },
    );
    const { observer, log } = observerLog();
    const result = await h.run({ history: [user('Go')], tools: [read, edit], observer });

    assert.equal(result.stop.reason, 'done');
    assert.deepEqual(overlapped, [true, true], 'both reads were running at the same time');
    assert.deepEqual(events, ['start a.ts', 'start b.ts', 'end b.ts', 'end a.ts', 'start edit', 'end edit', 'start d.ts', 'end d.ts']);
    assert.deepEqual(activeAtWrite, [0], 'nothing else ran during the write');
    assert.deepEqual(log, [
      'started call_a r0', 'started call_b r0', 'ended call_b r0 ok', 'ended call_a r0 ok',
      'started call_e r0', 'ended call_e r0 ok',
      'started call_d r0', 'ended call_d r0 ok',
    ]);
    assert.deepEqual(h.sent()[1]?.slice(2), [
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          apiCall('call_a', 'read_file', '{"path":"a.ts"}'),
          apiCall('call_b', 'read_file', '{"path":"b.ts"}'),
          apiCall('call_e', 'edit_file', '{"path":"c.ts"}'),
          apiCall('call_d', 'read_file', '{"path":"d.ts"}'),
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'text of a.ts' },
      { role: 'tool', tool_call_id: 'call_b', content: 'text of b.ts' },
      { role: 'tool', tool_call_id: 'call_e', content: 'Edited c.ts' },
      { role: 'tool', tool_call_id: 'call_d', content: 'text of d.ts' },
    ]);
  });

  it('two writes run one after the other, in the order asked, and a throwing tool becomes a tool error', async () => {
    const order: string[] = [];
    let active = 0;
    const write = (name: string, outcome: () => ToolResult) =>
      tool(name, 'write', {}, [], async () => {
        assert.equal(active, 0, `${name} ran alone`);
        active++;
        order.push(name);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return outcome();
      });
    const command = tool('run_command', 'command', { command: { type: 'string' } }, ['command'], () => Promise.reject(new Error('spawn ENOENT')));
    h.server.script(
      {
        kind: 'toolCalls',
        calls: [
          { id: 'call_1', name: 'second_write', arguments: '{}' },
          { id: 'call_2', name: 'run_command', arguments: '{"command":"make"}' },
          { id: 'call_3', name: 'first_write', arguments: '{}' },
        ],
      },
      { kind: 'text', text: 'Done.' },
    );
    const result = await h.run({
      history: [user('Go')],
      tools: [write('first_write', () => ok('one')), write('second_write', () => ok('two')), command],
    });

    assert.deepEqual(order, ['second_write', 'first_write']);
    assert.deepEqual(result.results.get('call_2'), { ok: false, content: 'The tool failed: spawn ENOENT', summary: 'Failed: spawn ENOENT' });
    assert.deepEqual(
      h.sent()[1]?.slice(3).map((m) => [m['tool_call_id'], m['content']]),
      [['call_1', 'two'], ['call_2', 'The tool failed: spawn ENOENT'], ['call_3', 'one']],
    );
  });
});
