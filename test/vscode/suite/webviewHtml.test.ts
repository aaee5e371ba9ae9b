// The chat page's HTML as the extension builds it for a webview: the CSP is the second wall behind the sanitiser.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CHAT_STYLES, chatHtml, chatWebviewOptions } from '../../../src/vscode/chatHtml';

const extensionUri = vscode.Uri.file('/ext');
const webview = {
  cspSource: 'https://webview.test',
  asWebviewUri: (uri: vscode.Uri) => vscode.Uri.parse(`https://webview.test${uri.path}`),
} as unknown as vscode.Webview;

function csp(html: string): Map<string, string> {
  const content = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.ok(content, 'no CSP meta tag');
  return new Map(content.split(';').map((d) => d.trim().split(/\s+(.*)/s) as [string, string]));
}

describe('chat page HTML', () => {
  it('has a strict CSP: nothing by default, our script only by nonce, styles and images from the extension', () => {
    const html = chatHtml(webview, extensionUri);
    const policy = csp(html);
    assert.equal(policy.get('default-src'), "'none'");
    const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(policy.get('script-src') ?? '')?.[1];
    assert.ok(nonce, `script-src: ${policy.get('script-src')}`);
    assert.equal(policy.get('style-src'), 'https://webview.test');
    assert.equal(policy.get('img-src'), 'https://webview.test data:');
    assert.equal(policy.get('base-uri'), "'none'", 'no <base> can redirect relative links');
    assert.equal(policy.get('form-action'), "'none'", 'no form can post anywhere');
    assert.ok(!html.includes('unsafe-'), 'unsafe-inline or unsafe-eval');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://webview.test/ext/dist/webview.js">`]);
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(sheets, CHAT_STYLES.map((name) => `https://webview.test/ext/media/chat/${name}`));
    assert.ok(sheets.length >= 4, 'the stylesheet is split by part of the view');
    assert.doesNotMatch(html, /\sstyle=|\son\w+=/, 'inline styles or handlers');
  });

  it('tells the page where it is shown, so an editor tab takes the editor background', () => {
    assert.match(chatHtml(webview, extensionUri), /<html lang="en" data-place="sidebar">/);
    assert.match(chatHtml(webview, extensionUri, 'editor'), /<html lang="en" data-place="editor">/);
  });

  it('uses a fresh nonce per page', () => {
    assert.notEqual(csp(chatHtml(webview, extensionUri)).get('script-src'), csp(chatHtml(webview, extensionUri)).get('script-src'));
  });

  it('lets the page load only from dist/ and media/, with scripts on and command links off', () => {
    const options = chatWebviewOptions(extensionUri);
    assert.deepEqual(options.localResourceRoots?.map((u) => u.path), ['/ext/dist', '/ext/media']);
    assert.equal(options.enableScripts, true);
    assert.equal(options.enableCommandUris, false);
  });
});
