/** The header: model picker, thinking control with what the next request will do, endpoint, new chat, history. */
import type { SettingsView, ThinkingModeView } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { button, h, part, setText } from './el';

const THINKING_LABELS: Record<ThinkingModeView, string> = { auto: 'Thinking: auto', on: 'Thinking: on', off: 'Thinking: off' };

export class HeaderView {
  readonly el: HTMLElement;
  private readonly model: HTMLSelectElement;
  private readonly thinking: HTMLSelectElement;
  private readonly note: HTMLElement;
  private readonly endpoint: HTMLElement;
  readonly historyButton: HTMLButtonElement;
  private settings: SettingsView | undefined;

  constructor(post: (m: WebviewToHost) => void, toggleHistory: () => void) {
    this.model = part('select', PART.modelPicker, { class: 'model-picker', 'aria-label': 'Model' });
    this.thinking = part('select', PART.thinkingControl, { class: 'thinking-control', 'aria-label': 'Thinking' });
    for (const mode of ['auto', 'on', 'off'] as const) this.thinking.append(h('option', { value: mode }, THINKING_LABELS[mode]));
    this.note = part('span', PART.thinkingNote, { class: 'thinking-note' });
    this.endpoint = part('span', PART.endpointLabel, { class: 'endpoint-label' });
    // in a narrow sidebar only the "+" stays, leaving the endpoint label more room
    const newChat = h('button', { type: 'button', 'data-part': PART.newChat, class: 'secondary', title: 'Start a new chat', 'aria-label': 'New chat' }, '+', h('span', { class: 'wide-only' }, ' New chat'));
    this.historyButton = button('History', { 'data-part': PART.historyButton, class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'qwen-history' });
    this.el = part(
      'header',
      PART.header,
      { class: 'header' },
      // Narrow sidebars come first: the pickers get a row of their own and shrink before anything wraps; in the
      // first row the endpoint label gives way (ellipsis, whole in its title) so the buttons stay on its line.
      h('div', { class: 'header-row top' }, this.endpoint, newChat, this.historyButton),
      h('div', { class: 'header-row pickers' }, this.model, this.thinking),
      h('div', { class: 'header-row subtle' }, this.note),
    );
    this.model.addEventListener('change', () => post({ type: 'setModel', model: this.model.value }));
    this.thinking.addEventListener('change', () => {
      const mode = this.thinking.value as ThinkingModeView;
      post({ type: 'setThinking', mode });
    });
    newChat.addEventListener('click', () => post({ type: 'newChat' }));
    this.historyButton.addEventListener('click', toggleHistory);
  }

  update(settings: SettingsView, historyOpen: boolean): void {
    this.historyButton.setAttribute('aria-expanded', String(historyOpen));
    if (settings === this.settings) return;
    this.settings = settings;
    const choices = settings.models.some((m) => m.id === settings.model)
      ? settings.models
      : [{ id: settings.model, label: settings.modelLabel || settings.model, thinking: 'unknown' }, ...settings.models];
    this.model.replaceChildren(...choices.map((m) => h('option', { value: m.id, title: m.id }, m.label)));
    this.model.value = settings.model;
    this.thinking.value = settings.thinkingMode;
    this.thinking.disabled = settings.thinkingFixed;
    this.thinking.title = settings.thinkingNote;
    setText(this.note, settings.thinkingNote);
    setText(this.endpoint, settings.endpointLabel);
    this.endpoint.title = `Endpoint: ${settings.endpointLabel}`;
  }
}
