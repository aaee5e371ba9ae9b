import type { HostToWebview, WebviewToHost } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// The host queues its messages until this handshake arrives (see src/protocol/messages.ts).
const vscode = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  if (event.data.type === 'snapshot') document.body.dataset['qwenVersion'] = event.data.version;
});
vscode.postMessage({ type: 'ready' });
