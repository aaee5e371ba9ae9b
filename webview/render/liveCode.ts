/**
 * Code blocks as DOM: the block a finished render shows (`buildCodeBlock`), and the one still growing at the end
 * of a streamed answer (`LiveCode`), which keeps its element — so its Copy button can be clicked mid-stream — and
 * does work for the new code only: pieces of it highlighted once and kept (`nextPiece`), the last piece
 * highlighted again per render, plain text appended where it cannot be highlighted yet.
 *
 * Both end in the same DOM for the same code, whichever way it arrived: highlighted by pieces, or plain while
 * `PENDING_HIGHLIGHT` and highlighted piece by piece in later tasks (highlightLater.ts).
 */
import { codeBlock } from './codeBlock';
import { canHighlight, highlight, isWarm, nextPiece, PIECE_CHARS } from './highlight';
import { highlightLater, warmLanguageLater } from './highlightLater';

/** Code up to this long is highlighted within the render that shows it; longer code in later tasks. */
export const SYNC_HIGHLIGHT_CHARS = 3000;
/** The growing last piece of a live block is highlighted again per render up to this long (plain past it). */
const LIVE_HIGHLIGHT_CHARS = 4000;
/** Most characters of new pieces a live block highlights per render (the rest waits for the next renders). */
const LIVE_PIECES_PER_RENDER = 2 * PIECE_CHARS;
/** Plain text goes into text nodes of about this size, so appending re-lays out a small node. */
const TEXT_NODE_CHARS = 2048;

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

/** The open code block at the end of a streamed answer. */
export class LiveCode {
  readonly block: HTMLElement;
  private readonly code: HTMLElement;
  /** The code shown, without trailing newlines. */
  private shown = '';
  /** `shown` up to here is highlighted pieces, kept. */
  private frozen = 0;
  /** Nodes after the kept pieces: the last piece, highlighted or plain. */
  private live: Node[] = [];
  private livePlain = false;

  constructor(readonly language: string) {
    this.code = codeElement(language);
    this.block = wrap(this.code, language);
  }

  /** Whether `code` (the block's whole code now) can continue what this block shows. */
  continues(code: string): boolean {
    return code.startsWith(this.shown.slice(0, this.frozen));
  }

  update(next: string): void {
    const code = next.replace(/\n+$/, '');
    if (code === this.shown) return;
    if (!this.continues(code)) this.reset();
    const highlightable = canHighlight(this.language);
    if (highlightable && !isWarm(this.language)) warmLanguageLater(this.language);
    if (highlightable && isWarm(this.language)) {
      let budget = LIVE_PIECES_PER_RENDER;
      for (let piece; budget > 0 && (piece = nextPiece(code, this.frozen, this.language, false)); ) {
        this.clearLive();
        this.code.append(markup(piece.html));
        budget -= piece.end - this.frozen;
        this.frozen = piece.end;
      }
    }
    const rest = code.slice(this.frozen);
    if (highlightable && isWarm(this.language) && rest.length <= LIVE_HIGHLIGHT_CHARS) {
      this.clearLive();
      const html = markup(highlight(rest, this.language) ?? '');
      this.live = Array.from(html.childNodes);
      this.code.append(html);
      this.livePlain = false;
    } else this.appendPlain(rest, code);
    this.shown = code;
  }

  /** The fence closed with `code`: the block becomes the same as a finished one (`buildCodeBlock`). */
  finish(code: string): HTMLElement {
    if (!this.continues(code)) this.reset();
    this.clearLive();
    fill(this.code, code, this.language, this.frozen);
    this.live = [];
    return this.block;
  }

  private appendPlain(rest: string, code: string): void {
    const shownRest = this.shown.slice(this.frozen);
    if (!this.livePlain || !code.startsWith(this.shown) || shownRest.length > rest.length) {
      this.clearLive();
      this.livePlain = true;
      this.appendText(rest);
      return;
    }
    this.appendText(rest.slice(shownRest.length));
  }

  private appendText(text: string): void {
    for (let at = 0; at < text.length; ) {
      const last = this.live[this.live.length - 1];
      if (last instanceof Text && last.length < TEXT_NODE_CHARS) {
        const take = Math.min(text.length - at, TEXT_NODE_CHARS - last.length);
        last.appendData(text.slice(at, at + take));
        at += take;
      } else {
        const node = document.createTextNode(text.slice(at, at + TEXT_NODE_CHARS));
        this.code.append(node);
        this.live.push(node);
        at += node.length;
      }
    }
  }

  private clearLive(): void {
    for (const node of this.live) node.parentNode?.removeChild(node);
    this.live = [];
    this.livePlain = false;
  }

  private reset(): void {
    this.code.replaceChildren();
    this.live = [];
    this.livePlain = false;
    this.frozen = 0;
    this.shown = '';
  }
}
