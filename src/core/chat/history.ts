/**
 * The stored conversation as the model reads it: prompts with their attached context as fenced blocks, answers
 * with their reasoning (the request builder decides whether reasoning is sent).
 */
import type { AttachmentView, ChatMessageView } from '../../protocol/chat';
import { UNANSWERED_TOOL_CALL_RESULT, type ChatMessage } from '../messages';

/**
 * The messages to send for a turn (the new assistant message is not among `messages`). Two kinds of exchange are
 * left out, prompt and answer: one whose answer produced nothing (no key, refused, stopped before output) never
 * happened for the model, so a prompt sent again after fixing the key is not sent twice; and one that content
 * inspection flagged, because sending it again would fail the same way (its card says so).
 */
export function historyFor(messages: readonly ChatMessageView[]): ChatMessage[] {
  return historyParts(messages).flat();
}

/**
 * `historyFor`, one entry per chat message: what that message becomes for the model (empty when it is left out).
 * A compaction covers the history messages of the chat messages up to its `throughMessageId`.
 */
export function historyParts(messages: readonly ChatMessageView[]): ChatMessage[][] {
  return messages.map((m, i) => {
    if (m.role === 'user') {
      const answer = messages[i + 1];
      if (answer?.role === 'assistant' && isLeftOut(answer)) return [];
      return [{ role: 'user', content: promptWithContext(m.text, m.attachments ?? []) }];
    }
    return isLeftOut(m) ? [] : answerMessages(m);
  });
}

/** An answer, and after it one tool message per call it made (a call never run gets the unanswered result). */
function answerMessages(m: ChatMessageView): ChatMessage[] {
  const answer: Extract<ChatMessage, { role: 'assistant' }> = { role: 'assistant', content: m.text };
  if (m.reasoning) answer.reasoning = m.reasoning;
  const calls = m.toolCalls ?? [];
  if (calls.length === 0) return [answer];
  answer.toolCalls = calls.map((c) => ({ id: c.id, name: c.name, argumentsText: c.argumentsText }));
  const results: ChatMessage[] = calls.map((c) => ({ role: 'tool', toolCallId: c.id, name: c.name, content: c.result ?? UNANSWERED_TOOL_CALL_RESULT }));
  return [answer, ...results];
}

function isLeftOut(m: ChatMessageView): boolean {
  if (m.error?.kind === 'contentInspection') return true;
  return m.status !== 'done' && m.text.trim() === '' && !m.reasoning && !m.toolCalls?.length;
}

/** Attached context first (what the question is about), then the question. */
export function promptWithContext(prompt: string, attachments: readonly AttachmentView[]): string {
  if (attachments.length === 0) return prompt;
  return [...attachments.map(contextBlock), prompt].join('\n\n');
}

export function contextBlock(a: AttachmentView): string {
  const where = [a.language, a.startLine !== undefined ? lineRange(a.startLine, a.endLine) : undefined].filter(Boolean).join(', ');
  const heading = `Context from \`${a.label}\`${where ? ` (${where})` : ''}${a.truncated ? ', cut to fit' : ''}:`;
  const fence = fenceFor(a.text);
  return `${heading}\n${fence}${a.language ?? ''}\n${a.text}\n${fence}`;
}

function lineRange(start: number, end: number | undefined): string {
  return end === undefined || end === start ? `line ${start}` : `lines ${start}-${end}`;
}

/** A fence longer than any backtick run in the text, so attached markdown cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}
