/**
 * The whole chat view: builds the parts once and updates them from the state; routes clicks to the host. The
 * conversation is a log that does not speak (its text changes every frame while an answer streams); the polite
 * status region says when an answer starts, retries, ends or fails, and when a code block was copied.
 */
import { isErrorActionId } from '../src/protocol/actions';
import type { WebviewToHost } from '../src/protocol/messages';
import { PART, sel } from './dom';
import { h, part, setText, show } from './render/el';
import { ComposerView } from './render/composer';
import { HeaderView } from './render/header';
import { HistoryView, type HistoryCloseReason } from './render/history';
import { codeOfBlock } from './render/markdown';
import { decisionFrom } from './render/toolCard';
import { TranscriptView } from './render/transcript';
import { WelcomeView } from './render/welcome';
import { secondsLeft } from './format';
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
  private announcedTurn: string | undefined;
  private announcedRetry = 0;
  private historyOpen = false;
  /** Where the focus goes when the history closes while it had the focus. */
  private afterHistory: HistoryCloseReason = 'dismissed';
  private busy = false;

  constructor(root: HTMLElement, private readonly actions: ViewActions) {
    this.header = new HeaderView(actions.post, () => actions.showHistory(!this.historyOpen));
    this.welcome = new WelcomeView(actions.post);
    this.history = new HistoryView(actions.post, (reason) => {
      this.afterHistory = reason;
      actions.showHistory(false);
    });
    this.transcript = new TranscriptView();
    const send = (text: string): void => {
      // a prompt sent while reading further up brings the end of the conversation back (and the following with it)
      this.transcript.el.scrollTop = this.transcript.el.scrollHeight;
      actions.send(text);
    };
    this.composer = new ComposerView({ send, stop: actions.stop, recall: actions.lastPrompt, post: actions.post });
    this.liveRegion = part('div', PART.liveRegion, { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.loading = h('p', { class: 'loading subtle' }, 'Loading…');
    this.composerNote = h('p', { class: 'status-note composer-note', 'data-part': 'composer-note' });
    root.replaceChildren(part('div', PART.app, { class: 'app' }, this.header.el, this.history.el, this.welcome.el, this.loading, this.transcript.el, this.composerNote, this.composer.el, this.liveRegion));
    this.transcript.el.addEventListener('click', (e) => this.onTranscriptClick(e));
    // On the document, not the composer: the composer is disabled while an answer streams, so focus is on the body
    // then, and VS Code's own Escape binding does not see keys inside a webview view.
    root.ownerDocument.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.isComposing) return;
      if (this.historyOpen) {
        this.afterHistory = 'dismissed';
        actions.showHistory(false);
      } else if (this.busy) actions.stop();
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
    const wasOpen = this.historyOpen;
    this.historyOpen = state.historyOpen;
    // hiding the list blurs what had the focus in it: decide before, move after
    const active = document.activeElement;
    const focusInHistory = active === document.body || active === null || this.history.el.contains(active);
    show(this.header.el, true);
    this.header.update(snapshot.settings, state.historyOpen, snapshot.conversation.messages);
    this.history.update(state.historyOpen, snapshot.conversations, snapshot.conversation.id);
    if (state.historyOpen && !wasOpen) this.history.focusFirst();
    show(this.welcome.el, !hasKey);
    if (!hasKey) this.welcome.update(snapshot.settings);
    show(this.transcript.el, hasKey);
    show(this.composer.el, hasKey);
    this.transcript.update(snapshot.conversation, state.live, busy, now);
    this.composer.update(busy, snapshot.pendingAttachments);
    if (!state.historyOpen && wasOpen && focusInHistory) {
      if (this.afterHistory === 'opened' && hasKey) this.composer.focus();
      else this.header.historyButton.focus();
      this.afterHistory = 'dismissed';
    }
    show(this.composerNote, hasKey && state.composerNote !== undefined);
    setText(this.composerNote, state.composerNote ?? '');
    if (state.focus.seq !== this.focusSeq) {
      this.focusSeq = state.focus.seq;
      if (!this.composer.focus(state.focus.text)) this.announce('Your draft is kept: empty the message box and press Up for the last prompt.');
    }
    this.announceTurn(state, now);
  }

  /** The status region speaks at a turn's start, each retry and its end; never per frame. */
  private announceTurn(state: ChatState, now: number): void {
    const live = state.live;
    if (live && live.requestId !== this.announcedTurn) {
      this.announcedTurn = live.requestId;
      this.announcedRetry = 0;
      this.announce(state.snapshot?.settings.thinkingOn ? 'Qwen is thinking…' : 'Qwen is answering…');
    }
    if (live?.retry && live.retry.attempt !== this.announcedRetry) {
      this.announcedRetry = live.retry.attempt;
      this.announce(`${live.retry.message} Retrying in ${secondsLeft(live.retry.until, now)} s.`);
    }
    if (state.announcement && state.announcement.seq !== this.announced) {
      this.announced = state.announcement.seq;
      this.announce(state.announcement.text);
    }
  }

  /** Says `text` once; the same words again are said again (a no-break space makes them new to the region). */
  private announce(text: string): void {
    const again = this.liveRegion.textContent === text;
    setText(this.liveRegion, again ? `${text}\u00a0` : text);
  }

  mentionResults(query: string, files: string[]): void {
    this.composer.mentions.results(query, files);
  }

  /** Timers only: reasoning clock, retry countdowns. */
  tick(now: number): void {
    this.transcript.tick(now);
  }

  private onTranscriptClick(e: MouseEvent): void {
    const target = (e.target as Element).closest('button[data-action]');
    if (!target || target.getAttribute('aria-disabled') === 'true') return;
    const action = target.getAttribute('data-action') ?? '';
    const messageId = target.closest('[data-message-id]')?.getAttribute('data-message-id') ?? undefined;
    if (action === 'copy' || action === 'insert') {
      const code = codeOfBlock(target);
      if (code === undefined) return;
      this.actions.post({ type: action === 'copy' ? 'copyCode' : 'insertCode', code });
      if (action === 'copy') {
        flashLabel(target, 'Copied');
        this.announce('Copied to the clipboard');
      }
    } else if (action === 'approveTool' || action === 'denyTool') {
      const card = target.closest(sel(PART.toolCall));
      const decision = card ? decisionFrom(card, action === 'approveTool') : undefined;
      if (decision) this.actions.post({ type: 'toolDecision', ...decision });
    } else if (action === 'showProposal') {
      const callId = target.getAttribute('data-call-id');
      if (callId) this.actions.post({ type: 'showProposal', callId });
    } else if (action === 'openPath') {
      const path = target.getAttribute('data-path');
      if (path) this.actions.post({ type: 'openPath', path });
    } else if (action === 'continueAgent') {
      this.actions.send('continue');
    } else if (action === 'regenerate' || action === 'retry') {
      if (messageId) this.actions.retry(messageId);
    } else if (isErrorActionId(action)) {
      this.actions.post(messageId ? { type: 'action', action, messageId } : { type: 'action', action });
    }
  }
}


const flashing = new WeakMap<Element, { label: string; timer: ReturnType<typeof setTimeout> }>();

/** Shows `label` on the button for a moment; a second click restarts the moment, never keeps `label` for good. */
function flashLabel(button: Element, label: string): void {
  const running = flashing.get(button);
  if (running) clearTimeout(running.timer);
  const original = running?.label ?? button.textContent ?? '';
  button.textContent = label;
  const timer = setTimeout(() => {
    button.textContent = original;
    flashing.delete(button);
  }, 1200);
  flashing.set(button, { label: original, timer });
}
