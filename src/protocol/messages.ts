/**
 * The host↔webview protocol: one union per direction. Streamed messages carry the `requestId` the webview chose
 * when it sent the prompt, so late deltas of a stopped request can be told apart from the next one. The webview
 * starts by sending `ready`; the host queues what it has until then and answers with a `snapshot`.
 */
import { isErrorActionId } from './actions';
import type {
  AttachmentView,
  ChatMessageView,
  ChatSnapshot,
  ConversationSummary,
  ErrorActionView,
  SettingsView,
  ThinkingModeView,
  ToolCallView,
} from './chat';

export type HostToWebview =
  /**
   * The whole state; sent after `ready`, after switching conversation, and whenever a patch would be harder.
   * `hostNow` is the host's clock when it was sent (for `ErrorView.retryAt`).
   */
  | { type: 'snapshot'; version: string; snapshot: ChatSnapshot; hostNow: number }
  | { type: 'settings'; settings: SettingsView }
  | { type: 'conversations'; conversations: ConversationSummary[] }
  | { type: 'attachments'; attachments: AttachmentView[] }
  /**
   * A turn began: the user message (already in the conversation) and the empty assistant message to fill. On a
   * retry or regenerate, a `snapshot` without the old answer comes first and `user` is the message already shown
   * (same id): add it only when its id is new.
   */
  | {
      type: 'turnStarted';
      requestId: string;
      conversationId: string;
      user: ChatMessageView;
      assistant: ChatMessageView;
      /** A retry of a later reply of an agent run: the reply the new one follows (everything up to it stays). */
      after?: string;
    }
  /** New text since the last delta, coalesced by the host (~16 ms). Either field may be empty. */
  | { type: 'turnDelta'; requestId: string; reasoning: string; content: string }
  /**
   * The agent goes on after tool calls: `previous` (the reply that made them, final) replaces the streamed copy and
   * `assistant` is the new empty reply that the next `turnDelta`s of this request fill.
   */
  | { type: 'replyStarted'; requestId: string; previous: ChatMessageView; assistant: ChatMessageView }
  /** A tool call of the reply `messageId` appeared or changed (status, approval asked, result). */
  | { type: 'toolCall'; requestId: string; messageId: string; call: ToolCallView }
  /** The request failed before output and will be retried after `delayMs` (shown as a countdown). */
  | { type: 'turnRetry'; requestId: string; attempt: number; delayMs: number; message: string }
  /** The turn ended (done, stopped, error): the final assistant message replaces the streamed one. */
  | { type: 'turnEnded'; requestId: string; message: ChatMessageView; hostNow: number }
  /**
   * A `send` or `retry` the host will not start (nothing to retry, another answer still streaming, an invalid
   * message): the view frees the composer, gives the prompt back and shows `reason`. A send that arrives while a
   * stopped answer is still being saved is not refused: it waits and then starts.
   */
  | { type: 'requestRejected'; requestId: string; reason: string }
  /** Workspace files matching what follows an `@` in the composer (best first). */
  | { type: 'mentionResults'; query: string; files: string[] }
  /** Put the focus in the composer, optionally with text (e.g. `editPrompt`). */
  | { type: 'focusComposer'; text?: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; requestId: string; text: string }
  | { type: 'stop'; requestId: string }
  /** Send the same history again for the assistant message `messageId` (retry after an error, or regenerate). */
  | { type: 'retry'; requestId: string; messageId: string }
  | { type: 'newChat' }
  | { type: 'openConversation'; conversationId: string }
  | { type: 'renameConversation'; conversationId: string; title: string }
  | { type: 'deleteConversation'; conversationId: string }
  | { type: 'action'; action: ErrorActionView['id']; messageId?: string }
  | { type: 'setModel'; model: string }
  | { type: 'setThinking'; mode: ThinkingModeView }
  /** `qwen.thinkingBudget`: 0 for the model's default. */
  | { type: 'setThinkingBudget'; budget: number }
  /** Summarise the earlier messages (Compact conversation). */
  | { type: 'compact' }
  | { type: 'setRegion'; region: SettingsView['region'] }
  | { type: 'attachSelection' }
  | { type: 'removeAttachment'; attachmentId: string }
  /** The user's answer to a tool call waiting for approval; `reason` (on a denial) goes back to the model. */
  | { type: 'toolDecision'; callId: string; approved: boolean; reason?: string; always?: boolean }
  /** Open the proposed edit of a waiting call as a diff again. */
  | { type: 'showProposal'; callId: string }
  /** Open a workspace-relative path from a tool card (the host confines it to the workspace). */
  | { type: 'openPath'; path: string }
  /** The user typed `@query` in the composer: the host answers with `mentionResults`. */
  | { type: 'mentionQuery'; query: string }
  /** A mention was picked: the host attaches what it names (a chip), not its text into the prompt. */
  | { type: 'attachMention'; mention: MentionView }
  | { type: 'copyCode'; code: string }
  | { type: 'insertCode'; code: string };

const THINKING: ReadonlySet<string> = new Set<ThinkingModeView>(['auto', 'on', 'off']);
const REGIONS: ReadonlySet<string> = new Set<SettingsView['region']>(['singapore', 'beijing', 'virginia']);

/** Longest text the host accepts from the webview in one message (a prompt or a code block). */
export const MAX_WEBVIEW_TEXT = 1_000_000;
const ID = /^[\w.:-]{1,100}$/;

type Check = (m: Record<string, unknown>) => boolean;
const str = (v: unknown, max = MAX_WEBVIEW_TEXT): boolean => typeof v === 'string' && v.length <= max;
const id = (v: unknown): boolean => typeof v === 'string' && ID.test(v);

const CHECKS: Record<WebviewToHost['type'], Check> = {
  ready: () => true,
  send: (m) => id(m['requestId']) && str(m['text']),
  stop: (m) => id(m['requestId']),
  retry: (m) => id(m['requestId']) && id(m['messageId']),
  newChat: () => true,
  openConversation: (m) => id(m['conversationId']),
  renameConversation: (m) => id(m['conversationId']) && str(m['title'], 200),
  deleteConversation: (m) => id(m['conversationId']),
  action: (m) => isErrorActionId(m['action']) && (m['messageId'] === undefined || id(m['messageId'])),
  setModel: (m) => str(m['model'], 200) && (m['model'] as string).trim() !== '',
  setThinking: (m) => typeof m['mode'] === 'string' && THINKING.has(m['mode']),
  setThinkingBudget: (m) => typeof m['budget'] === 'number' && Number.isInteger(m['budget']) && m['budget'] >= 0 && m['budget'] <= 1_000_000,
  compact: () => true,
  setRegion: (m) => typeof m['region'] === 'string' && REGIONS.has(m['region']),
  attachSelection: () => true,
  removeAttachment: (m) => id(m['attachmentId']),
  toolDecision: (m) =>
    id(m['callId']) &&
    typeof m['approved'] === 'boolean' &&
    (m['reason'] === undefined || str(m['reason'], 2000)) &&
    (m['always'] === undefined || typeof m['always'] === 'boolean'),
  showProposal: (m) => id(m['callId']),
  openPath: (m) => str(m['path'], 1000) && (m['path'] as string) !== '',
  mentionQuery: (m) => str(m['query'], 500),
  attachMention: (m) => isMention(m['mention']),
  copyCode: (m) => str(m['code']),
  insertCode: (m) => str(m['code']),
};

/** What an `@` in the composer can name. */
export type MentionView = { kind: 'file'; path: string } | { kind: 'selection' } | { kind: 'problems' } | { kind: 'terminal' };

function isMention(v: unknown): v is MentionView {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  if (m['kind'] === 'file') return str(m['path'], 1000) && (m['path'] as string) !== '';
  return m['kind'] === 'selection' || m['kind'] === 'problems' || m['kind'] === 'terminal';
}

/** The host validates everything it receives: a webview renders untrusted model output, so treat it as untrusted. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const type = m['type'];
  if (typeof type !== 'string' || !Object.hasOwn(CHECKS, type)) return false;
  return CHECKS[type as WebviewToHost['type']](m);
}

/**
 * The reply to an invalid `send` or `retry` that still names a usable request id (e.g. a prompt over the size
 * limit): without one, the page would wait for its turn forever.
 */
export function rejectionFor(value: unknown): { requestId: string; reason: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if ((m['type'] !== 'send' && m['type'] !== 'retry') || !id(m['requestId'])) return undefined;
  const requestId = m['requestId'] as string;
  if (m['type'] === 'send' && typeof m['text'] === 'string' && m['text'].length > MAX_WEBVIEW_TEXT) {
    return { requestId, reason: `The prompt is too long to send (over ${MAX_WEBVIEW_TEXT.toLocaleString('en-US')} characters).` };
  }
  return { requestId, reason: 'Qwen Coder could not read this request; nothing was sent.' };
}
