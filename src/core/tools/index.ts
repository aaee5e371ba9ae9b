/** The workspace tools the agent offers the model, their default limits, and the per-run read ledger. */
import type { ReadLedger, ToolLimits, ToolSpec } from './types';
import { createFileTool, editFileTool } from './editFile';
import { getDiagnosticsTool, getOpenEditorsTool } from './editorState';
import { findFilesTool, listDirectoryTool } from './listing';
import { readFileTool } from './readFile';
import { runCommandTool } from './runCommand';
import { searchTextTool } from './searchText';

export { checkArguments } from './validate';
export { resolveWorkspacePath, isSecretLooking, isProbablyBinary } from './paths';

/** Read-only tools first: the order the model sees them in. */
export const WORKSPACE_TOOLS: readonly ToolSpec[] = [
  readFileTool,
  listDirectoryTool,
  findFilesTool,
  searchTextTool,
  getDiagnosticsTool,
  getOpenEditorsTool,
  editFileTool,
  createFileTool,
  runCommandTool,
];

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  readMaxChars: 100_000,
  listMaxEntries: 500,
  searchMaxResults: 200,
  searchMaxFileBytes: 1_000_000,
  commandTimeoutMs: 120_000,
  commandOutputCapBytes: 30_000,
};

/** One per agent run: what the model was shown of each file (absolute path → whole text). */
export function createReadLedger(): ReadLedger {
  const seen = new Map<string, string>();
  return {
    lastRead: (path) => seen.get(path),
    remember: (path, text) => void seen.set(path, text),
  };
}
