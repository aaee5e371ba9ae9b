import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AttachmentView } from '../protocol/chat';

/** Largest attachment text (characters); longer selections are cut and marked `truncated`. */
export const MAX_ATTACHMENT_CHARS = 100_000;

/** The editor the user means: the active one, or, while the chat is an editor tab itself, the visible one. */
function targetEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

/**
 * The active editor's selection as a chat attachment (the whole file when nothing is selected), or undefined when
 * no text editor is open. Lines are 1-based and inclusive; a selection ending at column 0 does not count that line.
 */
export function selectionAttachment(editor: vscode.TextEditor | undefined = targetEditor()): AttachmentView | undefined {
  if (!editor) return undefined;
  const doc = editor.document;
  const sel = editor.selection;
  const whole = sel.isEmpty;
  const range = whole ? new vscode.Range(0, 0, doc.lineCount, 0) : sel;
  let endLine = whole ? doc.lineCount : range.end.line + 1;
  if (!whole && range.end.character === 0 && range.end.line > range.start.line) endLine--;
  const full = doc.getText(range);
  const truncated = full.length > MAX_ATTACHMENT_CHARS;
  return {
    id: `att-${randomUUID()}`,
    kind: whole ? 'file' : 'selection',
    label: doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, false),
    language: doc.languageId,
    startLine: whole ? 1 : range.start.line + 1,
    endLine: Math.max(endLine, 1),
    text: truncated ? full.slice(0, MAX_ATTACHMENT_CHARS) : full,
    ...(truncated && { truncated: true }),
  };
}

/** Inserts `code` at the active editor's cursor, replacing the selection; false when no editor is open. */
export async function insertAtCursor(code: string): Promise<boolean> {
  const editor = targetEditor();
  if (!editor) return false;
  return editor.edit((edit) => {
    for (const s of editor.selections) edit.replace(s, code);
  });
}
