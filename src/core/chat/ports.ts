/**
 * What the chat engine (`ChatController`, pure, tested in Node) needs from the editor, and what it offers.
 * `src/vscode/` implements `ChatHost` with SecretStorage, settings and extension storage; tests implement it in
 * memory and point it at the fake Qwen server.
 */
import type { AttachmentView, ChatMessageView, ChatSnapshot } from '../../protocol/chat';
import type { HostToWebview, WebviewToHost } from '../../protocol/messages';
import type { ThinkingMode } from '../requestBuilder';
import type { WorkspacePort } from '../tools/port';
import type { ApprovalRequest, ToolSpec } from '../tools/types';

/** The `qwen.*` settings a chat request depends on, read fresh for every request (changes apply without reload). */
export interface ChatSettings {
  /** `qwen.model` @default 'qwen3-coder-plus' */
  model: string;
  /** `qwen.thinking` @default 'auto' */
  thinking: ThinkingMode;
  /** `qwen.thinkingBudget`; 0 or absent means the model's default. */
  thinkingBudget?: number;
  /** `qwen.maxOutputTokens`; 0 or absent means the model's default. */
  maxOutputTokens?: number;
  /** `qwen.temperature`; absent means the model's default. */
  temperature?: number;
  /** `qwen.requestTimeoutSeconds`, positive. @default DEFAULT_REQUEST_TIMEOUT_SECONDS */
  requestTimeoutSeconds: number;
  /** `qwen.region` (validated by the engine: an unknown value is reported, not guessed). */
  region: string;
  /** `qwen.baseUrl`; non-empty overrides the region. */
  baseUrl?: string;
  /** `qwen.cache.explicit`: mark the stable prefix with `cache_control` on models that honour it. @default true */
  explicitCache?: boolean;
  /** `qwen.spendCap`: most money one chat may spend (in the model's price currency); absent: no cap. */
  spendCap?: number;
  /** `qwen.tools.*`. @default DEFAULT_TOOL_SETTINGS */
  tools?: ToolSettings;
}

export interface ToolSettings {
  /** `qwen.tools.autoApprove`: what runs without asking. */
  autoApprove: { readOnly: boolean; edits: boolean; commands: boolean };
  /** `qwen.tools.maxTurns`: most model requests in one agent run. */
  maxTurns: number;
  /** `qwen.tools.spendCap`: most money one agent run may spend (in the model's price currency); absent: no cap. */
  spendCap?: number;
}

export const DEFAULT_TOOL_SETTINGS: ToolSettings = { autoApprove: { readOnly: true, edits: false, commands: false }, maxTurns: 25 };

/** The key for the current endpoint, and where it came from. The engine never stores, logs or posts `apiKey`. */
export interface KeyLookup {
  apiKey?: string;
  /** `secret`: SecretStorage for this endpoint; `env`: DASHSCOPE_API_KEY; `none`: nothing found. */
  source: 'secret' | 'env' | 'none';
}

/**
 * Small named text blobs that survive a window reload or a crash (extension global storage, shared by every window
 * of the editor). `write` must be atomic (write to a temporary name, then rename) so a crash mid-write leaves the
 * previous version.
 */
export interface KeyValueStorage {
  read(name: string): Promise<string | undefined>;
  write(name: string, text: string): Promise<void>;
  /**
   * Reads `name`, lets `change` compute its new text (undefined: leave it) and writes it, with no other window's
   * `update` of the same name in between.
   */
  update(name: string, change: (text: string | undefined) => Promise<string | undefined>): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
}

/**
 * The workspace as the agent reaches it. Absent (or no tools) when no folder is open: the chat then answers
 * without tools.
 */
export interface AgentHost {
  /** The tools offered to the model right now (none without a workspace folder). */
  tools(): readonly ToolSpec[];
  port: WorkspacePort;
  /** Opens an edit's proposal as a diff (current vs proposed) while its card waits. */
  showProposal?(request: Extract<ApprovalRequest, { kind: 'edit' }>): Promise<void>;
  /** The edit was answered or withdrawn: its diff closes (resolves once it is closed: only then is it written). */
  closeProposal?(callId: string): Promise<void> | void;
  /** "Always allow <tool> in this workspace", remembered by the editor per workspace. */
  isAlwaysAllowed(tool: string): boolean;
  allowAlways(tool: string): Promise<void>;
}

export interface ChatHost {
  readSettings(): ChatSettings;
  /** Looks up the key for the endpoint `settings` point at (per region or per custom base URL). */
  lookupKey(settings: ChatSettings): Promise<KeyLookup>;
  /** Sends to every open chat view (sidebar and editor tabs); messages before a view's `ready` are queued by the adapter. */
  post(message: HostToWebview): void;
  storage: KeyValueStorage;
  /** The workspace tools; without it the chat has none. */
  agent?: AgentHost;
  log(line: string): void;
  /** A problem the user should see once, outside any chat (a saved chat that could not be read, saving fails). */
  warn?(message: string): void;
  /** Injected for tests. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default Date.now */
  now?: () => number;
}

/** The engine behind every chat view. One per window; the adapters route webview messages and commands to it. */
export interface ChatController {
  /**
   * Handles the messages that are the engine's business: ready, send, stop, retry, newChat, conversations,
   * removeAttachment (others are ignored). A `send` or `retry` resolves once `turnStarted` is posted; the reply
   * streams on and `turnEnded` marks its end. One that arrives while a stopped answer is still being saved starts
   * after it; any other the engine will not start (one streams, nothing to retry, not the last answer) gets a
   * `requestRejected` with the reason.
   */
  handle(message: WebviewToHost): Promise<void>;
  snapshot(): Promise<ChatSnapshot>;
  /** The answer `messageId` in the open chat (a copy) and whether it is the last message (the only one retried). */
  answer(messageId: string): Promise<{ message: ChatMessageView; last: boolean } | undefined>;
  /** Re-reads settings and key and posts `settings` (called on configuration or secret changes). */
  refreshSettings(): Promise<void>;
  addAttachment(attachment: AttachmentView): void;
  newChat(): Promise<void>;
  /** The user answered a tool call's question outside the chat (the diff editor's Accept / Reject). */
  decideTool(callId: string, approved: boolean): boolean;
  /** `qwen.stop`: aborts the active request (the partial answer is kept). */
  stop(): void;
  readonly streaming: boolean;
  /** Called when streaming starts or ends (status bar). */
  onDidChangeStreaming(listener: (streaming: boolean) => void): { dispose(): void };
  /** Aborts any request and flushes pending saves. */
  dispose(): Promise<void>;
}
