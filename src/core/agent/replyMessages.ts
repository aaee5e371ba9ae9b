/**
 * A reply becomes history: the assistant message with every call of the reply, then one tool message per call.
 *
 * Call ids must be unique in the history the server reads: the accumulator names recovered text calls
 * `call_text_<n>` per reply (and native calls without an id `call_native_<n>`), so a second reply of the run, or an
 * earlier run in the same chat, would reuse them. A colliding id is renamed once, here, and the new id is the one
 * used everywhere after: the assistant message, the tool message, `results`, the observer and the tool context.
 */
import type { AssistantTurn, ToolCallRequest } from '../events';
import type { ChatMessage } from '../messages';
import type { ToolResult } from '../tools/types';

export class CallIds {
  private readonly used = new Set<string>();

  constructor(history: readonly ChatMessage[]) {
    for (const m of history) {
      if (m.role === 'assistant') for (const c of m.toolCalls ?? []) this.used.add(c.id);
      if (m.role === 'tool') this.used.add(m.toolCallId);
    }
  }

  /** The reply's calls with ids unique in the run and its history (unchanged when they already are). */
  assign(calls: readonly ToolCallRequest[], replyIndex: number): ToolCallRequest[] {
    return calls.map((call) => {
      const id = this.unique(call.id.trim() === '' ? `call_${replyIndex}_${call.index}` : call.id, replyIndex);
      this.used.add(id);
      return id === call.id ? call : { ...call, id };
    });
  }

  private unique(id: string, replyIndex: number): string {
    if (!this.used.has(id)) return id;
    const base = `${id}_r${replyIndex}`;
    if (!this.used.has(base)) return base;
    for (let n = 2; ; n++) if (!this.used.has(`${base}_${n}`)) return `${base}_${n}`;
  }
}

/**
 * The assistant message of a reply. `reasoning` is kept so later requests can send it back as `reasoning_content`
 * (whether they do is the request builder's choice). A failed reply keeps its text but never its calls: they may be
 * half received, and an unanswered or broken call would make the history unacceptable.
 */
export function assistantMessage(turn: AssistantTurn, calls: readonly ToolCallRequest[]): ChatMessage | undefined {
  const message: Extract<ChatMessage, { role: 'assistant' }> = { role: 'assistant', content: turn.content };
  if (turn.reasoning !== '') message.reasoning = turn.reasoning;
  if (turn.error === undefined && calls.length > 0) {
    message.toolCalls = calls.map((c) => ({ id: c.id, name: c.name, argumentsText: c.argumentsText }));
  }
  // A reply stopped before any output leaves nothing worth keeping.
  if (message.content.trim() === '' && message.reasoning === undefined && message.toolCalls === undefined) return undefined;
  return message;
}

export function toolMessage(call: ToolCallRequest, result: ToolResult): ChatMessage {
  return { role: 'tool', toolCallId: call.id, name: call.name, content: result.content };
}
