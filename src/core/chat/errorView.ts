/** Error cards: what went wrong, in the user's words, with the actions that fix it. */
import type { ErrorView } from '../../protocol/chat';
import type { QwenError } from '../errors';
import { endpointLabel } from './settingsView';
import type { ChatSettings } from './ports';

export function errorViewFrom(error: QwenError, now: number): ErrorView {
  const view: ErrorView = { kind: error.kind, message: error.message, actions: error.actions };
  if (error.kind === 'rateLimit' && error.retryAfterMs !== undefined) view.retryAt = now + error.retryAfterMs;
  if (error.status !== undefined) view.status = error.status;
  if (error.code !== undefined) view.code = error.code;
  return view;
}

/** No key for a Model Studio endpoint: nothing was sent. */
export function missingKeyError(settings: ChatSettings): ErrorView {
  return {
    kind: 'missingKey',
    message:
      `No API key is set for ${endpointLabel(settings)}, so nothing was sent. Set your Model Studio key ` +
      '(keys are region-specific), or switch to the region your key belongs to.',
    actions: [
      { id: 'setApiKey', label: 'Set API key' },
      { id: 'switchRegion', label: 'Switch region' },
    ],
  };
}

/** `qwen.region` / `qwen.baseUrl` cannot be used; `message` says why. */
export function badEndpointError(message: string): ErrorView {
  return { kind: 'invalidEndpoint', message, actions: [{ id: 'openSettings', label: 'Open settings' }] };
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
