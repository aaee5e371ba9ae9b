/**
 * Raw HTML in the model's markdown. Models write a little of it on purpose — `<br>` in table cells, `<kbd>`,
 * `<sup>` — and a lot of it by accident (a tag they talk about). A short allowlist of phrasing tags becomes markup,
 * always re-written as the bare tag (`<b onclick=…>` → `<b>`), so no attribute, style or handler of the model's
 * ever reaches the browser's parser (the view's CSP would report them, and DOMPurify would have to catch them).
 * Everything else is shown as the text the model wrote.
 *
 * Tags are balanced per inline run (a paragraph, a heading, a table cell, the text of a link or emphasis): an open
 * tag left open is closed at the end of its run, a close tag with no open partner is shown as text. So the markup
 * of one block never depends on another block, and a text rendered in slices gives the same DOM as one render of
 * the whole (an unclosed `<b>` cannot swallow the following list items). No block-level tag is allowed (`details`,
 * `div`, `p`): a block-level tag's content spans markdown blocks, which would tie blocks together again.
 *
 * Pure (no DOM): runs on marked's tokens between lexing and rendering.
 */
import type { Token, Tokens } from 'marked';

const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'kbd', 'code', 'var', 'samp']);
const VOID = new Set(['br', 'wbr']);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Escapes like marked does for text: an `&` that starts an entity stays, so `&lt;` still shows as `<`. */
export function escapeText(text: string): string {
  return text.replace(/[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, (c) => ESCAPES[c]!);
}

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])[^<>]*>$/;

/** Marks the html tokens this pass has turned into safe markup (anything else is escaped when rendered). */
export const SAFE = Symbol('safe-html');
type HtmlToken = Tokens.HTML & { [SAFE]?: true };

interface Tag {
  close: boolean;
  name: string;
}

function parseTag(text: string): Tag | undefined {
  const m = TAG.exec(text.trim());
  if (!m) return undefined;
  const name = m[2]!.toLowerCase();
  return ALLOWED.has(name) || VOID.has(name) ? { close: m[1] === '/', name } : undefined;
}

/** Rewrites one run of inline tokens: allowed tags bare and balanced, the rest as text. */
function balanceRun(tokens: Token[]): void {
  const open: string[] = [];
  for (const token of tokens) {
    if (token.type === 'html') {
      const html = token as HtmlToken;
      const tag = parseTag(html.text);
      let out: string;
      if (!tag) out = escapeText(html.text);
      else if (VOID.has(tag.name)) out = tag.close ? escapeText(html.text) : `<${tag.name}>`;
      else if (!tag.close) {
        open.push(tag.name);
        out = `<${tag.name}>`;
      } else if (open.includes(tag.name)) {
        // close what was opened inside it first, as the browser would
        out = '';
        while (open.length > 0) {
          const name = open.pop()!;
          out += `</${name}>`;
          if (name === tag.name) break;
        }
      } else out = escapeText(html.text);
      html.text = out;
      html[SAFE] = true;
    } else balanceChildren(token);
  }
  if (open.length > 0) {
    const closing: HtmlToken = { type: 'html', raw: '', text: open.reverse().map((n) => `</${n}>`).join(''), block: false, pre: false };
    closing[SAFE] = true;
    tokens.push(closing);
  }
}

/** A block of raw HTML: shown as a paragraph of its text (allowed tags kept), one line per line. */
function blockHtml(token: HtmlToken): void {
  const text = token.text.replace(/\n+$/, '');
  const run: Token[] = [];
  for (const part of text.split(/(<[^<>]*>)/)) {
    if (part === '') continue;
    if (part.startsWith('<') && part.endsWith('>')) run.push({ type: 'html', raw: part, text: part, block: false, pre: false });
    else run.push({ type: 'text', raw: part, text: escapeText(part) });
  }
  balanceRun(run);
  // allowed tags come out bare, so every newline left is the model's text
  token.text = `<p>${run.map((t) => (t as { text: string }).text).join('').replace(/\n/g, '<br>')}</p>\n`;
  token[SAFE] = true;
}

function balanceChildren(token: Token): void {
  switch (token.type) {
    case 'html':
      if ((token as HtmlToken).block) blockHtml(token as HtmlToken);
      return;
    case 'list':
      for (const item of (token as Tokens.List).items) balanceBlocks(item.tokens);
      return;
    case 'blockquote':
      balanceBlocks((token as Tokens.Blockquote).tokens);
      return;
    case 'table': {
      const table = token as Tokens.Table;
      for (const cell of table.header) balanceRun(cell.tokens);
      for (const row of table.rows) for (const cell of row) balanceRun(cell.tokens);
      return;
    }
    default:
      if ('tokens' in token && Array.isArray(token.tokens)) balanceRun(token.tokens);
  }
}

/** Rewrites the raw HTML of a lexed markdown text in place (see the file comment). */
export function balanceBlocks(tokens: Token[]): void {
  for (const token of tokens) balanceChildren(token);
}
