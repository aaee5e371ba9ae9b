/**
 * The contract between the workspace tools (`src/core/tools/`), the agent loop (`src/core/agent/`) and the chat
 * (which shows calls as cards and asks the user). Plain data except the functions named here.
 */
import type { ToolDefinition } from '../requestBuilder';
import type { WorkspacePort } from './port';

/** What a tool may do: `read` tools run without asking by default; `write` and `command` wait for the user. */
export type ToolAccess = 'read' | 'write' | 'command';

/** What the user is asked to allow. The chat shows it on the tool card; edits also open a diff. */
export type ApprovalRequest =
  | { kind: 'edit'; tool: string; callId: string; path: string; relativePath: string; before: string; after: string; create: boolean }
  | { kind: 'command'; tool: string; callId: string; command: string; cwd: string; relativeCwd: string }
  /** Reading a file that looks secret (`.env`, keys): asked even though reads are automatic. */
  | { kind: 'secretRead'; tool: string; callId: string; path: string; relativePath: string };

export type ApprovalDecision =
  | { approved: true }
  /** `reason` (typed by the user) goes back to the model with the refusal. */
  | { approved: false; reason?: string };

export interface ToolLimits {
  /** read_file: most characters returned per call (the rest is announced, with how to read on). @default 100_000 */
  readMaxChars: number;
  /** list_directory / find_files: most entries. @default 500 */
  listMaxEntries: number;
  /** search_text: most matching lines. @default 200 */
  searchMaxResults: number;
  /** search_text: files bigger than this are skipped (counted in the result). @default 1_000_000 */
  searchMaxFileBytes: number;
  /** run_command @default 120_000 */
  commandTimeoutMs: number;
  /** run_command: output kept (head and tail). @default 30_000 */
  commandOutputCapBytes: number;
}

/**
 * What the model saw of a file, so an edit can tell whether the file changed since (a conflict reported back to the
 * model, never an overwrite). Keyed by absolute path; one per agent run.
 */
export interface ReadLedger {
  /** The text the model was shown last (whole file text, not only the lines shown), or undefined. */
  lastRead(path: string): string | undefined;
  remember(path: string, text: string): void;
}

export interface ToolContext {
  port: WorkspacePort;
  /** Aborts with the user's Stop: a running command is killed, a pending approval is withdrawn. */
  signal: AbortSignal;
  /** Asks the user, or answers at once when the policy allows it (autoApprove settings, "always allow"). */
  approve(request: ApprovalRequest): Promise<ApprovalDecision>;
  reads: ReadLedger;
  limits: ToolLimits;
  /** The call being run (approval requests carry it). */
  callId: string;
}

export interface ToolResult {
  /** false: the call failed or was refused; `content` says why, so the model can correct itself. */
  ok: boolean;
  /** What goes back to the model as the tool message. */
  content: string;
  /** One line for the card, e.g. "Read src/a.ts lines 1–120 (of 340)", "3 matches in 2 files", "Denied: reason". */
  summary: string;
  /** Workspace-relative paths the call touched (links on the card). */
  paths?: string[];
  /** The user refused (approval), as opposed to a failure. */
  denied?: boolean;
}

export interface ToolSpec {
  definition: ToolDefinition;
  access: ToolAccess;
  /** `args` already checked against `definition.parameters` (required present, types right). */
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}
