/** Error cards: what went wrong, in the user's words, with the actions that fix it. */
import type { ErrorActionView, ErrorView } from '../../protocol/chat';
import { endpointLabel } from '../endpoints';
import type { QwenError } from '../errors';
import type { ChatSettings } from './ports';

const OPEN_SETTINGS: ErrorActionView = { id: 'openSettings', label: 'Open settings' };
const SWITCH_REGION: ErrorActionView = { id: 'switchRegion', label: 'Switch region' };

/** Whether `qwen.baseUrl` decides the endpoint, so `qwen.region` (and Switch region) changes nothing. */
function baseUrlSet(settings: Pick<ChatSettings, 'baseUrl'>): boolean {
  return typeof settings.baseUrl === 'string' && settings.baseUrl.trim() !== '';
}

export function errorViewFrom(error: QwenError, now: number, settings: Pick<ChatSettings, 'baseUrl'>): ErrorView {
  let actions = error.actions;
  if (baseUrlSet(settings)) {
    // Also for errors that could not know the URL was the user's (an error chunk inside the stream).
    actions = actions.map((a) => (a.id === 'switchRegion' ? OPEN_SETTINGS : a)).filter((a, i, all) => all.findIndex((b) => b.id === a.id) === i);
  }
  const view: ErrorView = { kind: error.kind, message: error.message, actions };
  if (error.kind === 'rateLimit' && error.retryAfterMs !== undefined) view.retryAt = now + error.retryAfterMs;
  if (error.status !== undefined) view.status = error.status;
  if (error.code !== undefined) view.code = error.code;
  return view;
}

/** No key for a Model Studio endpoint: nothing was sent. */
export function missingKeyError(settings: ChatSettings): ErrorView {
  const custom = baseUrlSet(settings);
  return {
    kind: 'missingKey',
    message:
      `No API key is set for ${endpointLabel(settings)}, so nothing was sent. Set your Model Studio key ` +
      (custom ? '(keys are region-specific).' : '(keys are region-specific), or switch to the region your key belongs to.'),
    actions: [{ id: 'setApiKey', label: 'Set API key' }, custom ? OPEN_SETTINGS : SWITCH_REGION],
  };
}

/** `qwen.region` / `qwen.baseUrl` cannot be used; `message` says why. */
export function badEndpointError(message: string): ErrorView {
  return { kind: 'invalidEndpoint', message, actions: [OPEN_SETTINGS] };
}

/** The editor's secret storage failed (locked keyring, broken profile): nothing was sent. */
export function keyUnreadableError(): ErrorView {
  return {
    kind: 'keyUnavailable',
    message: 'The API key could not be read from the editor\'s secret storage, so nothing was sent. Set the key again; the log has details.',
    actions: [
      { id: 'setApiKey', label: 'Set API key' },
      { id: 'showLog', label: 'Show log' },
    ],
  };
}
