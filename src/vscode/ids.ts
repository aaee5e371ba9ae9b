/**
 * Every public id (commands, views, settings, context keys) in one place. `test/unit/ids.test.ts` checks they match
 * package.json, so a rename cannot half-happen.
 */
export const COMMANDS = {
  setApiKey: 'qwen.setApiKey',
  clearApiKey: 'qwen.clearApiKey',
  selectModel: 'qwen.selectModel',
  toggleThinking: 'qwen.toggleThinking',
  newChat: 'qwen.newChat',
  /** Summarise the open chat's earlier messages (they stay in the chat; requests send the summary instead). */
  compactConversation: 'qwen.compactConversation',
  openChatInEditor: 'qwen.openChatInEditor',
  stop: 'qwen.stop',
  showLog: 'qwen.showLog',
  explainSelection: 'qwen.explainSelection',
  refactorSelection: 'qwen.refactorSelection',
  fixSelection: 'qwen.fixSelection',
  documentSelection: 'qwen.documentSelection',
  generateTests: 'qwen.generateTests',
  inlinePrompt: 'qwen.inlinePrompt',
  /** Title-bar actions of the diff of a proposed edit (`qwen-proposed` documents only). */
  acceptProposedEdit: 'qwen.acceptProposedEdit',
  rejectProposedEdit: 'qwen.rejectProposedEdit',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const VIEWS = {
  /** The activity-bar view container. */
  container: 'qwen',
  /** The sidebar chat (a webview view). */
  chat: 'qwen.chatView',
  /** The webview panel type of the chat opened in an editor tab. */
  chatPanel: 'qwen.chatPanel',
} as const;

/** The `qwen.*` settings, without the `qwen.` section prefix (as `getConfiguration('qwen').get(...)` wants them). */
export const SETTINGS = {
  region: 'region',
  baseUrl: 'baseUrl',
  model: 'model',
  thinking: 'thinking',
  thinkingBudget: 'thinkingBudget',
  maxOutputTokens: 'maxOutputTokens',
  temperature: 'temperature',
  toolsAutoApprove: 'tools.autoApprove',
  toolsMaxTurns: 'tools.maxTurns',
  toolsSpendCap: 'tools.spendCap',
  spendCap: 'spendCap',
  cacheExplicit: 'cache.explicit',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
} as const;

export const SETTINGS_SECTION = 'qwen';

/** Context keys for `when` clauses. */
export const CONTEXT_KEYS = {
  /** True while a chat request streams (enables the Escape keybinding of `qwen.stop`). */
  streaming: 'qwen.streaming',
} as const;

export const LOG_CHANNEL_NAME = 'Qwen Coder';
