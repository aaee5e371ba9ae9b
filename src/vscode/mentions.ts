/**
 * The host side of `@` mentions: the workspace's files (listed once, refreshed when files are created or deleted),
 * ranked for what the user typed, and what a picked mention attaches — a file's text (its open editor's, unsaved
 * changes included), the selection, the problems, or the last terminal command's output.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatController } from '../core/chat/ports';
import { formatProblems, rankPaths } from '../core/mentions';
import { isProbablyBinary, isSecretLooking } from '../core/tools';
import type { WorkspacePort } from '../core/tools/port';
import type { AttachmentView } from '../protocol/chat';
import type { HostToWebview, MentionView } from '../protocol/messages';
import { MAX_ATTACHMENT_CHARS, selectionAttachment } from './editorContext';
import { TerminalOutputs } from './terminalOutput';

const MAX_FILES = 20_000;

export class Mentions implements vscode.Disposable {
  private files: Promise<string[]> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  readonly terminals = new TerminalOutputs();

  constructor(private readonly port: WorkspacePort) {
    const forget = (): void => {
      this.files = undefined;
    };
    this.disposables.push(vscode.workspace.onDidCreateFiles(forget), vscode.workspace.onDidDeleteFiles(forget), vscode.workspace.onDidRenameFiles(forget), vscode.workspace.onDidChangeWorkspaceFolders(forget), this.terminals);
  }

  async query(query: string): Promise<Extract<HostToWebview, { type: 'mentionResults' }>> {
    return { type: 'mentionResults', query, files: rankPaths(query, await this.list(), 9) };
  }

  private list(): Promise<string[]> {
    this.files ??= Promise.resolve(vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**}', MAX_FILES)).then((uris) => uris.map((u) => vscode.workspace.asRelativePath(u)));
    return this.files;
  }

  /** Attaches what `mention` names to the next prompt; says why when there is nothing to attach. */
  async attach(mention: MentionView, controller: ChatController): Promise<void> {
    const attachment = await this.attachmentFor(mention);
    if (typeof attachment === 'string') void vscode.window.showInformationMessage(attachment);
    else controller.addAttachment(attachment);
  }

  private async attachmentFor(mention: MentionView): Promise<AttachmentView | string> {
    const id = `att-${randomUUID()}`;
    switch (mention.kind) {
      case 'selection':
        return selectionAttachment() ?? 'Open a file and select some code to mention @selection.';
      case 'problems': {
        const all = this.port.diagnostics().map((d) => ({ ...d, relativePath: vscode.workspace.asRelativePath(d.path) }));
        const problems = formatProblems(all);
        return { id, kind: 'problems', label: `@problems (${problems.count})`, text: problems.text, ...(problems.truncated && { truncated: true }) };
      }
      case 'terminal': {
        const last = this.terminals.last();
        if (!last) return 'No terminal output yet: Qwen Coder sees commands run in a terminal with shell integration after it started.';
        return { id, kind: 'terminal', label: `@terminal: ${last.command || last.terminal}`, text: last.output, ...(last.truncated && { truncated: true }) };
      }
      case 'file':
        return this.fileAttachment(id, mention.path);
    }
  }

  private async fileAttachment(id: string, path: string): Promise<AttachmentView | string> {
    const known = await this.list();
    // only a path the list offered: the page could send anything
    if (!known.includes(path)) return `${path} is not a file of this workspace.`;
    if (isSecretLooking(path)) return `${path} looks like it holds secrets, so it is not attached. Paste what Qwen may see instead.`;
    const uri = resolve(path);
    if (!uri) return `${path} is not a file of this workspace.`;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    let language: string | undefined = open?.languageId;
    if (open) {
      text = open.getText();
    } else {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (isProbablyBinary(bytes)) return `${path} is a binary file, so it is not attached.`;
      text = new TextDecoder().decode(bytes);
      language = undefined;
    }
    const truncated = text.length > MAX_ATTACHMENT_CHARS;
    return { id, kind: 'file', label: path, ...(language !== undefined && { language }), text: truncated ? text.slice(0, MAX_ATTACHMENT_CHARS) : text, ...(truncated && { truncated: true }) };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A path as `asRelativePath` wrote it: prefixed by the folder's name when several folders are open. */
function resolve(path: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length > 1) {
    const [name, ...rest] = path.split('/');
    const folder = folders.find((f) => f.name === name);
    return folder && vscode.Uri.joinPath(folder.uri, ...rest);
  }
  return folders[0] && vscode.Uri.joinPath(folders[0].uri, ...path.split('/'));
}
