/**
 * The header: model picker, thinking control and budget with what the next request will do, endpoint, new chat,
 * history, and the chat meter (context used, cost, cache) recomputed whenever the conversation's messages change.
 */
import type { ChatMessageView, SettingsView, ThinkingModeView } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { budgetChoices, computeMeter, droppedNote, meterParts, meterTitle } from '../meter';
import { button, h, part, setDotList, setText, show } from './el';

const THINKING_LABELS: Record<ThinkingModeView, string> = { auto: 'Thinking: auto', on: 'Thinking: on', off: 'Thinking: off' };

export class HeaderView {
  readonly el: HTMLElement;
  private readonly model: HTMLSelectElement;
  private readonly thinking: HTMLSelectElement;
  private readonly budget: HTMLSelectElement;
  private readonly note: HTMLElement;
  private readonly endpoint: HTMLElement;
  private readonly meter: HTMLElement;
  private readonly dropped: HTMLElement;
  readonly historyButton: HTMLButtonElement;
  private settings: SettingsView | undefined;
  private messages: readonly ChatMessageView[] | undefined;
  private meterSettings: SettingsView | undefined;
  private meterKey = '';

  constructor(post: (m: WebviewToHost) => void, toggleHistory: () => void) {
    this.model = part('select', PART.modelPicker, { class: 'model-picker', 'aria-label': 'Model' });
    this.thinking = part('select', PART.thinkingControl, { class: 'thinking-control', 'aria-label': 'Thinking' });
    for (const mode of ['auto', 'on', 'off'] as const) this.thinking.append(h('option', { value: mode }, THINKING_LABELS[mode]));
    this.budget = part('select', PART.thinkingBudget, { class: 'thinking-budget', 'aria-label': 'Thinking budget' });
    this.note = part('span', PART.thinkingNote, { class: 'thinking-note' });
    this.meter = part('div', PART.chatMeter, { class: 'header-row meter' });
    this.dropped = part('div', PART.contextDropped, { class: 'header-row meter-note' });
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
      h('div', { class: 'header-row pickers' }, this.model, this.thinking, this.budget),
      h('div', { class: 'header-row subtle' }, this.note),
      this.meter,
      this.dropped,
    );
    this.budget.addEventListener('change', () => post({ type: 'setThinkingBudget', budget: Number(this.budget.value) }));
    this.model.addEventListener('change', () => post({ type: 'setModel', model: this.model.value }));
    this.thinking.addEventListener('change', () => {
      const mode = this.thinking.value as ThinkingModeView;
      post({ type: 'setThinking', mode });
    });
    newChat.addEventListener('click', () => post({ type: 'newChat' }));
    this.historyButton.addEventListener('click', toggleHistory);
  }

  update(settings: SettingsView, historyOpen: boolean, messages: readonly ChatMessageView[]): void {
    this.historyButton.setAttribute('aria-expanded', String(historyOpen));
    this.updateMeter(settings, messages);
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
    this.updateBudget(settings);
  }

  private updateBudget(settings: SettingsView): void {
    const max = settings.thinkingBudgetMax;
    show(this.budget, max !== undefined);
    if (max === undefined) return;
    const current = settings.thinkingBudget ?? 0;
    const choices = budgetChoices(current, max);
    this.budget.replaceChildren(...choices.map((c) => h('option', { value: String(c.value) }, c.label)));
    this.budget.value = String(current);
    this.budget.disabled = !settings.thinkingOn;
    this.budget.title = settings.thinkingOn
      ? `Most tokens the model may spend thinking (qwen.thinkingBudget; up to ${max.toLocaleString('en-US')}). Default: the model's own.`
      : 'Thinking is off for the next request: the budget applies only when the model thinks. Turn thinking on to change it.';
  }

  /** Recomputed only when the messages or the settings are new objects (the store replaces what changes). */
  private updateMeter(settings: SettingsView, messages: readonly ChatMessageView[]): void {
    if (messages === this.messages && settings === this.meterSettings) return;
    this.messages = messages;
    this.meterSettings = settings;
    // a streaming answer has no metrics yet: its deltas change nothing here
    const meter = computeMeter(messages);
    const parts = meterParts(meter, settings);
    const title = meterTitle(meter, settings);
    const note = droppedNote(meter) ?? '';
    const key = `${parts.join('\u0000')}\u0001${title}\u0001${note}`;
    if (key === this.meterKey) return;
    this.meterKey = key;
    setDotList(this.meter, parts);
    this.meter.title = title;
    setText(this.dropped, note);
    this.dropped.title = note ? 'The chat keeps them on screen and on disk; the model did not see them in the last request.' : '';
    show(this.dropped, note !== '');
  }
}
