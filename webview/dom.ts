/**
 * The chat view's DOM contract: the `data-part` names the renderers set and the UI tests and benchmark select on.
 * Change a name here and both sides follow.
 *
 * Messages: `[data-part="message"]` with `data-role` (`user` | `assistant`), `data-status` (a MessageStatus) and
 * `data-message-id`. Inside an assistant message: `reasoning` (a <details>, `open` while reasoning streams),
 * `answer`, `metrics`, and `error-card` when it failed. Buttons carry `data-action` (an ErrorActionView id, or
 * `copy` / `insert` on code blocks, `regenerate` on the last answer). History items carry `data-conversation-id` and
 * buttons `data-action` `open` / `rename` / `delete` / `confirm-delete` / `cancel-delete`; a removable attachment
 * chip's × carries `data-remove-attachment`.
 */
export const PART = {
  app: 'app',
  welcome: 'welcome',
  header: 'header',
  modelPicker: 'model-picker',
  thinkingControl: 'thinking-control',
  transcript: 'transcript',
  message: 'message',
  reasoning: 'reasoning',
  reasoningSummary: 'reasoning-summary',
  answer: 'answer',
  metrics: 'metrics',
  errorCard: 'error-card',
  retryCountdown: 'retry-countdown',
  composer: 'composer',
  composerInput: 'composer-input',
  send: 'send',
  stop: 'stop',
  attachSelection: 'attach-selection',
  attachmentChip: 'attachment-chip',
  history: 'history',
  historyItem: 'history-item',
  newChat: 'new-chat',
  liveRegion: 'live-region',
  /** Added by the webview: the note on a `stopped` / `interrupted` answer. */
  statusMarker: 'status-marker',
  /** Added by the webview: the header button that shows and hides `history`. */
  historyButton: 'history-button',
  /** Added by the webview: the header's `thinkingNote` and endpoint label. */
  thinkingNote: 'thinking-note',
  endpointLabel: 'endpoint-label',
  /** A tool call's card in an assistant reply: `data-call-id`, `data-tool`, `data-status` (a ToolCallStatus). Its
   * buttons carry `data-action` `approveTool` / `denyTool` / `showProposal` / `openPath` (with `data-path`). */
  toolCall: 'tool-call',
  /** The composer's `@` list (role listbox; options `.mention-option`). */
  mentionPicker: 'mention-picker',
  /** Why an agent run stopped at a limit, with `data-action="continueAgent"`. */
  agentStop: 'agent-stop',
  /** Added by the webview: the header's thinking-budget <select> (option values: tokens, 0 = model default). */
  thinkingBudget: 'thinking-budget',
  /** Added by the webview: the header's chat meter (context used, cost, cache; details in its title). */
  chatMeter: 'chat-meter',
  /** Added by the webview: under the meter, how many messages the last request left out to fit. */
  contextDropped: 'context-dropped',
  /** Added by the webview: the welcome's region <select>. */
  regionChoice: 'region-choice',
} as const;

export type Part = (typeof PART)[keyof typeof PART];

/** CSS selector for a part: `sel('answer')` → `[data-part="answer"]`. */
export function sel(part: Part): string {
  return `[data-part="${part}"]`;
}
