// run_command through the node port: real shells, real process groups. A timeout or Stop must leave no process
// of the command behind, background children included.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rig } from './harness';
import { runInProcessGroup, tempWorkspace } from '../../support/nodeWorkspace';
import { isRunning } from '../../support/processes';


async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

const pidsIn = (path: string) => readFileSync(path, 'utf8').split(/\s+/).filter(Boolean).map(Number);

describe('tools: run_command', function () {
  this.timeout(20_000);
  const t = tempWorkspace({ ws: { 'sub/marker.txt': 'm' } });
  const root = t.roots[0] ?? '';
  after(() => t.cleanup());

  it('asks, runs in the folder, and reports exit code and interleaved output', async () => {
    const r = rig(t.ws);
    const res = await r.call('run_command', { command: 'echo out; echo err 1>&2; ls' , cwd: 'sub' });
    assert.deepEqual(r.approvals, [{ kind: 'command', tool: 'run_command', callId: 'call-1', command: 'echo out; echo err 1>&2; ls', cwd: join(root, 'sub'), relativeCwd: 'sub' }]);
    assert.equal(res.ok, true);
    assert.match(res.content, /^Exit code 0, after \d+ ms\.\nOutput:\n/);
    for (const line of ['out', 'err', 'marker.txt']) assert.match(res.content, new RegExp(`\\n${line}(\\n|$)`));
    assert.match(res.summary, /^exit 0 in \d+ ms$/);
  });

  it('a failing command is a result with its exit code, not a crash', async () => {
    const res = await rig(t.ws).call('run_command', { command: 'echo failing; exit 3' });
    assert.equal(res.ok, false);
    assert.match(res.content, /^Exit code 3, after .*\nOutput:\nfailing$/);
    assert.match(res.summary, /^exit 3 in /);
  });

  it('a denial runs nothing and carries the reason', async () => {
    const r = rig(t.ws);
    r.decide = () => ({ approved: false, reason: 'no network please' });
    const res = await r.call('run_command', { command: 'touch ran.txt' });
    assert.equal(res.denied, true);
    assert.equal(res.content, 'The user did not allow running `touch ran.txt`. Their reason: no network please');
    assert.equal(existsSync(join(root, 'ran.txt')), false);
  });

  it('refuses a cwd outside the workspace or not a directory, before asking', async () => {
    const r = rig(t.ws);
    assert.match((await r.call('run_command', { command: 'ls', cwd: '..' })).content, /outside the workspace folder/);
    assert.match((await r.call('run_command', { command: 'ls', cwd: 'sub/marker.txt' })).content, /not a directory/);
    assert.equal(r.approvals.length, 0);
  });

  it('a timeout kills the whole process group, background children included', async () => {
    const pidFile = join(root, 'timeout-pids');
    const r = rig(t.ws, { commandTimeoutMs: 700 });
    const started = Date.now();
    const res = await r.call('run_command', { command: `sleep 30 & echo $! > ${pidFile}; sleep 30 & echo $! >> ${pidFile}; echo started; wait` });
    assert.ok(Date.now() - started < 5000, 'returned soon after the timeout');
    assert.equal(res.ok, false);
    assert.match(res.content, /^Timed out after 700 ms \(the command was killed\), after .*\nOutput:\nstarted$/);
    assert.match(res.summary, /^timed out after /);
    const pids = pidsIn(pidFile);
    assert.equal(pids.length, 2);
    assert.ok(await waitFor(() => pids.every((p) => !isRunning(p)), 2000), `still running: ${pids.filter(isRunning)}`);
  });

  it('Stop (the abort signal) kills the group and says it was cancelled', async () => {
    const pidFile = join(root, 'cancel-pids');
    const r = rig(t.ws);
    const running = r.call('run_command', { command: `sleep 30 & echo $! > ${pidFile}; sh -c 'sleep 30' & echo $! >> ${pidFile}; wait` });
    assert.ok(await waitFor(() => existsSync(pidFile) && pidsIn(pidFile).length === 2, 5000));
    const pids = pidsIn(pidFile);
    assert.ok(pids.every(isRunning));
    r.abort.abort();
    const res = await running;
    assert.equal(res.ok, false);
    assert.match(res.content, /^Cancelled by the user \(the command was killed\)/);
    assert.ok(await waitFor(() => pids.every((p) => !isRunning(p)), 2000), `still running: ${pids.filter(isRunning)}`);
  });

  it('background children left running when the command exits are killed too', async () => {
    const pidFile = join(root, 'leftover-pids');
    const res = await rig(t.ws).call('run_command', { command: `sleep 30 & echo $! > ${pidFile}; echo done` });
    assert.match(res.content, /^Exit code 0/);
    const pids = pidsIn(pidFile);
    assert.ok(await waitFor(() => pids.every((p) => !isRunning(p)), 2000));
  });

  it('caps the output keeping its head and tail, and says how much was dropped', async () => {
    const res = await rig(t.ws, { commandOutputCapBytes: 1000 }).call('run_command', { command: 'echo FIRST; seq 1 20000; echo LAST' });
    assert.equal(res.ok, true);
    assert.match(res.content, /\[Output was [\d.]+ KB too long: the middle was dropped; the start and the end are shown\.\]/);
    assert.match(res.content, /Output:\nFIRST\n1\n2\n/);
    assert.match(res.content, /\n19999\n20000\nLAST$/);
    assert.match(res.content, /\n\[… \d+ bytes dropped …\]\n/);
    assert.ok(res.content.length < 1300, String(res.content.length));
  });

  it('the port never rejects: a missing cwd and an already aborted signal are results', async () => {
    const gone = await runInProcessGroup('echo hi', { cwd: join(root, 'no-such-dir'), timeoutMs: 5000, outputCapBytes: 1000, signal: new AbortController().signal });
    assert.notEqual(gone.exitCode, 0);
    const aborted = AbortSignal.abort();
    const res = await runInProcessGroup('sleep 5', { cwd: root, timeoutMs: 5000, outputCapBytes: 1000, signal: aborted });
    assert.equal(res.cancelled, true);
    assert.ok(res.durationMs < 2000);
  });
});
