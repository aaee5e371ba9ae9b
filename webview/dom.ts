/**
 * The chat view's DOM contract: the `data-part` names the renderers set and the UI tests and benchmark select on.
 * Change a name here and both sides follow.
 *
 * Messages: `[data-part="message"]` with `data-role` (`user` | `assistant`), `data-status` (a MessageStatus) and
 * `data-message-id`. Inside an assistant message: `reasoning` (a <details>, `open` while reasoning streams),
 * `answer`, `metrics`, and `error-card` when it failed. Buttons carry `data-action` (an ErrorActionView id, or
 * `copy` / `insert` on code blocks, `regenerate` on the last answer).
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
} as const;

export type Part = (typeof PART)[keyof typeof PART];

/** CSS selector for a part: `sel('answer')` → `[data-part="answer"]`. */
export function sel(part: Part): string {
  return `[data-part="${part}"]`;
}
