/**
 * The agent's part of a saved message: its tool-call cards (with what went back to the model, so the history can be
 * rebuilt after a reload) and the note of a run stopped by a limit. Checked like the rest of a saved chat: a card
 * that cannot be read is left out and reported, never thrown.
 */
import type { AgentStopView, ChatMessageView, ToolCallStatus, ToolCallView } from '../../protocol/chat';

const CALL_STATUSES: ReadonlySet<unknown> = new Set<ToolCallStatus>(['queued', 'awaitingApproval', 'running', 'done', 'failed', 'denied', 'cancelled']);
const STOP_REASONS: ReadonlySet<unknown> = new Set<AgentStopView['reason']>(['maxTurns', 'spendCap', 'runaway', 'truncated', 'spendUnchecked']);
/** Not finished: in a message that is not streaming any more (a window closed mid-run), such a card was cut short. */
const UNFINISHED: ReadonlySet<ToolCallStatus> = new Set(['queued', 'awaitingApproval', 'running']);

type Fields = Record<string, unknown>;
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adds the saved `toolCalls` and `agentStop` of `v` to `m`; what cannot be read goes into `repairs`. */
export function parseAgentParts(v: Fields, m: ChatMessageView, repairs: string[]): void {
  if ('toolCalls' in v) {
    const list = Array.isArray(v['toolCalls']) ? v['toolCalls'] : (repairs.push("a message's tool calls"), []);
    const calls = list.flatMap((c: unknown) => {
      const call = parseToolCall(c);
      if (!call) repairs.push('a tool call');
      return call ? [call] : [];
    });
    if (calls.length > 0) m.toolCalls = calls;
  }
  if ('agentStop' in v) {
    const stop = v['agentStop'];
    if (isRecord(stop) && STOP_REASONS.has(stop['reason']) && typeof stop['message'] === 'string') {
      m.agentStop = { reason: stop['reason'] as AgentStopView['reason'], message: stop['message'] };
    } else {
      repairs.push("a message's agent note");
    }
  }
}

function parseToolCall(v: unknown): ToolCallView | undefined {
  if (!isRecord(v) || typeof v['id'] !== 'string' || v['id'] === '' || typeof v['name'] !== 'string' || typeof v['argumentsText'] !== 'string' || !CALL_STATUSES.has(v['status'])) {
    return undefined;
  }
  const call: ToolCallView = { id: v['id'], name: v['name'], argumentsText: v['argumentsText'], status: v['status'] as ToolCallStatus };
  for (const key of ['subject', 'summary', 'result'] as const) {
    const value = v[key];
    if (typeof value === 'string') call[key] = value;
  }
  const paths = v['paths'];
  if (Array.isArray(paths) && paths.every((p) => typeof p === 'string')) call.paths = paths;
  // A question is only ever asked live: a saved one is not waiting for anyone.
  return call;
}

/** The cards of a message cut short (interrupted): the ones that had not finished show as cancelled. */
export function settleCutCards(m: ChatMessageView): ChatMessageView {
  if (!m.toolCalls?.some((c) => UNFINISHED.has(c.status))) return m;
  return {
    ...m,
    toolCalls: m.toolCalls.map((c) => {
      if (!UNFINISHED.has(c.status)) return c;
      const { approval: _question, ...rest } = c;
      return { ...rest, status: 'cancelled', summary: 'Not finished: the window closed during the run.' };
    }),
  };
}
