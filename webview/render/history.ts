/** The conversation list: open, rename inline, delete after an inline confirmation (webviews have no confirm()). */
import type { ConversationSummary } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { button, h, part, show } from './el';

export class HistoryView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private conversations: ConversationSummary[] | undefined;
  private currentId: string | undefined;
  private editing: string | undefined;
  private confirming: string | undefined;

  constructor(private readonly post: (m: WebviewToHost) => void, private readonly close: () => void) {
    this.list = h('ul', { class: 'history-list' });
    this.empty = h('p', { class: 'subtle' }, 'No conversations yet.');
    this.el = part('section', PART.history, { class: 'history', id: 'qwen-history', 'aria-label': 'Chat history' }, h('h2', {}, 'History'), this.empty, this.list);
    this.el.hidden = true;
    this.list.addEventListener('click', (e) => this.onClick(e));
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  update(open: boolean, conversations: ConversationSummary[], currentId: string): void {
    show(this.el, open);
    if (!open) {
      this.editing = undefined;
      this.confirming = undefined;
    }
    if (conversations === this.conversations && currentId === this.currentId) return;
    this.conversations = conversations;
    this.currentId = currentId;
    this.draw();
  }

  private draw(): void {
    const conversations = this.conversations ?? [];
    show(this.empty, conversations.length === 0);
    this.list.replaceChildren(...conversations.map((c) => this.item(c)));
  }

  private item(c: ConversationSummary): HTMLElement {
    const current = c.id === this.currentId;
    const attrs = { class: current ? 'history-item current' : 'history-item', 'data-conversation-id': c.id, 'aria-current': current ? 'true' : undefined };
    if (this.editing === c.id) {
      const input = h('input', { class: 'rename-input', value: c.title, 'aria-label': `New title for ${c.title}`, maxlength: '200' });
      queueMicrotask(() => {
        input.focus();
        input.select();
      });
      return part('li', PART.historyItem, attrs, input);
    }
    if (this.confirming === c.id) {
      return part(
        'li',
        PART.historyItem,
        attrs,
        h('span', { class: 'history-title' }, `Delete “${c.title}”?`),
        button('Delete', { 'data-action': 'confirm-delete', class: 'danger' }),
        button('Cancel', { 'data-action': 'cancel-delete', class: 'secondary' }),
      );
    }
    const when = new Date(c.updatedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    return part(
      'li',
      PART.historyItem,
      attrs,
      button(c.title || 'Untitled', { 'data-action': 'open', class: 'history-open', title: `${c.title} — ${c.messageCount} messages, ${when}` }),
      button('Rename', { 'data-action': 'rename', class: 'icon', 'aria-label': `Rename ${c.title}` }),
      button('Delete', { 'data-action': 'delete', class: 'icon', 'aria-label': `Delete ${c.title}` }),
    );
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element;
    const action = target.closest('[data-action]')?.getAttribute('data-action');
    const id = target.closest('[data-conversation-id]')?.getAttribute('data-conversation-id');
    if (!action || !id) return;
    if (action === 'open') {
      this.post({ type: 'openConversation', conversationId: id });
      this.close();
      return;
    }
    if (action === 'rename') this.editing = id;
    else if (action === 'delete') this.confirming = id;
    else if (action === 'cancel-delete') this.confirming = undefined;
    else if (action === 'confirm-delete') {
      this.confirming = undefined;
      this.post({ type: 'deleteConversation', conversationId: id });
    }
    this.draw();
  }

  private onKey(e: KeyboardEvent): void {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains('rename-input')) return;
    const id = this.editing;
    if (e.key === 'Enter' && id) {
      const title = input.value.trim();
      if (title !== '') this.post({ type: 'renameConversation', conversationId: id, title: title.slice(0, 200) });
      this.editing = undefined;
      this.draw();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      this.editing = undefined;
      this.draw();
    }
  }
}
