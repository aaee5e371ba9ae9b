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
  /** Offset in `code` up to which the element already holds highlighted markup. */
  at: number;
}

/** Blocks whose job found them off the page (a tail re-rendered meanwhile); they go on when put back. */
const parked = new WeakMap<HTMLElement, Pending>();
let template: HTMLTemplateElement | undefined;

/**
 * Highlights `el` in later tasks. `el` must hold `code` highlighted up to `from` followed by one text node with the
 * rest of `code` and a newline (how the renderer builds a plain block); each job turns the next piece of that text
 * into markup, so the finished element is the same as one highlighted at once.
 */
export function highlightLater(el: HTMLElement, language: string, code: string, from = 0): void {
  el.classList.add(PENDING_HIGHLIGHT);
  warmLanguageLater(language);
  const state: Pending = { language, code, at: from };
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
    rest.splitText(piece.end - state.at);
    template ??= document.createElement('template');
    // highlight.js escapes the code and emits only class-bearing spans (see highlight.ts)
    template.innerHTML = piece.html;
    rest.replaceWith(template.content);
    state.at = piece.end;
    if (state.at < state.code.length) queue.push(job);
    else el.classList.remove(PENDING_HIGHLIGHT);
  };
  queue.push(job);
}

/** Goes on with the highlighting of a block that was off the page when its turn came (no-op otherwise). */
export function resumeHighlight(el: HTMLElement): void {
  const state = parked.get(el);
  if (!state) return;
  parked.delete(el);
  highlightLater(el, state.language, state.code, state.at);
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
