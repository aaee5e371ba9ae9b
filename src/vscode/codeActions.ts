/** The lightbulb: Explain / Refactor with Qwen on a selection, "Fix with Qwen" on each diagnostic under the cursor. */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';

export const QWEN_FIX_KIND = vscode.CodeActionKind.QuickFix.append('qwen');
export const QWEN_REFACTOR_KIND = vscode.CodeActionKind.RefactorRewrite.append('qwen');

export class QwenCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [QWEN_FIX_KIND, QWEN_REFACTOR_KIND] };

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics.slice(0, 3)) {
      const fix = new vscode.CodeAction(`Fix with Qwen: ${shorten(diagnostic.message)}`, QWEN_FIX_KIND);
      fix.diagnostics = [diagnostic];
      fix.command = { command: COMMANDS.fixSelection, title: 'Fix with Qwen', arguments: [document.uri, fullLines(document, diagnostic.range)] };
      actions.push(fix);
    }
    if (!range.isEmpty) {
      const explain = new vscode.CodeAction('Explain with Qwen', vscode.CodeActionKind.Empty);
      explain.command = { command: COMMANDS.explainSelection, title: 'Explain with Qwen', arguments: [document.uri, range] };
      const refactor = new vscode.CodeAction('Refactor with Qwen', QWEN_REFACTOR_KIND);
      refactor.command = { command: COMMANDS.refactorSelection, title: 'Refactor with Qwen', arguments: [document.uri, range] };
      actions.push(explain, refactor);
    }
    return actions;
  }
}

/** A fix rewrites whole lines: the model sees the statement, not a fragment of it. */
function fullLines(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  return new vscode.Range(range.start.line, 0, range.end.line, document.lineAt(range.end.line).text.length);
}

function shorten(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

export function registerCodeActions(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new QwenCodeActions(), QwenCodeActions.metadata));
}
