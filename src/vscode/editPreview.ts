/**
 * The diff an edit approval shows before anything is written: the file as it is now on the left (an empty page for
 * a new file), the model's proposal on the right, as read-only virtual documents of the `qwen-proposed` scheme.
 * The diff's title bar has Accept and Reject (`qwen.acceptProposedEdit` / `qwen.rejectProposedEdit`, shown only
 * when a `qwen-proposed` document is in the editor).
 *
 * One path for the answer, wherever the user gives it: the chat card's buttons and the title bar both call
 * `decided()`, which fires `onDecision` once per proposal and closes its diff. The chat resolves its approval from
 * `onDecision` (or `decision(callId)`) only.
 *
 * ```ts
 * const approved = await previews.ask(request, signal); // true / false; undefined when Stop withdrew it
 * // or in steps:
 * await previews.show(request);                        // the diff is open
 * const answer = await previews.decision(request.callId);
 * previews.close(request.callId);                      // on Stop: the diff closes, decision() gives undefined
 * ```
 */
import * as vscode from 'vscode';
import type { ApprovalRequest } from '../core/tools/types';
import { COMMANDS } from './ids';

export const PROPOSED_SCHEME = 'qwen-proposed';

export type EditApprovalRequest = Extract<ApprovalRequest, { kind: 'edit' }>;

export interface EditDecision {
  callId: string;
  approved: boolean;
}

interface Proposal {
  left: vscode.Uri;
  right: vscode.Uri;
}

/** `qwen-proposed:/<relative path>?call=<id>&side=before|after`: the path gives the tab its name and language. */
export function proposedUri(relativePath: string, callId: string, side: 'before' | 'after'): vscode.Uri {
  const path = `/${relativePath.replace(/\\/g, '/').replace(/^\/+/, '')}`;
  return vscode.Uri.from({ scheme: PROPOSED_SCHEME, path, query: new URLSearchParams({ call: callId, side }).toString() });
}

/** The call id a `qwen-proposed` uri belongs to. */
export function proposalCallId(uri: vscode.Uri): string | undefined {
  return uri.scheme === PROPOSED_SCHEME ? (new URLSearchParams(uri.query).get('call') ?? undefined) : undefined;
}

export class EditPreviews implements vscode.Disposable {
  /** The virtual documents' text by uri string, while their proposal is pending. */
  readonly #texts = new Map<string, string>();
  readonly #pending = new Map<string, Proposal>();
  /** Diffs being closed, by call id (the write waits for them). */
  readonly #closing = new Map<string, Promise<void>>();
  readonly #decisions = new vscode.EventEmitter<EditDecision>();
  readonly #withdrawn = new vscode.EventEmitter<string>();
  readonly #changed = new vscode.EventEmitter<vscode.Uri>();
  readonly #registration: vscode.Disposable;

  /** Fires once per shown proposal, when the user accepts or rejects it (title bar or chat card). */
  readonly onDecision = this.#decisions.event;

  constructor() {
    const provider: vscode.TextDocumentContentProvider = {
      onDidChange: this.#changed.event,
      provideTextDocumentContent: (uri) => this.#texts.get(uri.toString()) ?? '(This proposal of Qwen is no longer pending.)',
    };
    this.#registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, provider);
  }

  /** Opens the diff of `request` (as a preview tab, replacing another preview). Showing the same call again updates it. */
  async show(request: EditApprovalRequest): Promise<void> {
    const right = proposedUri(request.relativePath, request.callId, 'after');
    const left = request.create ? proposedUri(request.relativePath, request.callId, 'before') : vscode.Uri.file(request.path);
    this.#texts.set(right.toString(), request.after);
    if (request.create) this.#texts.set(left.toString(), '');
    const again = this.#pending.has(request.callId);
    this.#pending.set(request.callId, { left, right });
    if (again) this.#changed.fire(right);
    const title = `${request.tool}: ${request.relativePath} (${request.create ? 'new file, ' : ''}proposed by Qwen)`;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
    // answered or withdrawn while the diff was opening: its close found no tab yet, so close it now
    // (showing the same call again keeps it pending, and its tab)
    if (!this.#pending.has(request.callId)) await closeDiffTabs(right);
  }

  /**
   * Shows the diff and waits for the answer from either surface. `signal` (the run's Stop) withdraws it: the diff
   * closes and the result is undefined. A failure to open the diff rejects (the proposal is withdrawn first).
   */
  async ask(request: EditApprovalRequest, signal: AbortSignal): Promise<boolean | undefined> {
    if (signal.aborted) return undefined;
    const shown = this.show(request); // registers the proposal before its first await
    const answer = this.decision(request.callId);
    const withdraw = (): void => void this.close(request.callId);
    signal.addEventListener('abort', withdraw, { once: true });
    try {
      await shown;
      return await answer;
    } catch (e) {
      withdraw();
      throw e;
    } finally {
      signal.removeEventListener('abort', withdraw);
    }
  }

  /** Whether a proposal of `callId` is waiting for its answer. */
  isPending(callId: string): boolean {
    return this.#pending.has(callId);
  }

  /**
   * The user's answer: fires `onDecision` and closes the diff. Returns false (and does nothing) when no proposal of
   * `callId` is pending, so a second click, or the other surface, cannot answer twice.
   */
  decided(callId: string, approved: boolean): boolean {
    if (!this.#pending.has(callId)) return false;
    void this.#forget(callId);
    this.#decisions.fire({ callId, approved });
    return true;
  }

  /** Resolves with the answer for `callId` (shown and pending), or undefined once it is withdrawn or not pending. */
  decision(callId: string): Promise<boolean | undefined> {
    if (!this.#pending.has(callId)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const listeners = [
        this.onDecision((d) => d.callId === callId && done(d.approved)),
        this.#withdrawn.event((id) => id === callId && done(undefined)),
      ];
      const done = (answer: boolean | undefined): void => {
        for (const l of listeners) l.dispose();
        resolve(answer);
      };
    });
  }

  /** Withdraws a proposal without an answer (the run stopped): its diff closes, `decision()` gives undefined. */
  close(callId: string): Promise<void> {
    if (!this.#pending.has(callId)) return this.#closing.get(callId) ?? Promise.resolve();
    const closed = this.#forget(callId);
    this.#withdrawn.fire(callId);
    return closed;
  }

  /** The call id of the proposal in the active editor, for the title-bar commands. */
  activeCallId(): string | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff) return proposalCallId(input.modified) ?? proposalCallId(input.original);
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri && proposalCallId(uri);
  }

  dispose(): void {
    for (const callId of [...this.#pending.keys()]) void this.close(callId);
    this.#registration.dispose();
    this.#decisions.dispose();
    this.#withdrawn.dispose();
    this.#changed.dispose();
  }

  /**
   * Closes the proposal's diff; resolves once its tab is gone. An accepted edit is written only after that: a diff
   * tab closing while its left side (the real file) just became dirty asks to save it, and a no reverts the edit.
   */
  #forget(callId: string): Promise<void> {
    const proposal = this.#pending.get(callId);
    if (!proposal) return Promise.resolve();
    this.#pending.delete(callId);
    // the tab is closed before the text goes, so VS Code does not re-read the document as "no longer pending"
    const closed = closeDiffTabs(proposal.right)
      .catch(() => undefined)
      .finally(() => {
        this.#texts.delete(proposal.left.toString());
        this.#texts.delete(proposal.right.toString());
        this.#closing.delete(callId);
      });
    this.#closing.set(callId, closed);
    return closed;
  }
}

/** Closes every diff tab showing `modified` (the user may have split it into another group). */
async function closeDiffTabs(modified: vscode.Uri): Promise<void> {
  const key = modified.toString();
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === key);
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}

/**
 * Registers the virtual documents and the title-bar commands. The commands take the uri VS Code passes from the
 * editor title (the diff's modified side), or else look at the active tab.
 */
export function registerEditPreviews(context: vscode.ExtensionContext): EditPreviews {
  const previews = new EditPreviews();
  const answer = (approved: boolean) => (uri?: unknown) => {
    const callId = (uri instanceof vscode.Uri ? proposalCallId(uri) : undefined) ?? previews.activeCallId();
    if (callId === undefined || !previews.decided(callId, approved)) {
      void vscode.window.showInformationMessage('This proposed edit is no longer waiting for an answer.');
    }
  };
  context.subscriptions.push(
    previews,
    vscode.commands.registerCommand(COMMANDS.acceptProposedEdit, answer(true)),
    vscode.commands.registerCommand(COMMANDS.rejectProposedEdit, answer(false)),
  );
  return previews;
}
