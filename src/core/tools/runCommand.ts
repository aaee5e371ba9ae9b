/** run_command: a shell command the user approved, in a workspace folder, with a timeout and an output cap. */
import type { CommandResult } from './port';
import type { ToolSpec } from './types';
import { denied, fail, formatBytes } from './common';
import { resolveWorkspacePath } from './paths';
import { optionalString } from './validate';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function describe(result: CommandResult, timeoutMs: number): { content: string; summary: string } {
  const took = formatDuration(result.durationMs);
  const status = result.cancelled
    ? 'Cancelled by the user (the command was killed)'
    : result.timedOut
      ? `Timed out after ${formatDuration(timeoutMs)} (the command was killed)`
      : result.exitCode === null
        ? 'Ended by a signal (no exit code)'
        : `Exit code ${result.exitCode}`;
  const lines = [`${status}, after ${took}.`];
  if (result.truncated) lines.push(`[Output was ${formatBytes(result.droppedBytes)} too long: the middle was dropped; the start and the end are shown.]`);
  lines.push(result.output.trim() === '' ? '(no output)' : `Output:\n${result.output.replace(/\s+$/, '')}`);
  const summary = result.cancelled
    ? `cancelled after ${took}`
    : result.timedOut
      ? `timed out after ${took}`
      : `exit ${result.exitCode ?? 'signal'} in ${took}`;
  return { content: lines.join('\n'), summary };
}

export const runCommandTool: ToolSpec = {
  access: 'command',
  definition: {
    name: 'run_command',
    description:
      'Run a shell command (e.g. tests, a build, git status) in a workspace folder and get its exit code and ' +
      'output (stdout and stderr together). The user approves each command. Not interactive: no input can be ' +
      'given, so pass flags such as --yes or --no-pager. Long-running commands are killed at the timeout.',
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command line, run by the system shell.' },
        cwd: { type: 'string', description: 'Directory relative to the workspace root. Default: the root.' },
      },
      required: ['command'],
    },
  },
  async run(args, ctx) {
    const command = String(args.command);
    if (command.trim() === '') return fail('The command is empty.', 'Empty command');
    const resolved = await resolveWorkspacePath(ctx.port, optionalString(args, 'cwd') ?? '.', { mustExist: true, allowRoot: true });
    if (!resolved.ok) return fail(resolved.error, 'cwd refused');
    const { path: cwd, relativePath: relativeCwd, stat } = resolved;
    if (stat?.type !== 'directory') return fail(`cwd ${relativeCwd} is not a directory.`, 'cwd refused', [relativeCwd]);
    const decision = await ctx.approve({ kind: 'command', tool: 'run_command', callId: ctx.callId, command, cwd, relativeCwd });
    if (!decision.approved) return denied(decision, `running \`${command}\``);
    if (ctx.signal.aborted) return fail('Cancelled before the command started.', 'Cancelled');
    const result = await ctx.port.runCommand(command, {
      cwd,
      timeoutMs: ctx.limits.commandTimeoutMs,
      outputCapBytes: ctx.limits.commandOutputCapBytes,
      signal: ctx.signal,
    });
    const { content, summary } = describe(result, ctx.limits.commandTimeoutMs);
    const ok = result.exitCode === 0 && !result.timedOut && !result.cancelled;
    return { ok, content, summary };
  },
};
