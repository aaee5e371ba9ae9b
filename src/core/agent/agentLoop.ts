/**
 * The agent loop: ask for a reply, run the tools it calls, send the results back, until a reply calls no tool or a
 * limit says stop. Everything with side effects comes in through `AgentRunOptions` (the reply, the tools, their
 * context), so the loop itself only decides what happens next — and keeps the history valid whatever happens:
 * every call in an assistant message is answered by exactly one tool message right after it.
 */
import type { AssistantTurn, ToolCallRequest } from '../events';
import type { ChatMessage } from '../messages';
import type { ToolResult } from '../tools/types';
import { DEFAULT_REPEATED_FAILURES, FailureStreak, SpendMeter } from './guards';
import { CallIds, assistantMessage, toolMessage } from './replyMessages';
import { NOT_RUN_STOPPED, answerWithout, runCalls } from './runCalls';
import { stops } from './stops';
import type { AgentRunOptions, AgentRunResult, AgentStop } from './types';

export { formatStop } from './stops';

/** The result of a call that was cut by the output limit (its arguments may be incomplete). */
export const NOT_RUN_TRUNCATED: ToolResult = {
  ok: false,
  content:
    'The tool call was not run: the reply reached the output token limit, so its arguments may be cut off. ' +
    'Make the call again with smaller arguments (for example one edit per call).',
  summary: 'Not run: cut by the output limit',
};

/** Used when `limits.maxTurns` is not a number: package.json's default for qwen.tools.maxTurns. */
export const DEFAULT_MAX_TURNS = 25;

export async function runAgent(options: AgentRunOptions): Promise<AgentRunResult> {
  const { history, tools, limits, signal, observer } = options;
  const definitions = tools.map((t) => t.definition);
  // A broken setting (0, NaN) must not mean "no limit": at least one reply, and a cap that always holds.
  const maxTurns = Number.isFinite(limits.maxTurns) ? Math.max(1, Math.floor(limits.maxTurns)) : DEFAULT_MAX_TURNS;
  const appended: ChatMessage[] = [];
  const replies: AssistantTurn[] = [];
  const results = new Map<string, ToolResult>();
  const ids = new CallIds(history);
  const spend = new SpendMeter(limits);
  const streak = new FailureStreak(limits.repeatedFailures ?? DEFAULT_REPEATED_FAILURES);

  const end = (stop: AgentStop): AgentRunResult => {
    const result: AgentRunResult = { appended, replies, results, stop };
    if (spend.spent !== undefined) result.spent = spend.spent;
    const note = spend.uncheckedNote;
    if (note !== undefined) result.spendUnchecked = note;
    return result;
  };

  for (let replyIndex = 0; ; replyIndex++) {
    if (signal.aborted) return end(stops.cancelled(false));
    let turn: AssistantTurn;
    try {
      turn = await options.sendReply({ messages: [...history, ...appended], tools: definitions, replyIndex, signal });
    } catch (e) {
      // Not a failed reply (those come back as `turn.error`) but a request that could not be made, e.g. the
      // builder refusing a setting. What the run did so far (tools already run) must still reach the caller.
      return end(signal.aborted ? stops.cancelled(false) : stops.error(e));
    }
    spend.add(turn);
    const calls = turn.error === undefined ? ids.assign(turn.toolCalls, replyIndex) : [];
    replies.push({ ...turn, toolCalls: calls });
    const message = assistantMessage(turn, calls);
    if (message) appended.push(message);

    if (turn.error !== undefined) {
      const cancelled = turn.error.kind === 'cancelled' || signal.aborted;
      return end(cancelled ? stops.cancelled(false) : stops.error(turn.error));
    }
    if (calls.length === 0) return end(stops.done());

    // Cut arguments are never run: answered as "not run" so the history stays valid and a "continue" can redo them.
    if (turn.finishReason === 'length' || calls.some((c) => c.truncated === true)) {
      for (const call of calls) record(call, answerWithout(call, NOT_RUN_TRUNCATED, observer, replyIndex));
      return end(stops.truncated(calls.length));
    }

    const outcomes = await runCalls({ calls, tools, makeContext: options.makeContext, signal, observer, replyIndex });
    calls.forEach((call, i) => {
      const result = outcomes[i] ?? NOT_RUN_STOPPED; // runCalls answers every call; this only satisfies the index type
      record(call, result);
      streak.record(call, result);
    });

    if (signal.aborted) return end(stops.cancelled(true));
    const runaway = streak.tripped;
    if (runaway) return end(stops.runaway(runaway.call, runaway.result, runaway.count));
    if (spend.capReached && limits.spendCap !== undefined) return end(stops.spendCap(spend.knownSpent, limits.spendCap, spend.unknown));
    if (replyIndex + 1 >= maxTurns) return end(stops.maxTurns(maxTurns));
  }

  function record(call: ToolCallRequest, result: ToolResult): void {
    appended.push(toolMessage(call, result));
    results.set(call.id, result);
  }
}
