/**
 * Highlighting that waits for tasks of its own: a code block rendered while its language was cold (see
 * highlight.ts `isWarm`), or too long to highlight inside a frame, is shown plain and marked `PENDING_HIGHLIGHT`;
 * here the grammar is compiled in one task and the block highlighted a piece at a time (`nextPiece`) in the next
 * ones, a few milliseconds of them per task, so a 30K-character file never costs one long task.
 */
import { BudgetedQueue } from './budgetedQueue';
import { canHighlight, isWarm, nextPiece, warmLanguage } from './highlight';

/** Class of a `<code>` shown (partly) plain until its highlighting has run. */
export const PENDING_HIGHLIGHT = 'highlight-pending';

const queue = new BudgetedQueue({ budgetMs: 8 });
const warming = new Set<string>();

/** Compiles `language`'s grammar in a later task (once), so a later render can highlight it cheaply. */
export function warmLanguageLater(language: string): void {
  if (!canHighlight(language) || isWarm(language) || warming.has(language)) return;
  warming.add(language);
  queue.push(() => {
    warming.delete(language);
    warmLanguage(language);
  });
}

interface Pending {
  language: string;
  code: string;
  /** Offset in `code` up to which the element already holds highlighted pieces. */
  at: number;
  /** How many pieces it holds. */
  pieces: number;
}

/** Blocks whose job found them off the page (a tail re-rendered meanwhile); they go on when put back. */
const parked = new WeakMap<HTMLElement, Pending>();
let template: HTMLTemplateElement | undefined;

/** Parsed highlight.js output (escaped code and class-bearing spans, nothing else comes here). */
export function markup(html: string): DocumentFragment {
  template ??= document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/**
 * The DOM of one highlighted piece of a code block (see highlight.ts `nextPiece`). A block of one piece holds its
 * markup inline; in a block of several each piece is a `<div>` of its own, so a change to one (the live block
 * growing, a later piece highlighted) makes the browser lay out that piece, not the whole block. The last piece
 * ends with the newline marked adds to code.
 */
export function pieceDom(html: string, only: boolean, last: boolean): Node {
  if (only) return markup(`${html}\n`);
  const div = document.createElement('div');
  div.append(markup(last ? `${html}\n` : html));
  return div;
}

/**
 * Highlights `el` in later tasks. `el` must hold the first `pieces` pieces of `code` (up to `from`) followed by one
 * text node with the rest of `code` and a newline (how the renderer builds a plain block); each job turns the next
 * piece of that text into markup, so the finished element is the same as one highlighted at once.
 */
export function highlightLater(el: HTMLElement, language: string, code: string, from = 0, pieces = 0): void {
  if (from >= code.length) return;
  el.classList.add(PENDING_HIGHLIGHT);
  warmLanguageLater(language);
  const state: Pending = { language, code, at: from, pieces };
  const job = (): void => {
    if (!el.isConnected) {
      parked.set(el, state);
      return;
    }
    const rest = el.lastChild;
    const piece = nextPiece(state.code, state.at, state.language, true);
    if (!piece || !(rest instanceof Text) || rest.length !== state.code.length - state.at + 1) {
      el.classList.remove(PENDING_HIGHLIGHT); // rebuilt meanwhile: leave it as it is
      return;
    }
    const last = piece.end === state.code.length;
    const after = rest.splitText(piece.end - state.at);
    if (last) after.remove(); // the newline goes with the last piece
    rest.replaceWith(pieceDom(piece.html, last && state.pieces === 0, last));
    state.at = piece.end;
    state.pieces++;
    if (!last) queue.push(job);
    else el.classList.remove(PENDING_HIGHLIGHT);
  };
  queue.push(job);
}

/** Goes on with the highlighting of a block that was off the page when its turn came (no-op otherwise). */
export function resumeHighlight(el: HTMLElement): void {
  const state = parked.get(el);
  if (!state) return;
  parked.delete(el);
  highlightLater(el, state.language, state.code, state.at, state.pieces);
}

/** Resolves once no highlighting is queued (for tests and the benchmark's same-DOM check). */
export function whenHighlightsDone(): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (queue.size === 0) resolve();
      else setTimeout(check, 10);
    };
    check();
  });
}
