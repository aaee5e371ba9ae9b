/**
 * The host↔webview protocol: one union per direction. Every streamed message will carry a request id; the
 * webview starts by sending `ready`, and the host queues what it has until then.
 */
export type WebviewToHost = { type: 'ready' };

export type HostToWebview = { type: 'init'; version: string };

/** The host validates everything it receives: a webview is a separate, untrusted-by-default context. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ready';
}
