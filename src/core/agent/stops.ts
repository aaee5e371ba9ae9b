/**
 * Why a run ended, in the user's words, each with how to go on. One place, so the chat, the tests and any later
 * surface say the same thing.
 */
import type { ToolCallRequest } from '../events';
import type { ToolResult } from '../tools/types';
import { formatMoney } from './guards';
import type { AgentStop, AgentStopReason } from './types';

export const stops = {
  done: (): AgentStop => ({ reason: 'done', message: '' }),

  cancelled: (duringTools: boolean): AgentStop => ({
    reason: 'cancelled',
    message: duringTools
      ? 'Stopped by you while tools were running; calls that had not started were not run. Send a message to go on.'
      : 'Stopped by you. Send a message to go on.',
  }),

  error: (error: unknown): AgentStop => {
    const text = error instanceof Error ? error.message : String(error);
    return { reason: 'error', message: `The reply failed: ${text} Retry, or send “continue” to go on from here.` };
  },

  truncated: (calls: number): AgentStop => ({
    reason: 'truncated',
    message:
      `The reply hit the output limit in the middle of ${calls === 1 ? 'a tool call' : `${calls} tool calls`}, so nothing of it was run. ` +
      'Raise qwen.maxOutputTokens, or ask for smaller steps (for example one edit per call), then send “continue”.',
  }),

  maxTurns: (maxTurns: number): AgentStop => ({
    reason: 'maxTurns',
    message:
      `Stopped after ${maxTurns} model ${maxTurns === 1 ? 'reply' : 'replies'} (qwen.tools.maxTurns) while the model still wanted to use tools. ` +
      `Send “continue” to let it take ${maxTurns} more, or raise qwen.tools.maxTurns.`,
  }),

  spendCap: (spent: number, cap: number, lowerBound: boolean): AgentStop => ({
    reason: 'spendCap',
    message:
      `Stopped: this run has spent ${lowerBound ? 'at least ' : ''}${formatMoney(spent)}, reaching the spend cap of ${formatMoney(cap)}. ` +
      'Send “continue” to allow another run, or raise the cap.',
  }),

  runaway: (call: ToolCallRequest, result: ToolResult, count: number): AgentStop => ({
    reason: 'runaway',
    message:
      `Stopped: the model called ${call.name} with the same arguments ${count} times in a row and it failed each time ` +
      `(${result.summary}). Change the request or fix the cause, then send a message to go on.`,
  }),
};

const LABELS: Record<AgentStopReason, string> = {
  done: 'Done',
  cancelled: 'Stopped',
  maxTurns: 'Turn limit reached',
  spendCap: 'Spend cap reached',
  runaway: 'Stopped a loop',
  error: 'Reply failed',
  truncated: 'Reply cut off',
};

/** One short line for the end of a run in the transcript ("Turn limit reached — Stopped after …"); '' when done. */
export function formatStop(stop: AgentStop): string {
  if (stop.reason === 'done') return '';
  return stop.message === '' ? LABELS[stop.reason] : `${LABELS[stop.reason]} — ${stop.message}`;
}
