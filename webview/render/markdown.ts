/**
 * Markdown → sanitised DOM. `marked` (GFM) produces HTML with highlighted code, DOMPurify cleans it, and code
 * blocks get their toolbar (language, Copy, Insert) built as DOM after sanitising, so only our own code makes
 * buttons. Raw HTML in the model's markdown is shown as text, the way the model usually means it (a tag it talks
 * about): it never becomes markup, and the browser never even parses its event handlers (which the view's CSP
 * would report). DOMPurify still guards what markdown itself produces (links, images).
 */
import { Marked } from 'marked';
import { h, button } from './el';
import { fenceLanguage, highlight } from './highlight';
import { sanitizeToFragment } from './sanitize';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text, block }) {
      return block ? `<p>${escapeHtml(text)}</p>\n` : escapeHtml(text);
    },
    code({ text, lang }) {
      const language = fenceLanguage(lang);
      const body = highlight(text, language) ?? escapeHtml(text);
      const cls = language ? `hljs language-${escapeHtml(language)}` : 'hljs';
      return `<pre><code class="${cls}">${body}\n</code></pre>\n`;
    },
  },
});

/** Renders a markdown text to a sanitised fragment with decorated code blocks. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const html = marked.parse(markdown, { async: false });
  const fragment = sanitizeToFragment(html);
  decorateCodeBlocks(fragment);
  return fragment;
}

/** Wraps every `<pre><code>` in a block with a toolbar: language label, Copy and Insert buttons. */
export function decorateCodeBlocks(root: DocumentFragment | Element): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code || pre.parentElement?.classList.contains('code-block')) continue;
    codeBlock(pre, languageOf(code));
  }
}

/** Wraps `pre` (in place, when it has a parent) in a code block with its toolbar; returns the block. */
export function codeBlock(pre: HTMLPreElement, language: string): HTMLElement {
  const toolbar = h(
    'div',
    { class: 'code-toolbar' },
    h('span', { class: 'code-language' }, language || 'text'),
    button('Copy', { 'data-action': 'copy', 'aria-label': `Copy ${language || 'code'} block`, title: 'Copy' }),
    button('Insert', { 'data-action': 'insert', 'aria-label': `Insert ${language || 'code'} block at the cursor`, title: 'Insert at cursor' }),
  );
  const block = h('div', { class: 'code-block' });
  pre.parentNode?.insertBefore(block, pre);
  block.append(toolbar, pre);
  return block;
}

function languageOf(code: Element): string {
  for (const cls of Array.from(code.classList)) if (cls.startsWith('language-')) return cls.slice('language-'.length);
  return '';
}

/** The code of the block a toolbar button belongs to (without the trailing newline the renderer adds). */
export function codeOfBlock(buttonEl: Element): string | undefined {
  const code = buttonEl.closest('.code-block')?.querySelector('pre code');
  if (!code) return undefined;
  return (code.textContent ?? '').replace(/\n$/, '');
}
