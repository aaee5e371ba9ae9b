import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CappedOutput, commandEnv, trimIncompleteEnd, trimIncompleteStart } from '../../src/core/tools/commandOutput';
import { minimalChange } from '../../src/core/tools/textChange';
import { runShellCommand } from '../../src/vscode/commandRunner';
import { isRunning } from '../support/processes';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('run_command output cap', () => {
  it('keeps everything under the cap, decoded as one text', () => {
    const cap = new CappedOutput(100);
    for (const part of ['héllo ', 'wörld', '\n']) cap.push(bytes(part));
    assert.deepEqual(cap.result(), { output: 'héllo wörld\n', truncated: false, droppedBytes: 0 });
  });

  it('keeps the head and the tail with a marker saying how much was dropped', () => {
    const cap = new CappedOutput(10);
    for (let i = 0; i < 100; i++) cap.push(bytes(String(i % 10)));
    const r = cap.result();
    assert.equal(r.truncated, true);
    assert.equal(r.droppedBytes, 90);
    assert.equal(r.output, '01234\n[… 90 bytes of output omitted …]\n56789');
  });

  it('one chunk bigger than the cap: head and tail of it', () => {
    const cap = new CappedOutput(4);
    cap.push(bytes('abcdefghij'));
    assert.equal(cap.result().output, 'ab\n[… 6 bytes of output omitted …]\nij');
  });

  it('never shows half a character at a cut', () => {
    assert.deepEqual([...trimIncompleteEnd(bytes('aé').subarray(0, 2))], [...bytes('a')]);
    assert.deepEqual([...trimIncompleteEnd(bytes('aé'))], [...bytes('aé')]);
    assert.deepEqual([...trimIncompleteStart(bytes('€b').subarray(1))], [...bytes('b')]);
    const cap = new CappedOutput(8);
    cap.push(bytes('€€€€€€')); // 18 bytes, the cuts fall inside characters
    const r = cap.result();
    assert.ok(!r.output.includes('\uFFFD'), r.output);
    assert.equal(r.output, '€\n[… 12 bytes of output omitted …]\n€');
    assert.equal(r.droppedBytes, 12);
  });

  it('a zero cap keeps nothing but says what was dropped', () => {
    const cap = new CappedOutput(0);
    cap.push(bytes('abc'));
    assert.deepEqual(cap.result(), { output: '\n[… 3 bytes of output omitted …]\n', truncated: true, droppedBytes: 3 });
  });
});

describe('run_command environment', () => {
  it('drops DASHSCOPE_API_KEY and every *_API_KEY, keeps the rest', () => {
    const env = commandEnv({ PATH: '/bin', DASHSCOPE_API_KEY: 'sk-1', OPENAI_API_KEY: 'sk-2', openai_apikey: 'x', GITHUB_TOKEN: 'g', HOME: undefined, KEYBOARD: 'us' });
    assert.deepEqual(env, { PATH: '/bin', GITHUB_TOKEN: 'g', KEYBOARD: 'us' });
  });
});

describe('minimal text change', () => {
  const apply = (before: string, after: string) => {
    const c = minimalChange(before, after);
    return before.slice(0, c.start) + c.text + before.slice(c.end);
  };

  it('replaces only what changed', () => {
    assert.deepEqual(minimalChange('abcXdef', 'abcYYdef'), { start: 3, end: 4, text: 'YY' });
    assert.deepEqual(minimalChange('same', 'same'), { start: 4, end: 4, text: '' });
    assert.deepEqual(minimalChange('', 'new'), { start: 0, end: 0, text: 'new' });
    assert.deepEqual(minimalChange('aaa', 'aa'), { start: 2, end: 3, text: '' });
  });

  it('never cuts a surrogate pair or a CRLF', () => {
    const c1 = minimalChange('x😀y', 'x😃y'); // same high surrogate
    assert.deepEqual([c1.start, c1.end], [1, 3]);
    for (const [b, a] of [['a\r\nb', 'a\r\r\nb'], ['a\nb', 'a\r\nb'], ['😀😀', '😀😃'], ['ab', 'a😀b'], ['x\r\n', 'x\r\n\r\n']] as const) {
      assert.equal(apply(b, a), a, JSON.stringify([b, a]));
      const c = minimalChange(b, a);
      for (const at of [c.start, c.end]) assert.notEqual(b.slice(at - 1, at + 1), '\r\n', `${JSON.stringify([b, a])} cut at ${at}`);
    }
  });
});

const posix = process.platform !== 'win32';
const alive = isRunning;

describe('runShellCommand', function () {
  this.timeout(15_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'qwen-run-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (command: string, more: { timeoutMs?: number; outputCapBytes?: number; signal?: AbortSignal; env?: Record<string, string | undefined> } = {}) =>
    runShellCommand(command, { cwd: dir, timeoutMs: more.timeoutMs ?? 10_000, outputCapBytes: more.outputCapBytes ?? 10_000, signal: more.signal ?? new AbortController().signal, ...(more.env && { env: more.env }) });

  it('returns stdout and stderr interleaved, the exit code and the time it took', async () => {
    const r = await run('echo one; echo two >&2; sleep 0.05; echo three; exit 3');
    assert.equal(r.exitCode, 3);
    assert.equal(r.output, 'one\ntwo\nthree\n');
    assert.equal(r.timedOut || r.cancelled || r.truncated, false);
    assert.ok(r.durationMs >= 40 && r.durationMs < 5000, String(r.durationMs));
  });

  it('runs in cwd without the API keys of our environment', async () => {
    const r = await run('pwd; echo "key=${DASHSCOPE_API_KEY:-none} other=${OPENAI_API_KEY:-none} path=${PATH:+set}"', {
      env: { ...process.env, DASHSCOPE_API_KEY: 'sk-secret', OPENAI_API_KEY: 'sk-other' },
    });
    assert.equal(r.output, `${dir}\nkey=none other=none path=set\n`);
  });

  it('caps the output', async () => {
    const r = await run('seq 1 100000', { outputCapBytes: 100 });
    assert.equal(r.truncated, true);
    assert.ok(r.output.startsWith('1\n2\n'), r.output);
    assert.ok(r.output.endsWith('99999\n100000\n'), r.output);
    assert.equal(r.exitCode, 0);
  });

  it('reads all the output of a command that printed a lot just before it exited', async () => {
    const r = await run("head -c 3000000 /dev/zero | tr '\\0' a", { outputCapBytes: 4_000_000 });
    assert.equal(r.exitCode, 0);
    assert.equal(r.output.length, 3_000_000);
    assert.equal(r.truncated, false);
  });

  (posix ? it : it.skip)('a process that left the group does not keep the call waiting for ever', async () => {
    const r = await run('setsid sleep 5 & echo done', { timeoutMs: 10_000 });
    assert.equal(r.output, 'done\n');
    assert.ok(r.durationMs < 4000, String(r.durationMs));
  });

  it('a command that cannot start resolves with the reason', async () => {
    const r = await runShellCommand('echo hi', { cwd: join(dir, 'missing'), timeoutMs: 5000, outputCapBytes: 1000, signal: new AbortController().signal });
    assert.equal(r.exitCode, null);
    assert.match(r.output, /Could not start the command/);
  });

  it('an already aborted signal runs nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await run(`touch ${join(dir, 'ran')}`, { signal: ac.signal });
    assert.equal(r.cancelled, true);
    assert.throws(() => readFileSync(join(dir, 'ran')));
  });

  (posix ? it : it.skip)('Stop kills the whole process group', async () => {
    const ac = new AbortController();
    const pidFile = join(dir, 'pids');
    const pending = run(`sleep 30 & echo $! > ${pidFile}; sleep 30 & echo $! >> ${pidFile}; echo started; wait`, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 300));
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    assert.equal(pids.length, 2);
    assert.ok(pids.every(alive));
    ac.abort();
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
    assert.equal(r.output, 'started\n');
    assert.ok(r.durationMs < 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(pids.filter(alive), []);
  });

  (posix ? it : it.skip)('the timeout kills the group and says so', async () => {
    const r = await run('echo before; sleep 30', { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.cancelled, false);
    assert.equal(r.output, 'before\n');
    assert.ok(r.durationMs >= 290 && r.durationMs < 5000, String(r.durationMs));
  });

  (posix ? it : it.skip)('a background job holding the output does not keep the call waiting', async () => {
    const pidFile = join(dir, 'bg');
    const r = await run(`sleep 30 & echo $! > ${pidFile}; echo done`);
    assert.equal(r.exitCode, 0);
    assert.equal(r.output, 'done\n');
    assert.ok(r.durationMs < 3000, String(r.durationMs));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false);
  });
});
