/** One message of the transcript: a user bubble, or an assistant answer with reasoning, metrics and errors. */
import type { ChatMessageView } from '../../src/protocol/chat';
import { PART } from '../dom';
import { formatMetrics, secondsLeft } from '../format';
import type { LiveTurn } from '../store';
import { attachmentChip } from './attachments';
import { ErrorCardView } from './errorCard';
import { button, h, part, setDotList, setText, show } from './el';
import { MarkdownStream } from './markdownStream';
import { ReasoningView } from './reasoning';
import { ToolCardView } from './toolCard';

export interface MessageContext {
  /** The live turn when this message is the one streaming. */
  live: LiveTurn | undefined;
  /** The last answer of the conversation gets Regenerate (when nothing is streaming). */
  canRegenerate: boolean;
  now: number;
}

const STATUS_NOTE: Partial<Record<ChatMessageView['status'], string>> = {
  stopped: 'Stopped — the partial answer is kept.',
  interrupted: 'Interrupted — the window closed while this answer streamed; this is what arrived.',
};

export function createMessageView(message: ChatMessageView): MessageView {
  return message.role === 'user' ? new UserMessageView(message) : new AssistantMessageView(message);
}

export interface MessageView {
  readonly el: HTMLElement;
  update(message: ChatMessageView, ctx: MessageContext): void;
  /** Timers only (reasoning clock, countdowns): no new text. */
  tick(now: number): void;
  /** The message left the page (removed, or another conversation opened): stops its rendering. */
  dispose(): void;
}

function messageElement(message: ChatMessageView): HTMLElement {
  return part('article', PART.message, { class: `message ${message.role}`, 'data-role': message.role, 'data-message-id': message.id, 'data-status': message.status });
}

class UserMessageView implements MessageView {
  readonly el: HTMLElement;
  private message: ChatMessageView | undefined;

  constructor(message: ChatMessageView) {
    this.el = messageElement(message);
    this.el.setAttribute('aria-label', 'You');
  }

  update(message: ChatMessageView): void {
    if (message === this.message) return;
    this.message = message;
    this.el.dataset['status'] = message.status;
    const chips = (message.attachments ?? []).map((a) => attachmentChip(a, false));
    // What a /think or /no_think prefix did for this message (the prefix itself is not part of the text).
    const override = message.thinkingOverride
      ? h('div', { class: 'user-note' }, `Thinking ${message.thinkingOverride} for this message`)
      : message.thinkingOverrideNote
        ? h('div', { class: 'user-note' }, message.thinkingOverrideNote)
        : '';
    this.el.replaceChildren(chips.length ? h('div', { class: 'chips' }, ...chips) : '', h('div', { class: 'user-text' }, message.text), override);
  }

  tick(): void {}

  dispose(): void {}
}

class AssistantMessageView implements MessageView {
  readonly el: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly waiting: HTMLElement;
  private readonly retryNote: HTMLElement;
  private readonly statusNote: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly regenerate: HTMLButtonElement;
  private readonly model: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly agentStop: HTMLElement;
  private readonly cards = new Map<string, ToolCardView>();
  private reasoning: ReasoningView | undefined;
  private errorCard: ErrorCardView | undefined;
  private stream: MarkdownStream;
  private message: ChatMessageView;
  private live: LiveTurn | undefined;
  private canRegenerate: boolean | undefined;

  constructor(message: ChatMessageView) {
    this.message = message;
    this.el = messageElement(message);
    this.el.setAttribute('aria-label', 'Qwen');
    this.model = h('span', { class: 'model' });
    this.answer = part('div', PART.answer, { class: 'answer markdown' });
    this.waiting = h('div', { class: 'waiting' }, h('span', { class: 'dots', 'aria-hidden': 'true' }), 'Waiting for Qwen…');
    this.retryNote = part('div', PART.retryCountdown, { class: 'retry-note' });
    this.statusNote = part('div', PART.statusMarker, { class: 'status-note' });
    this.metrics = part('div', PART.metrics, { class: 'metrics' });
    this.tools = h('div', { class: 'tool-calls' });
    this.agentStop = part('div', PART.agentStop, { class: 'agent-stop' });
    this.regenerate = button('Regenerate', { 'data-action': 'regenerate', class: 'link', 'aria-label': 'Regenerate this answer' });
    this.stream = new MarkdownStream(this.answer);
    this.el.append(
      h('div', { class: 'message-header' }, h('span', { class: 'author' }, 'Qwen'), this.model),
      this.waiting,
      this.answer,
      this.tools,
      this.agentStop,
      this.retryNote,
      this.statusNote,
      h('div', { class: 'message-footer' }, this.metrics, this.regenerate),
    );
  }

  update(message: ChatMessageView, ctx: MessageContext): void {
    // the store replaces a message when it changes: the same object needs only its timers
    if (message === this.message && ctx.live === this.live && ctx.canRegenerate === this.canRegenerate) {
      this.tick(ctx.now);
      return;
    }
    this.message = message;
    this.live = ctx.live;
    this.canRegenerate = ctx.canRegenerate;
    this.el.dataset['status'] = message.status;
    this.el.setAttribute('aria-busy', String(message.status === 'streaming'));
    setText(this.model, message.model ?? '');
    this.updateReasoning(message, ctx);
    this.updateAnswer(message);
    show(this.waiting, message.status === 'streaming' && message.text === '' && !message.reasoning && !message.toolCalls?.length);
    this.updateTools(message);
    const note = STATUS_NOTE[message.status];
    show(this.statusNote, note !== undefined);
    setText(this.statusNote, note ?? '');
    this.updateError(message, ctx.now);
    const metrics = message.metrics && message.status !== 'streaming' ? formatMetrics(message.metrics) : '';
    if (metrics === '') setText(this.metrics, '');
    else setDotList(this.metrics, metrics.split(' · '));
    show(this.metrics, metrics !== '');
    show(this.regenerate, ctx.canRegenerate && message.status !== 'streaming' && message.status !== 'error');
    this.tick(ctx.now);
  }

  tick(now: number): void {
    this.reasoning?.update(this.message, this.live, now);
    this.errorCard?.tick(now);
    const retry = this.live?.retry;
    show(this.retryNote, retry !== undefined);
    if (retry) setText(this.retryNote, `${retry.message} Retrying in ${secondsLeft(retry.until, now)} s… (attempt ${retry.attempt})`);
  }

  private updateReasoning(message: ChatMessageView, ctx: MessageContext): void {
    if (!message.reasoning || this.reasoning) return;
    this.reasoning = new ReasoningView();
    this.answer.before(this.reasoning.el);
    this.reasoning.update(message, ctx.live, ctx.now);
  }

  private updateAnswer(message: ChatMessageView): void {
    if (!message.text.startsWith(this.stream.text)) {
      // a different text, not more of the same: start over
      this.stream.cancel();
      this.answer.replaceChildren();
      this.stream = new MarkdownStream(this.answer);
    }
    // After Stop the host's final copy can be longer than what was shown: appending after end() takes the stream
    // up again from its last settled block, so the answer is extended, not rebuilt.
    this.stream.append(message.text.slice(this.stream.text.length));
    if (message.status !== 'streaming') this.stream.end();
  }

  dispose(): void {
    this.stream.cancel();
  }

  private updateTools(message: ChatMessageView): void {
    const calls = message.toolCalls ?? [];
    show(this.tools, calls.length > 0);
    calls.forEach((call, i) => {
      let card = this.cards.get(call.id);
      if (!card) {
        card = new ToolCardView(call.id);
        this.cards.set(call.id, card);
      }
      if (this.tools.children[i] !== card.el) this.tools.insertBefore(card.el, this.tools.children[i] ?? null);
      card.update(call);
    });
    const stop = message.agentStop;
    show(this.agentStop, stop !== undefined);
    if (stop && this.agentStop.dataset['reason'] !== stop.reason) {
      this.agentStop.dataset['reason'] = stop.reason;
      const canContinue = stop.reason === 'maxTurns' || stop.reason === 'spendCap' || stop.reason === 'runaway';
      this.agentStop.replaceChildren(h('p', {}, stop.message), canContinue ? button('Continue', { class: 'secondary', 'data-action': 'continueAgent' }) : '');
    }
  }

  private updateError(message: ChatMessageView, now: number): void {
    if (!message.error) {
      this.errorCard?.el.remove();
      this.errorCard = undefined;
      return;
    }
    if (!this.errorCard) {
      this.errorCard = new ErrorCardView();
      this.statusNote.after(this.errorCard.el);
    }
    this.errorCard.update(message.error, now);
  }
}
