/**
 * What stops a run that would not stop by itself: the turn cap, the spend cap (and what happens when prices are
 * unknown), and the same failing call again and again. Each stop leaves a history the server accepts.
 */
import assert from 'node:assert/strict';
import type { Usage } from '../../../src/core/events';
import type { Scenario } from '../../fakes/scenarios';
import { fileTools, useAgentServer, user } from '../../support/agentHarness';

const readCall = (id: string, path = 'a.ts'): Extract<Scenario, { kind: 'toolCalls' }> => ({ kind: 'toolCalls', calls: [{ id, name: 'read_file', arguments: JSON.stringify({ path }) }] });

describe('agent loop: limits', function () {
  this.timeout(20_000);
  const h = useAgentServer();
  const files = () => new Map([['a.ts', 'export const a = 1;']]);

  it('stops at qwen.tools.maxTurns while the model still wants tools, with every call of the last reply answered', async () => {
    h.server.script(readCall('call_1'), readCall('call_2'), readCall('call_3'));
    const result = await h.run({ history: [user('Loop')], tools: fileTools(files()), limits: { maxTurns: 3 } });

    assert.equal(result.stop.reason, 'maxTurns');
    assert.equal(
      result.stop.message,
      'Stopped after 3 model replies (qwen.tools.maxTurns) while the model still wanted to use tools. ' +
        'Send “continue” to let it take 3 more, or raise qwen.tools.maxTurns.',
    );
    assert.equal(h.server.requests.length, 3);
    assert.deepEqual(result.appended.at(-1), { role: 'tool', toolCallId: 'call_3', name: 'read_file', content: 'export const a = 1;' });
    assert.deepEqual([...result.results.keys()], ['call_1', 'call_2', 'call_3']);
  });

  it('a final answer on the last allowed turn is `done`, not a cap', async () => {
    h.server.script(readCall('call_1'), { kind: 'text', text: 'Answer.' });
    const result = await h.run({ history: [user('Go')], tools: fileTools(files()), limits: { maxTurns: 2 } });
    assert.equal(result.stop.reason, 'done');
  });

  it('stops before the next request once the spend reaches the cap', async () => {
    // 1 money unit per 1000 completion tokens; each reply reports 400.
    const costs: number[] = [];
    const costOf = (u: Usage) => {
      costs.push(u.completionTokens / 1000);
      return u.completionTokens / 1000;
    };
    const usage = { completionTokens: 400, promptTokens: 100 };
    h.server.script({ ...readCall('call_1'), usage }, { ...readCall('call_2'), usage }, { ...readCall('call_3'), usage });
    const result = await h.run({ history: [user('Go')], tools: fileTools(files()), limits: { spendCap: 1, costOf } });

    assert.equal(result.stop.reason, 'spendCap');
    assert.equal(h.server.requests.length, 3, 'the third reply (0.4 + 0.4 + 0.4 ≥ 1) was the last');
    assert.deepEqual(costs, [0.4, 0.4, 0.4]);
    assert.ok(Math.abs((result.spent ?? 0) - 1.2) < 1e-9, String(result.spent));
    assert.match(result.stop.message, /^Stopped: this run has spent 1\.20, reaching the spend cap of 1\.00\. Send “continue”/);
    assert.equal(result.spendUnchecked, undefined);
    assert.equal(result.appended.at(-1)?.role, 'tool', 'the last reply’s call was still answered');
  });

  it('unknown prices: the cap is not enforced, `spent` is absent and `spendUnchecked` says so', async () => {
    h.server.script(readCall('call_1'), { kind: 'text', text: 'Done.' });
    const result = await h.run({ history: [user('Go')], tools: fileTools(files()), limits: { spendCap: 0.001, costOf: () => undefined } });
    assert.equal(result.stop.reason, 'done');
    assert.equal(result.spent, undefined);
    assert.equal(
      result.spendUnchecked,
      'The spend cap (0.0010) could not be checked for any reply: the cost is unknown (no price for this model and region, or the server reported no token usage).',
    );
  });

  it('partly unknown prices: the known part still stops the run, said to be a lower bound', async () => {
    let n = 0;
    const costOf = () => (n++ === 0 ? undefined : 5);
    h.server.script(readCall('call_1'), readCall('call_2'));
    const result = await h.run({ history: [user('Go')], tools: fileTools(files()), limits: { spendCap: 5, costOf } });
    assert.equal(result.stop.reason, 'spendCap');
    assert.equal(h.server.requests.length, 2);
    assert.match(result.stop.message, /spent at least 5\.00, reaching the spend cap of 5\.00/);
    assert.equal(result.spent, undefined);
    assert.match(result.spendUnchecked ?? '', /could not be checked for 1 of 2 replies/);
  });

  it('the same call failing 3 times in a row stops the run as a loop', async () => {
    h.server.script(readCall('call_1', 'missing.ts'), readCall('call_2', 'missing.ts'), readCall('call_3', 'missing.ts'));
    const result = await h.run({ history: [user('Read missing.ts')], tools: fileTools(files()) });
    assert.equal(result.stop.reason, 'runaway');
    assert.equal(
      result.stop.message,
      'Stopped: the model called read_file with the same arguments 3 times in a row and it failed each time (No file missing.ts). ' +
        'Change the request or fix the cause, then send a message to go on.',
    );
    assert.equal(h.server.requests.length, 3);
  });

  it('a success or a different failing call in between starts the count again; `repeatedFailures` sets the limit', async () => {
    h.server.script(
      readCall('call_1', 'missing.ts'),
      readCall('call_2', 'missing.ts'),
      readCall('call_3', 'a.ts'),
      readCall('call_4', 'missing.ts'),
      readCall('call_5', 'other.ts'),
      readCall('call_6', 'missing.ts'),
      { kind: 'text', text: 'Gave up.' },
    );
    const result = await h.run({ history: [user('Go')], tools: fileTools(files()), limits: { repeatedFailures: 2 } });
    assert.equal(result.stop.reason, 'runaway', 'two in a row (call_1, call_2) trips a limit of 2');
    assert.equal(h.server.requests.length, 2);
    h.server.unusedScenarios();

    h.server.requests.length = 0;
    h.server.script(
      readCall('call_1', 'missing.ts'),
      readCall('call_2', 'a.ts'),
      readCall('call_3', 'missing.ts'),
      readCall('call_4', 'other.ts'),
      readCall('call_5', 'missing.ts'),
      { kind: 'text', text: 'Gave up.' },
    );
    const again = await h.run({ history: [user('Go')], tools: fileTools(files()), limits: { repeatedFailures: 2 } });
    assert.equal(again.stop.reason, 'done');
    assert.equal(h.server.requests.length, 6);
  });
});
