/**
 * Markdown → HTML, pure (no DOM, runs in plain Node for tests): marked (GFM) with our renderers, and the pieces of
 * a streamed text rendered so that they add up to one render of the whole (see blockBoundary.ts for where a text
 * is cut). Code blocks come out as placeholders (`CODE_SLOT`) plus their code, so the DOM side (markdown.ts) can
 * build, highlight and reuse them without parsing highlighted markup again; `markdownToHtml` fills them in as plain
 * markup for tests.
 *
 * A piece that continues a list or a table is rendered with a stand-in before it (a dummy item, the table's header
 * rows) so marked parses it in the same context as in the whole text; only the real items or rows are kept, as a
 * `head` for the DOM side to append to the list or table already on screen. A piece ending inside a list gets
 * dummy items after it for the same reason: a list's last item is trimmed, and whether a list is loose (items in
 * `<p>`) depends on all of its items.
 */
import { Lexer, Marked, Parser, type Links, type Token, type Tokens } from 'marked';
import { fenceLanguage } from './highlight';
import { balanceBlocks, escapeHtml, escapeText, SAFE } from './rawHtml';

export { escapeHtml } from './rawHtml';

/** Where a code block goes in the rendered HTML; the code itself is in `SliceHtml.codes`, in document order. */
export const CODE_SLOT = '<pre class="md-code-slot"></pre>';

export interface CodeSlot {
  language: string;
  /** The code without the fence, without its trailing newline. */
  code: string;
  /** The fenced block still growing at the end of a streamed text (only in a render of the tail). */
  open: boolean;
}

/** A list cut into pieces: whether it is loose as far as its text is known (shared by all of its cuts). */
export interface ListInfo {
  loose: boolean;
}

/**
 * What the text after a cut continues. For a list, `dummy` is a stand-in item with the indentation and marker of
 * the item at the cut (`1. x\n`), so it parses as that item's sibling.
 */
export type Continuation = { kind: 'list'; list: ListInfo; dummy: string } | { kind: 'table'; header: string };

export interface SliceContext {
  /** Link definitions from the rest of the text (first definition wins, as in one render). */
  links?: Links | undefined;
  /** The text continues this list or table from before the cut. */
  start?: Continuation | undefined;
  /** The next piece continues a list: render the last one as a list that goes on. */
  end?: Continuation | undefined;
  /** This is the growing tail of a stream: mark its open code block. */
  tail?: boolean | undefined;
}

export interface SliceHtml {
  /** Items (`<li>`) or rows (`<tr>`) continuing the list or table before the cut. */
  head: string;
  headKind: 'list' | 'table' | undefined;
  /** The rest, as blocks. */
  body: string;
  codes: CodeSlot[];
  /** Definitions this text adds to `SliceContext.links`. */
  links: Links;
  /** marked failed on this text (say, nesting too deep): `body` shows it as plain text. */
  failed: boolean;
  /** The markdown rendered. */
  source: string;
}

/** Characters handed to marked (block lexing and full renders): lets tests check how much work a stream does. */
export const renderStats = { lexedChars: 0, renderedChars: 0 };

const openCode = new WeakSet<Token>();
let slots: CodeSlot[] = [];

const SAFE_IMAGE_SRC = /^data:image\/(?:png|gif|jpe?g|webp);base64,/i;
const REMOTE = /^https?:/i;

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    code(token) {
      slots.push({ language: fenceLanguage(token.lang), code: token.text.replace(/\n$/, ''), open: openCode.has(token) });
      return `${CODE_SLOT}\n`;
    },
    html(token) {
      return (token as Tokens.HTML & { [SAFE]?: true })[SAFE] ? token.text : escapeText(token.text);
    },
    // text inside raw <code>/<kbd> is passed through unescaped by marked; always escape
    text(token) {
      return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : escapeText(token.text);
    },
    // The view's CSP loads images only from the extension and data: URLs; a remote image would be broken (and a
    // way to track the reader), so it becomes a link to the image.
    image(token) {
      const alt = token.tokens ? this.parser.parseInline(token.tokens, this.parser.textRenderer) : token.text;
      const href = token.href.trim();
      if (SAFE_IMAGE_SRC.test(href)) return `<img src="${escapeHtml(href)}" alt="${escapeHtml(alt)}">`;
      const url = REMOTE.test(href) ? encodeUrl(href) : undefined;
      if (url !== undefined) return `<a href="${escapeHtml(url)}" title="Image: ${escapeHtml(href)}">${escapeHtml(alt || 'image')}</a>`;
      return escapeHtml(alt);
    },
  },
});
const options = marked.defaults;

function encodeUrl(href: string): string | undefined {
  try {
    return encodeURI(href).replace(/%25/g, '%');
  } catch {
    return undefined; // a lone surrogate
  }
}

/** Block tokens of `src` (no inline parsing): what blockBoundary.ts decides cuts from. */
export function lexBlocks(src: string): Token[] {
  renderStats.lexedChars += src.length;
  return new Lexer(options).blockTokens(src, []);
}

/** Whether a fenced code token has no closing fence (the stream may still add code to it). */
export function isOpenFence(raw: string): boolean {
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
  if (!open) return false;
  const lines = raw.replace(/\n+$/, '').split('\n');
  if (lines.length < 2) return true;
  const close = /^ {0,3}(`+|~+) *$/.exec(lines[lines.length - 1]!);
  return !(close && close[1]![0] === open[1]![0] && close[1]!.length >= open[1]!.length);
}

/** The fenced code block the text ends in, if it is still open: at the top level or in a list's last item. */
function markOpenCode(tokens: Token[]): void {
  let last = lastBlock(tokens);
  if (last?.type === 'list') last = lastBlock((last as Tokens.List).items.at(-1)?.tokens ?? []);
  if (last?.type === 'code' && isOpenFence(last.raw)) openCode.add(last);
}

function lastBlock(tokens: Token[]): Token | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.type !== 'space') return tokens[i];
  return undefined;
}

/** Plain text standing in for markdown that could not be rendered. */
export function fallbackSlice(text: string): SliceHtml {
  const body = `<p>${escapeHtml(text.replace(/\n+$/, '')).replace(/\n/g, '<br>')}</p>\n`;
  return { head: '', headKind: undefined, body, codes: [], links: {}, failed: true, source: text };
}

/**
 * Renders one piece of a text (the whole text, a settled slice or the tail). Never throws: a piece marked cannot
 * render comes back as escaped text with `failed` set.
 */
export function renderSliceHtml(text: string, ctx: SliceContext = {}): SliceHtml {
  renderStats.renderedChars += text.length;
  try {
    return render(text, ctx);
  } catch (e) {
    console.error('markdown render failed; showing the text as is', e);
    slots = [];
    return fallbackSlice(text);
  }
}

function render(text: string, ctx: SliceContext): SliceHtml {
  const { start, end } = ctx;
  let src = text;
  if (start?.kind === 'list') src = start.dummy + (start.list.loose ? '\n' : '') + src;
  else if (start?.kind === 'table') src = start.header + src;
  let dummiesAfter = 0;
  if (end?.kind === 'list') {
    // a loose list needs a blank line between two of its items: put it between two dummies, so the real last
    // item keeps exactly the lines it has in the whole text
    dummiesAfter = end.list.loose ? 2 : 1;
    src += end.list.loose ? `${end.dummy}\n${end.dummy}` : end.dummy;
  }
  const lexer = new Lexer(options);
  const known = ctx.links ?? {};
  Object.assign(lexer.tokens.links, known);
  const tokens: Token[] = lexer.lex(src);
  const links: Links = {};
  for (const [label, link] of Object.entries(lexer.tokens.links)) if (!(label in known)) links[label] = link;

  let continued: Tokens.List | Tokens.Table | undefined;
  if (start) {
    const first = tokens[0];
    if (first?.type !== (start.kind === 'list' ? 'list' : 'table')) throw new Error(`a continued ${start.kind} did not lex as one`);
    continued = first as Tokens.List | Tokens.Table;
    if (start.kind === 'list') (continued as Tokens.List).items.shift();
  }
  if (end?.kind === 'list') {
    const last = lastBlock(tokens);
    if (last?.type !== 'list' || (last as Tokens.List).items.length <= dummiesAfter) throw new Error('a list going on did not lex as one');
    (last as Tokens.List).items.splice(-dummiesAfter);
  }
  balanceBlocks(tokens);
  if (ctx.tail) markOpenCode(tokens);

  slots = [];
  const parser = new Parser(options);
  let head = '';
  let rest = tokens;
  if (continued) {
    rest = tokens.slice(1);
    // the list going on past the end of this piece is the same one: it is all head
    if (end?.kind === start?.kind && continued === lastBlock(tokens)) rest = [];
    head = continued.type === 'list' ? continued.items.map((item) => parser.renderer.listitem(item)).join('') : tableRows(parser, continued);
  }
  const body = parser.parse(rest);
  const codes = slots;
  slots = [];
  return { head, headKind: start?.kind, body, codes, links, failed: false, source: text };
}

/** A table's body rows, as marked's table renderer writes them. */
function tableRows(parser: Parser, table: Tokens.Table): string {
  return table.rows.map((row) => parser.renderer.tablerow({ text: row.map((cell) => parser.renderer.tablecell(cell)).join('') })).join('');
}

/** The HTML of a piece with its code blocks filled in (escaped, unhighlighted), for comparisons without a DOM. */
export function fillCodeSlots(html: string, codes: readonly CodeSlot[]): string {
  let i = 0;
  return html.replaceAll(CODE_SLOT, () => {
    const slot = codes[i++];
    if (!slot) throw new Error('more code slots than code blocks');
    const cls = slot.language ? ` class="language-${escapeHtml(slot.language)}"` : '';
    return `<pre><code${cls}>${escapeHtml(slot.code)}\n</code></pre>`;
  });
}

/** One render of a whole markdown text as HTML (code unhighlighted): what a streamed render must add up to. */
export function markdownToHtml(markdown: string): string {
  const r = renderSliceHtml(markdown.replace(/\r\n?/g, '\n'));
  return fillCodeSlots(r.body, r.codes);
}
