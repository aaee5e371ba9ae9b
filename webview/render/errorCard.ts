/** A failed request as a card in the conversation: what went wrong and the buttons that fix it. */
import type { ErrorView } from '../../src/protocol/chat';
import { PART } from '../dom';
import { secondsLeft } from '../format';
import { button, h, part, setText, show } from './el';

export class ErrorCardView {
  readonly el: HTMLElement;
  private readonly countdown: HTMLElement;
  private error: ErrorView | undefined;

  constructor() {
    this.countdown = part('span', PART.retryCountdown, { class: 'countdown' });
    this.el = part('div', PART.errorCard, { class: 'error-card' });
  }

  update(error: ErrorView, now: number): void {
    if (error !== this.error) {
      this.error = error;
      const actions = h('div', { class: 'actions' });
      for (const action of error.actions) {
        actions.append(button(action.label, { 'data-action': action.id, class: action.id === 'retry' || action.id === 'setApiKey' ? 'primary' : 'secondary' }));
      }
      this.el.replaceChildren(h('p', { class: 'error-message' }, h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '⚠'), ' ', error.message), this.countdown, actions);
    }
    this.tick(now);
  }

  tick(now: number): void {
    const retryAt = this.error?.retryAt;
    show(this.countdown, retryAt !== undefined);
    if (retryAt === undefined) return;
    const left = secondsLeft(retryAt, now);
    setText(this.countdown, left > 0 ? `You can retry in ${left} s.` : 'You can retry now.');
  }
}
