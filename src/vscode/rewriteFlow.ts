/**
 * Refactor / fix / document / an inline instruction on the selection: Qwen's rewrite streams into a diff (original
 * vs proposed, updated as it arrives) with a cancellable progress notification; the finished proposal waits for
 * Accept or Reject (the diff's title bar, or the notification's buttons). Accept applies one undoable edit to the
 * range where the original text is now — re-anchored if the document moved, refused if the text itself changed.
 * Reject changes nothing.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatHost } from '../core/chat/ports';
import { reanchor } from '../core/editing/anchor';
import { fitToSelection, parseRewrite, partialRewrite } from '../core/editing/parseRewrite';
import type { PromptPair } from '../core/editing/prompts';
import { streamRewrite } from '../core/editing/streamRewrite';
import type { CodeTarget } from './codeTarget';
import type { EditPreviews } from './editPreview';

export interface RewriteDeps {
  host: ChatHost;
  previews: EditPreviews;
}

export type RewriteOutcome = 'applied' | 'rejected' | 'cancelled' | 'failed';

/** Streams, shows, asks, applies. Resolves with what happened (the user was told already). */
export async function rewriteSelection(deps: RewriteDeps, target: CodeTarget, prompt: PromptPair, verb: string): Promise<RewriteOutcome> {
  const callId = `rewrite-${randomUUID()}`;
  const path = target.document.uri.fsPath;
  const abort = new AbortController();
  const before = target.document.getText();
  const ctx = { languageId: target.selection.languageId, original: target.selection.text, contextBefore: target.selection.before ?? [], contextAfter: target.selection.after ?? [] };
  const fit = (code: string): string => fitToSelection(code, target.selection.text, { eol: target.eol, linePrefix: target.linePrefix, ...(target.selection.indent && { indent: target.selection.indent }) });
  const proposal = (replacement: string) => ({
    kind: 'edit' as const,
    tool: verb,
    callId,
    path,
    relativePath: target.relativePath,
    before,
    after: before.slice(0, target.anchored.start) + replacement + before.slice(target.anchored.end),
    create: false,
  });

  // One diff update at a time: an update sent while the diff is still opening can be lost (VS Code reads a virtual
  // document's change only once it is loaded), and the final proposal must not be overtaken by a partial one.
  let showing: Promise<void> | undefined;
  let shown = 0;
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Qwen: ${verb} ${target.selection.label ?? `lines ${target.selection.startLine}–${target.selection.endLine}`}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      return streamRewrite({
        host: deps.host,
        settings: deps.host.readSettings(),
        requestId: callId,
        prompt,
        signal: abort.signal,
        onProgress: ({ text, reasoning }) => {
          const code = partialRewrite(text, ctx);
          progress.report({ message: code === '' ? (reasoning ? 'thinking…' : 'waiting…') : `${code.split('\n').length} lines so far` });
          // the diff follows the stream a few times a second (each update re-renders both sides), once the code block
          // has started: what comes before it is the model's preamble, not code
          if (code !== '' && !showing && /(^|\n)\s*(```|~~~)/.test(text) && Date.now() - shown > 300) {
            shown = Date.now();
            showing = deps.previews.show(proposal(fit(code))).catch(() => undefined).finally(() => (showing = undefined));
          }
        },
      });
    },
  );
  await showing;
  if (!run.ok) {
    await deps.previews.close(callId);
    if (run.cancelled) return 'cancelled';
    void vscode.window.showErrorMessage(`Qwen could not ${verb.toLowerCase()} the code: ${run.message}`);
    return 'failed';
  }
  const parsed = parseRewrite(run.text, ctx);
  if (!parsed.ok) {
    await deps.previews.close(callId);
    void vscode.window.showWarningMessage(`Qwen's answer held no code to apply: ${parsed.message}`);
    return 'failed';
  }
  const replacement = fit(parsed.code);
  const cut = run.truncated || !parsed.complete ? ' The answer was cut off (output limit): check the end.' : '';
  const answer = deps.previews.ask(proposal(replacement), abort.signal);
  void vscode.window.showInformationMessage(`Qwen proposes a change to ${target.relativePath}.${cut}`, 'Accept', 'Reject').then((pick) => {
    if (pick) deps.previews.decided(callId, pick === 'Accept');
  });
  const accepted = await answer;
  if (accepted !== true) return 'rejected';
  return (await applyAt(target, replacement)) ? 'applied' : 'failed';
}

/** One undoable edit where the original text is now; refused (with a message) when it changed. */
export async function applyAt(target: CodeTarget, replacement: string): Promise<boolean> {
  const document = target.document;
  const now = reanchor(target.anchored, document.getText());
  if (!now.ok) {
    void vscode.window.showWarningMessage(now.message);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(now.start), document.positionAt(now.end)), replacement);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`VS Code refused the edit of ${target.relativePath} (is it read-only?).`);
    return false;
  }
  return true;
}
