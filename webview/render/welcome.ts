/** Shown instead of the conversation until a key is set: what Qwen Coder is, the region, "Set API key". */
import type { SettingsView } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/messages';
import { PART } from '../dom';
import { button, h, part } from './el';

const REGIONS: { id: SettingsView['region']; label: string }[] = [
  { id: 'singapore', label: 'Singapore (international)' },
  { id: 'virginia', label: 'Virginia (US)' },
  { id: 'beijing', label: 'Beijing (China mainland)' },
];

export class WelcomeView {
  readonly el: HTMLElement;
  private readonly region: HTMLSelectElement;

  constructor(post: (m: WebviewToHost) => void) {
    this.region = part('select', PART.regionChoice, { id: 'qwen-region' });
    for (const r of REGIONS) this.region.append(h('option', { value: r.id }, r.label));
    this.region.addEventListener('change', () => post({ type: 'setRegion', region: this.region.value as SettingsView['region'] }));
    const setKey = button('Set API key', { 'data-action': 'setApiKey', class: 'primary' });
    setKey.addEventListener('click', () => post({ type: 'action', action: 'setApiKey' }));
    const settings = button('Open settings', { 'data-action': 'openSettings', class: 'link' });
    settings.addEventListener('click', () => post({ type: 'action', action: 'openSettings' }));
    this.el = part(
      'section',
      PART.welcome,
      { class: 'welcome', 'aria-labelledby': 'qwen-welcome-title' },
      h('h2', { id: 'qwen-welcome-title' }, 'Welcome to Qwen Coder'),
      h('p', {}, 'Chat with Alibaba’s Qwen models about your code: answers stream with the model’s reasoning shown apart, code blocks can be copied or inserted at the cursor, and every answer shows its tokens, speed and cost.'),
      h('p', {}, 'To start, choose the Model Studio region of your account and set your DashScope API key. The key is kept in VS Code’s secret storage, never in settings.'),
      h('div', { class: 'field' }, h('label', { for: 'qwen-region' }, 'Region'), this.region),
      h('div', { class: 'actions' }, setKey),
      h('p', { class: 'subtle' }, 'Running Qwen on a local or self-hosted server (vLLM, Ollama, …)? Point ', h('code', {}, 'qwen.baseUrl'), ' at it — no key needed. ', settings),
    );
  }

  update(settings: SettingsView): void {
    if (this.region.value !== settings.region) this.region.value = settings.region;
  }
}
