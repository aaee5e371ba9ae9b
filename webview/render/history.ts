/**
 * The conversation list: open, rename inline, delete after an inline confirmation (webviews have no confirm()).
 * The list is redrawn from the host's summaries; the keyboard focus and a title being typed survive every redraw.
 */
import type { ConversationSummary } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { button, h, part, show } from './el';

/** Why the list closes: after opening a chat the composer takes the focus, otherwise the History button. */
export type HistoryCloseReason = 'opened' | 'dismissed';

/** A control of one item: its `data-action`, or the rename box. */
interface FocusTarget {
  id: string;
  control: string;
}

const RENAME = 'rename-input';

export class HistoryView {
  readonly el: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private conversations: ConversationSummary[] | undefined;
  private currentId: string | undefined;
  private editing: string | undefined;
  /** The rename box, kept across redraws so a conversations update does not drop what is typed. */
  private renameInput: HTMLInputElement | undefined;
  private confirming: string | undefined;
  /** Deleted here, not yet gone from the host's list: hidden meanwhile so the focus can move on at once. */
  private deleted = new Set<string>();
  /** Where the focus goes after the next redraw (an action moved it); otherwise it stays on the same control. */
  private focusNext: FocusTarget | 'heading' | undefined;

  constructor(private readonly post: (m: WebviewToHost) => void, private readonly close: (reason: HistoryCloseReason) => void) {
    this.list = h('ul', { class: 'history-list' });
    this.empty = h('p', { class: 'subtle' }, 'No conversations yet.');
    this.heading = h('h2', { id: 'qwen-history-title', tabindex: '-1' }, 'History');
    this.el = part('section', PART.history, { class: 'history', id: 'qwen-history', 'aria-labelledby': 'qwen-history-title' }, this.heading, this.empty, this.list);
    this.el.hidden = true;
    this.list.addEventListener('click', (e) => this.onClick(e));
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  update(open: boolean, conversations: ConversationSummary[], currentId: string): void {
    show(this.el, open);
    if (!open && (this.editing !== undefined || this.confirming !== undefined)) {
      this.editing = undefined;
      this.renameInput = undefined;
      this.confirming = undefined;
      this.draw();
    }
    if (conversations === this.conversations && currentId === this.currentId) return;
    if (conversations !== this.conversations) this.deleted.clear();
    this.conversations = conversations;
    this.currentId = currentId;
    if (this.editing !== undefined && !conversations.some((c) => c.id === this.editing)) {
      this.editing = undefined;
      this.renameInput = undefined;
    }
    this.draw();
  }

  /** Just opened: the focus goes to the current chat (or the first, or the heading of an empty list). */
  focusFirst(): void {
    const items = this.shown();
    const target = items.find((c) => c.id === this.currentId) ?? items[0];
    const el = target ? this.control({ id: target.id, control: 'open' }) : undefined;
    (el ?? this.heading).focus();
  }

  private shown(): ConversationSummary[] {
    return (this.conversations ?? []).filter((c) => !this.deleted.has(c.id));
  }

  private draw(): void {
    const conversations = this.shown();
    const keep = this.focusNext ?? this.focused();
    this.focusNext = undefined;
    // moving the rename box out of the list and back blurs it: put the caret back where it was
    const input = this.renameInput;
    const selection = input && document.activeElement === input ? ([input.selectionStart, input.selectionEnd] as const) : undefined;
    show(this.empty, conversations.length === 0);
    this.list.replaceChildren(...conversations.map((c) => this.item(c)));
    if (keep === 'heading') this.heading.focus();
    else if (keep) (this.control(keep) ?? this.heading).focus();
    if (input && selection && document.activeElement === input) input.setSelectionRange(selection[0], selection[1]);
  }

  /** The control of the list that has the focus now, if any. */
  private focused(): FocusTarget | undefined {
    const active = document.activeElement;
    if (!active || !this.list.contains(active)) return undefined;
    const id = active.closest('[data-conversation-id]')?.getAttribute('data-conversation-id');
    const control = active === this.renameInput ? RENAME : active.getAttribute('data-action');
    return id && control ? { id, control } : undefined;
  }

  private control(target: FocusTarget): HTMLElement | undefined {
    const item = Array.from(this.list.children).find((li) => li.getAttribute('data-conversation-id') === target.id);
    if (!item) return undefined;
    if (target.control === RENAME) return this.renameInput;
    return item.querySelector<HTMLElement>(`[data-action="${target.control}"]`) ?? item.querySelector<HTMLElement>('[data-action="open"]') ?? undefined;
  }

  private item(c: ConversationSummary): HTMLElement {
    const current = c.id === this.currentId;
    const attrs = { class: current ? 'history-item current' : 'history-item', 'data-conversation-id': c.id, 'aria-current': current ? 'true' : undefined };
    if (this.editing === c.id && this.renameInput) return part('li', PART.historyItem, attrs, this.renameInput);
    if (this.confirming === c.id) {
      return part(
        'li',
        PART.historyItem,
        attrs,
        h('span', { class: 'history-title' }, `Delete “${c.title}”?`),
        button('Delete', { 'data-action': 'confirm-delete', class: 'danger', 'aria-label': `Delete “${c.title}” for good` }),
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
      this.close('opened');
      return;
    }
    if (action === 'rename') {
      const title = this.shown().find((c) => c.id === id)?.title ?? '';
      const input = h('input', { class: RENAME, value: title, 'aria-label': `New title for ${title}`, maxlength: '200' });
      this.editing = id;
      this.renameInput = input;
      this.focusNext = { id, control: RENAME };
      this.draw();
      input.select();
      return;
    }
    if (action === 'delete') {
      this.confirming = id;
      // the safe choice under the focus: a second Enter does not delete
      this.focusNext = { id, control: 'cancel-delete' };
    } else if (action === 'cancel-delete') {
      this.confirming = undefined;
      this.focusNext = { id, control: 'delete' };
    } else if (action === 'confirm-delete') {
      this.confirming = undefined;
      this.focusNext = this.neighbour(id);
      this.deleted.add(id);
      this.post({ type: 'deleteConversation', conversationId: id });
    }
    this.draw();
  }

  /** The item that takes the focus when `id` goes: the next one, else the previous, else the heading. */
  private neighbour(id: string): FocusTarget | 'heading' {
    const items = this.shown();
    const at = items.findIndex((c) => c.id === id);
    const next = items[at + 1] ?? items[at - 1];
    return next ? { id: next.id, control: 'open' } : 'heading';
  }

  private onKey(e: KeyboardEvent): void {
    const input = e.target;
    if (input !== this.renameInput || !(input instanceof HTMLInputElement) || e.isComposing || e.keyCode === 229) return;
    const id = this.editing;
    if (!id) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      const title = input.value.trim();
      if (title !== '') this.post({ type: 'renameConversation', conversationId: id, title: title.slice(0, 200) });
      this.endRename(id);
    } else if (e.key === 'Escape') {
      e.stopPropagation(); // Escape here cancels the rename; it does not close the list
      this.endRename(id);
    }
  }

  private endRename(id: string): void {
    this.editing = undefined;
    this.renameInput = undefined;
    this.focusNext = { id, control: 'rename' };
    this.draw();
  }
}
