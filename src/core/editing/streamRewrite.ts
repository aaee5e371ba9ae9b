/**
 * One streamed request for an editor action (a rewrite of the selection, a new test file): the prompt pair in, the
 * model's text out as it grows, and at the end either the whole text or why there is none. No tools, no chat: the
 * caller turns the text into code (`parseRewrite`) and shows it as a diff.
 */
import type { OpenClientOptions } from '../chat/client';
import { openClient } from '../chat/client';
import type { Usage } from '../events';
import type { PromptPair } from './prompts';

export interface RewriteProgress {
  text: string;
  reasoning: string;
}

export type RewriteRun =
  | {
      ok: true;
      text: string;
      /** The reply hit the output limit: the code may be cut. */
      truncated: boolean;
      usage?: Usage;
    }
  | {
      ok: false;
      /** For the user: the error card's sentence (key masked), or that it was cancelled. */
      message: string;
      cancelled: boolean;
      /** What arrived before it failed. */
      partial: string;
    };

export interface RewriteRunOptions extends OpenClientOptions {
  prompt: PromptPair;
  signal: AbortSignal;
  /** The text so far, after each piece. */
  onProgress?(progress: RewriteProgress): void;
}

export async function streamRewrite(o: RewriteRunOptions): Promise<RewriteRun> {
  const now = o.host.now ?? Date.now;
  const opened = await openClient(o);
  if ('failed' in opened) return { ok: false, message: opened.failed.message, cancelled: false, partial: '' };
  const body = opened.build({ system: o.prompt.system, messages: [{ role: 'user', content: o.prompt.user }] });
  if ('failed' in body) return { ok: false, message: body.failed.message, cancelled: false, partial: '' };
  const events = opened.client.stream(body.body, { signal: o.signal, toolNames: [] });
  let text = '';
  let reasoning = '';
  for (;;) {
    const next = await events.next();
    if (next.done) {
      const turn = next.value;
      if (turn.error) {
        const cancelled = turn.error.kind === 'cancelled';
        return { ok: false, cancelled, partial: text, message: cancelled ? 'Cancelled.' : opened.card(turn.error, now()).message };
      }
      return { ok: true, text: turn.content, truncated: turn.finishReason === 'length', ...(turn.usage && { usage: turn.usage }) };
    }
    const event = next.value;
    if (event.type === 'content') text += event.text;
    else if (event.type === 'reasoning') reasoning += event.text;
    else continue;
    o.onProgress?.({ text, reasoning });
  }
}
