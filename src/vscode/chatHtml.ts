import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The folders a chat webview may load from: the bundles and the stylesheets/icons, nothing else. */
export function chatResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Webview options shared by the sidebar view and the editor panel. */
export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: chatResourceRoots(extensionUri) };
}

/** The chat's stylesheets in media/chat/, in cascade order (base first: the theme variables and controls). */
export const CHAT_STYLES = ['base.css', 'header.css', 'transcript.css', 'markdown.css', 'tools.css', 'composer.css'] as const;

/** Where the page is shown: the sidebar view or an editor tab (the page takes that part's background). */
export type ChatPlace = 'sidebar' | 'editor';

/**
 * The chat page: a strict CSP (nothing by default; our one script only with this page's nonce; styles and images
 * only from the extension, images also as `data:`; no <base> and no form submission, so injected markup cannot
 * redirect links or post anywhere), the webview bundle and its stylesheets. The webview renders untrusted model
 * output, so the CSP is the second wall behind its sanitiser.
 */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, place: ChatPlace = 'sidebar'): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const styles = CHAT_STYLES.map((name) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat', name)));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en" data-place="${place}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((uri) => `<link rel="stylesheet" href="${uri.toString()}">`).join('\n')}
<title>Qwen Coder</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
