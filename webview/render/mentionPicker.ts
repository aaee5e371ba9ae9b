/**
 * `@` in the composer: a list of what can be mentioned — @selection, @problems, @terminal and workspace files
 * (the host ranks them as the user types) — picked with the arrows and Enter or Tab, or the mouse; Escape closes it.
 * Picking removes the typed `@word` and attaches what it names as a chip: the content goes along as context, never
 * into the prompt text. The textarea stays the focus (a combobox pointing at the active option).
 */
import type { MentionView, WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { h, part } from './el';

interface Option {
  mention: MentionView;
  label: string;
  detail: string;
}

const SPECIAL: readonly Option[] = [
  { mention: { kind: 'selection' }, label: '@selection', detail: "the editor's selection" },
  { mention: { kind: 'problems' }, label: '@problems', detail: 'the current errors and warnings' },
  { mention: { kind: 'terminal' }, label: '@terminal', detail: "the last command's output" },
];

/** The `@word` right before the caret, when the caret is at its end. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|\s)@([\w./-]*)$/.exec(text.slice(0, caret));
  if (!match) return undefined;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

let lists = 0;

export class MentionPicker {
  readonly el: HTMLElement;
  private options: Option[] = [];
  private active = 0;
  private token: { start: number; query: string } | undefined;
  private files: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    this.el = part('div', PART.mentionPicker, { class: 'mention-picker', role: 'listbox', id: `qwen-mentions-${++lists}`, 'aria-label': 'Mention' });
    this.el.hidden = true;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', this.el.id);
    input.addEventListener('input', () => this.onInput());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    // mousedown, not click: the textarea must not lose the caret before the pick
    this.el.addEventListener('mousedown', (e) => {
      const at = (e.target as Element).closest('[data-index]')?.getAttribute('data-index');
      if (at === null || at === undefined) return;
      e.preventDefault();
      this.pick(Number(at));
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  /** Handles the list's keys while it is open; true when the key was used. */
  onKey(e: KeyboardEvent): boolean {
    if (!this.open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.options.length) % this.options.length;
      this.render();
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      this.pick(this.active);
    } else if (e.key === 'Escape') {
      this.close();
    } else {
      return false;
    }
    e.preventDefault();
    e.stopPropagation();
    return true;
  }

  /** The host's files for `query` (only the answer to what is typed now counts). */
  results(query: string, files: string[]): void {
    if (!this.token || !this.token.query.startsWith(query)) return;
    this.files = files;
    this.show();
  }

  private onInput(): void {
    const token = mentionAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    this.token = token;
    if (!token) return this.close();
    this.show();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.post({ type: 'mentionQuery', query: token.query }), 80);
  }

  private show(): void {
    const q = (this.token?.query ?? '').toLowerCase();
    const special = SPECIAL.filter((o) => o.label.slice(1).startsWith(q));
    // the host's answer may be for a shorter query (it lags the typing by a round trip): keep what still matches
    const files: Option[] = this.files.filter((path) => containsInOrder(path.toLowerCase(), q)).map((path) => ({ mention: { kind: 'file', path }, label: path.split('/').pop() ?? path, detail: path }));
    this.options = [...special, ...files].slice(0, 12);
    this.active = Math.min(this.active, Math.max(0, this.options.length - 1));
    if (this.options.length === 0) return this.close();
    this.el.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.render();
  }

  private render(): void {
    this.el.replaceChildren(
      ...this.options.map((o, i) =>
        h(
          'div',
          { class: `mention-option${i === this.active ? ' active' : ''}`, role: 'option', id: `${this.el.id}-${i}`, 'aria-selected': String(i === this.active), 'data-index': String(i) },
          h('span', { class: 'mention-label' }, o.label),
          h('span', { class: 'mention-detail' }, o.detail),
        ),
      ),
    );
    this.input.setAttribute('aria-activedescendant', `${this.el.id}-${this.active}`);
    this.el.children[this.active]?.scrollIntoView({ block: 'nearest' });
  }

  private pick(index: number): void {
    const option = this.options[index];
    const token = this.token;
    if (!option || !token) return this.close();
    const value = this.input.value;
    const end = token.start + 1 + token.query.length;
    this.input.value = value.slice(0, token.start) + value.slice(end).replace(/^ /, '');
    this.input.setSelectionRange(token.start, token.start);
    this.input.dispatchEvent(new Event('input'));
    this.post({ type: 'attachMention', mention: option.mention });
    this.close();
  }

  private close(): void {
    if (this.el.hidden) return;
    this.el.hidden = true;
    this.token = undefined;
    this.files = [];
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}

function containsInOrder(text: string, query: string): boolean {
  let at = 0;
  for (const ch of query) {
    at = text.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}
