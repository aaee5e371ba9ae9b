/**
 * What the workspace tools need from the editor. `src/vscode/workspacePort.ts` implements it with the VS Code API;
 * `test/support/nodeWorkspace.ts` with plain `node:fs` over a temporary folder, so the tools and the agent run in Node.
 *
 * Every path crossing this port is absolute and has already been confined to a workspace folder by
 * `src/core/tools/paths.ts`: the port trusts its paths and the tools trust nothing the model sent.
 */

export interface WorkspaceFolderInfo {
  /** The folder's name as the editor shows it (what the model sees as the first path segment with several roots). */
  name: string;
  /** Absolute file-system path, no trailing separator. */
  root: string;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface EntryStat {
  type: 'file' | 'directory' | 'other';
  size: number;
  mtimeMs: number;
}

export interface DirectoryEntry {
  name: string;
  /** `symlink` when the entry itself is a link (its target is not followed here). */
  type: EntryType;
}

/** An open editor's text differs from the file on disk: the tools read and edit what the user sees. */
export interface OpenDocumentText {
  text: string;
  /** Changes on every edit of the document (VS Code's `TextDocument.version`). */
  version: number;
  dirty: boolean;
}

export interface DiagnosticInfo {
  /** Absolute path. */
  path: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine: number;
  endColumn: number;
  source?: string;
  code?: string;
}

export interface OpenEditorInfo {
  /** Absolute path (only editors of files in the workspace). */
  path: string;
  languageId: string;
  active: boolean;
  dirty: boolean;
  /** 1-based inclusive lines of the selection, when something is selected. */
  selection?: { startLine: number; startColumn: number; endLine: number; endColumn: number; text: string };
}

export interface CommandResult {
  exitCode: number | null;
  /** stdout and stderr interleaved as they arrived, cut to the cap. */
  output: string;
  /** Output beyond the cap was dropped (its size is in `droppedBytes`). */
  truncated: boolean;
  droppedBytes: number;
  timedOut: boolean;
  /** Killed because the signal aborted (the user pressed Stop). */
  cancelled: boolean;
  durationMs: number;
}

export interface WorkspacePort {
  folders(): readonly WorkspaceFolderInfo[];
  /** Follows symlinks; rejects (ENOENT) when `path` does not exist. */
  realpath(path: string): Promise<string>;
  /** Follows symlinks; undefined when nothing is there. */
  stat(path: string): Promise<EntryStat | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  readDirectory(path: string): Promise<DirectoryEntry[]>;
  /** The text of an open editor of `path`, when one is open (dirty or not). */
  openDocument(path: string): OpenDocumentText | undefined;
  /** `files.exclude` (and `search.exclude` for searches) as glob patterns relative to a folder root. */
  excludeGlobs(kind: 'files' | 'search'): readonly string[];
  /** For one file, or every file the editor knows diagnostics for. */
  diagnostics(path?: string): DiagnosticInfo[];
  openEditors(): OpenEditorInfo[];
  /**
   * Replaces the whole text of `path` (creating it when `create`) as one undoable edit; through the open editor
   * when there is one (a dirty editor keeps its unsaved changes around the edit and stays unsaved), and saved to
   * disk otherwise. Rejects with a message when the editor refuses.
   */
  writeText(path: string, text: string, options: { create: boolean }): Promise<void>;
  /** Runs `command` in a shell in `cwd`; never rejects for a failing command (that is `exitCode`). */
  runCommand(command: string, options: { cwd: string; timeoutMs: number; outputCapBytes: number; signal: AbortSignal }): Promise<CommandResult>;
}
