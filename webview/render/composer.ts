/**
 * The composer: a growing textarea (Enter sends, Shift+Enter adds a line, Up in an empty composer recalls the
 * conversation's last prompt), attachment chips, "Attach selection", and Send that becomes Stop while a request
 * streams. What the user typed is never replaced by a recalled or edited prompt.
 */
import type { AttachmentView } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { attachmentChip } from './attachments';
import { button, h, part, show } from './el';
import { MentionPicker } from './mentionPicker';

export interface ComposerCallbacks {
  send(text: string): void;
  stop(): void;
  recall(): string;
  post(message: WebviewToHost): void;
}

const MAX_HEIGHT_PX = 240;

export class ComposerView {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly chips: HTMLElement;
  private readonly send: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  readonly mentions: MentionPicker;
  private attachments: AttachmentView[] | undefined;
  private busy = false;

  constructor(private readonly on: ComposerCallbacks) {
    this.input = part('textarea', PART.composerInput, {
      class: 'composer-input',
      rows: '3',
      placeholder: 'Ask Qwen… (@ to mention a file, Enter to send, Shift+Enter for a new line)',
      'aria-label': 'Message to Qwen',
    });
    this.chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Attachments' });
    const attach = button('Attach selection', { 'data-part': PART.attachSelection, class: 'secondary', title: 'Attach the editor selection' });
    this.send = button('Send', { 'data-part': PART.send, class: 'primary', 'aria-label': 'Send message' });
    this.stop = button('Stop', { 'data-part': PART.stop, class: 'primary stop', 'aria-label': 'Stop the answer' });
    this.stop.hidden = true;
    this.mentions = new MentionPicker(this.input, on.post);
    this.el = part(
      'form',
      PART.composer,
      { class: 'composer', 'aria-label': 'Compose' },
      this.chips,
      this.mentions.el,
      this.input,
      h('div', { class: 'composer-row' }, attach, h('span', { class: 'spacer' }), this.send, this.stop),
    );
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.send.addEventListener('click', () => this.submit());
    this.stop.addEventListener('click', () => on.stop());
    attach.addEventListener('click', () => on.post({ type: 'attachSelection' }));
    this.chips.addEventListener('click', (e) => {
      const id = (e.target as Element).closest('[data-remove-attachment]')?.getAttribute('data-remove-attachment');
      if (id) on.post({ type: 'removeAttachment', attachmentId: id });
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.grow());
    // a narrower sidebar wraps the text onto more lines
    window.addEventListener('resize', () => this.grow());
  }

  update(busy: boolean, attachments: AttachmentView[]): void {
    if (busy !== this.busy) {
      const hadFocus = document.activeElement === this.input || document.activeElement === this.send;
      this.busy = busy;
      this.input.disabled = busy;
      show(this.send, !busy);
      show(this.stop, busy);
      if (busy && hadFocus) this.stop.focus();
      if (!busy && document.activeElement === this.stop) this.input.focus();
      if (!busy && document.activeElement === document.body) this.input.focus();
    }
    if (attachments !== this.attachments) {
      this.attachments = attachments;
      this.chips.replaceChildren(...attachments.map((a) => attachmentChip(a, true)));
      show(this.chips, attachments.length > 0);
    }
  }

  /**
   * Focuses the composer; with `text`, puts it there unless the user has a draft of their own (that stays).
   * Returns false when a draft kept `text` out.
   */
  focus(text?: string): boolean {
    const kept = text !== undefined && this.input.value.trim() !== '' && this.input.value !== text;
    if (text !== undefined && !kept) {
      this.input.value = text;
      this.grow();
    }
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    return !kept;
  }

  private submit(): void {
    if (this.busy) return;
    const text = this.input.value;
    if (text.trim() === '') return;
    this.input.value = '';
    this.grow();
    this.on.send(text);
  }

  private onKey(e: KeyboardEvent): void {
    // An IME's Enter picks a candidate; Safari reports it with isComposing false but keyCode 229.
    if (e.isComposing || e.keyCode === 229) return;
    if (this.mentions.onKey(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'ArrowUp' && this.input.value === '') {
      const last = this.on.recall();
      if (last !== '') {
        e.preventDefault();
        this.focus(last);
      }
    }
  }

  /**
   * Grows with the text from its three-line minimum (chat.css) up to a cap, then scrolls; shrinks back when emptied.
   * CSSOM height: the CSP forbids style attributes, not style properties.
   */
  private grow(): void {
    this.input.style.height = 'auto';
    // border-box sizing: the height includes the borders, scrollHeight does not
    const borders = this.input.offsetHeight - this.input.clientHeight;
    const wanted = this.input.scrollHeight + borders;
    this.input.style.height = `${Math.min(wanted, MAX_HEIGHT_PX)}px`;
    this.input.classList.toggle('scrolls', wanted > MAX_HEIGHT_PX);
  }
}
