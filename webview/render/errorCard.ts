/**
 * A failed request as a card in the conversation: what went wrong and the buttons that fix it. A rate limit with a
 * wait counts down, and its Retry waits too (still focusable, so the keyboard finds it and hears why it waits).
 */
import type { ErrorView } from '../../src/protocol/chat';
import { PART } from '../dom';
import { secondsLeft } from '../format';
import { button, h, part, setText, show } from './el';

let cards = 0;

export class ErrorCardView {
  readonly el: HTMLElement;
  private readonly countdown: HTMLElement;
  private error: ErrorView | undefined;
  private retry: HTMLButtonElement | undefined;

  constructor() {
    this.countdown = part('span', PART.retryCountdown, { class: 'countdown', id: `qwen-countdown-${++cards}` });
    this.el = part('div', PART.errorCard, { class: 'error-card' });
  }

  update(error: ErrorView, now: number): void {
    if (error !== this.error) {
      this.error = error;
      const actions = h('div', { class: 'actions' });
      this.retry = undefined;
      for (const action of error.actions) {
        const b = button(action.label, { 'data-action': action.id, class: action.id === 'retry' || action.id === 'setApiKey' ? 'primary' : 'secondary' });
        if (action.id === 'retry') this.retry = b;
        actions.append(b);
      }
      this.el.replaceChildren(h('p', { class: 'error-message' }, h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '⚠'), ' ', error.message), this.countdown, actions);
    }
    this.tick(now);
  }

  tick(now: number): void {
    const retryAt = this.error?.retryAt;
    show(this.countdown, retryAt !== undefined);
    const left = retryAt === undefined ? 0 : secondsLeft(retryAt, now);
    if (retryAt !== undefined) setText(this.countdown, left > 0 ? `You can retry in ${left} s.` : 'You can retry now.');
    if (this.retry) waiting(this.retry, left > 0, this.countdown.id);
  }
}

/** aria-disabled rather than disabled: the button stays in the Tab order, described by the countdown. */
function waiting(b: HTMLButtonElement, wait: boolean, describedBy: string): void {
  if (wait === (b.getAttribute('aria-disabled') === 'true')) return;
  if (wait) {
    b.setAttribute('aria-disabled', 'true');
    b.setAttribute('aria-describedby', describedBy);
  } else {
    b.removeAttribute('aria-disabled');
    b.removeAttribute('aria-describedby');
  }
}
