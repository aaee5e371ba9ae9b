/**
 * The workspace tools' view of VS Code (`WorkspacePort`, src/core/tools/port.ts). Only `file:` workspace folders
 * take part: the tools confine paths to absolute file-system roots and read through `node:fs` in the extension
 * host, which runs next to those files (locally or on the remote side). Virtual folders (`vscode-vfs:`, `untitled:`)
 * are left out rather than half-supported.
 */
import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import * as vscode from 'vscode';
import type { DiagnosticInfo, DirectoryEntry, EntryStat, OpenDocumentText, OpenEditorInfo, WorkspaceFolderInfo, WorkspacePort } from '../core/tools/port';
import { minimalChange } from '../core/tools/textChange';
import { runShellCommand } from './commandRunner';

export function createWorkspacePort(): WorkspacePort {
  return {
    folders,
    realpath: (path) => realpath(path),
    stat: statOrUndefined,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    readDirectory,
    openDocument,
    excludeGlobs,
    diagnostics,
    openEditors,
    writeText,
    runCommand: (command, options) => runShellCommand(command, options),
  };
}

function folders(): WorkspaceFolderInfo[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, root: withoutTrailingSeparator(f.uri.fsPath) }));
}

const withoutTrailingSeparator = (p: string): string => (p.length > 1 && p.endsWith(sep) && !/^[A-Za-z]:\\$/.test(p) ? p.slice(0, -1) : p);

/** Paths from the tools are absolute fsPaths; Windows compares them without case, as its file system does. */
const samePath = (a: string, b: string): boolean => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);

async function statOrUndefined(path: string): Promise<EntryStat | undefined> {
  try {
    const s = await stat(path);
    return { type: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mtimeMs: s.mtimeMs };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

async function readDirectory(path: string): Promise<DirectoryEntry[]> {
  // Dirent types come from the directory itself (lstat semantics): a link is reported as a link, never followed
  const entries = await readdir(path, { withFileTypes: true });
  return entries.map((d) => ({
    name: d.name,
    type: d.isSymbolicLink() ? 'symlink' : d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other',
  }));
}

function findDocument(path: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && samePath(d.uri.fsPath, path));
}

function openDocument(path: string): OpenDocumentText | undefined {
  const doc = findDocument(path);
  return doc && { text: doc.getText(), version: doc.version, dirty: doc.isDirty };
}

/**
 * Patterns whose value is `true` (a `{ when }` object is conditional on sibling files, which the tools cannot
 * evaluate, so it is left out). Searches also skip `files.exclude`, as VS Code's own search does. The window's
 * settings only: a per-folder override is not applied (the port has one list for every folder).
 */
function excludeGlobs(kind: 'files' | 'search'): string[] {
  const enabled = (section: string): string[] => {
    const value = vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {};
    return Object.entries(value).filter(([, on]) => on === true).map(([glob]) => glob);
  };
  const globs = kind === 'files' ? enabled('files') : [...enabled('files'), ...enabled('search')];
  return [...new Set(globs)];
}

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticInfo['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function diagnostics(path?: string): DiagnosticInfo[] {
  const all: [vscode.Uri, readonly vscode.Diagnostic[]][] =
    path === undefined ? vscode.languages.getDiagnostics() : [[vscode.Uri.file(path), vscode.languages.getDiagnostics(vscode.Uri.file(path))]];
  return all.filter(([uri]) => uri.scheme === 'file').flatMap(([uri, list]) => list.map((d) => diagnosticInfo(uri.fsPath, d)));
}

function diagnosticInfo(path: string, d: vscode.Diagnostic): DiagnosticInfo {
  const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
  return {
    path,
    severity: SEVERITY[d.severity],
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    ...(d.source !== undefined && { source: d.source }),
    ...(code !== undefined && { code }),
  };
}

/**
 * Text tabs of `file:` workspace files, one entry per file even when it is open in several groups. "Active" is the
 * file of the active text editor, which VS Code keeps while the focus is in the chat sidebar; with the chat in an
 * editor tab no text editor is active, and no file is. Selections come from the visible editors (a hidden tab has
 * none); a restored tab whose document VS Code has not loaded yet has the language `unknown`.
 */
function openEditors(): OpenEditorInfo[] {
  const active = vscode.window.activeTextEditor;
  const byPath = new Map<string, OpenEditorInfo>();
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    if (!(tab.input instanceof vscode.TabInputText)) continue;
    const uri = tab.input.uri;
    if (uri.scheme !== 'file' || vscode.workspace.getWorkspaceFolder(uri)?.uri.scheme !== 'file') continue;
    const path = uri.fsPath;
    const known = byPath.get(path);
    if (known) {
      known.dirty ||= tab.isDirty;
      continue;
    }
    const doc = findDocument(path);
    const editor = (active?.document.uri.toString() === uri.toString() ? active : undefined) ??
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const selection = editor && !editor.selection.isEmpty ? editor.selection : undefined;
    byPath.set(path, {
      path,
      languageId: doc?.languageId ?? 'unknown',
      active: active !== undefined && active.document.uri.toString() === uri.toString(),
      dirty: tab.isDirty,
      ...(selection && editor && {
        selection: {
          startLine: selection.start.line + 1,
          startColumn: selection.start.character + 1,
          endLine: selection.end.line + 1,
          endColumn: selection.end.character + 1,
          text: editor.document.getText(selection),
        },
      }),
    });
  }
  return [...byPath.values()];
}

/**
 * One `WorkspaceEdit`, so one undo step. An existing file is edited through its `TextDocument` (opened when needed)
 * so Ctrl+Z in its editor undoes the model's edit like the user's own; only the span that changed is replaced. A
 * document that was saved before is saved after, so disk and tools agree; a dirty one stays dirty: the user's unsaved
 * text is part of what the model read and edited, and saving it is the user's call. The document keeps its line
 * endings (`\n` in `text` becomes `\r\n` in a CRLF file), its encoding and BOM.
 * A new file is created with its contents in one file operation (its parent folders first); VS Code offers to undo
 * it from the Edit menu.
 */
async function writeText(path: string, text: string, options: { create: boolean }): Promise<void> {
  const uri = vscode.Uri.file(path);
  const edit = new vscode.WorkspaceEdit();
  const label = { label: `Qwen: ${options.create ? 'create' : 'edit'} ${vscode.workspace.asRelativePath(uri)}`, needsConfirmation: false };
  if (options.create) {
    await mkdir(dirname(path), { recursive: true });
    edit.createFile(uri, { contents: new TextEncoder().encode(text), overwrite: false, ignoreIfExists: false }, label);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code did not create ${path} (does it exist already?)`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const wasDirty = doc.isDirty;
  const change = minimalChange(doc.getText(), text);
  edit.replace(uri, new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)), change.text, label);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit of ${path} (is the file read-only?)`);
  if (!wasDirty && doc.isDirty && !(await doc.save())) throw new Error(`The edit of ${path} was applied in the editor but could not be saved`);
}
