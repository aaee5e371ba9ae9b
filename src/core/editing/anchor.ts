/**
 * Re-anchoring a rewrite: the user may keep typing while the model streams, so the selection's offsets can be
 * stale by the time they accept. We find where the original text is now, and refuse rather than guess: a range is
 * only ever returned if the document holds exactly the original text there.
 */

export interface AnchoredSelection {
  /** The selected text when the request was made. */
  text: string;
  /** Offsets of the selection in the document at that time. */
  start: number;
  end: number;
  /**
   * Up to a few hundred characters of document text right before / after the selection at that time. Optional;
   * when given, they tell duplicates apart (the copy whose surroundings still match wins).
   */
  before?: string;
  after?: string;
}

export type AnchorResult =
  | { ok: true; start: number; end: number; /** Whether the text moved (edits above it). */ moved: boolean }
  | { ok: false; reason: 'empty' | 'changed' | 'ambiguous'; message: string };

export interface AnchorOptions {
  /**
   * How far (in characters, either way) from the old start a unique copy counts as "the same text, shifted by edits
   * nearby" even if other copies exist further away.
   * @default 2000
   */
  nearWindow?: number;
}

function occurrences(doc: string, text: string): number[] {
  const found: number[] = [];
  for (let i = doc.indexOf(text); i >= 0; i = doc.indexOf(text, i + 1)) found.push(i);
  return found;
}

const CHANGED =
  'The selected code was changed while Qwen was writing, so the edit was not applied. Select the code again and retry.';
const AMBIGUOUS =
  'The selected code moved while Qwen was writing and now appears in several places, so the edit was not applied. Select it again and retry.';

/** Where the original selection is now in `docNow`, or why it cannot be found safely. */
export function reanchor(sel: AnchoredSelection, docNow: string, opts: AnchorOptions = {}): AnchorResult {
  if (sel.text.length === 0) {
    return { ok: false, reason: 'empty', message: 'Nothing was selected, so there is nothing to replace.' };
  }
  if (docNow.slice(sel.start, sel.end) === sel.text) return { ok: true, start: sel.start, end: sel.end, moved: false };

  const all = occurrences(docNow, sel.text);
  const at = (start: number): AnchorResult => ({ ok: true, start, end: start + sel.text.length, moved: true });
  if (all.length === 0) return { ok: false, reason: 'changed', message: CHANGED };
  if (all.length === 1 && all[0] !== undefined) return at(all[0]);

  // Several copies. The surroundings captured at request time are the strongest evidence…
  if (sel.before !== undefined || sel.after !== undefined) {
    const fitting = all.filter(
      (s) =>
        (sel.before === undefined || docNow.slice(0, s).endsWith(sel.before)) &&
        (sel.after === undefined || docNow.startsWith(sel.after, s + sel.text.length)),
    );
    if (fitting.length === 1 && fitting[0] !== undefined) return at(fitting[0]);
  }
  // …then proximity: exactly one copy near the old place means it was shifted by edits around it.
  const window = opts.nearWindow ?? 2000;
  const near = all.filter((s) => Math.abs(s - sel.start) <= window);
  if (near.length === 1 && near[0] !== undefined) return at(near[0]);
  return { ok: false, reason: 'ambiguous', message: AMBIGUOUS };
}

/** Capture the `before`/`after` surroundings for `reanchor` when the request is made. */
export function captureSelection(doc: string, start: number, end: number, span = 200): AnchoredSelection {
  return {
    text: doc.slice(start, end),
    start,
    end,
    before: doc.slice(Math.max(0, start - span), start),
    after: doc.slice(end, end + span),
  };
}
