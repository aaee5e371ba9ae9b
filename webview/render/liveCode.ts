/**
 * Code blocks as DOM: the block a finished render shows (`buildCodeBlock`), and the one still growing at the end
 * of a streamed answer (`LiveCode`), which keeps its element — so its Copy button can be clicked mid-stream — and
 * does work for the new code only.
 *
 * Both end in the same DOM for the same code, whichever way it arrived: highlighted by pieces, or plain while
 * `PENDING_HIGHLIGHT` and highlighted piece by piece in later tasks (highlightLater.ts). Pieces end where
 * highlight.js is at the top level, so their markup is that of one highlight of the whole; only inside a string or
 * comment longer than several thousand characters do the two ways cut it differently.
 */
import { codeBlock } from './codeBlock';
import { canHighlight, highlight, highlightRun, isWarm, nextPiece, PIECE_CHARS } from './highlight';
import { highlightLater, warmLanguageLater } from './highlightLater';

/** Code up to this long is highlighted within the render that shows it; longer code in later tasks. */
export const SYNC_HIGHLIGHT_CHARS = 3000;
/** A live block's lines not frozen yet are highlighted again per render up to this long (plain past it). */
const LIVE_HIGHLIGHT_CHARS = 4000;
/** Complete lines are frozen once there are this many characters of them. */
const FREEZE_CHARS = 200;
/** Lines inside a string or comment are frozen anyway past this (the rest is highlighted as if it ended there). */
const FORCE_FREEZE_CHARS = 8000;

let template: HTMLTemplateElement | undefined;
function markup(html: string): DocumentFragment {
  template ??= document.createElement('template');
  // only highlight.js output comes here: escaped code and class-bearing spans
  template.innerHTML = html;
  return template.content;
}

function codeElement(language: string): HTMLElement {
  const code = document.createElement('code');
  code.className = language ? `hljs language-${language.replace(/[^\w+#.-]/g, '')}` : 'hljs';
  return code;
}

function wrap(code: HTMLElement, language: string): HTMLElement {
  const pre = document.createElement('pre');
  pre.append(code);
  return codeBlock(pre, language);
}

/** Fills `el` with `code` (and the newline marked adds): highlighted now, or plain and highlighted later. */
function fill(el: HTMLElement, code: string, language: string, from: number): void {
  const rest = code.length - from;
  if (canHighlight(language) && isWarm(language) && rest <= SYNC_HIGHLIGHT_CHARS) {
    let html = '';
    for (let at = from; at < code.length; ) {
      const piece = nextPiece(code, at, language, true)!;
      html += piece.html;
      at = piece.end;
    }
    el.append(markup(`${html}\n`));
  } else {
    el.append(document.createTextNode(`${code.slice(from)}\n`));
    if (canHighlight(language)) highlightLater(el, language, code, from);
  }
}

/** A finished code block with its toolbar. */
export function buildCodeBlock(language: string, code: string): HTMLElement {
  const el = codeElement(language);
  fill(el, code, language, 0);
  return wrap(el, language);
}

/**
 * The open code block at the end of a streamed answer. Complete lines are frozen in groups — highlighted once
 * where highlight.js ends them at the top level (not inside a string or comment), plain while the grammar is
 * still cold — each group a block of its own, so on each render the browser lays out the growing last lines, not
 * the whole block. When the fence closes the groups are unwrapped into the markup of a finished block.
 */
export class LiveCode {
  readonly block: HTMLElement;
  private readonly code: HTMLElement;
  /** The code shown, without trailing newlines. */
  private shown = '';
  /** Frozen groups in order: highlighted ones, then (cold grammar) plain ones. */
  private groups: Array<{ el: HTMLElement; highlighted: boolean }> = [];
  /** End (a line end, at the grammar's top level) of the highlighted groups. */
  private hlEnd = 0;
  /** End (a line end) of all frozen groups. */
  private frozenEnd = 0;
  /** Nodes after the groups: the lines not frozen yet, highlighted or plain. */
  private live: Node[] = [];

  constructor(readonly language: string) {
    this.code = codeElement(language);
    this.block = wrap(this.code, language);
  }

  /** Whether `code` (the block's whole code now) goes on from what this block has highlighted and kept. */
  continues(code: string): boolean {
    return code.startsWith(this.shown.slice(0, this.hlEnd));
  }

  update(next: string): void {
    const code = next.replace(/\n+$/, '');
    if (code === this.shown) return;
    if (!code.startsWith(this.shown.slice(0, this.frozenEnd))) this.reset();
    this.shown = code;
    const highlightable = canHighlight(this.language);
    const warm = highlightable && isWarm(this.language);
    if (highlightable && !warm) warmLanguageLater(this.language);
    if (warm && this.frozenEnd > this.hlEnd) this.dropPlainGroups(); // warm now: highlight them instead
    const lines = code.lastIndexOf('\n') + 1;
    for (let segments = 0; segments < 2 && lines - this.frozenEnd >= FREEZE_CHARS; segments++) {
      const end = Math.min(lines, lineEndAfter(code, this.frozenEnd + PIECE_CHARS));
      const text = code.slice(this.frozenEnd, end);
      if (!warm) {
        if (text.length < PIECE_CHARS && end === lines) break; // plain groups of about a piece each
        this.freeze(document.createTextNode(text), false, end);
        continue;
      }
      const run = highlightRun(text, this.language)!;
      // inside a string or comment: wait for more lines, up to a point
      if (!run.atTop && text.length <= FORCE_FREEZE_CHARS && end === lines) break;
      this.freeze(markup(run.value), true, end);
    }
    this.clearLive();
    const rest = code.slice(this.frozenEnd);
    const html = warm && rest.length <= LIVE_HIGHLIGHT_CHARS ? highlight(rest, this.language) : undefined;
    const nodes = html !== undefined ? markup(html) : document.createTextNode(rest);
    this.live = nodes instanceof DocumentFragment ? Array.from(nodes.childNodes) : [nodes];
    this.code.append(nodes);
  }

  /** The fence closed with `code`: the block becomes the same as a finished one (`buildCodeBlock`). */
  finish(code: string): HTMLElement {
    if (!this.continues(code)) this.reset();
    this.clearLive();
    this.dropPlainGroups();
    for (const group of this.groups) group.el.replaceWith(...Array.from(group.el.childNodes));
    this.groups = [];
    fill(this.code, code, this.language, this.hlEnd);
    return this.block;
  }

  private freeze(content: Node, highlighted: boolean, end: number): void {
    this.clearLive();
    // a block (built as DOM, so no parser moves it out of the <code>) lays out on its own
    const el = document.createElement('div');
    el.append(content);
    this.code.append(el);
    this.groups.push({ el, highlighted });
    this.frozenEnd = end;
    if (highlighted) this.hlEnd = end;
  }

  private dropPlainGroups(): void {
    this.clearLive();
    for (const group of this.groups.filter((g) => !g.highlighted)) group.el.remove();
    this.groups = this.groups.filter((g) => g.highlighted);
    this.frozenEnd = this.hlEnd;
  }

  private clearLive(): void {
    for (const node of this.live) node.parentNode?.removeChild(node);
    this.live = [];
  }

  private reset(): void {
    this.code.replaceChildren();
    this.groups = [];
    this.live = [];
    this.hlEnd = 0;
    this.frozenEnd = 0;
    this.shown = '';
  }
}

/** The end of the line at or after `pos` in `code` (its length if none). */
function lineEndAfter(code: string, pos: number): number {
  const nl = code.indexOf('\n', pos);
  return nl < 0 ? code.length : nl + 1;
}
