/**
 * Markdown → sanitised DOM. `marked` (GFM) produces HTML with highlighted code, DOMPurify cleans it, and code
 * blocks get their toolbar (language, Copy, Insert) built as DOM after sanitising, so only our own code makes
 * buttons. Raw HTML in the model's markdown is shown as text, the way the model usually means it (a tag it talks
 * about): it never becomes markup, and the browser never even parses its event handlers (which the view's CSP
 * would report). DOMPurify still guards what markdown itself produces (links, images).
 *
 * Code in a language whose grammar is still cold renders plain and is highlighted a task later (highlightLater.ts),
 * so a first TypeScript block does not cost a frame the grammar's compile time.
 */
import { Marked } from 'marked';
import { h, button } from './el';
import { canHighlight, fenceLanguage, highlight, isWarm } from './highlight';
import { highlightLater, PENDING_HIGHLIGHT } from './highlightLater';
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
      const pending = !isWarm(language) && canHighlight(language);
      const body = (pending ? undefined : highlight(text, language)) ?? escapeHtml(text);
      const cls = (language ? `hljs language-${escapeHtml(language)}` : 'hljs') + (pending ? ` ${PENDING_HIGHLIGHT}` : '');
      return `<pre><code class="${cls}">${body}\n</code></pre>\n`;
    },
  },
});

/**
 * Markdown → HTML before sanitising (no DOM needed). Code in a cold language comes out plain, with the
 * `PENDING_HIGHLIGHT` class.
 */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

/**
 * Renders a markdown text to a sanitised fragment with decorated code blocks; plain code blocks of a cold language
 * get highlighted in a later task once the fragment is on the page.
 */
export function renderMarkdown(markdown: string): DocumentFragment {
  const fragment = sanitizeToFragment(markdownToHtml(markdown));
  decorateCodeBlocks(fragment);
  return fragment;
}

/** Wraps every `<pre><code>` in a block with a toolbar: language label, Copy and Insert buttons. */
export function decorateCodeBlocks(root: DocumentFragment | Element): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code || pre.parentElement?.classList.contains('code-block')) continue;
    const language = languageOf(code);
    codeBlock(pre, language);
    if (code.classList.contains(PENDING_HIGHLIGHT)) highlightLater(code, language);
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
  pre.tabIndex = 0; // the arrow keys scroll a long line
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
