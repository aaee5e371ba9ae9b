/**
 * Runs the calls of one reply and returns one result per call, in call order — always exactly one, whatever
 * happens (a bad call, a throw, Stop), because an unanswered call makes the server refuse the whole history.
 *
 * Order: consecutive `read` calls run together (they only look); a `write` or `command` call waits for everything
 * before it and runs alone, so edits and commands happen in the order the model asked for them and an approval
 * prompt never has a read racing beside it.
 */
import type { ToolCallRequest } from '../events';
import { UNANSWERED_TOOL_CALL_RESULT } from '../messages';
import type { ToolContext, ToolResult, ToolSpec } from '../tools/types';
import { checkCall, type CheckedCall } from './checkCall';
import type { AgentObserver } from './types';

export interface RunCallsOptions {
  calls: readonly ToolCallRequest[];
  tools: readonly ToolSpec[];
  makeContext(callId: string): ToolContext;
  signal: AbortSignal;
  observer?: AgentObserver | undefined;
  replyIndex: number;
}

/** The result of a call that Stop kept from starting. */
export const NOT_RUN_STOPPED: ToolResult = { ok: false, content: UNANSWERED_TOOL_CALL_RESULT, summary: 'Not run: stopped' };

interface Planned {
  call: ToolCallRequest;
  checked: CheckedCall;
}

export async function runCalls(opts: RunCallsOptions): Promise<ToolResult[]> {
  const planned: Planned[] = opts.calls.map((call) => ({ call, checked: checkCall(call, opts.tools) }));
  const results: ToolResult[] = [];
  for (const batch of batches(planned)) {
    results.push(...(await Promise.all(batch.map((p) => runOne(p, opts)))));
  }
  return results;
}

/**
 * Consecutive calls that may run together. A refused call (bad arguments, unknown tool) runs nothing, so it joins
 * whichever batch it falls in.
 */
function batches(planned: readonly Planned[]): Planned[][] {
  const out: Planned[][] = [];
  let reads: Planned[] = [];
  for (const p of planned) {
    const exclusive = p.checked.ok && p.checked.spec.access !== 'read';
    if (!exclusive) {
      reads.push(p);
      continue;
    }
    if (reads.length > 0) out.push(reads);
    reads = [];
    out.push([p]);
  }
  if (reads.length > 0) out.push(reads);
  return out;
}

async function runOne({ call, checked }: Planned, opts: RunCallsOptions): Promise<ToolResult> {
  if (opts.signal.aborted) return answerWithout(call, NOT_RUN_STOPPED, opts.observer, opts.replyIndex);
  opts.observer?.toolCallStarted?.(call, opts.replyIndex);
  const result = checked.ok ? await execute(checked.spec, checked.args, call.id, opts) : checked.result;
  opts.observer?.toolCallEnded?.(call, result, opts.replyIndex);
  return result;
}

async function execute(spec: ToolSpec, args: Record<string, unknown>, callId: string, opts: RunCallsOptions): Promise<ToolResult> {
  try {
    const result = await spec.run(args, contextFor(callId, opts));
    if (typeof result?.content !== 'string') return failed(new Error('it returned no result'));
    // An empty tool message reads as "nothing happened" to some models and is refused by some servers.
    return result.content === '' ? { ...result, content: '(no output)' } : result;
  } catch (e) {
    return opts.signal.aborted ? { ...NOT_RUN_STOPPED, content: 'The tool call was stopped by the user before it finished.', summary: 'Stopped' } : failed(e);
  }
}

function failed(e: unknown): ToolResult {
  const reason = e instanceof Error ? e.message : String(e);
  return { ok: false, content: `The tool failed: ${reason}`, summary: `Failed: ${reason}` };
}

/** The run's Stop must reach the tool even if the chat built the context around another signal. */
function contextFor(callId: string, opts: RunCallsOptions): ToolContext {
  const ctx = opts.makeContext(callId);
  if (ctx.signal === opts.signal) return ctx;
  return { ...ctx, signal: AbortSignal.any([ctx.signal, opts.signal]) };
}

/** Answers a call without running it (Stop, a reply cut by the output limit); the card still appears and ends. */
export function answerWithout(call: ToolCallRequest, result: ToolResult, observer: AgentObserver | undefined, replyIndex: number): ToolResult {
  observer?.toolCallStarted?.(call, replyIndex);
  observer?.toolCallEnded?.(call, result, replyIndex);
  return result;
}
