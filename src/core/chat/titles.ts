/**
 * A chat's title from a fast model, after its first answer: a non-streaming side call with thinking off
 * (`buildSideRequest`) to qwen-flash. Only on Model Studio, where qwen-flash exists and costs a fraction of a cent;
 * a local or custom server keeps the title made from the prompt (an extra request there would load the user's own
 * machine for a cosmetic result). A title the user set, or one already replaced, is never touched; any failure
 * keeps the prompt's title and is only logged.
 */
import type { ConversationView } from '../../protocol/chat';
import { isDashScope, resolveBaseUrl } from '../endpoints';
import { buildSideRequest } from '../requestBuilder';
import { openClient } from './client';
import { titleFromPrompt } from './conversationStore';
import type { CompactOptions } from './compaction';

export const TITLE_MODEL = 'qwen-flash';
const MAX_TITLE = 60;


/** Whether the conversation still has the title its first prompt gave it, after exactly one answered prompt. */
export function wantsTitle(conversation: ConversationView): boolean {
  const users = conversation.messages.filter((m) => m.role === 'user');
  const first = users[0];
  return users.length === 1 && first !== undefined && conversation.title === titleFromPrompt(first.text);
}

/** The suggested title, or undefined (not Model Studio, the call failed, or the answer was no usable title). */
export async function suggestTitle(o: Omit<CompactOptions, 'signal'>): Promise<string | undefined> {
  const settings = o.host.readSettings();
  const endpoint = resolveBaseUrl(settings);
  if (!endpoint.ok || !isDashScope(endpoint.baseUrl)) return undefined;
  const user = o.conversation.messages.find((m) => m.role === 'user');
  const answer = o.conversation.messages.find((m) => m.role === 'assistant' && m.status === 'done');
  if (!user || !answer) return undefined;

  const opened = await openClient({ host: o.host, settings: { ...settings, model: TITLE_MODEL }, requestId: o.requestId, ...(o.client && { client: o.client }) });
  if ('failed' in opened) return undefined;
  const body = buildSideRequest({
    model: TITLE_MODEL,
    system: 'You name chats between a developer and a coding assistant. Reply with a title of at most six words, no quotes, no final period.',
    messages: [{ role: 'user', content: `Prompt:\n${cut(user.text, 1500)}\n\nStart of the answer:\n${cut(answer.text, 800)}` }],
    maxOutputTokens: 24,
  });
  const turn = await opened.client.complete(body);
  if (turn.error) {
    o.host.log(`[${o.requestId}] no title from ${TITLE_MODEL}: ${opened.mask(turn.error.message)}`);
    return undefined;
  }
  return cleanTitle(turn.content);
}

/** The first line, without a `Title:` label, quotes, markdown emphasis or a final period; undefined when empty. */
export function cleanTitle(text: string): string | undefined {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  const clean = line
    .replace(/^title\s*:\s*/i, '')
    .replace(/^[#*_"'“”‘’`\s]+|[*_"'“”‘’`\s]+$/g, '')
    .replace(/[.。]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '') return undefined;
  return clean.length <= MAX_TITLE ? clean : `${clean.slice(0, MAX_TITLE - 1).trimEnd()}…`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
