/**
 * The model's reasoning: a <details> above the answer, open and growing while the model thinks, with a running
 * timer and token estimate in its summary; it closes once when the answer starts (the user can reopen it). Plain
 * text (appended, never re-rendered), never mixed into the answer. While it grows the box shows its newest lines,
 * unless the user scrolled up in it to read.
 */
import type { ChatMessageView } from '../../src/protocol/chat';
import { PART } from '../dom';
import { estimateTokens, formatCount, formatSeconds } from '../format';
import type { LiveTurn } from '../store';
import { h, part, setText } from './el';

/** Within this many pixels of the bottom the box counts as following the text. */
const FOLLOW_SLACK_PX = 8;

export class ReasoningView {
  readonly el: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLElement;
  private readonly text: Text;
  private shown = '';
  private collapsedForAnswer = false;
  private wasLive = false;
  private follow = true;

  constructor() {
    this.summary = part('summary', PART.reasoningSummary);
    this.text = document.createTextNode('');
    this.body = h('div', { class: 'reasoning-text' }, this.text);
    this.el = part('details', PART.reasoning, { class: 'reasoning' }, this.summary, this.body);
    // Growing text never scrolls the box by itself, so only the user's scrolling (or ours, to the bottom) lands here.
    this.body.addEventListener('scroll', () => {
      this.follow = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight <= FOLLOW_SLACK_PX;
    });
  }

  update(message: ChatMessageView, live: LiveTurn | undefined, now: number): void {
    const reasoning = message.reasoning ?? '';
    const grew = reasoning !== this.shown;
    if (reasoning.startsWith(this.shown)) this.text.appendData(reasoning.slice(this.shown.length));
    else this.text.data = reasoning;
    this.shown = reasoning;

    const thinking = live !== undefined && message.text === '' && message.status === 'streaming';
    if (thinking && !this.wasLive) this.el.open = true;
    this.wasLive = this.wasLive || thinking;
    if (message.text !== '' && this.wasLive && !this.collapsedForAnswer) {
      this.collapsedForAnswer = true;
      this.el.open = false;
    }
    if (grew && this.follow && this.el.open && live !== undefined) this.body.scrollTop = this.body.scrollHeight;
    setText(this.summary, summaryText(message, live, now));
  }
}

/** "Thinking… 4.2 s · ~310 tokens" while it thinks, "Thought for 12 s · 310 tokens" after. */
export function summaryText(message: ChatMessageView, live: LiveTurn | undefined, now: number): string {
  const reasoning = message.reasoning ?? '';
  const exact = message.metrics?.reasoningTokens;
  const tokens = exact !== undefined && exact > 0 && !live ? `${formatCount(exact)} tokens` : `~${formatCount(estimateTokens(reasoning))} tokens`;
  if (live && message.status === 'streaming') {
    const start = live.reasoningStartedAt ?? live.startedAt;
    if (live.answerStartedAt === undefined && message.text === '') return `Thinking… ${formatSeconds(now - start)} · ${tokens}`;
    return `Thought for ${formatSeconds((live.answerStartedAt ?? now) - start)} · ${tokens}`;
  }
  return message.reasoningMs !== undefined ? `Thought for ${formatSeconds(message.reasoningMs)} · ${tokens}` : `Thoughts · ${tokens}`;
}
