/**
 * The workspace as the chat's agent reaches it in VS Code: the tools over the VS Code port, edit proposals as diffs
 * (answered on the chat card or in the diff's title bar — whichever comes first), "always allow" remembered per
 * workspace, and the card's path links.
 */
import * as vscode from 'vscode';
import type { AgentHost, ChatController } from '../core/chat/ports';
import { WORKSPACE_TOOLS } from '../core/tools';
import { resolveWorkspacePath } from '../core/tools/paths';
import type { WorkspacePort } from '../core/tools/port';
import type { EditPreviews } from './editPreview';

const ALWAYS_ALLOWED = 'qwen.tools.alwaysAllowed';

export function createAgentHost(context: vscode.ExtensionContext, port: WorkspacePort, previews: EditPreviews): AgentHost {
  const allowed = (): string[] => context.workspaceState.get<string[]>(ALWAYS_ALLOWED) ?? [];
  return {
    // No folder, no tools: the chat answers without them (and the model is not told about tools it cannot use).
    tools: () => (port.folders().length > 0 ? WORKSPACE_TOOLS : []),
    port,
    showProposal: (request) => previews.show(request),
    closeProposal: (callId) => previews.close(callId),
    isAlwaysAllowed: (tool) => allowed().includes(tool),
    allowAlways: async (tool) => {
      if (!allowed().includes(tool)) await context.workspaceState.update(ALWAYS_ALLOWED, [...allowed(), tool]);
    },
  };
}

/** Accept / Reject in a diff's title bar answer the call the way the card's buttons do. */
export function answerFromDiffs(previews: EditPreviews, controller: ChatController): vscode.Disposable {
  return previews.onDecision(({ callId, approved }) => {
    controller.decideTool(callId, approved);
  });
}

/** A path link on a tool card: opened only when it resolves inside the workspace (the card shows model text). */
export async function openWorkspacePath(port: WorkspacePort, path: string): Promise<void> {
  const resolved = await resolveWorkspacePath(port, path, { mustExist: true });
  if (!resolved.ok) {
    void vscode.window.showWarningMessage(`Cannot open ${path}: ${resolved.error}`);
    return;
  }
  const uri = vscode.Uri.file(resolved.path);
  const stat = await port.stat(resolved.path);
  if (stat?.type === 'directory') await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.window.showTextDocument(uri, { preview: true });
}
