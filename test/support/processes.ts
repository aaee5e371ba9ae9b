import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is still running. A killed process whose parent is gone can stay a zombie where PID 1 does not reap
 * (containers, CI sandboxes): it answers `kill(pid, 0)` but runs nothing, so on Linux its state in /proc decides.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}
