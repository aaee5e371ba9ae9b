/** The whole chat view: builds the parts once and updates them from the state; routes clicks to the host. */
import { isErrorActionId } from '../src/protocol/actions';
import type { WebviewToHost } from '../src/protocol/messages';
import { PART } from './dom';
import { h, part, setText, show } from './render/el';
import { ComposerView } from './render/composer';
import { HeaderView } from './render/header';
import { HistoryView } from './render/history';
import { codeOfBlock } from './render/markdown';
import { TranscriptView } from './render/transcript';
import { WelcomeView } from './render/welcome';
import { isBusy, type ChatState } from './store';

export interface ViewActions {
  post(message: WebviewToHost): void;
  send(text: string): void;
  stop(): void;
  retry(messageId: string): void;
  showHistory(open: boolean): void;
  lastPrompt(): string;
}

export class ChatView {
  private readonly header: HeaderView;
  private readonly welcome: WelcomeView;
  private readonly history: HistoryView;
  private readonly transcript: TranscriptView;
  private readonly composer: ComposerView;
  private readonly liveRegion: HTMLElement;
  private readonly loading: HTMLElement;
  /** Why the host refused the last send or retry (the prompt is back in the composer). */
  private readonly composerNote: HTMLElement;
  private focusSeq = 0;
  private announced = 0;
  private historyOpen = false;
  private busy = false;

  constructor(root: HTMLElement, private readonly actions: ViewActions) {
    this.header = new HeaderView(actions.post, () => actions.showHistory(!this.historyOpen));
    this.welcome = new WelcomeView(actions.post);
    this.history = new HistoryView(actions.post, () => actions.showHistory(false));
    this.transcript = new TranscriptView();
    this.composer = new ComposerView({ send: actions.send, stop: actions.stop, recall: actions.lastPrompt, post: actions.post });
    this.liveRegion = part('div', PART.liveRegion, { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.loading = h('p', { class: 'loading subtle' }, 'Loading…');
    this.composerNote = h('p', { class: 'status-note composer-note', 'data-part': 'composer-note' });
    root.replaceChildren(part('div', PART.app, { class: 'app' }, this.header.el, this.history.el, this.welcome.el, this.loading, this.transcript.el, this.composerNote, this.composer.el, this.liveRegion));
    this.transcript.el.addEventListener('click', (e) => this.onTranscriptClick(e));
    // On the document, not the composer: the composer is disabled while an answer streams, so focus is on the body
    // then, and VS Code's own Escape binding does not see keys inside a webview view.
    root.ownerDocument.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.isComposing) return;
      if (this.historyOpen) actions.showHistory(false);
      else if (this.busy) actions.stop();
    });
  }

  update(state: ChatState, now: number): void {
    const snapshot = state.snapshot;
    show(this.loading, !snapshot);
    if (state.version !== undefined) document.body.dataset['qwenVersion'] = state.version;
    // Until the host answers, what shows is the state VS Code kept for this view, which can be older than the
    // conversation on disk (the workbench saves webview state lazily; a reload can lose the last minute of it).
    const provisional = snapshot !== undefined && state.version === undefined;
    this.transcript.el.classList.toggle('provisional', provisional);
    this.transcript.el.setAttribute('aria-busy', String(provisional));
    if (!snapshot) {
      for (const el of [this.header.el, this.welcome.el, this.transcript.el, this.composer.el, this.composerNote]) show(el, false);
      return;
    }
    const hasKey = snapshot.settings.keySource !== 'none';
    const busy = isBusy(state);
    this.busy = busy;
    this.historyOpen = state.historyOpen;
    show(this.header.el, true);
    this.header.update(snapshot.settings, state.historyOpen);
    this.history.update(state.historyOpen, snapshot.conversations, snapshot.conversation.id);
    show(this.welcome.el, !hasKey);
    if (!hasKey) this.welcome.update(snapshot.settings);
    show(this.transcript.el, hasKey);
    show(this.composer.el, hasKey);
    this.transcript.update(snapshot.conversation, state.live, busy, now);
    this.composer.update(busy, snapshot.pendingAttachments);
    show(this.composerNote, hasKey && state.composerNote !== undefined);
    setText(this.composerNote, state.composerNote ?? '');
    if (state.focus.seq !== this.focusSeq) {
      this.focusSeq = state.focus.seq;
      this.composer.focus(state.focus.text);
    }
    if (state.announcement && state.announcement.seq !== this.announced) {
      this.announced = state.announcement.seq;
      setText(this.liveRegion, state.announcement.text);
    }
  }

  /** Timers only: reasoning clock, retry countdowns. */
  tick(now: number): void {
    this.transcript.tick(now);
  }

  private onTranscriptClick(e: MouseEvent): void {
    const target = (e.target as Element).closest('button[data-action]');
    if (!target) return;
    const action = target.getAttribute('data-action') ?? '';
    const messageId = target.closest('[data-message-id]')?.getAttribute('data-message-id') ?? undefined;
    if (action === 'copy' || action === 'insert') {
      const code = codeOfBlock(target);
      if (code === undefined) return;
      this.actions.post({ type: action === 'copy' ? 'copyCode' : 'insertCode', code });
      if (action === 'copy') flashLabel(target, 'Copied');
    } else if (action === 'regenerate' || action === 'retry') {
      if (messageId) this.actions.retry(messageId);
    } else if (isErrorActionId(action)) {
      this.actions.post(messageId ? { type: 'action', action, messageId } : { type: 'action', action });
    }
  }
}


function flashLabel(button: Element, label: string): void {
  const before = button.textContent;
  button.textContent = label;
  setTimeout(() => (button.textContent = before), 1200);
}
