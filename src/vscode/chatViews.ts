import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../protocol/messages';
import { isWebviewToHost } from '../protocol/messages';
import { chatHtml, chatWebviewOptions, type ChatPlace } from './chatHtml';

/** One open chat webview (the sidebar view or an editor tab) and whether its page has said `ready`. */
interface AttachedView {
  readonly webview: vscode.Webview;
  ready: boolean;
  /** Messages that are not state (e.g. `focusComposer`), held until the page is ready. */
  pending: HostToWebview[];
}

/** What the sidebar view (`WebviewView`) and an editor tab (`WebviewPanel`) have in common for the chat. */
export interface ChatSurface {
  readonly webview: vscode.Webview;
  readonly visible: boolean;
  readonly onDidDispose: vscode.Event<void>;
}

/** What `ChatViews` does with a valid message from a page. */
export type ReceiveMessage = (message: WebviewToHost) => Promise<void>;

/**
 * Every open chat page, all showing the one controller: `post` broadcasts. A page that is not ready (loading,
 * or hidden and recreated) gets nothing but queued non-state messages: its `ready` makes the controller post a
 * snapshot, which carries all the state the page missed.
 */
export class ChatViews implements vscode.Disposable {
  private readonly views = new Set<AttachedView>();

  constructor(
    readonly extensionUri: vscode.Uri,
    private readonly receive: ReceiveMessage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Number of pages currently attached (for tests and the status bar). */
  get count(): number {
    return this.views.size;
  }

  post(message: HostToWebview): void {
    for (const view of this.views) {
      if (view.ready) void view.webview.postMessage(message).then(undefined, () => undefined);
      else if (message.type === 'focusComposer') view.pending.push(message);
    }
  }

  /**
   * Loads the chat page into `surface` (the sidebar view or an editor tab) and routes its messages until the surface is
   * disposed. `visibilityChanged` is the surface's visibility (or view-state) event: a hidden page without retained
   * context is destroyed, so it is not ready until it says so again. `place` picks the page's background.
   */
  attach(surface: ChatSurface, visibilityChanged: vscode.Event<unknown>, place: ChatPlace = 'sidebar'): void {
    const { webview } = surface;
    const view: AttachedView = { webview, ready: false, pending: [] };
    webview.options = chatWebviewOptions(this.extensionUri);
    webview.html = chatHtml(webview, this.extensionUri, place);
    this.views.add(view);
    const subscriptions = [
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(view, m)),
      visibilityChanged(() => {
        if (!surface.visible) view.ready = false;
      }),
    ];
    surface.onDidDispose(() => {
      this.views.delete(view);
      for (const s of subscriptions) s.dispose();
    });
  }

  /** A message as if a page had sent it (validated and routed the same way); for the test API. */
  receiveFromPage(message: unknown): Promise<void> {
    return this.onMessage(undefined, message);
  }

  private async onMessage(view: AttachedView | undefined, message: unknown): Promise<void> {
    if (!isWebviewToHost(message)) {
      // the page renders untrusted model output: say what was dropped, never echo its content
      const type = typeof message === 'object' && message !== null ? String((message as { type?: unknown }).type).slice(0, 40) : typeof message;
      this.log.warn(`Dropped an invalid message from the chat view (type ${type})`);
      return;
    }
    if (message.type === 'ready' && view) view.ready = true;
    try {
      await this.receive(message);
    } catch (e) {
      this.log.error(`Handling "${message.type}" from the chat view failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (message.type === 'ready' && view) {
      for (const m of view.pending.splice(0)) void view.webview.postMessage(m);
    }
  }

  dispose(): void {
    this.views.clear();
  }
}

/** Hooks the sidebar view and the editor-tab command to `views`. */
export function registerChatViews(
  context: vscode.ExtensionContext,
  views: ChatViews,
  ids: { view: string; panel: string; openInEditor: string },
): void {
  const provider: vscode.WebviewViewProvider = {
    resolveWebviewView(webviewView) {
      views.attach(webviewView, webviewView.onDidChangeVisibility);
    },
  };
  context.subscriptions.push(
    views,
    vscode.window.registerWebviewViewProvider(ids.view, provider),
    vscode.commands.registerCommand(ids.openInEditor, () => openChatPanel(views, ids.panel)),
  );
}

function openChatPanel(views: ChatViews, panelType: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(panelType, 'Qwen Chat', vscode.ViewColumn.Beside, chatWebviewOptions(views.extensionUri));
  panel.iconPath = vscode.Uri.joinPath(views.extensionUri, 'media', 'qwen.svg');
  views.attach(panel, panel.onDidChangeViewState, 'editor');
  return panel;
}
