/**
 * The editor's way into Qwen: explain (into the chat), refactor / fix / document / an inline instruction (a diff
 * to accept or reject), and tests (a new file next to the project's tests, created only once approved). Each takes
 * the selection, or the function around the cursor when nothing is selected; a code action can name the range.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatController, ChatHost } from '../core/chat/ports';
import { parseRewrite } from '../core/editing/parseRewrite';
import { documentPrompt, explainQuestion, fixPrompt, generateTestsPrompt, inlinePrompt, refactorPrompt } from '../core/editing/prompts';
import { streamRewrite } from '../core/editing/streamRewrite';
import { detectTestFramework, proposeTestPath } from '../core/editing/testFramework';
import type { WorkspacePort } from '../core/tools/port';
import { codeTarget } from './codeTarget';
import type { EditPreviews } from './editPreview';
import { COMMANDS, VIEWS } from './ids';
import { rewriteSelection, type RewriteOutcome } from './rewriteFlow';

export interface EditorActionDeps {
  host: ChatHost;
  controller: ChatController;
  previews: EditPreviews;
  port: WorkspacePort;
}

/** Command arguments a code action passes: the document and the range it is about. */
type Args = [uri?: vscode.Uri, range?: vscode.Range];

export function registerEditorActions(context: vscode.ExtensionContext, deps: EditorActionDeps): void {
  const rewrite = (verb: string, make: (t: ReturnType<typeof codeTarget>) => Promise<Parameters<typeof rewriteSelection>[2] | undefined>) =>
    async (...args: Args): Promise<RewriteOutcome | undefined> => {
      const editor = await editorFor(args[0]);
      if (!editor) return undefined;
      const target = codeTarget(editor, args[1]);
      const prompt = await make(target);
      return prompt ? rewriteSelection(deps, target, prompt, verb) : undefined;
    };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.explainSelection, (...args: Args) => explain(deps, args)),
    vscode.commands.registerCommand(COMMANDS.refactorSelection, rewrite('Refactor', async (t) => refactorPrompt(t.selection))),
    vscode.commands.registerCommand(COMMANDS.fixSelection, rewrite('Fix', async (t) => fixPrompt(t.selection, t.diagnostics))),
    vscode.commands.registerCommand(COMMANDS.documentSelection, rewrite('Document', async (t) => documentPrompt(t.selection))),
    vscode.commands.registerCommand(
      COMMANDS.inlinePrompt,
      rewrite('Edit', async (t) => {
        const instruction = await vscode.window.showInputBox({
          title: `Qwen: change ${t.selection.label ?? `lines ${t.selection.startLine}–${t.selection.endLine}`}`,
          prompt: 'What should Qwen do with this code? The rewrite opens as a diff to accept or reject.',
          placeHolder: 'e.g. use async/await, handle the empty case, rename x to count',
          ignoreFocusOut: true,
        });
        return instruction?.trim() ? inlinePrompt(t.selection, instruction) : undefined;
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.generateTests, (...args: Args) => generateTests(deps, args)),
  );
}

async function editorFor(uri: vscode.Uri | undefined): Promise<vscode.TextEditor | undefined> {
  if (uri instanceof vscode.Uri) {
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    return open ?? vscode.window.showTextDocument(uri);
  }
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) void vscode.window.showInformationMessage('Open a file and select some code first.');
  return editor;
}

/** Explain goes to the chat: the code as an attachment chip, the question as the prompt, the answer streamed there. */
async function explain(deps: EditorActionDeps, args: Args): Promise<void> {
  const editor = await editorFor(args[0]);
  if (!editor) return;
  const target = codeTarget(editor, args[1]);
  const s = target.selection;
  await vscode.commands.executeCommand(`${VIEWS.chat}.focus`);
  deps.controller.addAttachment({
    id: `att-${randomUUID()}`,
    kind: target.selected ? 'selection' : 'file',
    label: target.relativePath,
    language: s.languageId,
    startLine: s.startLine,
    endLine: s.endLine,
    text: s.text,
  });
  await deps.controller.handle({ type: 'send', requestId: `explain-${randomUUID()}`, text: explainQuestion(s) });
}

/** Tests: framework detected from the project, a new file next to its tests, created only when accepted. */
async function generateTests(deps: EditorActionDeps, args: Args): Promise<void> {
  const editor = await editorFor(args[0]);
  const folder = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
  if (!editor || !folder) {
    void vscode.window.showInformationMessage('Open a file of the workspace to write tests for it.');
    return;
  }
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), '{**/node_modules/**,**/.git/**}', 5000);
  const files = found.map((u) => vscode.workspace.asRelativePath(u, false));
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(join(folder.uri.fsPath, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const sourcePath = vscode.workspace.asRelativePath(editor.document.uri, false);
  const framework = detectTestFramework({ files, read }, sourcePath);
  const testPath = proposeTestPath({ files }, sourcePath, framework.id);
  const prompt = generateTestsPrompt({ sourcePath, languageId: editor.document.languageId, source: editor.document.getText(), framework: framework.id, testPath });
  const abort = new AbortController();
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Qwen: writing ${framework.id} tests for ${sourcePath}`, cancellable: true },
    (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      return streamRewrite({ host: deps.host, settings: deps.host.readSettings(), requestId: `tests-${randomUUID()}`, prompt, signal: abort.signal, onProgress: ({ text }) => progress.report({ message: `${text.split('\n').length} lines so far` }) });
    },
  );
  if (!run.ok) {
    if (!run.cancelled) void vscode.window.showErrorMessage(`Qwen could not write the tests: ${run.message}`);
    return;
  }
  const parsed = parseRewrite(run.text, { languageId: editor.document.languageId });
  if (!parsed.ok) {
    void vscode.window.showWarningMessage(`Qwen's answer held no test file: ${parsed.message}`);
    return;
  }
  const absolute = join(folder.uri.fsPath, testPath);
  const callId = `tests-${randomUUID()}`;
  const text = parsed.code.endsWith('\n') ? parsed.code : `${parsed.code}\n`;
  const answer = deps.previews.ask({ kind: 'edit', tool: 'generateTests', callId, path: absolute, relativePath: testPath, before: '', after: text, create: true }, abort.signal);
  void vscode.window.showInformationMessage(`Qwen proposes ${testPath} (${framework.id}; ${framework.evidence}).`, 'Create', 'Discard').then((pick) => {
    if (pick) deps.previews.decided(callId, pick === 'Create');
  });
  if ((await answer) !== true) return;
  try {
    await deps.port.writeText(absolute, text, { create: true });
    await vscode.window.showTextDocument(vscode.Uri.file(absolute));
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not create ${testPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
