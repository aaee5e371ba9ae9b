/**
 * The conversation as a `role="log"`: one retained view per message id, updated in place so a streaming answer
 * only appends. Follows the bottom while the user is there; scrolling up stops the following.
 */
import type { ConversationView } from '../../src/protocol/chat';
import { PART } from '../dom';
import type { LiveTurn } from '../store';
import { h, part, show } from './el';
import { createMessageView, type MessageView } from './message';

export class TranscriptView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private views = new Map<string, MessageView>();
  private conversationId: string | undefined;
  private stickToBottom = true;

  constructor() {
    this.empty = h('div', { class: 'empty' }, h('p', {}, 'Ask Qwen about your code. Type @ to add a file, @selection or @problems as context; with a folder open Qwen can read, search and (with your approval) edit it.'));
    this.list = h('div', { class: 'messages' });
    this.el = part('div', PART.transcript, { class: 'transcript', role: 'log', 'aria-live': 'off', 'aria-label': 'Conversation', tabindex: '0' }, this.empty, this.list);
    this.el.addEventListener('scroll', () => {
      this.stickToBottom = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 40;
    });
    // Markdown lands a frame after the state does: follow the list's growth rather than the updates.
    new ResizeObserver(() => this.followBottom()).observe(this.list);
  }

  update(conversation: ConversationView, live: LiveTurn | undefined, busy: boolean, now: number): void {
    if (conversation.id !== this.conversationId) {
      this.conversationId = conversation.id;
      for (const view of this.views.values()) view.dispose();
      this.views.clear();
      this.list.replaceChildren();
      this.stickToBottom = true;
    }
    const messages = conversation.messages;
    const lastAssistant = messages.length > 0 && messages[messages.length - 1]!.role === 'assistant' ? messages[messages.length - 1]!.id : undefined;
    const seen = new Set<string>();
    let previous: Element | null = null;
    for (const message of messages) {
      seen.add(message.id);
      let view = this.views.get(message.id);
      if (!view) {
        view = createMessageView(message);
        this.views.set(message.id, view);
      }
      const expected: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== view.el) {
        if (previous) previous.after(view.el);
        else this.list.prepend(view.el);
      }
      view.update(message, { live: live?.messageId === message.id ? live : undefined, canRegenerate: message.id === lastAssistant && !busy, now });
      previous = view.el;
    }
    for (const [id, view] of this.views) {
      if (!seen.has(id)) {
        view.dispose();
        view.el.remove();
        this.views.delete(id);
      }
    }
    show(this.empty, messages.length === 0);
    this.followBottom();
  }

  tick(now: number): void {
    for (const view of this.views.values()) view.tick(now);
  }

  /** Keeps the newest text in view after the DOM grew, unless the user scrolled up to read. */
  followBottom(): void {
    if (this.stickToBottom) this.el.scrollTop = this.el.scrollHeight;
  }
}
