/**
 * Code blocks as DOM: the block a finished render shows (`buildCodeBlock`), and the one still growing at the end
 * of a streamed answer (`LiveCode`), which keeps its element — so its Copy button can be clicked mid-stream — and
 * does work for the new code only.
 *
 * Both end in the same DOM for the same code, whichever way it arrived: its pieces (highlight.ts `nextPiece`)
 * highlighted now, or shown plain while `PENDING_HIGHLIGHT` and highlighted a piece per task later
 * (highlightLater.ts `pieceDom` says how pieces sit in the block). Pieces end where highlight.js is at the top
 * level, so their markup is that of one highlight of the whole but for strings or comments longer than several
 * thousand characters.
 */
import { codeBlock } from './codeBlock';
import { canHighlight, highlight, highlightRun, isWarm, nextPiece, PIECE_CHARS } from './highlight';
import { highlightLater, markup, pieceDom, warmLanguageLater } from './highlightLater';

/** Code up to this long is highlighted within the render that shows it; longer code in later tasks. */
export const SYNC_HIGHLIGHT_CHARS = 3000;
/** A live block's lines not frozen yet are highlighted again per render up to this long (plain past it). */
const LIVE_HIGHLIGHT_CHARS = 1500;
/** Complete lines are frozen once there are this many characters of them, at most about `FREEZE_MAX` a render. */
const FREEZE_CHARS = 200;
const FREEZE_MAX = 1500;
/**
 * Most pieces a live block completes per render: a render that gets a lot of code at once (the first one after
 * the warm-up, say) catches up over the next renders instead of highlighting all of it in one frame.
 */
const PIECES_PER_RENDER = 1;

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

/**
 * Appends `code` from `from` (a piece boundary, with `pieces` pieces before it in `el`) and the newline marked adds:
 * highlighted now, or plain and highlighted later.
 */
function fill(el: HTMLElement, code: string, language: string, from: number, pieces: number): void {
  if (canHighlight(language) && isWarm(language) && code.length - from <= SYNC_HIGHLIGHT_CHARS) {
    const rest: Array<{ html: string }> = [];
    for (let at = from; at < code.length; ) {
      const piece = nextPiece(code, at, language, true)!;
      rest.push(piece);
      at = piece.end;
    }
    if (rest.length === 0) el.append('\n');
    rest.forEach((piece, i) => el.append(pieceDom(piece.html, pieces === 0 && rest.length === 1, i === rest.length - 1)));
  } else {
    el.append(document.createTextNode(`${code.slice(from)}\n`));
    if (canHighlight(language)) highlightLater(el, language, code, from, pieces);
  }
}

/** A finished code block with its toolbar. */
export function buildCodeBlock(language: string, code: string): HTMLElement {
  const el = codeElement(language);
  fill(el, code, language, 0, 0);
  return wrap(el, language);
}

/**
 * The open code block at the end of a streamed answer. Its pieces are completed as soon as the code decides them
 * and put in as a finished block has them; the piece in progress freezes complete lines in groups, highlighted
 * once where highlight.js ends them at the top level, each a block of its own, so a render highlights and lays
 * out the newest lines, not the whole block. While the grammar is cold, or for a language without one, lines are
 * frozen plain. Closing the fence then only completes the last piece.
 */
export class LiveCode {
  readonly block: HTMLElement;
  private readonly code: HTMLElement;
  /** The code shown, without trailing newlines. */
  private shown = '';
  /** Finished pieces at the start of the block, and where they end. */
  private pieces = 0;
  private piecesEnd = 0;
  /** The piece in progress: frozen line groups (up to `frozenEnd`), then the lines not frozen yet. */
  private current: HTMLElement | undefined;
  private frozenEnd = 0;
  private live: Node[] = [];
  /** Lines were frozen plain (the grammar was cold, or there is none). */
  private plain = false;

  constructor(readonly language: string) {
    this.code = codeElement(language);
    this.block = wrap(this.code, language);
  }

  /** Whether `code` (the block's whole code now) goes on from the pieces this block has finished. */
  continues(code: string): boolean {
    return code.startsWith(this.shown.slice(0, this.piecesEnd));
  }

  update(next: string): void {
    const code = next.replace(/\n+$/, '');
    if (code === this.shown) return;
    const highlightable = canHighlight(this.language);
    const warm = highlightable && isWarm(this.language);
    if (highlightable && !warm) warmLanguageLater(this.language);
    // warm now: the plain lines make way for highlighted pieces
    if ((warm && this.plain) || !code.startsWith(this.shown.slice(0, this.frozenEnd))) this.reset();
    this.shown = code;
    if (warm) {
      for (let n = 0, piece; n < PIECES_PER_RENDER && (piece = nextPiece(code, this.piecesEnd, this.language, false)); n++) {
        this.clearLive();
        // the piece in progress becomes the finished piece: a block of its markup, as pieceDom makes it
        this.currentPiece().replaceChildren(markup(piece.html));
        this.current = undefined;
        this.pieces++;
        this.piecesEnd = this.frozenEnd = piece.end;
      }
    }
    const lines = Math.min(code.lastIndexOf('\n') + 1, lineEndAfter(code, this.frozenEnd + FREEZE_MAX));
    const text = code.slice(this.frozenEnd, lines);
    if (text.length >= (warm ? FREEZE_CHARS : PIECE_CHARS)) {
      const run = warm ? highlightRun(text, this.language) : undefined;
      // lines ending inside a string or comment wait for more (the piece boundary ends them at the latest)
      if (!run || run.atTop) {
        this.clearLive();
        const group = document.createElement('div');
        group.append(run ? markup(run.value) : text);
        this.currentPiece().append(group);
        this.frozenEnd = lines;
        this.plain ||= !run;
      }
    }
    this.clearLive();
    const rest = code.slice(this.frozenEnd);
    const html = warm && rest.length <= LIVE_HIGHLIGHT_CHARS ? highlight(rest, this.language) : undefined;
    const nodes = html !== undefined ? markup(html) : document.createTextNode(rest);
    this.live = nodes instanceof DocumentFragment ? Array.from(nodes.childNodes) : [nodes];
    this.currentPiece().append(nodes);
  }

  /** The fence closed with `code`: the block becomes the same as a finished one (`buildCodeBlock`). */
  finish(code: string): HTMLElement {
    const highlightable = canHighlight(this.language);
    if (!highlightable || !isWarm(this.language) || this.plain || !this.continues(code)) this.reset();
    this.clearLive();
    this.current?.remove();
    this.current = undefined;
    fill(this.code, code, this.language, this.piecesEnd, this.pieces);
    return this.block;
  }

  private currentPiece(): HTMLElement {
    if (!this.current) {
      this.current = document.createElement('div');
      this.code.append(this.current);
    }
    return this.current;
  }

  private clearLive(): void {
    for (const node of this.live) node.parentNode?.removeChild(node);
    this.live = [];
  }

  private reset(): void {
    this.code.replaceChildren();
    this.current = undefined;
    this.live = [];
    this.pieces = 0;
    this.piecesEnd = 0;
    this.frozenEnd = 0;
    this.plain = false;
    this.shown = '';
  }
}

/** The end of the line at or after `pos` in `code` (its length if none). */
function lineEndAfter(code: string, pos: number): number {
  const nl = code.indexOf('\n', pos);
  return nl < 0 ? code.length : nl + 1;
}
