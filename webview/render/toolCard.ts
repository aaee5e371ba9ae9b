/**
 * A tool call of an assistant reply as a card: the tool, what it is about (paths are links), its status, a one-line
 * result, the arguments and the result folded away, and — while the call waits — the question with Approve / Deny
 * (a denial can carry a reason back to the model) and "always allow". Rebuilt only when its call changes; a typed
 * reason survives updates of other cards.
 */
import type { ToolCallStatus, ToolCallView } from '../../src/protocol/chat';
import { PART } from '../dom';
import { button, h, part, setText } from './el';

const STATUS_LABEL: Record<ToolCallStatus, string> = {
  queued: 'Queued',
  awaitingApproval: 'Waiting for you',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
  denied: 'Denied',
  cancelled: 'Cancelled',
};

const ICON: Record<ToolCallStatus, string> = {
  queued: '○',
  awaitingApproval: '?',
  running: '◌',
  done: '✓',
  failed: '✕',
  denied: '⊘',
  cancelled: '■',
};

export class ToolCardView {
  readonly el: HTMLElement;
  private call: ToolCallView | undefined;
  private reason: HTMLInputElement | undefined;

  constructor(readonly callId: string) {
    this.el = part('div', PART.toolCall, { class: 'tool-call', 'data-call-id': callId });
  }

  update(call: ToolCallView): void {
    if (call === this.call) return;
    const typed = this.reason?.value ?? '';
    const hadFocus = this.el.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset['focusKey'] : undefined;
    this.call = call;
    this.el.dataset['status'] = call.status;
    this.el.dataset['tool'] = call.name;
    this.el.setAttribute('aria-label', `${call.name}${call.subject ? ` ${call.subject}` : ''}: ${STATUS_LABEL[call.status]}`);
    const head = h(
      'div',
      { class: 'tool-head' },
      h('span', { class: 'tool-icon', 'aria-hidden': 'true' }, ICON[call.status]),
      h('span', { class: 'tool-name' }, call.name),
      subjectOf(call),
      h('span', { class: 'tool-status' }, STATUS_LABEL[call.status]),
    );
    const summary = call.summary ? h('div', { class: 'tool-summary' }, call.summary) : undefined;
    const wasOpen = (this.el.querySelector('details') as HTMLDetailsElement | null)?.open === true;
    const folded = details(call);
    folded.open = wasOpen;
    this.el.replaceChildren(head, summary ?? '', this.approval(call, typed) ?? '', folded);
    if (hadFocus) (this.el.querySelector(`[data-focus-key="${hadFocus}"]`) as HTMLElement | null)?.focus();
  }

  private approval(call: ToolCallView, typed: string): HTMLElement | undefined {
    this.reason = undefined;
    const ask = call.approval;
    if (call.status !== 'awaitingApproval' || !ask) return undefined;
    const reason = h('input', {
      type: 'text',
      class: 'tool-reason',
      placeholder: 'Reason (optional, sent to Qwen if you deny)',
      'aria-label': 'Reason for denying, sent to Qwen',
      'data-focus-key': 'reason',
      maxlength: '500',
    });
    reason.value = typed;
    this.reason = reason;
    const always = h('input', { type: 'checkbox', class: 'tool-always', 'data-focus-key': 'always' });
    const alwaysLabel = ask.kind === 'secretRead' ? undefined : h('label', { class: 'tool-always-label' }, always, ` Always allow ${call.name} in this workspace`);
    const buttons = h(
      'div',
      { class: 'actions' },
      button('Approve', { class: 'primary', 'data-action': 'approveTool', 'data-call-id': call.id, 'data-focus-key': 'approve' }),
      button('Deny', { class: 'secondary', 'data-action': 'denyTool', 'data-call-id': call.id, 'data-focus-key': 'deny' }),
      ask.canShowDiff ? button('Show diff', { class: 'secondary', 'data-action': 'showProposal', 'data-call-id': call.id, 'data-focus-key': 'diff' }) : '',
    );
    return h(
      'div',
      { class: 'tool-approval', role: 'group', 'aria-label': ask.question },
      h('p', { class: 'tool-question' }, ask.question),
      ask.detail ? h('pre', { class: 'tool-detail' }, ask.detail) : '',
      reason,
      alwaysLabel ?? '',
      buttons,
    );
  }

}

/** Paths are buttons that open the file; anything else (a pattern, a command) is plain text. */
function subjectOf(call: ToolCallView): HTMLElement | string {
  const paths = call.paths ?? [];
  if (paths.length > 0) {
    return h('span', { class: 'tool-subject' }, ...paths.slice(0, 3).map((p) => button(p, { class: 'link tool-path', 'data-action': 'openPath', 'data-path': p, title: `Open ${p}` })), paths.length > 3 ? ` +${paths.length - 3}` : '');
  }
  // cut with an ellipsis in a narrow sidebar: the whole subject is the tooltip
  return call.subject ? h('span', { class: 'tool-subject', title: call.subject }, call.subject) : '';
}

function details(call: ToolCallView): HTMLDetailsElement {
  const args = h('pre', { class: 'tool-args' });
  setText(args, prettyArguments(call.argumentsText));
  const body = [h('div', { class: 'tool-label' }, 'Arguments'), args];
  if (call.result !== undefined) {
    const result = h('pre', { class: 'tool-result' });
    setText(result, call.result.length > 20_000 ? `${call.result.slice(0, 20_000)}\n… (${call.result.length - 20_000} more characters)` : call.result);
    body.push(h('div', { class: 'tool-label' }, 'Result (sent to Qwen)'), result);
  }
  return h('details', { class: 'tool-details' }, h('summary', {}, 'Details'), ...body);
}

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The decision a card's Approve / Deny button stands for, with the reason typed and the "always" box. */
export function decisionFrom(card: Element, approved: boolean): { callId: string; approved: boolean; reason?: string; always?: boolean } | undefined {
  const callId = card.getAttribute('data-call-id');
  if (!callId) return undefined;
  const reason = (card.querySelector('.tool-reason') as HTMLInputElement | null)?.value.trim() ?? '';
  const always = (card.querySelector('.tool-always') as HTMLInputElement | null)?.checked === true;
  return { callId, approved, ...(!approved && reason !== '' && { reason }), ...(approved && always && { always }) };
}
