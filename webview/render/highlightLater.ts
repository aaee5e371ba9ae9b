/**
 * Highlighting that waits for a task of its own: code blocks rendered while their language was cold (see
 * highlight.ts `isWarm`) are shown plain and marked `PENDING_HIGHLIGHT`; here the grammar is compiled in one task
 * and the blocks highlighted in the next ones, a few milliseconds of them per task.
 */
import { BudgetedQueue } from './budgetedQueue';
import { canHighlight, highlight, isWarm, warmLanguage } from './highlight';

/** Class of a `<code>` shown plain until its highlighting runs. */
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

/** The parts of a `<code>` element highlighting touches (an HTMLElement in the view). */
export interface HighlightTarget {
  readonly isConnected: boolean;
  readonly textContent: string | null;
  innerHTML: string;
  readonly classList: { remove(name: string): void };
}

/**
 * Highlights `code` (plain text ending with the newline the renderer adds) in a later task, after warming its
 * language. Skipped if the element left the page meanwhile (a re-rendered tail, a closed conversation).
 */
export function highlightLater(code: HighlightTarget, language: string): void {
  warmLanguageLater(language);
  queue.push(() => {
    if (!code.isConnected) return;
    const text = (code.textContent ?? '').replace(/\n$/, '');
    const html = highlight(text, language);
    // highlight.js escapes the code and emits only class-bearing spans (see highlight.ts).
    if (html !== undefined) code.innerHTML = `${html}\n`;
    code.classList.remove(PENDING_HIGHLIGHT);
  });
}
