/**
 * `run_command`'s process: a shell in its own process group, so a timeout or the user's Stop kills everything the
 * command started (`npm test` → node → workers), not only the shell. No `vscode` import: the unit tests run it in
 * plain Node (test/unit/commandRunner.test.ts).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CappedOutput, commandEnv } from '../core/tools/commandOutput';
import type { CommandResult } from '../core/tools/port';

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  outputCapBytes: number;
  signal: AbortSignal;
  /** Filtered by `commandEnv` (no API keys). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * How long the pipes may stay open after the shell exited: a background job (`server &`) holding stdout would
 * otherwise keep the call waiting until its timeout. After this the process group is killed: a job the model left
 * running on our pipes would print into nothing. (One that redirected its output, `nohup x >log &`, is left alone.)
 */
const AFTER_EXIT_MS = 300;
/** After that kill, how long to wait for the pipes to close before giving up on them. */
const GIVE_UP_MS = 2000;

/** Never rejects: a command that cannot start is `exitCode: null` with the reason as its output. */
export function runShellCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const cap = new CappedOutput(options.outputCapBytes);
  let timedOut = false;
  let cancelled = options.signal.aborted;
  const finish = (exitCode: number | null, note?: string): CommandResult => {
    if (note) cap.push(new TextEncoder().encode(note));
    return { exitCode, ...cap.result(), timedOut, cancelled, durationMs: Math.round(performance.now() - started) };
  };
  if (cancelled) return Promise.resolve(finish(null));

  return new Promise<CommandResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, {
        shell: true,
        cwd: options.cwd,
        // its own process group (POSIX), so that kill(-pid) reaches the shell's children too
        detached: process.platform !== 'win32',
        env: commandEnv(options.env ?? process.env),
        stdio: ['ignore', 'pipe', 'pipe'], // stdin closed: a command waiting for input ends instead of hanging
        windowsHide: true,
      });
    } catch (e) {
      resolve(finish(null, `Could not start the command: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const settle = (result: CommandResult): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const kill = (): void => killTree(child);
    const onAbort = (): void => {
      cancelled = true;
      kill();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(() => {
        timedOut = true;
        kill();
      }, Math.max(0, options.timeoutMs)),
    );
    child.stdout?.on('data', (d: Buffer) => cap.push(d));
    child.stderr?.on('data', (d: Buffer) => cap.push(d));
    child.on('error', (e) => {
      // spawn failures (missing cwd, no shell) come here; a failed kill too, after which 'close' still follows
      if (child.pid === undefined) settle(finish(null, `Could not start the command in ${options.cwd}: ${e.message}`));
    });
    child.on('exit', (code) => {
      // kill background jobs still holding the pipes: what they wrote is still read, then the pipes close
      timers.push(setTimeout(kill, AFTER_EXIT_MS));
      // a process that left the group (setsid) can hold them for ever: stop reading after a while
      timers.push(
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          settle(finish(code));
        }, AFTER_EXIT_MS + GIVE_UP_MS),
      );
    });
    child.on('close', (code) => settle(finish(code)));
  });
}

/** SIGKILL to the whole process group; on Windows `taskkill /T` (the tree), since there are no groups. */
export function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', () => child.kill());
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already (ESRCH), or it was never ours: fall back to the shell itself
    child.kill('SIGKILL');
  }
}
