/**
 * What an editor action works on: the selection, or — when nothing is selected — the function or class around the
 * cursor (the whole file when there is none), with the lines around it, the file's indentation, line endings and
 * the diagnostics on those lines. Captured once, when the command runs: the document may change while Qwen writes.
 */
import * as vscode from 'vscode';
import type { AnchoredSelection } from '../core/editing/anchor';
import { captureSelection } from '../core/editing/anchor';
import { findEnclosingBlock } from '../core/editing/enclosing';
import type { CodeSelection, Diagnostic } from '../core/editing/prompts';
import { surroundingContext } from '../core/editing/prompts';

export interface CodeTarget {
  document: vscode.TextDocument;
  /** Workspace-relative (or the untitled name). */
  relativePath: string;
  range: vscode.Range;
  selection: CodeSelection;
  anchored: AnchoredSelection;
  diagnostics: Diagnostic[];
  eol: '\n' | '\r\n';
  /** The text between the start of the first line and the range's start (a selection that starts after indentation). */
  linePrefix: string;
  /** The user selected it (false: the enclosing block or the file was taken). */
  selected: boolean;
}

const SEVERITY: Record<vscode.DiagnosticSeverity, Diagnostic['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** The target in `editor` (or at `range` when a code action names one). */
export function codeTarget(editor: vscode.TextEditor, range?: vscode.Range): CodeTarget {
  const document = editor.document;
  const given = range ?? (editor.selection.isEmpty ? undefined : editor.selection);
  let target: vscode.Range;
  let label: string | undefined;
  if (given && !given.isEmpty) {
    target = given;
  } else {
    const block = findEnclosingBlock(document.getText(), (given ?? editor.selection).start.line, document.languageId);
    target = new vscode.Range(block.startLine, 0, block.endLine, document.lineAt(Math.min(block.endLine, document.lineCount - 1)).text.length);
    label = block.label;
  }
  const text = document.getText(target);
  const lines = document.getText().split(/\r?\n/);
  const endLine = target.end.character === 0 && target.end.line > target.start.line ? target.end.line - 1 : target.end.line;
  const context = surroundingContext(lines, target.start.line, endLine);
  const start = document.offsetAt(target.start);
  const diagnostics = vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.range.intersection(new vscode.Range(target.start.line, 0, endLine + 1, 0)) !== undefined)
    .map((d) => ({
      message: d.message,
      severity: SEVERITY[d.severity],
      line: d.range.start.line + 1,
      ...(d.source !== undefined && { source: d.source }),
      ...(d.code !== undefined && { code: typeof d.code === 'object' ? String(d.code.value) : d.code }),
    }));
  const options = editor.options;
  const relativePath = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
  const selection: CodeSelection = {
    path: relativePath,
    languageId: document.languageId,
    startLine: target.start.line + 1,
    endLine: endLine + 1,
    text,
    before: context.before,
    after: context.after,
    indent: { tabs: options.insertSpaces === false, size: typeof options.tabSize === 'number' ? options.tabSize : 4 },
    ...(label !== undefined && { label }),
  };
  return {
    document,
    relativePath,
    range: target,
    selection,
    anchored: captureSelection(document.getText(), start, start + text.length),
    diagnostics,
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    linePrefix: document.lineAt(target.start.line).text.slice(0, target.start.character),
    selected: given !== undefined && !given.isEmpty,
  };
}
