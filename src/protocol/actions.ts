/**
 * The buttons an error card can offer, by id: the host puts them on the card, the webview draws and routes them,
 * the host validates what comes back. Defined once, here.
 */
export const ERROR_ACTION_IDS = [
  'setApiKey',
  'switchRegion',
  'retry',
  'openBilling',
  'editPrompt',
  'newChat',
  'selectModel',
  'openSettings',
  'showLog',
] as const;

export type ErrorActionId = (typeof ERROR_ACTION_IDS)[number];

const IDS: ReadonlySet<string> = new Set(ERROR_ACTION_IDS);

export function isErrorActionId(value: unknown): value is ErrorActionId {
  return typeof value === 'string' && IDS.has(value);
}
