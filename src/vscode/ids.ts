/**
 * Every public id (commands, views, settings) in one place. `test/unit/ids.test.ts` checks they match
 * package.json, so a rename cannot half-happen.
 */
export const COMMANDS = {
  showLog: 'qwen.showLog',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const LOG_CHANNEL_NAME = 'Qwen Coder';
